-- Every trading day between a ticker's first and last bar has a bar: returns counted in trading
-- days would otherwise silently skip days. Trading days come from int_trading_days_numbered (the
-- recorded market calendar, or the days any ticker has a bar). var('max_missing_bars') tolerates
-- a few (a halted stock), as warnings recorded with the audit.
{{ config(warn_if='>0', error_if='>' ~ var('max_missing_bars')) }}
with

spans as (

    select ticker, min(bar_date) as first_bar, max(bar_date) as last_bar
    from {{ ref('fct_daily_bars') }}
    group by ticker

),

expected as (

    select s.ticker, d.trading_day
    from spans as s
    inner join {{ ref('int_trading_days_numbered') }} as d
        on d.trading_day between s.first_bar and s.last_bar

)

select e.ticker, e.trading_day as missing_day
from expected as e
left join {{ ref('fct_daily_bars') }} as b
    on b.ticker = e.ticker and b.bar_date = e.trading_day
where b.ticker is null
