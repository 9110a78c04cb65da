-- One row per NSE security and day. The full bhavcopy wins (it carries delivery and the average
-- price); a security only the legacy file lists is kept from it. Every amount is INR.
with

bhavcopy as (

    select * from {{ ref('stg_nse__bhavcopy') }}

),

compared as (

    select * from {{ ref('int_nse_formats_compared') }}

),

isins as (

    select symbol, series, trade_date, isin
    from bhavcopy
    where isin is not null
    qualify row_number() over (partition by symbol, series, trade_date order by loaded_at desc) = 1

),

chosen as (

    select *
    from bhavcopy
    qualify row_number() over (
        partition by symbol, series, trade_date
        order by case file_format when 'bhavcopy_full' then 0 else 1 end, loaded_at desc
    ) = 1

),

final as (

    select
        c.symbol,
        c.series,
        c.trade_date,
        coalesce(c.isin, i.isin) as isin,
        c.open_inr,
        c.high_inr,
        c.low_inr,
        c.close_inr,
        c.last_inr,
        c.prev_close_inr,
        c.avg_price_inr,
        case when c.prev_close_inr > 0
            then round((c.close_inr - c.prev_close_inr) / c.prev_close_inr * 100, 4)
        end as change_pct,
        -- NSE's widest daily price band is 20%: a bigger move against the previous close almost
        -- always means that close predates a split or bonus (NESTLEIND's 1:10 split, 2024-01-05).
        coalesce(abs(c.close_inr - c.prev_close_inr) / nullif(c.prev_close_inr, 0) > 0.2, false)
            as likely_corporate_action,
        c.total_traded_qty,
        c.turnover_inr,
        c.number_of_trades,
        c.delivery_qty,
        c.delivery_pct,
        c.file_format,
        -- true: both formats listed it and agree; false: they disagree (see
        -- nse_format_mismatches); null: only one format was loaded that day.
        case
            when x.symbol is null then null
            else x.mismatch_reason is null
        end as formats_agree,
        c.source_line,
        c.landing_path,
        c.loaded_at

    from chosen as c
    left join isins as i using (symbol, series, trade_date)
    left join compared as x using (symbol, series, trade_date)

)

select * from final
