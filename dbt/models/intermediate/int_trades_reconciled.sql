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

reviews as (

    select * from {{ ref('stg_stockyard__review_corrections') }}

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
        -- a reviewer's fix wins over what the parser (or OCR) read, on every re-parse
        case when r.owner_set then r.owner_value else t.owner end as owner,
        case when r.ticker_set then upper(r.ticker_value) else t.ticker end as ticker,
        case when r.asset_name_set then r.asset_name_value else t.asset_name end as asset_name,
        t.asset_type,
        case when r.tx_type_set then r.tx_type_value else t.tx_type end as tx_type,
        case when r.tx_date_set then r.tx_date_value else t.tx_date end as tx_date,
        case when r.notified_date_set then r.notified_date_value else t.notified_date end
            as notified_date,
        case when r.amount_set then r.amount_min_value else t.amount_min end as amount_min,
        case when r.amount_set then r.amount_max_value else t.amount_max end as amount_max,
        t.filing_status,
        t.parser_version,
        t.landing_path,
        t.text_source,
        t.confidence as read_confidence,
        list_filter(t.needs_review, lambda f: not list_contains(coalesce(r.reviewed_fields, []), f))
            as needs_review,
        coalesce(r.reviewed_fields, []::varchar[]) as reviewed_fields,
        r.review_trail,
        r.reviewed_at

    from transactions as t
    inner join filings as f
        on f.source = t.source and f.doc_id = t.doc_id
    left join reviews as r
        on r.source = t.source and r.doc_id = t.doc_id and r.row_position = t.row_position

)

select * from final
