"""My work: what is waiting for one person, gathered from every app that has some.

Each app declares its *work sources* in its own ``my_work.py`` (cases, POS, audits, video,
sharing, training) and registers them here with :func:`register`. This module knows none of
their models: a source is a label, who it is for, and two functions of the app — a bounded
count and the first few items — so the page and the menu's badge ask the same functions
and cannot disagree.

Counting is kept cheap because the badge is in every page's menu: one ``COUNT`` per source,
stopped at :data:`CAP` rows (a manager with 5,000 leads to review sees "100+", and the
database never counts past 100), computed once per request, and kept for
:data:`BADGE_SECONDS` so the pages between two visits to My work do not pay for it again.
The My work page itself always counts afresh and refreshes the badge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules

from vigil.core import clock

if TYPE_CHECKING:
    from vigil.core.models import Store, User

CAP = 100  # a count stops here: "100+"
SHOWN = 5  # items a section lists; the rest are one click away on the app's own list
BADGE_SECONDS = 30
_REQUEST_ATTR = "_vigil_work_counts"
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class WorkItem:
    """One thing to do, and the address of the page where it is done."""

    title: str
    url: str
    store: Store | None = None
    detail: str = ""
    due_on: dt.date | None = None
    at: dt.datetime | None = None  # when it happened or was opened, shown on the store's clock
    at_label: str = ""  # what ``at`` is: "raised", "opened", "taken"
    urgent: str = ""  # "High priority", "Critical": flagged beside the title

    @property
    def due_state(self) -> str:
        """``overdue``, ``today`` or ``""``, by the date on the store's own calendar."""
        if self.due_on is None:
            return ""
        today = clock.today_at(self.store)
        if self.due_on < today:
            return "overdue"
        return "today" if self.due_on == today else ""

    @property
    def days_late(self) -> int:
        if self.due_on is None:
            return 0
        return max(0, (clock.today_at(self.store) - self.due_on).days)


Counter = Callable[["User", "Store | None"], int]
Lister = Callable[["User", "Store | None", int], list[WorkItem]]


@dataclass(frozen=True)
class WorkSource:
    """What one app asks of a person: "Camera alerts to acknowledge", say.

    ``applies`` says whether the user's role does this work at all (an executive
    acknowledges no alerts); ``count`` is bounded with :func:`bounded_count`; ``items`` lists
    the most pressing first (overdue before due, high priority before low). ``see_all``
    names the app's list, filtered to this work, where there is one; ``next_step`` is what
    the empty page offers instead: a label and a URL name.
    """

    key: str
    label: str
    order: int
    applies: Callable[[User], bool]
    count: Counter
    items: Lister
    see_all: Callable[[], str] | None = None
    next_step: tuple[str, str] | None = None
    # Whether the menu's badge counts it: a person's own work does; a team's shared queue
    # (thousands of POS leads) is listed on the page but would pin the badge at "99+".
    in_badge: bool = True


@dataclass(frozen=True)
class Section:
    source: WorkSource
    count: int
    items: list[WorkItem] = field(default_factory=list)

    @property
    def count_label(self) -> str:
        return label_of(self.count)

    @property
    def more(self) -> bool:
        return self.count >= CAP or self.count > len(self.items)

    @property
    def see_all_url(self) -> str | None:
        return self.source.see_all() if self.source.see_all else None


_SOURCES: dict[str, WorkSource] = {}
_discovered = False


def register(*sources: WorkSource) -> None:
    """Called by an app's ``my_work`` module: these sources appear on My work."""
    for source in sources:
        _SOURCES[source.key] = source


def all_sources() -> list[WorkSource]:
    global _discovered
    if not _discovered:
        autodiscover_modules("my_work")  # each installed app's my_work.py, like admin.py
        _discovered = True
    return sorted(_SOURCES.values(), key=lambda source: source.order)


def sources_for(user: User) -> list[WorkSource]:
    """The sources of work this user's role does; none for police, legal and insurers."""
    from vigil.core.models import Role

    if not user.is_authenticated or user.role == Role.EXTERNAL:
        return []
    return [source for source in all_sources() if source.applies(user)]


def offers_work(user: Any) -> bool:
    """Whether "My work" belongs in this user's menu: some source applies to their role."""
    return bool(getattr(user, "is_authenticated", False)) and bool(sources_for(user))


def bounded_count(found: QuerySet[Any]) -> int:
    """``found``'s rows, counted no further than :data:`CAP` (``COUNT`` over ``LIMIT``)."""
    return found.order_by()[:CAP].count()


def in_store(found: QuerySet[M], store: Store | None, path: str = "store") -> QuerySet[M]:
    """``found`` narrowed to the store switcher's store, when one is chosen."""
    return found.filter(**{path: store}) if store is not None else found


def label_of(count: int) -> str:
    return f"{CAP}+" if count >= CAP else f"{count:,}"


# --- counts for the menu, and the page ------------------------------------------------


@dataclass(frozen=True)
class WorkCounts:
    """Per source key, how many items wait; the badge is the total of those it counts."""

    by_source: dict[str, int]
    not_in_badge: frozenset[str] = frozenset()

    @property
    def total(self) -> int:
        return sum(n for key, n in self.by_source.items() if key not in self.not_in_badge)

    @property
    def label(self) -> str:
        return "99+" if self.total > 99 else str(self.total)


def counts_for(request: HttpRequest, store: Store | None, *, fresh: bool = False) -> WorkCounts:
    """The counts of the signed-in user's work in ``store`` (None: all their stores).

    Once per request; between requests from the short cache unless ``fresh`` (My work itself).
    """
    memo: WorkCounts | None = getattr(request, _REQUEST_ATTR, None)
    if memo is not None and not fresh:
        return memo
    user = request.user
    key = f"vigil:my-work:{user.pk}:{store.pk if store else 'all'}"
    counts = None if fresh else cache.get(key)
    if not isinstance(counts, WorkCounts):
        counts = count_work(user, store)  # type: ignore[arg-type]
        cache.set(key, counts, BADGE_SECONDS)
    setattr(request, _REQUEST_ATTR, counts)
    return counts


def count_work(user: User, store: Store | None) -> WorkCounts:
    sources = sources_for(user)
    return WorkCounts(
        {source.key: source.count(user, store) for source in sources},
        frozenset(source.key for source in sources if not source.in_badge),
    )


def board_for(request: HttpRequest, store: Store | None) -> list[Section]:
    """My work's sections, each with its count and first items; empty sources left out."""
    user: User = request.user  # type: ignore[assignment]
    counts = counts_for(request, store, fresh=True)
    return [
        Section(source, counts.by_source[source.key], source.items(user, store, SHOWN))
        for source in sources_for(user)
        if counts.by_source.get(source.key)
    ]


def idle_sources(request: HttpRequest, sections: Iterable[Section]) -> list[WorkSource]:
    """The user's sources with nothing waiting: named on the page so "nothing" is plain."""
    busy = {section.source.key for section in sections}
    return [s for s in sources_for(request.user) if s.key not in busy]  # type: ignore[arg-type]


class MenuCount:
    """The badge beside "My work" in the menu: counted only if a template reads it."""

    def __init__(self, request: HttpRequest, store: Store | None) -> None:
        self._request = request
        self._store = store

    @property
    def total(self) -> int:
        return counts_for(self._request, self._store).total

    @property
    def label(self) -> str:
        return counts_for(self._request, self._store).label
