with

seats as (

    select * from {{ ref('stg_legislators__committee_memberships') }}

),

committees as (

    select * from {{ ref('stg_legislators__committees') }}

),

final as (

    select
        s.bioguide_id,
        s.committee_id,
        c.committee_name,
        c.parent_committee_id,
        c.chamber,
        s.title,
        s."rank"

    from seats as s
    left join committees as c on c.committee_id = s.committee_id

)

select * from final
