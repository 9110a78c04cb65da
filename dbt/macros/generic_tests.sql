{#- Generic audits written here rather than pulled from the dbt hub: runs must work offline. -#}

{#- Rows where `column_name` exceeds `other` (both present): amount_min <= amount_max,
    tx_date <= filed_date. -#}
{% test column_lte(model, column_name, other) %}
select *
from {{ model }}
where {{ column_name }} is not null
  and {{ other }} is not null
  and {{ column_name }} > {{ other }}
{% endtest %}


{#- Groups (e.g. documents) holding more rows than is plausible: a parser that ran away. -#}
{% test max_rows_per_group(model, column_name, max_rows) %}
select {{ column_name }}, count(*) as row_count
from {{ model }}
group by {{ column_name }}
having count(*) > {{ max_rows }}
{% endtest %}


{#- Key combinations that occur more than once. -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
