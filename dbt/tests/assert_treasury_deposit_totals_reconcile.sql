-- Where the DTS publishes its total deposits (from 2022-04-18), the sum of the deposit lines must
-- agree with it to within rounding (each line is rounded to $1 million): otherwise the earlier
-- days, which only have lines, would be summed on a different basis. Warns, does not block.
{{ config(severity='warn') }}
select
    record_date,
    published_total_usd,
    line_items_usd,
    line_items_usd - published_total_usd as difference_usd
from {{ ref('int_treasury_days_summed') }}
where published_total_usd is not null
  and abs(line_items_usd - published_total_usd) > greatest(20000000, 0.001 * published_total_usd)
