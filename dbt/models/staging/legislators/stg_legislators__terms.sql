with

source as (

    select * from {{ source('raw', 'legislator_terms') }}

),

renamed as (

    select
        bioguide_id,
        term_index,
        lower(chamber) as chamber,
        upper(state) as state,
        district,
        party,
        start_date,
        end_date

    from source

),

final as (

    select * from renamed

)

select * from final
