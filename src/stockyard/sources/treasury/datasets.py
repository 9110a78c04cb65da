"""The Fiscal Data datasets Stockyard reads, and which fields of each it asks for.

Each dataset names its endpoint (below the base URL), the fields requested (``fields=``, which
keeps pages small: a DTS day has ~60 deposit lines with 17 fields each) and the dataTypes those
fields must have. The raw table ``raw.treasury_<name>`` has exactly these fields as columns, in
this order. DTS amounts are in millions of dollars; debt to the penny and revenue collections are
in dollars (the dbt staging models say so and convert).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stockyard.sources.treasury.envelope import TreasuryFormatError

# Field kind → the Fiscal Data dataTypes that satisfy it.
_KINDS: dict[str, frozenset[str]] = {
    "date": frozenset({"DATE"}),
    "text": frozenset({"STRING"}),
    "amount": frozenset({"CURRENCY", "CURRENCY0", "NUMBER"}),
    "integer": frozenset({"INTEGER"}),
}


@dataclass(frozen=True, slots=True)
class TreasuryDataset:
    name: str  # landing dataset and raw table suffix
    endpoint: str  # path below the base URL
    fields: tuple[tuple[str, str], ...]  # (API field, kind), record_date first
    filters: tuple[str, ...] = ()  # fixed API filters added to the record_date window
    description: str = ""

    @property
    def raw_table(self) -> str:
        return f"treasury_{self.name}"

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)

    def check_types(self, data_types: Mapping[str, str]) -> None:
        """Refuse a page whose fields changed type or went missing: loading it would be wrong."""
        problems = []
        for name, kind in self.fields:
            declared = data_types.get(name)
            if declared is None:
                problems.append(f"{name} missing")
            elif declared not in _KINDS[kind]:
                problems.append(f"{name} is {declared}, expected {kind}")
        if problems:
            raise TreasuryFormatError(
                f"treasury {self.name}: {'; '.join(problems)}. The API changed; update "
                "stockyard/sources/treasury/datasets.py and the raw table before loading"
            )


DTS = "v1/accounting/dts"
DATASETS: tuple[TreasuryDataset, ...] = (
    TreasuryDataset(
        name="dts_deposits",
        endpoint=f"{DTS}/deposits_withdrawals_operating_cash",
        fields=(
            ("record_date", "date"),
            ("account_type", "text"),
            ("transaction_type", "text"),
            ("transaction_catg", "text"),
            ("transaction_catg_desc", "text"),
            ("transaction_today_amt", "amount"),
            ("src_line_nbr", "integer"),
        ),
        # The macro mart reads deposits only; withdrawals would more than double every page.
        filters=("transaction_type:eq:Deposits",),
        description="Daily Treasury Statement: deposits of operating cash (USD millions)",
    ),
    TreasuryDataset(
        name="dts_income_tax_refunds",
        endpoint=f"{DTS}/income_tax_refunds_issued",
        fields=(
            ("record_date", "date"),
            ("tax_refund_type", "text"),
            ("tax_refund_type_desc", "text"),
            ("tax_refund_today_amt", "amount"),
            ("src_line_nbr", "integer"),
        ),
        description="Daily Treasury Statement: income tax refunds issued (USD millions)",
    ),
    TreasuryDataset(
        name="dts_operating_cash_balance",
        endpoint=f"{DTS}/operating_cash_balance",
        fields=(
            ("record_date", "date"),
            ("account_type", "text"),
            ("close_today_bal", "amount"),
            ("open_today_bal", "amount"),
            ("src_line_nbr", "integer"),
        ),
        description="Daily Treasury Statement: operating cash balance (USD millions)",
    ),
    TreasuryDataset(
        name="debt_to_penny",
        endpoint="v2/accounting/od/debt_to_penny",
        fields=(
            ("record_date", "date"),
            ("debt_held_public_amt", "amount"),
            ("intragov_hold_amt", "amount"),
            ("tot_pub_debt_out_amt", "amount"),
            ("src_line_nbr", "integer"),
        ),
        description="Debt to the Penny: total public debt outstanding (USD)",
    ),
    TreasuryDataset(
        name="revenue_collections",
        endpoint="v2/revenue/rcm",
        fields=(
            ("record_date", "date"),
            ("electronic_category_desc", "text"),
            ("channel_type_desc", "text"),
            ("tax_category_desc", "text"),
            ("net_collections_amt", "amount"),
            ("src_line_nbr", "integer"),
        ),
        description="U.S. Government Revenue Collections (USD)",
    ),
)
_BY_NAME = {d.name: d for d in DATASETS}


def dataset(name: str) -> TreasuryDataset:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown treasury dataset {name!r}; one of {sorted(_BY_NAME)}") from None
