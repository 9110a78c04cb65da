-- Amounts and counts that cannot be negative (flows and changes, which can, are not listed).
select *
from {{ ref('weekly_macro') }}
where total_deposits_usd < 0
   or deposits_ex_debt_issues_usd < 0
   or tax_deposits_usd < 0
   or refunds_usd < 0
   or operating_cash_balance_usd < 0
   or debt_outstanding_usd < 0
   or stock_volume_shares < 0
   or congress_trade_count < 0
   or congress_est_volume_usd < 0
