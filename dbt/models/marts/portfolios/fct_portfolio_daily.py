"""Every precomputed follow-the-filings portfolio, valued each trading day.

A Python model only so that dbt and the API run one simulation: its SQL lives in
stockyard.warehouse.portfolio_sql (the rules are written there), and the API runs the same text
over a custom filter's trades.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from stockyard.warehouse.portfolio_sql import daily_sql, precomputed_memberships

    # The refs make the dependencies (dbt reads them as literals); the SQL reads the same
    # tables by name.
    dbt.ref("fct_portfolio_memberships")
    dbt.ref("fct_portfolio_legs")
    dbt.ref("fct_portfolio_closes")
    dbt.ref("fct_market_days")
    schema = dbt.this.schema
    memberships = precomputed_memberships(schema)
    return session.sql(daily_sql(schema, memberships))
