-- The current reference row of every ticker ever fetched (inactive and delisted ones included);
-- the history stays in raw.ticker_reference.
with

reference as (

    select * from {{ ref('stg_polygon__ticker_reference') }}
    where is_current

),

final as (

    select
        ticker,
        name,
        active,
        type,
        primary_exchange,
        cik,
        composite_figi,
        delisted_utc,
        valid_from,
        valid_to

    from reference

)

select * from final
