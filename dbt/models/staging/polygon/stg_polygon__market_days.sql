with

source as (

    select * from {{ source('raw', 'market_days') }}

),

renamed as (

    select
        day,
        is_trading_day,
        recorded_at

    from source

),

final as (

    select * from renamed

)

select * from final
