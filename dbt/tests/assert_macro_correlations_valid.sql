-- A correlation lies in [-1, 1] and is reported only with enough observations.
select *
from {{ ref('macro_correlations') }}
where (correlation is not null and (correlation < -1.000001 or correlation > 1.000001))
   or (correlation is not null and n_observations < {{ var('macro_min_observations', 10) }})
