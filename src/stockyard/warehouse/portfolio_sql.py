"""Follow-the-filings portfolios: the one simulation, as SQL over the portfolio marts.

dbt runs it over every precomputed portfolio (the Python models `fct_portfolio_daily` and
`fct_portfolio_stats`); the API runs the same text over the trades of a custom filter. Both pass
the schema the marts are in and a relation of ``(portfolio_id, trade_id)``: which trades each
portfolio copies. Every name interpolated here is ours, never a user's; a filter's values travel
as parameters inside ``memberships``.

The rules, for each portfolio, strategy and band level (see `fct_portfolio_legs` for the legs):

- *public* acts at the close of the filing date, *insider* at the close of the trade date (the
  next trading day's when the market was closed);
- a purchase buys the band amount (its floor, midpoint or ceiling) at that close;
- a full sale sells the whole position in that ticker; a partial sale sells the band amount's
  worth of shares, at most the whole position; a sale of a ticker the portfolio does not hold is
  ignored and counted (``unheld_sales``);
- on one day sales come before purchases, and a purchase is paid from the cash the portfolio
  holds, new money coming in only for what the cash does not cover; cash earns nothing;
- positions are valued at each trading day's split-adjusted close; a ticker with no bar that
  day (its bars ended) at its last close;
- returns are time-weighted: each day's return is (value - new money) / yesterday's value - 1,
  chained into an index from 1.0 on the portfolio's first day (the earliest of its strategies'
  first actions), so new money never counts as gain. A strategy holds nothing, flat at 1.0,
  until its first purchase.
"""

from __future__ import annotations

from typing import Final

STRATEGIES: Final = ("public", "insider")
LEVELS: Final = ("low", "mid", "high")
TRADING_DAYS_PER_YEAR: Final = 252
# A purchase is a hit when its close this many trading days later is above the price paid.
HIT_HORIZON_DAYS: Final = 90
# Below this many return days a return is not annualised (a few weeks say nothing of a year).
MIN_DAYS_TO_ANNUALISE: Final = 21
# A position worth less than half a cent is nothing: float residue of a sale that emptied it.
EMPTY_POSITION_DOLLARS: Final = 0.005

# The rules above in a reader's words, for the pages and the API.
RULES: Final = (
    "Public copies each trade at the close of its filing date (the next trading day's when "
    "the market was closed); insider at the close of the trade date.",
    "A purchase buys the disclosed amount: the band's floor, midpoint and ceiling give the "
    "range (an open-ended band counts its floor).",
    "A full sale sells the whole position; a partial sale sells the band amount's worth, at "
    "most the position; a sale of something not held is ignored and counted.",
    "Purchases are paid from cash first, new money only for the rest; cash earns nothing.",
    "Positions are valued at split-adjusted daily closes (dividends are not included).",
    "Returns are time-weighted from the first purchase; Sharpe uses a risk-free rate of zero.",
    "Trades without a price (no ticker, not a stock, no close that day) are left out and counted.",
)

_PATH = "portfolio_id, strategy, level, ticker"


def precomputed_memberships(schema: str) -> str:
    """The ``memberships`` relation of every portfolio dbt precomputes."""
    return f"SELECT DISTINCT portfolio_id, trade_id FROM {schema}.fct_portfolio_memberships"


def daily_sql(schema: str, memberships: str) -> str:
    """One row per portfolio, strategy, band level and trading day from the portfolio's first
    action to the last trading day: holdings, cash, new money so far, value, the day's
    time-weighted return, the index, and the benchmark's index over the same days."""
    return f"""
WITH
members AS ({memberships}),
levels AS (SELECT * FROM (VALUES ('low'), ('mid'), ('high')) AS v (level)),
legs AS (
    SELECT m.portfolio_id, l.strategy, v.level, l.trade_id, l.ticker, l.kind, l.day_seq,
           l.price,
           CASE v.level WHEN 'low' THEN l.amount_low WHEN 'mid' THEN l.amount_mid
                ELSE l.amount_high END AS amount
    FROM members AS m
    JOIN {schema}.fct_portfolio_legs AS l ON l.trade_id = m.trade_id
    CROSS JOIN levels AS v
    WHERE l.unpriced_reason IS NULL
),
ordered AS (
    SELECT *,
           row_number() OVER (
               PARTITION BY {_PATH}
               ORDER BY day_seq, CASE WHEN kind = 'buy' THEN 1 ELSE 0 END, trade_id
           ) AS n
    FROM legs
),
-- A full sale empties the position: the events after it start a new segment from zero.
segmented AS (
    SELECT *,
           coalesce(sum(CASE WHEN kind = 'sell_all' THEN 1 ELSE 0 END) OVER (
               PARTITION BY {_PATH} ORDER BY n
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
           ), 0) AS segment,
           CASE kind WHEN 'buy' THEN amount / price WHEN 'sell_part' THEN -amount / price
                ELSE 0 END AS delta
    FROM ordered
),
running AS (
    SELECT *, sum(delta) OVER segment_so_far AS cumulative
    FROM segmented
    WINDOW segment_so_far AS (
        PARTITION BY {_PATH}, segment ORDER BY n ROWS UNBOUNDED PRECEDING
    )
),
-- Shares never go below zero (a sale sells at most what is held): the running sum floored at
-- zero is the running sum less its lowest point so far (Lindley's recursion, closed form).
floored AS (
    SELECT *, cumulative - least(0, min(cumulative) OVER segment_so_far) AS floored
    FROM running
    WINDOW segment_so_far AS (
        PARTITION BY {_PATH}, segment ORDER BY n ROWS UNBOUNDED PRECEDING
    )
),
events AS (
    SELECT *,
           coalesce(lag(floored) OVER (PARTITION BY {_PATH}, segment ORDER BY n), 0)
               AS shares_before,
           CASE WHEN kind = 'sell_all' THEN 0 ELSE greatest(floored, 0) END AS shares_after
    FROM floored
),
flows AS (
    SELECT *,
           kind <> 'buy' AND shares_before * price < {EMPTY_POSITION_DOLLARS} AS unheld_sale,
           CASE WHEN kind = 'buy' THEN amount ELSE 0 END AS cost,
           CASE WHEN kind <> 'buy' THEN (shares_before - shares_after) * price ELSE 0 END
               AS proceeds
    FROM events
),
day_positions AS (
    SELECT {_PATH}, day_seq, arg_max(shares_after, n) AS shares
    FROM flows
    GROUP BY ALL
),
holdings_spans AS (
    SELECT *, lead(day_seq) OVER (PARTITION BY {_PATH} ORDER BY day_seq) AS until_seq
    FROM day_positions
),
-- A ticker's closes run unbroken from its first bar to the last trading day (carried past its
-- last bar), so one join both spreads each holding over its days and prices it.
valued AS (
    SELECT h.portfolio_id, h.strategy, h.level, c.day_seq, sum(h.shares * c.close) AS holdings
    FROM holdings_spans AS h
    JOIN {schema}.fct_portfolio_closes AS c
      ON c.ticker = h.ticker
     AND c.day_seq >= h.day_seq AND c.day_seq < coalesce(h.until_seq, 2147483647)
    WHERE h.shares * 1e6 > 0
    GROUP BY ALL
),
day_flows AS (
    SELECT portfolio_id, strategy, level, day_seq,
           sum(cost) AS cost, sum(proceeds) AS proceeds,
           count(*) FILTER (WHERE unheld_sale) AS unheld_sales
    FROM flows
    GROUP BY ALL
),
-- A portfolio with nothing to copy still has a (flat) series, from the first trading day.
starts AS (
    SELECT m.portfolio_id,
           coalesce(min(l.day_seq), (SELECT min(day_seq) FROM {schema}.fct_market_days))
               AS start_seq
    FROM (SELECT DISTINCT portfolio_id FROM members) AS m
    LEFT JOIN legs AS l ON l.portfolio_id = m.portfolio_id
    GROUP BY ALL
),
grid AS (
    SELECT s.portfolio_id, st.strategy, v.level, d.day_seq, d.trading_day, d.benchmark_level
    FROM starts AS s
    CROSS JOIN (SELECT * FROM (VALUES ('public'), ('insider')) AS t (strategy)) AS st
    CROSS JOIN levels AS v
    JOIN {schema}.fct_market_days AS d ON d.day_seq >= s.start_seq
),
accounts AS (
    SELECT g.*,
           coalesce(v.holdings, 0) AS holdings,
           coalesce(f.unheld_sales, 0) AS unheld_sales,
           sum(coalesce(f.cost, 0)) OVER so_far AS spent,
           sum(coalesce(f.proceeds, 0)) OVER so_far AS received
    FROM grid AS g
    LEFT JOIN valued AS v USING (portfolio_id, strategy, level, day_seq)
    LEFT JOIN day_flows AS f USING (portfolio_id, strategy, level, day_seq)
    WINDOW so_far AS (
        PARTITION BY g.portfolio_id, g.strategy, g.level ORDER BY g.day_seq
        ROWS UNBOUNDED PRECEDING
    )
),
-- New money covers only what cash cannot: in all, the deepest the spending ever ran ahead.
funded AS (
    SELECT *,
           greatest(0, max(spent - received) OVER so_far) AS invested
    FROM accounts
    WINDOW so_far AS (
        PARTITION BY portfolio_id, strategy, level ORDER BY day_seq ROWS UNBOUNDED PRECEDING
    )
),
valued_days AS (
    SELECT *,
           received - spent + invested AS cash,
           holdings + received - spent + invested AS value,
           invested - coalesce(lag(invested) OVER path, 0) AS new_money,
           lag(holdings + received - spent + invested) OVER path AS value_before,
           first_value(benchmark_level) OVER path AS benchmark_start
    FROM funded
    WINDOW path AS (PARTITION BY portfolio_id, strategy, level ORDER BY day_seq)
),
returns AS (
    SELECT *,
           CASE WHEN value_before > 0 THEN (value - new_money) / value_before - 1 ELSE 0 END
               AS daily_return
    FROM valued_days
)
SELECT
    portfolio_id, strategy, level, trading_day, day_seq,
    holdings, cash, invested, value, new_money, unheld_sales, daily_return,
    exp(sum(ln(greatest(1 + daily_return, 1e-12))) OVER so_far) AS index_value,
    benchmark_level / benchmark_start AS benchmark_index,
    -- the same new money, on the same days, put in the benchmark instead
    benchmark_level * sum(new_money / benchmark_level) OVER so_far AS benchmark_value
FROM returns
WINDOW so_far AS (
    PARTITION BY portfolio_id, strategy, level ORDER BY day_seq ROWS UNBOUNDED PRECEDING
)
ORDER BY portfolio_id, strategy, level, day_seq
"""


def stats_sql(schema: str, memberships: str, daily: str) -> str:
    """One row per portfolio, strategy and band level: what the trades were (priced, left out
    and why, unheld sales), and how the series in ``daily`` did from the strategy's first
    purchase on (returns, volatility, drawdown, Sharpe at a zero risk-free rate, beta and excess
    against the benchmark, hit rate), with the public-minus-insider gap at each level."""
    return f"""
WITH
members AS ({memberships}),
legs AS (
    SELECT m.portfolio_id, l.*
    FROM members AS m
    JOIN {schema}.fct_portfolio_legs AS l ON l.trade_id = m.trade_id
),
counts AS (
    SELECT portfolio_id, strategy,
           count(*) AS trades,
           count(*) FILTER (WHERE unpriced_reason IS NULL) AS priced_trades,
           count(*) FILTER (WHERE unpriced_reason IS NOT NULL) AS unpriced_trades,
           count(*) FILTER (WHERE unpriced_reason IS NULL AND kind = 'buy') AS purchases
    FROM legs
    GROUP BY ALL
),
reasons AS (
    SELECT portfolio_id, strategy,
           map_from_entries(list(struct_pack(k := unpriced_reason, v := n) ORDER BY unpriced_reason))
               AS unpriced_by_reason
    FROM (
        SELECT portfolio_id, strategy, unpriced_reason, count(*) AS n
        FROM legs WHERE unpriced_reason IS NOT NULL GROUP BY ALL
    )
    GROUP BY ALL
),
hits AS (
    SELECT l.portfolio_id, l.strategy,
           avg(CASE WHEN later.close > l.price THEN 1.0 ELSE 0.0 END) AS hit_rate,
           count(later.close) AS judged_purchases
    FROM legs AS l
    JOIN {schema}.fct_portfolio_closes AS later
      ON later.ticker = l.ticker AND later.day_seq = l.day_seq + {HIT_HORIZON_DAYS}
    WHERE l.unpriced_reason IS NULL AND l.kind = 'buy'
    GROUP BY ALL
),
daily AS (SELECT * FROM {daily}),
invested_days AS (
    SELECT *,
           max(index_value) OVER path AS peak,
           row_number() OVER path AS nth
    FROM daily
    WHERE invested > 0
    WINDOW path AS (
        PARTITION BY portfolio_id, strategy, level ORDER BY day_seq ROWS UNBOUNDED PRECEDING
    )
),
bench_returns AS (
    SELECT *,
           benchmark_index / lag(benchmark_index) OVER (
               PARTITION BY portfolio_id, strategy, level ORDER BY day_seq
           ) - 1 AS benchmark_return
    FROM invested_days
),
performance AS (
    SELECT portfolio_id, strategy, level,
           min(trading_day) AS first_day,
           max(trading_day) AS last_day,
           count(*) - 1 AS return_days,
           arg_max(index_value, day_seq) / arg_min(index_value, day_seq) - 1 AS total_return,
           arg_max(benchmark_index, day_seq) / arg_min(benchmark_index, day_seq) - 1
               AS benchmark_return,
           stddev_samp(daily_return) FILTER (WHERE nth > 1) AS daily_volatility,
           avg(daily_return) FILTER (WHERE nth > 1) AS mean_daily_return,
           min(index_value / peak - 1) AS max_drawdown,
           covar_samp(daily_return, benchmark_return) FILTER (WHERE nth > 1)
               / nullif(var_samp(benchmark_return) FILTER (WHERE nth > 1), 0) AS beta,
           arg_max(value, day_seq) AS final_value,
           arg_max(invested, day_seq) AS invested
    FROM bench_returns
    GROUP BY ALL
),
-- counted over every day: a sale before the first purchase is as unheld as any
unheld AS (
    SELECT portfolio_id, strategy, level, sum(unheld_sales) AS unheld_sales
    FROM daily
    GROUP BY ALL
),
-- every portfolio, strategy and level, with or without a purchase to judge
frame AS (
    SELECT c.*, v.level
    FROM counts AS c
    CROSS JOIN (SELECT * FROM (VALUES ('low'), ('mid'), ('high')) AS t (level)) AS v
),
joined AS (
    SELECT f.portfolio_id, f.strategy, f.level, f.trades, f.priced_trades, f.unpriced_trades,
           f.purchases, coalesce(r.unpriced_by_reason, MAP {{}}) AS unpriced_by_reason,
           coalesce(u.unheld_sales, 0) AS unheld_sales,
           p.first_day, p.last_day, coalesce(p.return_days, 0) AS return_days,
           p.total_return,
           CASE WHEN p.return_days >= {MIN_DAYS_TO_ANNUALISE}
                THEN pow(1 + p.total_return, {TRADING_DAYS_PER_YEAR} / p.return_days) - 1
           END AS annualised_return,
           p.daily_volatility * sqrt({TRADING_DAYS_PER_YEAR}) AS volatility,
           p.max_drawdown,
           p.mean_daily_return / nullif(p.daily_volatility, 0) * sqrt({TRADING_DAYS_PER_YEAR})
               AS sharpe,
           0.0 AS risk_free_rate,
           p.beta,
           p.benchmark_return,
           p.total_return - p.benchmark_return AS excess_return,
           h.hit_rate,
           coalesce(h.judged_purchases, 0) AS judged_purchases,
           p.final_value,
           p.invested,
           p.final_value / nullif(p.invested, 0) - 1 AS return_on_invested
    FROM frame AS f
    LEFT JOIN reasons AS r USING (portfolio_id, strategy)
    LEFT JOIN performance AS p USING (portfolio_id, strategy, level)
    LEFT JOIN unheld AS u USING (portfolio_id, strategy, level)
    LEFT JOIN hits AS h USING (portfolio_id, strategy)
)
SELECT *,
       max(CASE WHEN strategy = 'public' THEN total_return END) OVER same_level
           - max(CASE WHEN strategy = 'insider' THEN total_return END) OVER same_level
           AS public_minus_insider
FROM joined
WINDOW same_level AS (PARTITION BY portfolio_id, level)
ORDER BY portfolio_id, strategy, level
"""
