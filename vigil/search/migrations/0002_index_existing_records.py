"""Index the records a database held before search existed (an upgraded demo, say)."""

from django.db import migrations


def index_everything(apps, schema_editor):
    from vigil.search import index

    index.rebuild(registry=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("cases", "0004_list_indexes"),
        ("evidence", "0002_custody_log_append_only"),
        ("core", "0006_sharing_agencies_and_audit_actions"),
    ]

    operations = [migrations.RunPython(index_everything, migrations.RunPython.noop)]
