{#- Every trade source lands in the same raw tables (one typed ParsedDocument shape), so each
    source's staging models differ only by which `source` rows they take. These macros keep that
    one definition; each stg_<source>__* model calls them with its own source name. -#}

{% macro stage_documents(source_name) %}
with

source as (

    select * from {{ source('raw', 'documents') }}
    where source = '{{ source_name }}'

),

renamed as (

    select
        doc_id,
        source,
        lower(chamber) as chamber,
        status,
        nullif(trim(filer_name), '') as filer_name,
        upper(nullif(trim(state_district), '')) as state_district,
        filed_date,
        report_title,
        -- vendors write 0 for an original; the marts use null, as the parsers do
        nullif(amendment_number, 0) as amendment_number,
        bioguide_id as stated_bioguide_id,
        source_url,
        page_count,
        parser_version,
        error,
        transaction_count,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
{% endmacro %}


{% macro stage_transactions(source_name) %}
with

source as (

    select * from {{ source('raw', 'transactions') }}
    where source = '{{ source_name }}'

),

renamed as (

    select
        md5(concat_ws('|', source, doc_id, cast("row" as varchar))) as trade_id,
        doc_id,
        source,
        "row" as row_position,
        page,
        nullif(trim(asset_name), '') as asset_name,
        owner,
        upper(nullif(trim(ticker), '')) as ticker,
        asset_type,
        tx_type,
        tx_date,
        notified_date,
        amount_min,
        amount_max,
        filing_status,
        subholding_of,
        description,
        comment,
        amount_text,
        asset_type_text,
        source_tx_id,
        parser_version,
        coalesce(text_source, 'text') as text_source,
        coalesce(confidence, 1.0) as confidence,
        coalesce(string_split(nullif(needs_review, ''), ','), []::varchar[]) as needs_review,
        _landing_path as landing_path,
        _loaded_at as loaded_at

    from source

),

final as (

    select * from renamed

)

select * from final
{% endmacro %}
