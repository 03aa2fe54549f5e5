"""Exceptions become durable leads, one per (rule, store, transaction).

Rows of earlier scans are folded into one lead per key: the reviewed one if any (escalated,
then coaching, then explained), else the newest. A lead its data set's newest scan did not
raise is marked no longer raised. The explanation reasons get their first choices.
"""

from django.db import migrations

REVIEW_WEIGHT = {"escalated": 3, "coaching": 2, "explained": 1, "new": 0}
FIRST_REASONS = (
    "Customer present, transaction verified on video",
    "Manager-approved (approval on file)",
    "Price or system error, corrected",
    "Training or test transaction",
    "Legitimate return (receipt or history found)",
    "Staff purchase within policy",
)


def leads_from_scan_rows(apps, schema_editor):
    PosException = apps.get_model("pos", "PosException")
    Scan = apps.get_model("pos", "Scan")
    newest = {}
    for scan in Scan.objects.filter(status="done").order_by("finished_at", "pk"):
        newest[scan.data_set_id] = scan.pk
    keep, raised_now = {}, set()
    rows = PosException.objects.order_by("pk").values(
        "pk", "rule", "store_id", "transaction_id", "status", "scan_id"
    )
    for row in rows.iterator():
        key = (row["rule"], row["store_id"], row["transaction_id"])
        rank = (REVIEW_WEIGHT.get(row["status"], 0), row["pk"])
        if key not in keep or rank > keep[key][0]:
            keep[key] = (rank, row["pk"])
        if row["scan_id"] in newest.values():
            raised_now.add(key)
    kept = {pk for _, pk in keep.values()}
    _keep_reviews(apps, keep)
    doomed = list(PosException.objects.exclude(pk__in=kept).values_list("pk", flat=True))
    for start in range(0, len(doomed), 500):
        PosException.objects.filter(pk__in=doomed[start : start + 500]).delete()
    for lead in PosException.objects.select_related("scan").iterator():
        key = (lead.rule, lead.store_id, lead.transaction_id)
        lead.data_set_id = lead.scan.data_set_id
        lead.first_scan_id = lead.scan_id
        lead.first_raised_at = lead.scan.started_at
        if key in raised_now:
            lead.last_scan_id = newest.get(lead.scan.data_set_id, lead.scan_id)
        else:
            lead.last_scan_id = lead.scan_id
            lead.no_longer_raised_at = lead.scan.finished_at or lead.scan.started_at
        lead.save(
            update_fields=[
                "data_set",
                "first_scan",
                "last_scan",
                "first_raised_at",
                "no_longer_raised_at",
            ]
        )


def _keep_reviews(apps, keep):
    """Every reviewed row of a key becomes a step of its lead's history before the copies
    go, and the lead keeps a case link if any copy had one."""
    PosException = apps.get_model("pos", "PosException")
    LeadReview = apps.get_model("pos", "LeadReview")
    survivor = {key: pk for key, (_, pk) in keep.items()}
    reviewed = PosException.objects.exclude(status="new").order_by("reviewed_at", "pk")
    steps, cases = [], {}
    for row in reviewed.iterator():
        lead = survivor[(row.rule, row.store_id, row.transaction_id)]
        steps.append(
            LeadReview(
                lead_id=lead,
                status=row.status,
                note=row.review_note,
                case_id=row.case_id,
                reviewed_by_id=row.reviewed_by_id,
                reviewed_at=row.reviewed_at or row.scan.started_at,
            )
        )
        if row.case_id is not None:
            cases.setdefault(lead, row.case_id)
    LeadReview.objects.bulk_create(steps, batch_size=500)
    for lead, case in cases.items():
        PosException.objects.filter(pk=lead, case__isnull=True).update(case_id=case)


def default_reasons(apps, schema_editor):
    ExplanationReason = apps.get_model("pos", "ExplanationReason")
    for order, label in enumerate(FIRST_REASONS, start=1):
        ExplanationReason.objects.get_or_create(label=label, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("pos", "0002_durable_leads")]

    operations = [
        migrations.RunPython(leads_from_scan_rows, migrations.RunPython.noop),
        migrations.RunPython(default_reasons, migrations.RunPython.noop),
    ]
