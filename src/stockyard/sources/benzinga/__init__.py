"""Benzinga government trades (paid vendor API): client and parser."""

from stockyard.sources.benzinga.client import BenzingaClient
from stockyard.sources.benzinga.trades import (
    PARSER_VERSION,
    BenzingaFormatError,
    BenzingaParse,
    parse_trades,
)

__all__ = [
    "PARSER_VERSION",
    "BenzingaClient",
    "BenzingaFormatError",
    "BenzingaParse",
    "parse_trades",
]
