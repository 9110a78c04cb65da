-- One bar per ticker and trading day: the latest loaded version among the bars of the kind the
-- settings ask for (split-adjusted or as traded), so adjusted and unadjusted prices never mix.
{%- set adjusted = var('prices_adjusted') | string | lower in ('true', '1', 'yes') %}
with

bars as (

    select * from {{ ref('stg_polygon__daily_bars') }}
    where adjusted = {{ adjusted }}

),

latest as (

    select *
    from bars
    qualify row_number() over (
        partition by ticker, bar_date
        order by loaded_at desc, dataset desc, load_partition desc
    ) = 1

),

final as (

    select
        ticker,
        bar_date,
        open,
        high,
        low,
        close,
        volume,
        vwap,
        transactions,
        adjusted,
        dataset,
        landing_path,
        loaded_at

    from latest

)

select * from final
