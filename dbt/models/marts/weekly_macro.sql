-- One row per week (Saturday to Friday, named by its Friday week_end) from the first to the last
-- week with a Daily Treasury Statement: every week in between is present (a generated spine), so
-- a week the Treasury did not publish shows treasury_days = 0 instead of vanishing.
-- Dollar columns (*_usd) are dollars: DTS millions were converted in staging. Stock columns are
-- NULL for a week without bars (no market data loaded), so correlations count only real weeks.
with

treasury as (

    select * from {{ ref('int_weekly_treasury') }}

),

bounds as (

    select min(week_end) as first_week, max(week_end) as last_week
    from treasury
    where treasury_days > 0

),

spine as (

    select cast(unnest(generate_series(
        cast(first_week as timestamp), cast(last_week as timestamp), interval 7 day
    )) as date) as week_end
    from bounds
    where first_week is not null

),

joined as (

    select
        s.week_end,
        s.week_end - 6 as week_start,
        coalesce(t.treasury_days, 0) as treasury_days,
        t.total_deposits_usd,
        t.deposits_ex_debt_issues_usd,
        t.tax_deposits_usd,
        t.refunds_usd,
        t.operating_cash_balance_usd,
        t.debt_outstanding_usd,
        m.stock_volume_shares,
        m.stock_bar_count,
        m.stock_tickers,
        m.trading_days,
        coalesce(c.congress_trade_count, 0) as congress_trade_count,
        coalesce(c.congress_purchases, 0) as congress_purchases,
        coalesce(c.congress_sales, 0) as congress_sales,
        coalesce(c.congress_est_flow_usd, 0) as congress_est_flow_usd,
        coalesce(c.congress_est_volume_usd, 0) as congress_est_volume_usd

    from spine as s
    left join treasury as t on t.week_end = s.week_end
    left join {{ ref('int_weekly_market_activity') }} as m on m.week_end = s.week_end
    left join {{ ref('int_weekly_congress_trades') }} as c on c.week_end = s.week_end

),

final as (

    select
        week_end,
        week_start,
        treasury_days,
        cast(total_deposits_usd as double) as total_deposits_usd,
        cast(deposits_ex_debt_issues_usd as double) as deposits_ex_debt_issues_usd,
        cast(tax_deposits_usd as double) as tax_deposits_usd,
        cast(refunds_usd as double) as refunds_usd,
        cast(operating_cash_balance_usd as double) as operating_cash_balance_usd,
        cast(debt_outstanding_usd as double) as debt_outstanding_usd,
        cast(
            debt_outstanding_usd - lag(debt_outstanding_usd) over (order by week_end) as double
        ) as debt_change_usd,
        cast(stock_volume_shares as double) as stock_volume_shares,
        stock_bar_count,
        stock_tickers,
        trading_days,
        congress_trade_count,
        congress_purchases,
        congress_sales,
        cast(congress_est_flow_usd as double) as congress_est_flow_usd,
        cast(congress_est_volume_usd as double) as congress_est_volume_usd

    from joined

)

select * from final
