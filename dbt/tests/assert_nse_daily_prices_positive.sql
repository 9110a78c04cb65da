-- Every NSE price in the mart is above zero (the parser quarantines lines that are not, so a row
-- here means one reached the mart some other way).
select symbol, series, trade_date, open_inr, high_inr, low_inr, close_inr
from {{ ref('fct_nse_daily') }}
where not (open_inr > 0 and high_inr > 0 and low_inr > 0 and close_inr > 0)
