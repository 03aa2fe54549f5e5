"""Demo investigations: open and closed cases with subjects, stops, statements and evidence
(a short CCTV clip and photos) in several stores, so every investigation page has something
real to show. Idempotent: it does nothing once the demo's first case exists.
"""

from __future__ import annotations

import io
import zoneinfo
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from vigil.cases import casework, filing, statements, stops
from vigil.cases.models import Case, Subject, Vehicle
from vigil.core.context import acting_as, actor_for_user
from vigil.core.models import Store, User

MEDIA = Path(__file__).with_name("demo_media")
FIRST_CASE_TITLE = "Razor sweeps across North stores"


def seed() -> int:
    """Create the demo investigations if they are missing; the number of cases created."""
    if Case.objects.filter(title=FIRST_CASE_TITLE).exists():
        return 0
    manager = User.objects.get(username="lp.manager")
    admin = User.objects.get(username="admin")
    stores = {store.code: store for store in Store.objects.all()}
    with transaction.atomic():
        with acting_as(actor_for_user(manager, via="demo")):
            _north_razor_sweep(manager, stores)
        with acting_as(actor_for_user(admin, via="demo")):
            _south_internal_theft(admin, stores)
    return 2


def _ago(days: int, hours: int = 0) -> Any:
    return timezone.now() - timedelta(days=days, hours=hours)


def _local(store: Store, days_ago: int, clock: str) -> Any:
    """``clock`` (HH:MM) on the store's own clock, ``days_ago`` days back: the narratives'
    times then match the incidents'."""
    zone = zoneinfo.ZoneInfo(store.timezone)
    day = (timezone.now().astimezone(zone) - timedelta(days=days_ago)).date()
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def _evidence(user: User, filename: str, data: bytes | None = None, **fields: Any) -> Any:
    from vigil.evidence import intake

    data = data if data is not None else (MEDIA / filename).read_bytes()
    description = {"filename": filename, "acquired_by": user.get_full_name(), **fields}
    item = intake.describe_item(user, intake.item_fields(user, description, ""))
    return intake.receive(item, io.BytesIO(data), len(data))


def _north_razor_sweep(manager: User, stores: dict[str, Store]) -> None:
    subject = Subject.objects.create(
        store=stores["S101"],
        name="Unidentified: red jacket",
        approximate_age="25-35",
        height="about 5'10\"",
        build="slim",
        hair="short, dark",
        identifying_marks="Rose tattoo on the back of the left hand",
        clothing="Red hooded jacket, grey joggers, black backpack",
        bolo_status="active",
        bolo_instructions="Do not approach. Call LP on channel 2 and start recording Cam 3.",
    )
    vehicle = Vehicle.objects.create(
        store=stores["S102"],
        plate="KDL4471",
        plate_state="MN",
        make="Honda",
        model="Civic",
        colour="Silver",
        description="Waited at the north door, engine running",
    )
    vehicle.subjects.add(subject)
    first = filing.file_incident(
        manager,
        stores["S101"],
        {
            "kind": "shoplifting",
            "summary": "Six razor packs taken from aisle 7; subject stopped outside",
            "occurred_at": _local(stores["S101"], 12, "14:32"),
            "location": "Aisle 7, health and beauty",
            "narrative": (
                "At 14:32 I saw the subject, wearing a red hooded jacket, walk to aisle 7 and "
                "take six packs of razors from the peg hook. At 14:33 the subject placed them "
                "into a black backpack. I kept the subject in view until they walked past the "
                "last register and out of the main door at 14:35 without paying. I approached "
                "outside, identified myself and asked the subject to return to the store."
            ),
            "merchandise_value": Decimal("119.94"),
            "recovered_value": Decimal("119.94"),
            "police_involved": True,
            "police_agency": "Minneapolis PD",
            "police_report_number": "MPD-26-118842",
            "police_officer": "Ofc. Dana Ruiz #4471",
            "disposition": "referred_to_police",
        },
    )
    filing.add_party(manager, first, "suspect", subject=subject)
    filing.add_party(manager, first, "witness", name="Sam Ortega (cashier)", contact="ext 204")
    stop = stops.record_stop(
        manager,
        first,
        {
            "subject": subject,
            "started_at": _local(stores["S101"], 12, "14:36"),
            "ended_at": _local(stores["S101"], 12, "15:14"),
            "present": "L. Manager (LP), S. Ortega (cashier), Ofc. Ruiz (from 15:02)",
            "outcome": "released_to_police",
        },
    )
    for element in ("approach", "selection", "concealment", "continuous_observation",
                    "failure_to_pay", "approached_outside"):  # fmt: skip
        stops.observe(manager, stop, element, {"status": "observed", "observed_by": "L. Manager"})
    statement = statements.take_statement(
        manager,
        {
            "store": stores["S101"],
            "incident": first,
            "witness_name": "Sam Ortega",
            "witness_contact": "ext 204",
            "place": "LP office",
            "started_at": _ago(12, 2),
        },
        body=(
            "I was on register 3. At about 14:35 I saw a person in a red jacket walk past my "
            "register with a full black backpack and go out of the main door. They did not "
            "stop at any register."
        ),
    )
    statements.sign(manager, statement, "Sam Ortega")
    _evidence(
        manager,
        "register-3.mp4",
        source="vms_export",
        acquired_at=_ago(12),
        incident=first.number,
        camera="Cam 3, register bank",
        camera_clock_offset_s="12.5",
        recorder_clock_offset_s="-1.2",
        description="Cam 3 export 14:31:00-14:36:00, subject passing register 3",
    )
    _evidence(
        manager,
        "aisle-7-razors.jpg",
        source="phone",
        acquired_at=_ago(12, 2),
        incident=first.number,
        description="Peg hook after the theft: 6 of 12 packs left",
    )
    second = filing.file_incident(
        manager,
        stores["S102"],
        {
            "kind": "orc",
            "summary": "Razor sweep at the north entrance; subject left in a silver Honda",
            "occurred_at": _local(stores["S102"], 5, "18:05"),
            "location": "Aisle 4 and north entrance",
            "narrative": (
                "At 18:05 Cam 1 recorded a person in a red hooded jacket take an armful of "
                "razor packs from aisle 4 and leave by the north door at 18:06 without paying. "
                "They got into a silver Honda Civic, plate KDL4471 (MN)."
            ),
            "merchandise_value": Decimal("239.88"),
            "disposition": "fled",
        },
    )
    filing.add_party(
        manager,
        second,
        "suspect",
        subject=Subject.objects.create(
            store=stores["S102"],
            name="",
            clothing="Red hooded jacket",
            description="Seen on Cam 1",
        ),
    )
    vehicle.incidents.add(second)
    _evidence(
        manager,
        "subject-at-exit.jpg",
        source="camera",
        acquired_at=_ago(5, 5),
        incident=second.number,
        camera="Cam 1, north entrance",
        camera_clock_offset_s="0",
        description="Still from Cam 1 at 18:06:12",
    )
    case = casework.open_case(
        manager,
        {
            "store": stores["S101"],
            "title": FIRST_CASE_TITLE,
            "kind": "orc",
            "priority": "high",
            "summary": "One subject, razors, two stores in nine days. Possible fence for razors.",
        },
        [first, second],
    )
    casework.link(manager, case, subject)
    casework.link(manager, case, vehicle)
    casework.save_note(manager, case, "Asked S103 to check their razor counts for the last month.")
    casework.update_case(
        manager, case, {"details": {"video_reviewed": "Cam 3 (S101), Cam 1 (S102)"}}
    )
    _share_with_police(manager, case)


def _share_with_police(manager: User, case: Case) -> None:
    """The demo police login finds this case in its portal, and nothing linked to it."""
    from vigil.core.demo import DEMO_AGENCY
    from vigil.core.models import Agency
    from vigil.sharing import grants, requests

    agency = Agency.objects.filter(name=DEMO_AGENCY).first()
    police = User.objects.filter(username="police").first()
    if agency is None or police is None:
        return
    grants.share(manager, case, agency=agency, until=_ago(-180), reason="MPD report MPD-26-118842")
    requests.submit(
        police,
        requests.RequestDetails(
            store=case.store,
            kind="subpoena",
            their_reference="SUB-2026-0415",
            sought="Entrance and aisle 7 footage of the second visit, and its receipts.",
            due_on=timezone.localdate() + timedelta(days=12),
            period_start=_ago(5, 6),
            period_end=_ago(5, 4),
        ),
    )


def _refund_journal() -> bytes:
    rows = ["date,store,register,operator,transaction,type,tender,card_token,amount"]
    for day in range(1, 29, 2):
        amount = Decimal("40.00") + Decimal(day) * Decimal("1.2")
        rows.append(
            f"2026-10-{day:02d},S104,SD1,2211,{40000 + day},refund_no_receipt,card,tok_9f31,"
            f"-{amount}"
        )
    return ("\n".join(rows) + "\n").encode("utf-8")


def _south_internal_theft(admin: User, stores: dict[str, Store]) -> None:
    incident = filing.file_incident(
        admin,
        stores["S104"],
        {
            "kind": "internal_theft",
            "summary": "Refunds to a personal card without merchandise",
            "occurred_at": _ago(30),
            "location": "Service desk",
            "narrative": (
                "Between 1 and 28 October the POS journal shows 14 refunds at the service desk "
                "to one card token, each without a receipt or returned merchandise. The "
                "refunds were processed under operator 2211."
            ),
            "merchandise_value": Decimal("812.40"),
            "recovered_value": Decimal("812.40"),
            "disposition": "employee_terminated",
            "status": "closed",
        },
    )
    _evidence(
        admin,
        "refund-journal-S104-october.csv",
        _refund_journal(),
        source="pos",
        acquired_at=_ago(29),
        incident=incident.number,
        description="POS journal excerpt: the 14 no-receipt refunds to one card token",
    )
    case = casework.open_case(
        admin,
        {
            "store": stores["S104"],
            "title": "Service-desk refunds to own card",
            "kind": "internal_theft",
            "recovered_amount": Decimal("812.40"),
        },
        [incident],
    )
    casework.update_case(
        admin,
        case,
        {
            "details": {
                "video_reviewed": "Service desk camera, 14 refunds",
                "pos_review": "14 no-receipt refunds to one card token",
                "interview": "2026-10-30 with HR present; admitted",
                "hr_outcome": "Terminated 2026-10-31; restitution agreed",
                "loss_confirmed": "POS journal",
            }
        },
    )
    for task in case.tasks.all():
        casework.set_task_status(admin, task, "done")
    casework.close_case(admin, case, "Employee terminated; full restitution of $812.40.")
    filing.file_incident(
        admin,
        stores["S105"],
        {
            "kind": "eas_alarm",
            "summary": "EAS pedestal alarm at the main door, no merchandise",
            "occurred_at": _local(stores["S105"], 2, "11:10"),
            "location": "Main entrance pedestals",
            "narrative": (
                "At 11:10 the pedestal alarmed as a customer left. I acknowledged, asked to "
                "re-scan the bag, found a live tag sewn into a jacket bought on 12 Nov."
            ),
            "disposition": "unfounded",
            "status": "closed",
        },
    )
