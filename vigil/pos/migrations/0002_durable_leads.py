"""Exceptions become durable leads (the new fields); data sets get their digest, scans their
job; reviews get reasons, history and saved views. 0003 folds the old rows, 0004 finishes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_default_case_templates"),
        ("core", "0004_task_leases"),
        ("pos", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ExplanationReason",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(max_length=120, unique=True)),
                ("active", models.BooleanField(default=True, help_text="Offered to reviewers")),
                ("order", models.PositiveSmallIntegerField(default=100)),
            ],
            options={
                "ordering": ["order", "label"],
            },
        ),
        migrations.CreateModel(
            name="LeadReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("explained", "Explained"),
                            ("coaching", "Coaching"),
                            ("escalated", "Escalated to a case"),
                        ],
                        max_length=16,
                    ),
                ),
                ("note", models.TextField(blank=True)),
                ("reviewed_at", models.DateTimeField()),
                (
                    "batch",
                    models.UUIDField(
                        blank=True,
                        help_text="Shared by the leads reviewed together in one bulk review",
                        null=True,
                    ),
                ),
            ],
            options={
                "ordering": ["-reviewed_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SavedView",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=80)),
                (
                    "query",
                    models.CharField(
                        help_text="The report's filters as a query string", max_length=1000
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="dataset",
            name="digest",
            field=models.CharField(
                editable=False,
                help_text="SHA-256 of the tables' contents in the contract's order: the same export, whatever it is called or however it arrives, has the same digest",
                max_length=64,
                null=True,
                unique=True,
            ),
        ),
        migrations.AddField(
            model_name="dataset",
            name="source_signature",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Names, sizes and dates of the files it came from, hashed (see digests.py)",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="dataset",
            name="known_transactions",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Transactions an earlier data set had already brought",
            ),
        ),
        migrations.AddField(
            model_name="posexception",
            name="data_set",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="leads",
                to="pos.dataset",
            ),
        ),
        migrations.AddField(
            model_name="posexception",
            name="first_raised_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="posexception",
            name="first_scan",
            field=models.ForeignKey(
                help_text="The scan that first raised the lead",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="pos.scan",
            ),
        ),
        migrations.AddField(
            model_name="posexception",
            name="last_scan",
            field=models.ForeignKey(
                help_text="The newest scan that raised it (or, once retired, that no longer did)",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="pos.scan",
            ),
        ),
        migrations.AddField(
            model_name="posexception",
            name="no_longer_raised_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="When a scan of its data set stopped raising it (its rule removed or changed)",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="scan",
            name="leads",
            field=models.JSONField(
                default=dict,
                editable=False,
                help_text="What the scan did to its data set's leads: new, updated, kept, retired",
            ),
        ),
        migrations.AddField(
            model_name="scan",
            name="process",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="host:pid of the process running it, to tell a live scan from a dead one",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="scan",
            name="task_run",
            field=models.ForeignKey(
                blank=True,
                help_text="The background job that ran it, if any (a lost job fails its scan)",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.taskrun",
            ),
        ),
        migrations.AddField(
            model_name="posexception",
            name="reason",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="pos.explanationreason",
            ),
        ),
        migrations.AddField(
            model_name="leadreview",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="cases.case",
            ),
        ),
        migrations.AddField(
            model_name="leadreview",
            name="lead",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reviews",
                to="pos.posexception",
            ),
        ),
        migrations.AddField(
            model_name="leadreview",
            name="reason",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="pos.explanationreason",
            ),
        ),
        migrations.AddField(
            model_name="leadreview",
            name="reviewed_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="savedview",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="pos_views",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
