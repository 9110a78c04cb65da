-- The full and legacy bhavcopy rows of the same (symbol, series, day) side by side, for the days
-- both formats were loaded; `mismatch_reason` says what disagrees (null = they agree). The full
-- file rounds turnover to 0.01 lakh, so turnovers within 500 INR agree.
with

bhavcopy as (

    select * from {{ ref('stg_nse__bhavcopy') }}

),

full_rows as (

    select * from bhavcopy where file_format = 'bhavcopy_full'

),

legacy_rows as (

    select * from bhavcopy where file_format = 'bhavcopy_legacy'

),

both_days as (

    select trade_date from full_rows
    intersect
    select trade_date from legacy_rows

),

paired as (

    select
        coalesce(f.symbol, l.symbol) as symbol,
        coalesce(f.series, l.series) as series,
        coalesce(f.trade_date, l.trade_date) as trade_date,
        f.symbol is not null as in_full,
        l.symbol is not null as in_legacy,
        f.close_inr as full_close_inr,
        l.close_inr as legacy_close_inr,
        f.open_inr as full_open_inr,
        l.open_inr as legacy_open_inr,
        f.prev_close_inr as full_prev_close_inr,
        l.prev_close_inr as legacy_prev_close_inr,
        f.total_traded_qty as full_traded_qty,
        l.total_traded_qty as legacy_traded_qty,
        f.number_of_trades as full_trades,
        l.number_of_trades as legacy_trades,
        f.turnover_inr as full_turnover_inr,
        l.turnover_inr as legacy_turnover_inr,
        f.landing_path as full_landing_path,
        l.landing_path as legacy_landing_path

    from full_rows as f
    full outer join legacy_rows as l
        on f.symbol = l.symbol and f.series = l.series and f.trade_date = l.trade_date
    where coalesce(f.trade_date, l.trade_date) in (select trade_date from both_days)

),

final as (

    select
        *,
        nullif(concat_ws('; ',
            case when not in_full then 'only in the legacy file' end,
            case when not in_legacy then 'only in the full file' end,
            case when abs(full_close_inr - legacy_close_inr) > 0.005 then 'close differs' end,
            case when abs(full_open_inr - legacy_open_inr) > 0.005 then 'open differs' end,
            case when abs(full_prev_close_inr - legacy_prev_close_inr) > 0.005
                then 'previous close differs' end,
            case when full_traded_qty <> legacy_traded_qty then 'traded quantity differs' end,
            case when full_trades <> legacy_trades then 'number of trades differs' end,
            case when abs(full_turnover_inr - legacy_turnover_inr) > 500.01
                then 'turnover differs by more than the full file''s rounding' end
        ), '') as mismatch_reason

    from paired

)

select * from final
