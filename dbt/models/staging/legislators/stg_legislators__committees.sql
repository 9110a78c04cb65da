with

source as (

    select * from {{ source('raw', 'committees') }}

),

renamed as (

    select
        committee_id,
        name as committee_name,
        lower(chamber) as chamber,
        parent_id as parent_committee_id,
        jurisdiction

    from source

),

final as (

    select * from renamed

)

select * from final
