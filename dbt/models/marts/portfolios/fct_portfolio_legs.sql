-- What a follow-the-filings portfolio can do with each current trade, twice: as the public
-- (at the close of the filing date, the next trading day's when the market was closed) and as
-- the member (at the close of the trade date, likewise). One row per trade and strategy.
-- A leg is priced when the trade is a purchase or a sale of a stock or ETF with a resolved ticker
-- that has a close on its action day; otherwise unpriced_reason says why it is left out, so the
-- pages can count what the portfolio could not copy instead of dropping it silently.
-- Sizes come from the amount band: its floor (low), midpoint (mid) and ceiling (high); an
-- open-ended band ("over $50,000,000") counts its floor for all three.
with

trades as (

    select * from {{ ref('fct_trades') }}
    where is_current

),

anchored as (

    select * from {{ ref('int_trade_prices_anchored') }}

),

calendar as (

    select * from {{ ref('int_trading_days_numbered') }}

),

priced_tickers as (

    select distinct ticker from {{ ref('fct_daily_bars') }}

),

history as (

    select min(trading_day) as first_day, max(trading_day) as last_day from calendar

),

strategies as (

    select * from (values ('public', 'filed'), ('insider', 'tx')) as s (strategy, anchor)

),

legs as (

    select
        t.trade_id,
        s.strategy,
        t.resolved_ticker as ticker,
        case
            when t.tx_type = 'P' then 'buy'
            when t.tx_type = 'S' then 'sell_all'
            when t.tx_type = 'S (partial)' then 'sell_part'
        end as kind,
        cast(t.amount_min as double) as amount_low,
        cast(case
            when t.amount_max is null then t.amount_min
            else (t.amount_min + t.amount_max) / 2.0
        end as double) as amount_mid,
        cast(coalesce(t.amount_max, t.amount_min) as double) as amount_high,
        case when s.anchor = 'filed' then t.filed_date else t.tx_date end as anchor_date,
        a.price_day as action_date,
        c.day_seq,
        a.price,
        t.asset_class,
        pt.ticker is not null as ticker_has_prices,
        h.first_day,
        h.last_day

    from trades as t
    cross join strategies as s
    cross join history as h
    left join priced_tickers as pt on pt.ticker = t.resolved_ticker
    left join anchored as a on a.trade_id = t.trade_id and a.anchor = s.anchor
    left join calendar as c on c.trading_day = a.price_day

),

final as (

    select
        trade_id,
        strategy,
        ticker,
        kind,
        amount_low,
        amount_mid,
        amount_high,
        anchor_date,
        action_date,
        day_seq,
        price,
        case
            when kind is null then 'not a purchase or sale'
            when asset_class not in ('equity', 'etf') or asset_class is null then 'not a stock'
            when ticker is null then 'no ticker'
            when amount_low is null then 'no amount'
            when anchor_date is null then 'no date'
            when not ticker_has_prices then 'no prices for the ticker'
            when anchor_date < first_day then 'before the price history'
            when anchor_date > last_day then 'after the price history'
            when price is null then 'no close on the action day'
        end as unpriced_reason

    from legs

)

select * from final
