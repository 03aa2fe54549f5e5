"""What a POS lead brings to the case it is escalated or linked to, besides its journal
(attached as evidence by :mod:`vigil.pos.reviews`): its employee as a subject of the case,
and its camera window as tasks.

The camera window is a task, "Pull video: camera lanes-1-4, 2026-03-02 14:02 to 14:08 CST
(store time) …", one per camera that sees the register, due the next day in the store: the
footage is on a recorder that overwrites it, so pulling it is work someone must do, soon,
and tick off — not a fact for the timeline. The window is the journal's (two minutes before
the transaction started to two after it ended), in the store's time, labelled.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from vigil.cases import casework, linking
from vigil.cases.models import Case, CaseTask
from vigil.core import clock
from vigil.core.models import User
from vigil.pos import journal
from vigil.pos.models import PosException
from vigil.video.cameras import cameras_on_register

TITLE_LIMIT = 200  # CaseTask.title
EN_DASH = "\u2013"  # between the window's two times, as a reader writes a range


def arrive(user: User, lead: PosException, case: Case, found: journal.Journal | None) -> None:
    """Link the lead's employee and add the tasks to pull its video; each once."""
    if lead.employee_id:
        linking.employee_subject(user, case, lead.employee_id, lead.store, lead.person)
    for title in video_tasks(lead, found):
        if not CaseTask.objects.filter(case=case, title=title).exists():
            casework.add_task(user, case, title, due_on=_tomorrow(lead), assignee=case.assignee)


def video_tasks(lead: PosException, found: journal.Journal | None) -> list[str]:
    """One "Pull video" task title per camera on the lead's register (one saying so when
    none is mapped)."""
    window = camera_window(lead, found)
    about = f"transaction {lead.transaction_id}"
    if not lead.register_id:
        return [_fit(f"Pull video: {window}, {about} (the data names no register)")]
    cameras = cameras_on_register(lead.store, lead.register_id)
    if not cameras:
        return [
            _fit(
                f"Pull video: no camera is mapped to register {lead.register_id}; find the one "
                f"that sees it, {window}, {about}"
            )
        ]
    return [
        _fit(f"Pull video: camera {camera.name}, {window}, register {lead.register_id}, {about}")
        for camera in cameras
    ]


def camera_window(lead: PosException, found: journal.Journal | None) -> str:
    """ "2026-03-02 14:02 to 14:08 CST (store time)" (the times joined by an en dash): the
    journal's window, or two minutes either side of the time the lead was rung when its
    journal cannot be read."""
    start_text, end_text = (found.video_from, found.video_to) if found else ("", "")
    if not start_text:
        start_text, end_text = journal.video_window({"started_at": lead.at_text})
    start, end = _moment(start_text), _moment(end_text)
    if start is None or end is None:
        return f"{lead.business_date:%Y-%m-%d} (the data has no time for it)"
    first, last = clock.local(start, lead.store), clock.local(end, lead.store)
    until = f"{last:%H:%M}" if last.date() == first.date() else f"{last:%Y-%m-%d %H:%M}"
    return f"{first:%Y-%m-%d %H:%M}{EN_DASH}{until} {last.tzname()} (store time)"


def _moment(text: str) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo is not None else None


def _tomorrow(lead: PosException) -> datetime.date:
    return timezone.localtime(timezone=clock.zone_of(lead.store)).date() + datetime.timedelta(1)


def _fit(title: str) -> str:
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1] + "…"
