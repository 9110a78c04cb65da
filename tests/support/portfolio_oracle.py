"""A second, deliberately plain implementation of the follow-the-filings rules: a loop over days
and trades, as one would work a portfolio out by hand. Tests hold the SQL simulation
(`stockyard.warehouse.portfolio_sql`) to it, day by day, to the cent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import duckdb

LEVELS = ("low", "mid", "high")
STRATEGIES = ("public", "insider")
EMPTY_POSITION_DOLLARS = 0.005


@dataclass(frozen=True)
class Leg:
    trade_id: str
    strategy: str
    ticker: str
    kind: str  # buy, sell_all, sell_part
    amounts: dict[str, float]  # by level
    day_seq: int
    price: float


@dataclass
class Day:
    day_seq: int
    trading_day: date
    value: float
    cash: float
    invested: float
    index: float
    benchmark_value: float


@dataclass
class Account:
    shares: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    cash: float = 0.0
    invested: float = 0.0
    unheld_sales: int = 0


def simulate(
    legs: list[Leg],
    closes: dict[tuple[str, int], float],
    days: list[tuple[int, date, float]],
    strategy: str,
    level: str,
) -> list[Day]:
    """Every trading day from the first leg of any strategy (``days``: day_seq, date,
    benchmark level) for one strategy and level."""
    if not legs:
        return []
    start = min(leg.day_seq for leg in legs)
    mine = sorted(
        (leg for leg in legs if leg.strategy == strategy),
        key=lambda leg: (leg.day_seq, leg.kind == "buy", leg.trade_id),
    )
    by_day: dict[int, list[Leg]] = defaultdict(list)
    for leg in mine:
        by_day[leg.day_seq].append(leg)
    account = Account()
    out: list[Day] = []
    index, value_before, benchmark_units = 1.0, 0.0, 0.0
    for day_seq, trading_day, benchmark_level in days:
        if day_seq < start:
            continue
        invested_before = account.invested
        for leg in by_day.get(day_seq, []):
            amount = leg.amounts[level]
            held = account.shares[leg.ticker]
            if leg.kind == "buy":
                account.shares[leg.ticker] = held + amount / leg.price
                account.cash -= amount
                if account.cash < 0:  # new money for what the cash does not cover
                    account.invested -= account.cash
                    account.cash = 0.0
                continue
            if held * leg.price < EMPTY_POSITION_DOLLARS:
                account.unheld_sales += 1
                continue
            sold = held if leg.kind == "sell_all" else min(held, amount / leg.price)
            account.shares[leg.ticker] = held - sold
            account.cash += sold * leg.price
        value = account.cash + sum(
            shares * closes[(ticker, day_seq)]
            for ticker, shares in account.shares.items()
            if shares * 1e6 > 0
        )
        new_money = account.invested - invested_before
        if value_before > 0:
            index *= (value - new_money) / value_before
        benchmark_units += new_money / benchmark_level
        out.append(
            Day(
                day_seq,
                trading_day,
                value,
                account.cash,
                account.invested,
                index,
                benchmark_units * benchmark_level,
            )
        )
        value_before = value
    return out


def load(
    con: duckdb.DuckDBPyConnection, trade_ids: list[str], schema: str = "marts"
) -> tuple[list[Leg], dict[tuple[str, int], float], list[tuple[int, date, float]]]:
    """The priced legs of these trades, their tickers' closes and the trading days, as the
    marts hold them."""
    rows = con.execute(
        f"""SELECT trade_id, strategy, ticker, kind, amount_low, amount_mid, amount_high,
                   day_seq, price
            FROM {schema}.fct_portfolio_legs
            WHERE unpriced_reason IS NULL AND trade_id IN (SELECT unnest(?))""",
        [trade_ids],
    ).fetchall()
    legs = [
        Leg(r[0], r[1], r[2], r[3], {"low": r[4], "mid": r[5], "high": r[6]}, r[7], r[8])
        for r in rows
    ]
    tickers = sorted({leg.ticker for leg in legs})
    closes = {
        (t, s): c
        for t, s, c in con.execute(
            f"SELECT ticker, day_seq, close FROM {schema}.fct_portfolio_closes "
            "WHERE ticker IN (SELECT unnest(?))",
            [tickers],
        ).fetchall()
    }
    days = [
        (int(s), d, float(b))
        for s, d, b in con.execute(
            f"SELECT day_seq, trading_day, benchmark_level FROM {schema}.fct_market_days "
            "ORDER BY day_seq"
        ).fetchall()
    ]
    return legs, closes, days
