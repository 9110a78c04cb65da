-- The serving tables built from fct_trades must describe exactly its rows: a list's total
-- comes from fct_trade_counts and a name search's members from trade_member_names.
with facts as (select count(*) as n from {{ ref('fct_trades') }}),
counts as (select coalesce(sum(trades), 0) as n from {{ ref('fct_trade_counts') }}),
names as (select coalesce(sum(trades), 0) as n from {{ ref('trade_member_names') }})
select facts.n as fct_trades, counts.n as fct_trade_counts, names.n as trade_member_names
from facts, counts, names
where counts.n != facts.n or names.n != facts.n
