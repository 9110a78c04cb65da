"""Ingest steps: fetch from a source, land the bytes, load the raw layer from the landing zone.

Each source has a `fetch_*` (HTTP → landing) and a `load_*` (landing → parser → raw tables), so
any partition can be re-loaded from what was landed without calling the source again.
"""
