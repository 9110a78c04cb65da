"""The seed marts as a published warehouse, and an alerts store, per test."""

from support.alerts import published, store  # noqa: F401 (fixtures)
