"""Input limits that keep a record sound: no time that has not happened yet, no text longer
than a reader (or a court bundle) can take.

- **Times.** An incident occurred, a statement was taken, at a moment that has passed. A time
  later than now (plus a few minutes, for a phone whose clock runs ahead of the server's) is a
  typing slip, such as a wrong year, and is refused with the store's own clock in the message.
- **Text.** A narrative or a statement is a few pages; 294,000 characters made a 54-page PDF.
  Long text (narratives, statements, case notes) stops at :data:`LONG_TEXT_CHARS`, a note at
  :data:`NOTE_CHARS`. Line breaks count once, as the browser's counter counts them (a form
  sends each as ``\\r\\n``).

Pages show a counter under every text box with a ``maxlength`` (``vigil/char-count.js``); the
models and the API schemas refuse what is longer, so a page, the API and a script agree.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from pydantic import Field

from vigil.core import clock

CLOCK_SKEW = timedelta(minutes=5)
LONG_TEXT_CHARS = 20_000  # about 3,000 words: six pages of a report
NOTE_CHARS = 4_000  # about a page

# The API's text fields, documented with their limit in the OpenAPI schema.
LongText = Annotated[str, Field(max_length=LONG_TEXT_CHARS)]
NoteText = Annotated[str, Field(max_length=NOTE_CHARS)]


def characters(text: str) -> int:
    """How many characters ``text`` has as a reader counts them: a line break is one."""
    return len(text.replace("\r\n", "\n"))


@deconstructible
class TextLimit:
    """A validator: at most ``limit`` characters, said with thousands separators."""

    code = "max_length"

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: str) -> None:
        error = too_long(value, self.limit)
        if error:
            raise ValidationError(error, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextLimit) and other.limit == self.limit

    def __hash__(self) -> int:
        return hash(self.limit)


def too_long(value: str | None, limit: int) -> str | None:
    """The field error for text over ``limit`` characters; None when it fits."""
    length = characters(value or "")
    if length <= limit:
        return None
    return (
        f"Keep this to {limit:,} characters or fewer; it has {length:,} "
        f"({length - limit:,} too many)."
    )


def text_box(limit: int, rows: int, **attrs: Any) -> forms.Textarea:
    """A text box that stops at ``limit`` characters and shows its counter on the page."""
    return forms.Textarea(attrs={"rows": rows, "maxlength": limit, **attrs})


def limited_text(limit: int, rows: int, **options: Any) -> forms.CharField:
    """A form's free-text field of at most ``limit`` characters, with its counter."""
    return forms.CharField(widget=text_box(limit, rows), validators=[TextLimit(limit)], **options)


def future_error(value: datetime | None, store: Any, now: datetime | None = None) -> str | None:
    """The field error for a time that has not come yet (beyond the clock skew), or None."""
    if not isinstance(value, datetime):  # absent, or refused already as not a time
        return None
    now = now or timezone.now()
    if value <= now + CLOCK_SKEW:
        return None
    return (
        f"{clock.at_store(value, store)} has not happened yet (it is now "
        f"{clock.at_store(now, store)}). Enter when it happened."
    )


def refuse_future(store: Any, **times: datetime | None) -> None:
    """Refuse every named time that is in the future, each as an error on its own field."""
    now = timezone.now()
    errors = {
        name: message
        for name, value in times.items()
        if (message := future_error(value, store, now)) is not None
    }
    if errors:
        raise ValidationError(errors)
