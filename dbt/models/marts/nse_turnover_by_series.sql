-- Turnover per NSE series and day, with each series' share of the day's total (INR).
with

daily as (

    select * from {{ ref('fct_nse_daily') }}

),

by_series as (

    select
        trade_date,
        series,
        count(*) as securities,
        sum(total_traded_qty) as total_traded_qty,
        sum(number_of_trades) as number_of_trades,
        sum(turnover_inr) as turnover_inr

    from daily
    group by trade_date, series

),

final as (

    select
        *,
        round(turnover_inr / nullif(sum(turnover_inr) over (partition by trade_date), 0) * 100, 4)
            as share_of_day_pct

    from by_series

)

select * from final
