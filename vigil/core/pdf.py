"""PDF documents (reports, certificates, timelines) rendered from HTML templates by WeasyPrint,
with times in the store's own time zone: the clock its receipts and cameras use."""

from __future__ import annotations

import logging
import zoneinfo
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from vigil.core.models import Store

# WeasyPrint is chatty about CSS it ignores; a report is not the place to hear it.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def render_pdf(template: str, context: dict[str, Any], store: Store | None) -> bytes:
    """``template`` rendered with ``context`` (plus ``store``, ``generated_at`` and ``zone``).

    A document of no one store (a chain summary) is in the installation's time zone."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # a second to load: only here

    zone = zoneinfo.ZoneInfo(store.timezone if store else settings.TIME_ZONE)
    with timezone.override(zone):
        html = render_to_string(
            template, {**context, "store": store, "generated_at": timezone.now(), "zone": zone}
        )
    return bytes(HTML(string=html).write_pdf())
