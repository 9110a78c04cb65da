"""Server-rendered pages over the API: ``create_web_app()`` is the API app plus the pages."""

from stockyard.web.app import create_web_app

__all__ = ["create_web_app"]
