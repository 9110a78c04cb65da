-- Each (member name, bioguide id) pair that appears on a trade. A search by name finds its
-- members here (a few hundred rows) and then reads only their blocks of fct_trades_by_member,
-- instead of matching the name against every trade. A serving table: build nothing on it.
select
    member_name,
    bioguide_id,
    count(*) as trades
from {{ ref('fct_trades') }}
group by all
order by member_name, bioguide_id
