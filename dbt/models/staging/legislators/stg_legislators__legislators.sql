with

source as (

    select * from {{ source('raw', 'legislators') }}

),

renamed as (

    select
        bioguide_id,
        full_name,
        first_name,
        last_name,
        middle_name,
        nickname,
        suffix,
        coalesce(is_current, false) as is_current

    from source

),

final as (

    select * from renamed

)

select * from final
