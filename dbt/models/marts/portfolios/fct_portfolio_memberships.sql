-- Which trades each precomputed follow-the-filings portfolio copies: all of Congress, one per member
-- with at least var('portfolio_min_priced_trades') priced trades (as the public could have
-- copied them), per party, per chamber, and per full committee (the trades of its current
-- members, as the committee filter of /api/trades reads it). A custom filter is computed on
-- request from the same simulation (stockyard.warehouse.portfolio_sql).
{%- set min_priced = var('portfolio_min_priced_trades') %}
with

trades as (

    select * from {{ ref('fct_trades') }}
    where is_current

),

priced as (

    select trade_id from {{ ref('fct_portfolio_legs') }}
    where strategy = 'public' and unpriced_reason is null

),

committees as (

    select distinct committee_id, committee_name, bioguide_id
    from {{ ref('bridge_member_committees') }}
    where parent_committee_id is null

),

candidates as (

    select 'all' as portfolio_id, 'all' as portfolio_kind, 'all' as portfolio_key,
        'All of Congress' as label, t.trade_id
    from trades as t

    union all

    select
        'member:' || t.bioguide_id as portfolio_id,
        'member' as portfolio_kind,
        t.bioguide_id as portfolio_key,
        t.member_name as label,
        t.trade_id
    from trades as t
    where t.bioguide_id is not null

    union all

    select
        'party:' || t.party_key,
        'party',
        t.party_key,
        case t.party_key
            when 'D' then 'Democrats'
            when 'R' then 'Republicans'
            when 'I' then 'Independents'
        end,
        t.trade_id
    from trades as t
    where t.party_key in ('D', 'R', 'I')

    union all

    select 'chamber:' || t.chamber, 'chamber', t.chamber, upper(left(t.chamber, 1)) || substr(t.chamber, 2), t.trade_id
    from trades as t
    where t.chamber is not null

    union all

    select
        'committee:' || c.committee_id,
        'committee',
        c.committee_id,
        c.committee_name,
        t.trade_id
    from trades as t
    inner join committees as c on c.bioguide_id = t.bioguide_id

),

-- one label per portfolio (a member's name is spelled the same on all their trades, but be sure)
labelled as (

    select
        portfolio_id,
        portfolio_kind,
        portfolio_key,
        min(label) over (partition by portfolio_id) as label,
        trade_id
    from candidates

),

enough as (

    select l.portfolio_id
    from labelled as l
    inner join priced as p on p.trade_id = l.trade_id
    group by l.portfolio_id
    having count(*) >= {{ min_priced }}

),

final as (

    select distinct l.*
    from labelled as l
    where l.portfolio_id in (select portfolio_id from enough)
    order by l.portfolio_id

)

select * from final
