"""Shrink's words for templates: ``{% load shrink %}``, then
``{{ spot.department|department }}``."""

from __future__ import annotations

from django import template

from vigil.shrink import departments

register = template.Library()


@register.filter
def department(code: str) -> str:
    """``otc_medicine`` is "OTC medicine" (see ``vigil.shrink.departments``)."""
    return departments.label(str(code or ""))


@register.filter
def naming(text: str, code: str) -> str:
    """``{{ spot.reasons.0|naming:spot.department }}``: the engine's sentence with the
    department in words."""
    return departments.in_words(str(text or ""), str(code or ""))
