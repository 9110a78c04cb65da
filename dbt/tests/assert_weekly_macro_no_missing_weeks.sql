-- weekly_macro must hold every week between its first and last, each with at least one Daily
-- Treasury Statement: a gap would shift rolling correlation windows and hide a failed load.
with

weeks as (

    select
        week_end,
        treasury_days,
        lead(week_end) over (order by week_end) as next_week_end
    from {{ ref('weekly_macro') }}

)

select
    week_end,
    next_week_end,
    treasury_days,
    case
        when treasury_days = 0 then 'no Treasury statement in this week'
        else 'weeks missing after this one'
    end as problem
from weeks
where treasury_days = 0
   or (next_week_end is not null and next_week_end - week_end <> 7)
