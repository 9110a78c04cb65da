-- Each ticker's industry: the SEC Standard Industrial Classification (SIC) code and its title,
-- from Polygon's ticker details. Only tickers Polygon gave a code for (funds, many ADRs and
-- delisted lines have none); asked about a bounded number a run, most-traded first.
select
    ticker,
    name,
    cik,
    sic,
    sic_code,
    sic_description,
    fetched_at
from {{ ref('stg_polygon__ticker_details') }}
where found and sic is not null
order by ticker
