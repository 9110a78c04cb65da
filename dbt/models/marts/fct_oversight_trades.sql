-- Trades in an industry one of the member's committees oversees: the trade's ticker has an SEC
-- industry code (SIC, from Polygon's ticker details) inside a range the committee_sectors seed
-- gives the member's committee. One row per trade and overseeing committee; a subcommittee seat
-- counts as a seat on its parent committee. Seats are today's (congress-legislators' current
-- memberships), not those held on the trade date, so a flag says "in a sector this member's
-- committees oversee now".
with

trades as (

    select trade_id, bioguide_id, ticker_key, asset_name, tx_type, tx_date, amount_min, amount_max
    from {{ ref('fct_trades') }}
    where is_current and bioguide_id is not null and ticker_key is not null

),

industries as (

    select ticker, sic, sic_description
    from {{ ref('stg_polygon__ticker_details') }}
    where found and sic is not null

),

seats as (

    select distinct
        s.bioguide_id,
        coalesce(c.parent_committee_id, s.committee_id) as committee_id
    from {{ ref('stg_legislators__committee_memberships') }} as s
    left join {{ ref('stg_legislators__committees') }} as c on c.committee_id = s.committee_id

),

committees as (

    select committee_id, committee_name from {{ ref('stg_legislators__committees') }}

),

sectors as (

    select * from {{ ref('committee_sectors') }}

),

final as (

    select
        t.trade_id,
        t.bioguide_id,
        t.ticker_key as ticker,
        t.asset_name,
        t.tx_type,
        t.tx_date,
        t.amount_min,
        t.amount_max,
        i.sic,
        i.sic_description,
        s.committee_id,
        c.committee_name,
        x.sector,
        x.basis

    from trades as t
    inner join industries as i on i.ticker = t.ticker_key
    inner join seats as s on s.bioguide_id = t.bioguide_id
    inner join sectors as x
        on x.committee_id = s.committee_id and i.sic between x.sic_from and x.sic_to
    left join committees as c on c.committee_id = s.committee_id
    -- overlapping ranges of one committee flag a trade once
    qualify row_number() over (
        partition by t.trade_id, s.committee_id order by x.sic_from, x.sic_to
    ) = 1

)

select * from final
order by bioguide_id, tx_date desc, trade_id, committee_id
