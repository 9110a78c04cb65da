-- A bar's prices must describe one real trading day: high >= greatest(open, close),
-- least(open, close) >= low, and every price above zero. The loader quarantines such bars, so a
-- row here means a bar reached the marts some other way.
select ticker, bar_date, open, high, low, close
from {{ ref('fct_daily_bars') }}
where not (
    high >= greatest(open, close)
    and least(open, close) >= low
    and low > 0
)
