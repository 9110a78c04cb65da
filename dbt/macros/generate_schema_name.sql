{#- Use a folder's +schema as the schema's whole name (audit, staging…) instead of dbt's default
    "<target schema>_<custom>", so WAP can name `audit` and `marts` without knowing the target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
