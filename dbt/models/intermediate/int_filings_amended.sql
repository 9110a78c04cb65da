-- Senate amendments: "Periodic Transaction Report for 12/28/2019 (Amendment 1)" supersedes the
-- earlier report of the same filer for the same title date. House amendments are row-level and
-- handled in int_trades_amended.
with

filings as (

    select * from {{ ref('int_filings_reconciled') }}

),

keyed as (

    select
        *,
        coalesce(bioguide_id, lower(filer_name)) as member_key,
        coalesce(
            try_strptime(regexp_extract(report_title, '(\d{2}/\d{2}/\d{4})', 1), '%m/%d/%Y')::date,
            filed_date
        ) as report_date,
        coalesce(amendment_number, 0) as amendment_rank

    from filings

),

chained as (

    select
        *,
        lag(filing_id) over report_versions as previous_filing_id,
        lag(amendment_rank) over report_versions as previous_amendment_rank,
        lead(filing_id) over report_versions as next_filing_id,
        lead(amendment_rank) over report_versions as next_amendment_rank

    from keyed
    where chamber = 'senate' and member_key is not null
    window report_versions as (
        partition by member_key, report_date
        order by amendment_rank, filed_date, filing_id
    )

),

final as (

    select
        k.* exclude (member_key, report_date, amendment_rank),
        k.report_date,
        case when c.previous_amendment_rank < k.amendment_rank then c.previous_filing_id end
            as amends_filing_id,
        case when c.next_amendment_rank > k.amendment_rank then c.next_filing_id end
            as amended_by_filing_id

    from keyed as k
    left join chained as c on c.filing_id = k.filing_id

)

select * from final
