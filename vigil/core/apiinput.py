"""What every API operation refuses once its input is parsed and before its handler runs: values
no database of Vigil's can keep, which would otherwise end as a 500 deep in a query.

- A NUL character in any text (a field, a filter, a path): PostgreSQL's text types cannot hold
  one, and cannot even be asked whether a row has one.
- A UTC offset beyond ±14:00 on a time: no place on Earth uses one, and PostgreSQL stores at most
  ±15:59, where RFC 3339 (and so the schema's ``date-time``) allows ±23:59.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from typing import Any

from django.http import HttpRequest
from ninja.errors import ValidationError
from pydantic import BaseModel

MAX_UTC_OFFSET = timedelta(hours=14)


def refuse_unstorable(view: Callable[..., Any]) -> Callable[..., Any]:
    """An operation decorator (``api.add_decorator``): a 422 naming every value that cannot be
    stored, in the API's usual validation error shape."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        errors = [error for name, value in kwargs.items() for error in problems(value, (name,))]
        if errors:
            raise ValidationError(errors)
        return view(request, *args, **kwargs)

    return checked


def problems(value: Any, loc: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """An error (pydantic's ``loc``/``msg``) for each unstorable value in ``value``."""
    if isinstance(value, BaseModel):
        value = dict(value)
    if isinstance(value, dict):
        for key, item in value.items():
            yield from problems(key, loc)
            yield from problems(item, (*loc, str(key)))
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from problems(item, (*loc, str(index)))
    elif isinstance(value, str) and "\x00" in value:
        yield {"loc": loc, "msg": "contains a NUL character (\\u0000); remove it"}
    elif isinstance(value, datetime | time) and _offset_out_of_range(value):
        yield {"loc": loc, "msg": "give a UTC offset from -14:00 to +14:00"}


def _offset_out_of_range(value: datetime | time) -> bool:
    offset = value.utcoffset()
    return offset is not None and abs(offset) > MAX_UTC_OFFSET
