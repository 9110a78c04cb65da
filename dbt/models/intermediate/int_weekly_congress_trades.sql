-- Congressional trades per week of their transaction date (Saturday to Friday, named by its
-- Friday). Current rows only (an amended trade counts once). A trade's dollars are its band's
-- midpoint, an open-ended band ("over $50,000,000") its minimum; est_flow signs them by
-- direction: purchases positive, sales (full or partial) negative, exchanges zero.
with

trades as (

    select
        tx_date + cast((5 - dayofweek(tx_date) + 7) % 7 as integer) as week_end,
        tx_type,
        (amount_min + coalesce(amount_max, amount_min)) / 2.0 as est_amount_usd
    from {{ ref('fct_trades') }}
    where is_current and tx_date is not null

),

final as (

    select
        week_end,
        count(*) as congress_trade_count,
        count(*) filter (where tx_type = 'P') as congress_purchases,
        count(*) filter (where tx_type in ('S', 'S (partial)')) as congress_sales,
        sum(case
            when tx_type = 'P' then est_amount_usd
            when tx_type in ('S', 'S (partial)') then -est_amount_usd
            else 0
        end) as congress_est_flow_usd,
        sum(est_amount_usd) as congress_est_volume_usd
    from trades
    group by week_end

)

select * from final
