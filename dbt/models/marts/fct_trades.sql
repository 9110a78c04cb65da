with

trades as (

    select * from {{ ref('int_trades_amended') }}

),

members as (

    select * from {{ ref('dim_members') }}

),

terms as (

    select * from {{ ref('stg_legislators__terms') }}

),

-- which ticker each line trades under (stockyard.warehouse.ticker_resolution); null when
-- unresolved or not an equity, never guessed
tickers as (

    select * from {{ ref('stg_stockyard__trade_tickers') }}

),

-- party and seat as they were when the trade happened; a member's latest term otherwise
term_at_trade as (

    select t.trade_id, m.party, m.state, m.district
    from trades as t
    inner join terms as m
        on m.bioguide_id = t.bioguide_id
        and coalesce(t.tx_date, t.filed_date) between m.start_date and m.end_date
    qualify row_number() over (partition by t.trade_id order by m.start_date desc) = 1

),

timed as (

    select
        *,
        date_diff('day', tx_date, filed_date) as lag_days,
        -- STOCK Act: report within 30 days of notice and no later than 45 days after the trade
        case
            when tx_date is null or filed_date is null then null
            else filed_date > least(
                tx_date + 45,
                coalesce(notified_date + 30, tx_date + 45)
            )
        end as is_late

    from trades

),

final as (

    select
        t.trade_id,
        t.bioguide_id,
        coalesce(m.full_name, t.filer_name) as member_name,
        coalesce(a.party, m.party) as party,
        coalesce(a.state, m.state) as state,
        coalesce(a.district, m.district) as district,
        t.chamber,
        t.filing_id,
        t.owner,
        t.ticker,
        t.asset_name,
        t.asset_type,
        t.tx_type,
        t.tx_date,
        t.notified_date,
        t.filed_date,
        t.amount_min,
        t.amount_max,
        t.lag_days,
        t.is_late,
        t.amended_by,
        t.is_current,
        t.source,
        t.source_url,
        t.page,
        t.row_position,
        t.parser_version,
        t.landing_path,
        t.text_source,
        t.read_confidence,
        t.needs_review,
        t.reviewed_fields,
        t.review_trail,
        t.reviewed_at,
        k.resolved_ticker,
        k.ticker_confidence,
        k.ticker_method,
        k.asset_class,
        -- the keys the API filters on, computed once here instead of per row per request
        upper(coalesce(k.resolved_ticker, t.ticker)) as ticker_key,
        upper(left(coalesce(a.party, m.party), 1)) as party_key

    from timed as t
    left join members as m on m.bioguide_id = t.bioguide_id
    left join term_at_trade as a on a.trade_id = t.trade_id
    left join tickers as k on k.trade_id = t.trade_id

)

-- stored in trade-date order, so DuckDB's per-block min/max skip blocks for a date range
select * from final
order by tx_date, trade_id
