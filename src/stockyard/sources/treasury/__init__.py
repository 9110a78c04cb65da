"""US Treasury Fiscal Data (api.fiscaldata.treasury.gov): client, envelope parser, datasets."""

from stockyard.sources.treasury.client import TreasuryClient, Window
from stockyard.sources.treasury.datasets import DATASETS, TreasuryDataset, dataset
from stockyard.sources.treasury.envelope import (
    PARSER_VERSION,
    Envelope,
    TreasuryFormatError,
    TreasuryRow,
    parse_envelope,
)

__all__ = [
    "DATASETS",
    "PARSER_VERSION",
    "Envelope",
    "TreasuryClient",
    "TreasuryDataset",
    "TreasuryFormatError",
    "TreasuryRow",
    "Window",
    "dataset",
    "parse_envelope",
]
