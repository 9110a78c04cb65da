with

source as (

    select * from {{ source('raw', 'committee_memberships') }}

),

renamed as (

    select
        committee_id,
        bioguide_id,
        party_side,
        "rank",
        title

    from source

),

final as (

    select * from renamed

)

select * from final
