-- DTS publishes millions of dollars; from here on every amount is in dollars.
with

source as (

    select * from {{ source('raw', 'treasury_dts_deposits') }}

),

renamed as (

    select
        record_date,
        account_type,
        transaction_type,
        transaction_catg as category,
        transaction_catg_desc as category_detail,
        transaction_today_amt as amount_musd,
        transaction_today_amt * 1000000 as amount_usd,
        src_line_nbr as line_number,
        _partition as load_window,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
