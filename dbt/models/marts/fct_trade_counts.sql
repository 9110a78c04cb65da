-- How many trades fct_trades holds per day and per value of the attributes the trade list
-- filters on (is_current, party, chamber, state, type, owner). A filtered list's total is a
-- sum over this instead of a count over every trade: at 1M trades it has about a quarter of
-- the rows, and a date range reads only its own blocks. A serving table: build nothing on it.
select
    tx_date,
    is_current,
    party_key,
    chamber,
    state,
    tx_type,
    owner,
    count(*) as trades
from {{ ref('fct_trades') }}
group by all
order by tx_date, party_key, chamber, state
