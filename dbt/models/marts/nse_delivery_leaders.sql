-- The day's 10 EQ securities with the highest delivery percentage (shares that changed hands for
-- delivery rather than intraday), among those with at least var('nse_min_turnover_inr') traded.
{%- set min_turnover = var('nse_min_turnover_inr', 10000000) %}
with

daily as (

    select * from {{ ref('fct_nse_daily') }}
    where series = 'EQ'
      and delivery_pct is not null
      and turnover_inr >= {{ min_turnover }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by trade_date order by delivery_pct desc, turnover_inr desc, symbol
        ) as rank

    from daily

),

final as (

    select
        trade_date,
        rank,
        symbol,
        series,
        delivery_pct,
        delivery_qty,
        total_traded_qty,
        close_inr,
        change_pct,
        turnover_inr

    from ranked
    where rank <= 10

)

select * from final
