"""Leads no longer belong to one scan: one per (rule, store, transaction), under a data set."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pos", "0003_fold_scan_rows_into_leads")]

    operations = [
        migrations.RemoveIndex(
            model_name="posexception",
            name="pos_posexce_scan_id_226bca_idx",
        ),
        migrations.RemoveField(
            model_name="posexception",
            name="scan",
        ),
        migrations.AlterField(
            model_name="posexception",
            name="data_set",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="leads", to="pos.dataset"
            ),
        ),
        migrations.AlterField(
            model_name="posexception",
            name="transaction_id",
            field=models.CharField(db_index=True, max_length=100),
        ),
        migrations.AddIndex(
            model_name="posexception",
            index=models.Index(
                fields=["data_set", "store", "business_date"], name="pos_posexce_data_se_869139_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="posexception",
            index=models.Index(
                fields=["store", "status", "no_longer_raised_at"],
                name="pos_posexce_store_i_2febf2_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="posexception",
            constraint=models.UniqueConstraint(
                fields=("rule", "store", "transaction_id"), name="one_lead_per_rule_and_transaction"
            ),
        ),
        migrations.AddConstraint(
            model_name="savedview",
            constraint=models.UniqueConstraint(
                fields=("owner", "name"), name="one_saved_view_per_name"
            ),
        ),
    ]
