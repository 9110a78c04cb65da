"""The JSON API over the published marts: ``create_app()`` builds it; ``/docs`` documents it."""

from stockyard.api.app import create_app

__all__ = ["create_app"]
