-- The trading calendar the portfolios are valued on: every trading day with its sequence number
-- and the benchmark's level (carried from the day before when a day has no benchmark bar).
with

calendar as (

    select * from {{ ref('int_trading_days_numbered') }}

),

benchmark as (

    select * from {{ ref('int_benchmark_levels') }}

),

final as (

    select
        c.trading_day,
        c.day_seq,
        last_value(b.level ignore nulls) over (
            order by c.day_seq rows between unbounded preceding and current row
        ) as benchmark_level,
        '{{ var("benchmark") | string | trim | replace("'", "") }}' as benchmark

    from calendar as c
    left join benchmark as b on b.day_seq = c.day_seq

)

select * from final
