-- Each priced trade twice: anchored on its trade date and on its filing date. The anchor day is
-- the first trading day on or after the date (the next one when the market was closed), and only
-- within a week of it and inside the calendar, so a date outside the bars gets no price.
-- Closes and benchmark levels are then read 0, 5, 30, 90 and 180 trading days after the anchor.
{%- set horizons = [5, 30, 90, 180] %}
with

trades as (

    select trade_id, resolved_ticker as ticker, tx_date, filed_date
    from {{ ref('fct_trades') }}
    where resolved_ticker is not null

),

calendar as (

    select * from {{ ref('int_trading_days_numbered') }}

),

bars as (

    select b.ticker, c.day_seq, b.close
    from {{ ref('fct_daily_bars') }} as b
    inner join calendar as c on c.trading_day = b.bar_date

),

benchmark as (

    select * from {{ ref('int_benchmark_levels') }}

),

priced_tickers as (

    select distinct ticker from bars

),

anchors as (

    select t.trade_id, t.ticker, 'tx' as anchor, t.tx_date as anchor_date
    from trades as t
    inner join priced_tickers as p on p.ticker = t.ticker
    union all
    select t.trade_id, t.ticker, 'filed' as anchor, t.filed_date as anchor_date
    from trades as t
    inner join priced_tickers as p on p.ticker = t.ticker

),

anchored as (

    select
        a.*,
        case
            when a.anchor_date >= (select min(trading_day) from calendar)
                and c.trading_day <= a.anchor_date + 7
                then c.trading_day
        end as price_day,
        case
            when a.anchor_date >= (select min(trading_day) from calendar)
                and c.trading_day <= a.anchor_date + 7
                then c.day_seq
        end as day_seq

    from anchors as a
    asof left join calendar as c on c.trading_day >= a.anchor_date

),

final as (

    select
        a.trade_id,
        a.ticker,
        a.anchor,
        a.anchor_date,
        a.price_day,
        p0.close as price,
        b0.level as bench_level
        {%- for n in horizons %},
        p{{ n }}.close as close_{{ n }}d,
        b{{ n }}.level as bench_level_{{ n }}d
        {%- endfor %}

    from anchored as a
    left join bars as p0 on p0.ticker = a.ticker and p0.day_seq = a.day_seq
    left join benchmark as b0 on b0.day_seq = a.day_seq
    {%- for n in horizons %}
    left join bars as p{{ n }} on p{{ n }}.ticker = a.ticker and p{{ n }}.day_seq = a.day_seq + {{ n }}
    left join benchmark as b{{ n }} on b{{ n }}.day_seq = a.day_seq + {{ n }}
    {%- endfor %}

)

select * from final
