-- Advance/decline breadth of ordinary equity (series EQ) per day: how many closed above, below or
-- at their previous close.
with

daily as (

    select * from {{ ref('fct_nse_daily') }}
    where series = 'EQ' and change_pct is not null

),

final as (

    select
        trade_date,
        count(*) filter (where change_pct > 0) as advances,
        count(*) filter (where change_pct < 0) as declines,
        count(*) filter (where change_pct = 0) as unchanged,
        count(*) as securities,
        round(
            count(*) filter (where change_pct > 0)
            / nullif(count(*) filter (where change_pct < 0), 0),
            3
        ) as advance_decline_ratio,
        sum(turnover_inr) as turnover_inr

    from daily
    group by trade_date

)

select * from final
