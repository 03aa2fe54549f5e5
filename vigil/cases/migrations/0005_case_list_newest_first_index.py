"""Cases newest first across many stores: the case list and ``/api/v1/cases`` of a region's
manager read this index in order and stop at a page, instead of sorting every case in scope
(100,000 cases: a 200 ms sort per page; see bench/README.md, load benchmark)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-opened_at"], name="case_newest_first"),
        ),
    ]
