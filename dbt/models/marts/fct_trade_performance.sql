-- How each trade with a priced ticker did: the close on the trade date and on the filing date
-- (the next trading day's when the market was closed; tx_price_day / filed_price_day say which
-- day), returns 5, 30, 90 and 180 trading days after each, the benchmark's over the same days,
-- and excess = ticker return - benchmark return.
-- "Beat": a purchase beat the benchmark when its excess is > 0; a sale when its excess is < 0
-- (selling before the stock lagged the market); exchanges and other types are null.
-- direction is +1 for a purchase, -1 for a sale, so direction * excess > 0 means "beat".
{%- set horizons = [5, 30, 90, 180] %}
with

trades as (

    select * from {{ ref('fct_trades') }}
    where resolved_ticker is not null

),

anchored as (

    select * from {{ ref('int_trade_prices_anchored') }}

),

returns as (

    select
        trade_id,
        anchor,
        price_day,
        price
        {%- for n in horizons %},
        close_{{ n }}d / price - 1 as ret_{{ n }}d,
        bench_level_{{ n }}d / bench_level - 1 as bench_ret_{{ n }}d
        {%- endfor %}

    from anchored

),

final as (

    select
        t.trade_id,
        t.bioguide_id,
        t.resolved_ticker as ticker,
        t.tx_type,
        t.tx_date,
        t.filed_date,
        '{{ var("benchmark") | string | trim | replace("'", "") }}' as benchmark,
        case when t.tx_type = 'P' then 1 when t.tx_type like 'S%' then -1 end as direction,
        t.amount_min,
        t.amount_max,
        t.is_current,
        t.ticker_method,
        t.ticker_confidence,
        t.asset_class,
        tx.price as price_tx_date,
        tx.price_day as tx_price_day,
        filed.price as price_filed_date,
        filed.price_day as filed_price_day
        {%- for anchor, suffix in [('tx', ''), ('filed', '_from_filed')] %}
        {%- for n in horizons %},
        {{ anchor }}.ret_{{ n }}d as ret_{{ n }}d{{ suffix }},
        {{ anchor }}.bench_ret_{{ n }}d as bench_ret_{{ n }}d{{ suffix }},
        {{ anchor }}.ret_{{ n }}d - {{ anchor }}.bench_ret_{{ n }}d as excess_{{ n }}d{{ suffix }}
        {%- endfor %}
        {%- endfor %}

    from trades as t
    inner join returns as tx on tx.trade_id = t.trade_id and tx.anchor = 'tx'
    inner join returns as filed on filed.trade_id = t.trade_id and filed.anchor = 'filed'

),

judged as (

    select
        *
        {%- for suffix in ['', '_from_filed'] %}
        {%- for n in horizons %},
        direction * excess_{{ n }}d{{ suffix }} > 0 as beat_benchmark_{{ n }}d{{ suffix }}
        {%- endfor %}
        {%- endfor %}

    from final

)

select * from judged
