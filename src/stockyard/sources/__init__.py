"""Connectors: HTTP, websocket, PDF, HTML and CSV sources turned into typed records. They know nothing of storage."""
