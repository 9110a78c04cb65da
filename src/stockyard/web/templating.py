"""The one Jinja environment the pages render with, with our filters registered."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from stockyard.web import formatting, links

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"


def build_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=WEB_DIR / "templates")
    env = templates.env
    # Block tags on their own lines should not leave blank lines in the served HTML.
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters["amount_band"] = formatting.amount_band
    env.filters["owner_name"] = formatting.owner_name
    env.filters["tx_type_name"] = formatting.tx_type_name
    env.filters["party_letter"] = formatting.party_letter
    env.filters["source_label"] = formatting.source_label
    env.filters["iso_date"] = formatting.iso_date
    env.filters["iso_datetime"] = formatting.iso_datetime
    env.filters["dollars"] = formatting.dollars
    env.filters["percent"] = formatting.percent
    env.filters["status_label"] = formatting.status_label
    env.filters["plural"] = formatting.plural
    env.globals["seat"] = formatting.seat
    env.globals["with_params"] = links.with_params
    env.globals["sort_link"] = links.sort_link
    env.globals["aria_sort"] = links.aria_sort
    return templates


templates = build_templates()
