-- The House index lists every PTR that exists, fetched or not; only PTRs (type P) are filings here.
with

source as (

    select * from {{ source('raw', 'fd_index') }}
    where filing_type = 'P'

),

renamed as (

    select
        doc_id,
        'house_clerk' as source,
        'house' as chamber,
        concat_ws(' ', nullif(trim(first_name), ''), nullif(trim(last_name), ''),
                  nullif(trim(suffix), '')) as filer_name,
        upper(nullif(trim(state_district), '')) as state_district,
        filing_date as filed_date,
        "year" as filing_year,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    -- a DocID can appear in two yearly indexes; the latest load describes it
    select * from renamed
    qualify row_number() over (partition by doc_id order by loaded_at desc, filing_year desc) = 1

)

select * from final
