"""Filters for reports' figures: ``{% load figures %}``."""

from __future__ import annotations

from typing import Any

from django import template

from vigil.core import charts

register = template.Library()


@register.filter
def percent(value: Any, digits: int = 1) -> str:
    """``0.0412|percent`` is "4.1 %" (``|percent:2`` for "4.12 %"); nothing gives "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f} %"


@register.filter
def times(value: Any) -> str:
    """``2.94|times`` is "2.9x"; nothing gives "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.1f}x"


@register.filter
def money(value: Any, currency: str = "USD") -> str:
    """``43860.05|money:"USD"`` is "$43,860": whole units with thousands separators, for key
    figures and charts (tables keep the cents with ``floatformat:"2g"``); nothing gives "—"."""
    if value is None or value == "":
        return "—"
    return charts.money_text(float(value), currency or "USD")
