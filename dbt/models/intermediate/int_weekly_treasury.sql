-- The Treasury series per week. Weeks run Saturday to Friday and are named by their Friday
-- (week_end): a DTS day d belongs to week_end = d + ((5 - dayofweek(d) + 7) % 7) days.
-- Flows are summed over the week's statements; balances (operating cash, debt) are the last
-- published value of the week.
with

days as (

    select
        *,
        record_date + cast((5 - dayofweek(record_date) + 7) % 7 as integer) as week_end
    from {{ ref('int_treasury_days_summed') }}

),

debt as (

    select
        record_date + cast((5 - dayofweek(record_date) + 7) % 7 as integer) as week_end,
        arg_max(total_public_debt_usd, record_date) as debt_outstanding_usd
    from {{ ref('stg_treasury__debt_to_penny') }}
    where total_public_debt_usd is not null
    group by 1

),

weeks as (

    select
        week_end,
        count(*) as treasury_days,
        sum(total_deposits_usd) as total_deposits_usd,
        sum(deposits_ex_debt_issues_usd) as deposits_ex_debt_issues_usd,
        sum(tax_deposits_usd) as tax_deposits_usd,
        sum(refunds_usd) as refunds_usd,
        arg_max(operating_cash_balance_usd, record_date)
            filter (where operating_cash_balance_usd is not null) as operating_cash_balance_usd
    from days
    group by week_end

),

final as (

    select
        coalesce(w.week_end, d.week_end) as week_end,
        coalesce(w.treasury_days, 0) as treasury_days,
        w.total_deposits_usd,
        w.deposits_ex_debt_issues_usd,
        w.tax_deposits_usd,
        w.refunds_usd,
        w.operating_cash_balance_usd,
        d.debt_outstanding_usd

    from weeks as w
    full outer join debt as d on d.week_end = w.week_end

)

select * from final
