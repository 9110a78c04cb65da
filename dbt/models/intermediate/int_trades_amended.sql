-- House amendments are rows marked "F S: Amended" in a later filing; each supersedes the matching
-- earlier row (same member, asset, trade date, owner). Senate amendments supersede whole reports
-- (int_filings_amended). amended_by is the filing that superseded a row; is_current is false then.
with

trades as (

    select * from {{ ref('int_trades_reconciled') }}

),

keyed as (

    select
        *,
        coalesce(bioguide_id, lower(filer_name) || '|' || coalesce(state_district, ''))
            as member_key,
        coalesce(ticker, lower(asset_name)) as asset_key

    from trades

),

amending_rows as (

    select * from keyed
    where chamber = 'house' and lower(filing_status) = 'amended'

),

row_matches as (

    select
        t.trade_id,
        a.filing_id as amended_by_filing_id,
        a.trade_id as amended_by_trade_id

    from keyed as t
    inner join amending_rows as a
        on a.member_key = t.member_key
        and a.asset_key = t.asset_key
        and a.tx_date = t.tx_date
        and a.owner is not distinct from t.owner
        and a.filing_id <> t.filing_id
        and (a.filed_date > t.filed_date
             or (a.filed_date = t.filed_date and a.filing_id > t.filing_id))
    where t.chamber = 'house'
    -- the next amendment in the chain, not every later one
    qualify row_number() over (
        partition by t.trade_id order by a.filed_date, a.filing_id, a.row_position
    ) = 1

),

amends as (

    select amended_by_trade_id as trade_id, min(trade_id) as amends_trade_id
    from row_matches
    group by amended_by_trade_id

),

final as (

    select
        k.* exclude (member_key, asset_key, filing_amended_by),
        coalesce(m.amended_by_filing_id, k.filing_amended_by) as amended_by,
        m.amended_by_trade_id,
        a.amends_trade_id,
        coalesce(m.amended_by_filing_id, k.filing_amended_by) is null as is_current

    from keyed as k
    left join row_matches as m on m.trade_id = k.trade_id
    left join amends as a on a.trade_id = k.trade_id

)

select * from final
