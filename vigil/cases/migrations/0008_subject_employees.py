# Subjects who are employees: one per POS employee id, with their people record when held.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_case_due_dates"),
        ("core", "0007_saved_views"),
    ]

    operations = [
        migrations.AddField(
            model_name="subject",
            name="kind",
            field=models.CharField(
                choices=[("public", "Member of the public"), ("employee", "Employee")],
                default="public",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="subject",
            name="employee_id",
            field=models.CharField(
                blank=True, help_text="The POS employee id, for an employee subject", max_length=64
            ),
        ),
        migrations.AddField(
            model_name="subject",
            name="person",
            field=models.ForeignKey(
                blank=True,
                help_text="Their people record, when Vigil holds one",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="subjects",
                to="core.person",
            ),
        ),
        migrations.AddConstraint(
            model_name="subject",
            constraint=models.UniqueConstraint(
                condition=models.Q(("employee_id", ""), _negated=True),
                fields=("employee_id",),
                name="one_subject_per_employee",
            ),
        ),
    ]
