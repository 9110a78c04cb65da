-- Every filing any source told us about, one row per (source, doc): parsed documents from all
-- trade sources plus House index PTRs we hold no document for ("not_fetched").
with

parsed_documents as (

    {% for source_name in ['house_clerk', 'senate_efd', 'house_watcher', 'senate_watcher', 'benzinga'] %}
    select * from {{ ref('stg_' ~ source_name ~ '__documents') }}
    {% if not loop.last %}union all by name{% endif %}
    {% endfor %}

),

index_filings as (

    select * from {{ ref('stg_house_clerk__index_filings') }}

),

documents as (

    -- what a House document does not say (a scan's header OCR could not read) the Clerk's index does
    select
        d.* replace (
            coalesce(d.filer_name, i.filer_name) as filer_name,
            coalesce(d.state_district, i.state_district) as state_district,
            coalesce(d.filed_date, i.filed_date) as filed_date
        )
    from parsed_documents as d
    left join index_filings as i
        on d.source = 'house_clerk' and i.doc_id = d.doc_id

),

resolutions as (

    select * from {{ ref('stg_stockyard__member_resolutions') }}

),

not_fetched as (

    select
        i.doc_id,
        i.source,
        i.chamber,
        'not_fetched' as status,
        i.filer_name,
        i.state_district,
        i.filed_date,
        cast(null as varchar) as report_title,
        cast(null as integer) as amendment_number,
        cast(null as varchar) as stated_bioguide_id,
        '{{ var("house_clerk_base_url", "https://disclosures-clerk.house.gov") }}'
            || '/public_disc/ptr-pdfs/' || cast(i.filing_year as varchar)
            || '/' || i.doc_id || '.pdf' as source_url,
        cast(null as integer) as page_count,
        cast(null as varchar) as parser_version,
        cast(null as varchar) as error,
        cast(null as integer) as transaction_count,
        i.landing_path,
        i.loaded_at

    from index_filings as i
    where not exists (
        select 1 from documents as d
        where d.source = 'house_clerk' and d.doc_id = i.doc_id
    )

),

unioned as (

    select * from documents
    union all by name
    select * from not_fetched

),

final as (

    select
        -- one id per real-world filing, whichever source described it
        u.chamber || '-' || u.doc_id as filing_id,
        u.*,
        r.bioguide_id,
        r.resolution_method,
        -- official parse first; then the vendor, then the watchers, only where they hold rows
        case
            when u.source in ('house_clerk', 'senate_efd') and u.status = 'parsed' then 1
            when u.source = 'benzinga' and u.transaction_count > 0 then 2
            when u.source in ('house_watcher', 'senate_watcher') and u.transaction_count > 0 then 3
            when u.source in ('house_clerk', 'senate_efd') and u.status <> 'not_fetched' then 4
            when u.status <> 'not_fetched' then 5
            else 6
        end as source_rank

    from unioned as u
    left join resolutions as r
        on r.source = u.source and r.doc_id = u.doc_id

)

select * from final
