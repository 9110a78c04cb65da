"""Alerts: follows (saved trade filters with a delivery channel), and what each publish owes them.

Layered between the warehouse (it reads published trades and their versions from the serving
snapshot) and the API, pipeline and CLI that expose it. Its own state lives in a small SQLite
file (store.py), never in the warehouse or a snapshot.
"""
