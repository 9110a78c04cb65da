-- The rows of fct_trades again, stored ticker by ticker (newest first within a ticker), the
-- twin of fct_trades_by_member for /api/trades?ticker=…: one ticker's count and page read its
-- own blocks instead of the whole table. A serving copy: build nothing on it.
select * from {{ ref('fct_trades') }}
order by ticker_key, tx_date desc, trade_id
