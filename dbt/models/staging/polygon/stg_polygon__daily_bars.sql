with

source as (

    select * from {{ source('raw', 'daily_bars') }}

),

renamed as (

    select
        upper(trim(ticker)) as ticker,
        bar_date,
        open,
        high,
        low,
        close,
        volume,
        vwap,
        transactions,
        adjusted,
        _dataset as dataset,
        _partition as load_partition,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
