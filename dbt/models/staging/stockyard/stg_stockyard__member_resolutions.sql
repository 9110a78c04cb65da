with

source as (

    select * from {{ source('raw', 'member_resolutions') }}

),

renamed as (

    select
        source,
        doc_id,
        filer_name,
        bioguide_id,
        method as resolution_method,
        confidence as resolution_confidence,
        reason as resolution_reason,
        candidates as resolution_candidates

    from source

),

final as (

    select * from renamed

)

select * from final
