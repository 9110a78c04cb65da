"""Stockyard: what US members of Congress trade, from official disclosures to an audited warehouse."""

__version__ = "0.1.0"
