"""Statistics of every precomputed follow-the-filings portfolio, per strategy and band level.

A Python model for the reason fct_portfolio_daily is: one SQL text (in
stockyard.warehouse.portfolio_sql) for dbt and for a custom filter computed by the API.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from stockyard.warehouse.portfolio_sql import precomputed_memberships, stats_sql

    # The refs make the dependencies (dbt reads them as literals); the SQL reads the same
    # tables by name.
    dbt.ref("fct_portfolio_memberships")
    dbt.ref("fct_portfolio_legs")
    dbt.ref("fct_portfolio_closes")
    dbt.ref("fct_portfolio_daily")
    schema = dbt.this.schema
    memberships = precomputed_memberships(schema)
    return session.sql(stats_sql(schema, memberships, f"{schema}.fct_portfolio_daily"))
