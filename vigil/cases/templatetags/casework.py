"""Template helpers for case pages and reports."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``details|get_item:field.key``: a template's field value by its key."""
    if isinstance(mapping, dict):
        return mapping.get(key, "")
    return ""
