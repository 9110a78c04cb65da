-- US stock activity per week (Saturday to Friday, named by its Friday; see int_weekly_treasury):
-- total shares traded and bars over every ticker with daily bars in fct_daily_bars.
with

bars as (

    select
        bar_date + cast((5 - dayofweek(bar_date) + 7) % 7 as integer) as week_end,
        bar_date,
        ticker,
        volume
    from {{ ref('fct_daily_bars') }}

),

final as (

    select
        week_end,
        sum(volume) as stock_volume_shares,
        count(*) as stock_bar_count,
        count(distinct ticker) as stock_tickers,
        count(distinct bar_date) as trading_days
    from bars
    group by week_end

)

select * from final
