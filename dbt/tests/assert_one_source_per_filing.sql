-- Reconciliation must never double-count: every filing's trades come from one source only, and a
-- filing's trades are exactly the rows its winning document holds.
with

trades as (

    select filing_id, count(distinct source) as sources, count(*) as trades
    from {{ ref('fct_trades') }}
    group by filing_id

),

filings as (

    select filing_id, source, transaction_count
    from {{ ref('fct_filings') }}

),

final as (

    select t.filing_id, t.sources, t.trades, f.transaction_count
    from trades as t
    left join filings as f on f.filing_id = t.filing_id
    where t.sources > 1 or t.trades <> f.transaction_count or f.filing_id is null

)

select * from final
