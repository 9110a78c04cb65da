-- Per member, over their current trades (superseded amended rows left out):
-- - est_dollar_flow: the amount band's midpoint (an open-ended band, "over $50,000,000", counts
--   its minimum), positive for purchases and negative for sales; exchanges count nothing;
-- - median_excess_30d / _90d: the median excess return in the trade's direction (excess for a
--   purchase, -excess for a sale), so above zero means the member's trades typically beat the
--   benchmark; over priced trades with that horizon's return;
-- - share_beat_benchmark_30d: the share of those trades that beat it (see fct_trade_performance).
with

trades as (

    select * from {{ ref('fct_trades') }}
    where is_current and bioguide_id is not null

),

performance as (

    select * from {{ ref('fct_trade_performance') }}
    where is_current

),

flows as (

    select
        bioguide_id,
        trade_id,
        case when tx_type = 'P' then 1 when tx_type like 'S%' then -1 else 0 end
            * case
                when amount_max is null then amount_min
                else (amount_min + amount_max) / 2.0
            end as dollar_flow

    from trades

),

by_member as (

    select
        f.bioguide_id,
        count(*) as trades,
        count(p.price_tx_date) as priced_trades,
        sum(f.dollar_flow) as est_dollar_flow,
        median(p.direction * p.excess_30d) as median_excess_30d,
        median(p.direction * p.excess_90d) as median_excess_90d,
        avg(case when p.beat_benchmark_30d then 1.0 when not p.beat_benchmark_30d then 0.0 end)
            as share_beat_benchmark_30d

    from flows as f
    left join performance as p on p.trade_id = f.trade_id
    group by f.bioguide_id

),

final as (

    select
        *,
        '{{ var("benchmark") | string | trim | replace("'", "") }}' as benchmark

    from by_member

)

select * from final
