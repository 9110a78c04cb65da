-- Rolling Pearson correlations between pairs of weekly_macro series, for every week and each
-- window in var('macro_correlation_windows', [13, 52]) (weeks, the current week included). weekly_macro
-- has no missing weeks, so a window of N rows is N calendar weeks. n_observations counts the
-- weeks of the window where both series have a value; below var('macro_min_observations', 10) the
-- correlation is NULL (too few points to mean anything), as it is when a series is constant.
{%- set pairs = [
    ('stock_volume_shares', 'tax_deposits_usd'),
    ('stock_volume_shares', 'total_deposits_usd'),
    ('stock_volume_shares', 'congress_trade_count'),
    ('congress_est_flow_usd', 'tax_deposits_usd'),
    ('congress_trade_count', 'tax_deposits_usd'),
    ('congress_est_flow_usd', 'stock_volume_shares'),
    ('tax_deposits_usd', 'refunds_usd'),
    ('stock_volume_shares', 'debt_change_usd'),
] %}
{%- set windows = var('macro_correlation_windows', [13, 52]) %}
with

weeks as (

    select * from {{ ref('weekly_macro') }}

),

pairs as (

    {% for x, y in pairs %}
    select
        week_end,
        '{{ x }}' as series_x,
        '{{ y }}' as series_y,
        cast({{ x }} as double) as x,
        cast({{ y }} as double) as y
    from weeks
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

rolling as (

    {% for window in windows %}
    select
        week_end,
        {{ window }} as window_weeks,
        series_x,
        series_y,
        min(week_end) over w as window_start,
        regr_count(y, x) over w as n_observations,
        corr(y, x) over w as raw_correlation
    from pairs
    window w as (
        partition by series_x, series_y order by week_end
        rows between {{ window - 1 }} preceding and current row
    )
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        week_end,
        window_weeks,
        window_start,
        series_x,
        series_y,
        cast(n_observations as integer) as n_observations,
        case
            when n_observations >= {{ var('macro_min_observations', 10) }}
                and not isnan(raw_correlation)
                then raw_correlation
        end as correlation

    from rolling

)

select * from final
