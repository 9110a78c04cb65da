-- The rows of fct_trades again, stored member by member (newest first within a member).
-- DuckDB skips every block whose min/max cannot hold the member asked for, so one member's
-- trades (the member page, /api/trades?member=<bioguide id>) read one block instead of the
-- whole table, and their page comes from that block whatever the sort. A serving copy: build
-- nothing on it.
select * from {{ ref('fct_trades') }}
order by bioguide_id, tx_date desc, trade_id
