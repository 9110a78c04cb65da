-- One row per Daily Treasury Statement day: the Treasury series the weekly macro mart sums, all in
-- dollars. The DTS was redesigned twice inside our range, so each figure names the categories of
-- every era (real category names, as the API publishes them):
--   total deposits: the published "Treasury General Account Total Deposits" row (from 2022-04-18);
--     before it existed, the sum of the account's deposit lines (Federal Reserve Account until
--     2021-09-30, then the TGA) without sub-totals. Where both exist they agree to within
--     rounding (assert_treasury_deposit_totals_reconcile).
--   tax deposits = withheld + individual (not withheld) + corporate income taxes:
--     until 2023-02-13 the deposits table does not split withheld from corporate taxes: both are in
--     "Cash FTD's Received (Table IV)" (federal tax deposits), plus "Individual Income and
--     Employment Taxes, Not Withheld"; from 2023-02-14 "Taxes - Withheld Individual/FICA",
--     "Taxes - Non Withheld Ind/SECA Electronic|Other" and "Taxes - Corporate Income".
--   refunds: individual and business income tax refunds (EFT and checks); Economic Impact
--     Payments and advance Child Tax Credit, which the same table carries, are not refunds.
--   operating cash balance: the closing balance (the TGA "Closing Balance" row, whose figure sits
--     in open_today_bal, or close_today_bal of the Federal Reserve Account / TGA before 2022-04-18).
with

deposits as (

    select * from {{ ref('stg_treasury__dts_deposits') }}

),

tax_categories as (

    select * from (values
        ('Cash FTD''s Received (Table IV)', 'withheld_and_corporate'),
        ('Individual Income and Employment Taxes, Not Withheld', 'individual'),
        ('Taxes - Withheld Individual/FICA', 'withheld'),
        ('Taxes - Non Withheld Ind/SECA Electronic', 'individual'),
        ('Taxes - Non Withheld Ind/SECA Other', 'individual'),
        ('Taxes - Corporate Income', 'corporate')
    ) as t (category, tax_component)

),

deposit_days as (

    select
        d.record_date,
        sum(d.amount_usd) filter (
            where d.account_type = 'Treasury General Account Total Deposits'
        ) as published_total_usd,
        sum(d.amount_usd) filter (
            where d.account_type in ('Federal Reserve Account', 'Treasury General Account (TGA)')
            and coalesce(d.category, '') not ilike 'Sub-Total%'
        ) as line_items_usd,
        sum(d.amount_usd) filter (
            where d.category ilike 'Public Debt Cash Issues%'
        ) as debt_issues_usd,
        sum(d.amount_usd) filter (where t.tax_component is not null) as tax_deposits_usd

    from deposits as d
    left join tax_categories as t on t.category = d.category
    group by d.record_date

),

refund_days as (

    select record_date, sum(refund_usd) as refunds_usd
    from {{ ref('stg_treasury__dts_income_tax_refunds') }}
    where refund_type ilike '%Tax Refunds%'
    group by record_date

),

balance_days as (

    select
        record_date,
        max(case
            when account_type = 'Treasury General Account (TGA) Closing Balance'
                then coalesce(closing_balance_usd, opening_balance_usd)
            when account_type in ('Federal Reserve Account', 'Treasury General Account (TGA)')
                then closing_balance_usd
        end) as operating_cash_balance_usd
    from {{ ref('stg_treasury__dts_operating_cash_balance') }}
    group by record_date

),

final as (

    select
        d.record_date,
        coalesce(d.published_total_usd, d.line_items_usd) as total_deposits_usd,
        d.published_total_usd,
        d.line_items_usd,
        coalesce(d.published_total_usd, d.line_items_usd) - coalesce(d.debt_issues_usd, 0)
            as deposits_ex_debt_issues_usd,
        coalesce(d.tax_deposits_usd, 0) as tax_deposits_usd,
        r.refunds_usd,
        b.operating_cash_balance_usd

    from deposit_days as d
    left join refund_days as r on r.record_date = d.record_date
    left join balance_days as b on b.record_date = d.record_date

)

select * from final
