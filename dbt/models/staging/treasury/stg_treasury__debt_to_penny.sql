-- Debt to the Penny is published in dollars (with cents): no conversion.
with

source as (

    select * from {{ source('raw', 'treasury_debt_to_penny') }}

),

renamed as (

    select
        record_date,
        debt_held_public_amt as debt_held_public_usd,
        intragov_hold_amt as intragovernmental_holdings_usd,
        tot_pub_debt_out_amt as total_public_debt_usd,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
