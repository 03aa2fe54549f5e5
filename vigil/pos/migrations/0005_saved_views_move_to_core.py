"""The lead report's saved views move to the one saved-view table (``core.SavedView``, list
``leads``), where every list keeps its views. Each keeps its owner, name and filters; the
report's old sort words become the sorts of its columns (``sort=date`` was newest first, the
``When`` column descending)."""

from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.db import migrations

LIST_KEY = "leads"
# The report's sorts before the list mechanism, and the column sorts that mean the same.
SORTS = {
    "severity": "",  # the default order: most severe first
    "date": "-when",
    "amount": "-value",
    "employee": "employee",
    "rule": "rule_title",
}
UNSORTS = {"-severity": "", "-when": "date", "-value": "amount", "employee": "employee",
           "rule_title": "rule"}  # fmt: skip


def _translated(query: str, sorts: dict[str, str]) -> str:
    pairs = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key == "sort":
            value = sorts.get(value, "")
            if not value:
                continue
        pairs.append((key, value))
    return urlencode(pairs)


def to_core(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("pos", "SavedView")
    new = apps.get_model("core", "SavedView")
    for view in old.objects.all().iterator():
        new.objects.update_or_create(
            user_id=view.owner_id,
            list_key=LIST_KEY,
            name=view.name,
            defaults={"query": _translated(view.query, SORTS)},
        )


def to_pos(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("pos", "SavedView")
    new = apps.get_model("core", "SavedView")
    for view in new.objects.filter(list_key=LIST_KEY).iterator():
        old.objects.update_or_create(
            owner_id=view.user_id,
            name=view.name,
            defaults={"query": _translated(view.query, UNSORTS)[:1000]},
        )
    new.objects.filter(list_key=LIST_KEY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pos", "0004_leads_keyed_by_rule_and_transaction"),
        ("core", "0007_saved_views"),
    ]

    operations = [migrations.RunPython(to_core, to_pos)]
