-- One row per filing: the best source wins (see int_filings_unioned.source_rank), so a House PDF
-- we parsed hides the watcher and vendor copies of the same DocID and nothing is counted twice.
with

filings as (

    select * from {{ ref('int_filings_unioned') }}

),

final as (

    select * from filings
    qualify row_number() over (
        partition by filing_id
        order by source_rank, loaded_at desc, source
    ) = 1

)

select * from final
