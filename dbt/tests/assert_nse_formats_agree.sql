-- The two bhavcopy formats of a day should list the same securities with the same figures. NSE's
-- files are the record, so a disagreement is a warning that names the rows, not a failed audit.
{{ config(severity='warn') }}
select trade_date, symbol, series, mismatch_reason
from {{ ref('nse_format_mismatches') }}
