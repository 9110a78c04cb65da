-- DTS publishes millions of dollars; from here on every amount is in dollars.
with

source as (

    select * from {{ source('raw', 'treasury_dts_income_tax_refunds') }}

),

renamed as (

    select
        record_date,
        tax_refund_type as refund_type,
        tax_refund_type_desc as refund_type_detail,
        tax_refund_today_amt * 1000000 as refund_usd,
        src_line_nbr as line_number,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
