-- Trades from every source, kept only where their source won the filing (int_filings_reconciled):
-- watcher and vendor rows fill filings we have no parsed document for and never double-count.
with

transactions as (

    {% for source_name in ['house_clerk', 'senate_efd', 'house_watcher', 'senate_watcher', 'benzinga'] %}
    select * from {{ ref('stg_' ~ source_name ~ '__transactions') }}
    {% if not loop.last %}union all by name{% endif %}
    {% endfor %}

),

filings as (

    select * from {{ ref('int_filings_amended') }}

),

final as (

    select
        t.trade_id,
        f.filing_id,
        t.source,
        t.doc_id,
        f.chamber,
        f.bioguide_id,
        f.filer_name,
        f.state_district,
        f.filed_date,
        f.source_url,
        f.amended_by_filing_id as filing_amended_by,
        t.row_position,
        t.page,
        t.owner,
        t.ticker,
        t.asset_name,
        t.asset_type,
        t.tx_type,
        t.tx_date,
        t.notified_date,
        t.amount_min,
        t.amount_max,
        t.filing_status,
        t.parser_version,
        t.landing_path

    from transactions as t
    inner join filings as f
        on f.source = t.source and f.doc_id = t.doc_id

)

select * from final
