with

filings as (

    select * from {{ ref('int_filings_amended') }}

),

final as (

    select
        filing_id,
        source,
        chamber,
        bioguide_id,
        filer_name,
        state_district,
        filed_date,
        status,
        amendment_number,
        amends_filing_id,
        amended_by_filing_id,
        amended_by_filing_id is null as is_current,
        transaction_count,
        source_url,
        parser_version,
        landing_path

    from filings

)

select * from final
