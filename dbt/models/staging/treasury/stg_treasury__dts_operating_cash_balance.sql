-- DTS publishes millions of dollars; from here on every amount is in dollars.
with

source as (

    select * from {{ source('raw', 'treasury_dts_operating_cash_balance') }}

),

renamed as (

    select
        record_date,
        account_type,
        close_today_bal * 1000000 as closing_balance_usd,
        open_today_bal * 1000000 as opening_balance_usd,
        src_line_nbr as line_number,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
