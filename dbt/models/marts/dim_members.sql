with

legislators as (

    select * from {{ ref('stg_legislators__legislators') }}

),

terms as (

    select * from {{ ref('stg_legislators__terms') }}

),

seats as (

    select * from {{ ref('bridge_member_committees') }}

),

latest_term as (

    select * from terms
    qualify row_number() over (partition by bioguide_id order by start_date desc, term_index desc) = 1

),

service as (

    select bioguide_id, min(start_date) as first_served, max(end_date) as last_served
    from terms
    group by bioguide_id

),

committee_lists as (

    select
        bioguide_id,
        list(distinct committee_name order by committee_name)
            filter (where parent_committee_id is null) as committees,
        list(distinct committee_name order by committee_name)
            filter (where parent_committee_id is not null) as subcommittees
    from seats
    group by bioguide_id

),

final as (

    select
        l.bioguide_id,
        l.full_name,
        l.first_name,
        l.last_name,
        t.party,
        t.state,
        t.district,
        t.chamber,
        coalesce(c.committees, []::varchar[]) as committees,
        coalesce(c.subcommittees, []::varchar[]) as subcommittees,
        l.is_current,
        -- Former members come from legislators-historical.csv, which has no term dates (the
        -- loader fills a wide window only so matching can run): say "unknown", not a guess.
        case when l.is_current then s.first_served end as first_served,
        case when l.is_current then s.last_served end as last_served

    from legislators as l
    left join latest_term as t on t.bioguide_id = l.bioguide_id
    left join service as s on s.bioguide_id = l.bioguide_id
    left join committee_lists as c on c.bioguide_id = l.bioguide_id

)

select * from final
