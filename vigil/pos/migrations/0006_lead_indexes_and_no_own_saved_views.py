"""Indexes for the lead report's sorts and its case-blind employee filter, so its pages stay
fast on a million leads; and the report's own saved-view table goes, its rows having moved
to ``core.SavedView`` (0005)."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_saved_views"),
        ("pos", "0005_saved_views_move_to_core"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="posexception",
            index=models.Index(
                fields=["-severity", "business_date", "id"], name="pos_lead_by_severity"
            ),
        ),
        migrations.AddIndex(
            model_name="posexception",
            index=models.Index(fields=["business_date", "at_text", "id"], name="pos_lead_by_time"),
        ),
        migrations.AddIndex(
            model_name="posexception",
            index=models.Index(fields=["amount", "id"], name="pos_lead_by_amount"),
        ),
        migrations.AddIndex(
            model_name="posexception",
            index=models.Index(fields=["rule_title", "id"], name="pos_lead_by_rule_title"),
        ),
        migrations.AddIndex(
            model_name="posexception",
            index=models.Index(fields=["status", "id"], name="pos_lead_by_status"),
        ),
        migrations.AddIndex(
            model_name="posexception",
            index=models.Index(
                django.db.models.functions.text.Upper("employee_id"),
                name="pos_lead_employee_upper",
            ),
        ),
        migrations.DeleteModel(name="SavedView"),
    ]
