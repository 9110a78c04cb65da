-- The benchmark as an index level per trading day; a return over any span is level_end /
-- level_start - 1. var('benchmark') names a ticker with bars (its close is the level) or
-- 'market_equal_weight': the average of every ticker's daily return (close over its previous
-- bar's close), equally weighted, chained from 1.0 on the first trading day.
{%- set benchmark = var('benchmark') | string | trim %}
with

calendar as (

    select * from {{ ref('int_trading_days_numbered') }}

),

{% if benchmark == 'market_equal_weight' %}
bar_returns as (

    select
        bar_date,
        close / lag(close) over (partition by ticker order by bar_date) - 1 as daily_return

    from {{ ref('fct_daily_bars') }}

),

-- a day with bars but no returns yet (the first) adds nothing to the index
day_returns as (

    select bar_date, avg(daily_return) as average_return
    from bar_returns
    group by bar_date

),

chained as (

    select
        c.trading_day,
        r.bar_date is not null as has_bars,
        exp(sum(ln(1 + coalesce(r.average_return, 0))) over (
            order by c.trading_day rows between unbounded preceding and current row
        )) as level

    from calendar as c
    left join day_returns as r on r.bar_date = c.trading_day

),

-- a trading day without any bar has no level (never a flat, invented one)
levels as (

    select trading_day, level from chained where has_bars

),
{% else %}
levels as (

    select c.trading_day, b.close as level
    from calendar as c
    inner join {{ ref('fct_daily_bars') }} as b
        on b.bar_date = c.trading_day
        and b.ticker = '{{ benchmark | upper | replace("'", "") }}'

),
{% endif %}

final as (

    select
        l.trading_day,
        c.day_seq,
        l.level,
        '{{ benchmark | replace("'", "") }}' as benchmark

    from levels as l
    inner join calendar as c on c.trading_day = l.trading_day

)

select * from final
