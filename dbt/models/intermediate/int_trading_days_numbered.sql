-- The trading calendar, numbered: returns "N trading days after" a date are day_seq + N.
-- A day the recorded market calendar (raw.market_days) covers is a trading day when it says so;
-- a day it does not cover is one when any ticker has a bar on it.
with

recorded as (

    select day, is_trading_day from {{ ref('stg_polygon__market_days') }}

),

bar_days as (

    select distinct bar_date as day from {{ ref('fct_daily_bars') }}

),

trading_days as (

    select day from recorded where is_trading_day
    union
    select b.day
    from bar_days as b
    where not exists (select 1 from recorded as r where r.day = b.day)

),

final as (

    select
        day as trading_day,
        cast(row_number() over (order by day) as integer) as day_seq

    from trading_days

)

select * from final
