with

source as (

    select * from {{ source('raw', 'ticker_reference') }}

),

renamed as (

    select
        ticker,
        name,
        market,
        type,
        active,
        primary_exchange,
        cik,
        composite_figi,
        delisted_utc,
        last_updated,
        valid_from,
        valid_to,
        is_current,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
