with

source as (

    select * from {{ source('raw', 'nse_bhavcopy') }}

),

renamed as (

    select
        upper(trim(symbol)) as symbol,
        upper(trim(series)) as series,
        trade_date,
        prev_close as prev_close_inr,
        open as open_inr,
        high as high_inr,
        low as low_inr,
        close as close_inr,
        last as last_inr,
        avg_price as avg_price_inr,
        total_traded_qty,
        turnover_inr,
        number_of_trades,
        delivery_qty,
        delivery_pct,
        isin,
        file_format,
        source_line,
        parser_version,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
