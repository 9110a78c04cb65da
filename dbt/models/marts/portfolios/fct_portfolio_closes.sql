-- Daily closes of every ticker a portfolio leg can hold, one row per ticker and trading day from
-- its first bar to the last trading day: a day without a bar after the ticker's bars end
-- (delisted, acquired, or not loaded yet) carries its last close, flagged `carried`, so a
-- position is still valued. Stored in ticker order so one portfolio's valuation reads only its
-- tickers' blocks.
with

tickers as (

    select distinct ticker from {{ ref('fct_portfolio_legs') }}
    where unpriced_reason is null

),

calendar as (

    select * from {{ ref('int_trading_days_numbered') }}

),

bars as (

    select b.ticker, c.day_seq, b.close
    from {{ ref('fct_daily_bars') }} as b
    inner join tickers as t on t.ticker = b.ticker
    inner join calendar as c on c.trading_day = b.bar_date

),

spans as (

    select ticker, min(day_seq) as first_seq from bars group by ticker

),

days as (

    select s.ticker, c.day_seq
    from spans as s
    inner join calendar as c on c.day_seq >= s.first_seq

),

final as (

    select
        d.ticker,
        d.day_seq,
        last_value(b.close ignore nulls) over (
            partition by d.ticker order by d.day_seq rows between unbounded preceding and current row
        ) as close,
        b.close is null as carried

    from days as d
    left join bars as b on b.ticker = d.ticker and b.day_seq = d.day_seq
    order by d.ticker, d.day_seq

)

select * from final
