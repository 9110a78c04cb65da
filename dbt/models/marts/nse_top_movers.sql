-- The day's 10 biggest gainers and 10 biggest losers among ordinary equity (series EQ) by change
-- against the previous close. Securities with less than var('nse_min_turnover_inr') of turnover
-- (default 1 crore INR) are left out: a few thinly traded lots would otherwise top the list; so
-- is a change that reflects a split or bonus rather than trading (likely_corporate_action).
{%- set min_turnover = var('nse_min_turnover_inr', 10000000) %}
with

daily as (

    select * from {{ ref('fct_nse_daily') }}
    where series = 'EQ'
      and change_pct is not null
      and not likely_corporate_action
      and turnover_inr >= {{ min_turnover }}

),

ranked as (

    select
        *,
        row_number() over (partition by trade_date order by change_pct desc, symbol) as gain_rank,
        row_number() over (partition by trade_date order by change_pct asc, symbol) as loss_rank

    from daily

),

gainers as (

    select 'gainer' as direction, gain_rank as rank, *
    from ranked
    where change_pct > 0 and gain_rank <= 10

),

losers as (

    select 'loser' as direction, loss_rank as rank, *
    from ranked
    where change_pct < 0 and loss_rank <= 10

),

final as (

    select
        trade_date,
        direction,
        rank,
        symbol,
        series,
        close_inr,
        prev_close_inr,
        change_pct,
        turnover_inr,
        total_traded_qty

    from (select * from gainers union all select * from losers)

)

select * from final
