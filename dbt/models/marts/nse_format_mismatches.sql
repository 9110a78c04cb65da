-- Where the full and the legacy bhavcopy of one day disagree, with the reason: the cross-check.
with

compared as (

    select * from {{ ref('int_nse_formats_compared') }}

),

final as (

    select
        trade_date,
        symbol,
        series,
        mismatch_reason,
        full_close_inr,
        legacy_close_inr,
        full_traded_qty,
        legacy_traded_qty,
        full_turnover_inr,
        legacy_turnover_inr,
        full_landing_path,
        legacy_landing_path

    from compared
    where mismatch_reason is not null

)

select * from final
