"""Leads no longer belong to one scan: one per (rule, store, transaction), under a data set."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pos", "0003_fold_scan_rows_into_leads")]

    operations = [
        migrations.RemoveIndex(
            model_name='posexception',
            name='pos_posexce_scan_id_226bca_idx',
        ),
        migrations.RemoveField(
            model_name='posexception',
            name='scan',
        ),
        migrations.AlterField(
            model_name='posexception',
            name='data_set',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='leads', to='pos.dataset'),
        ),
        migrations.AddIndex(
            model_name='posexception',
            index=models.Index(fields=['data_set', 'store', 'business_date'], name='pos_posexce_data_se_869139_idx'),
        ),
        migrations.AddIndex(
            model_name='posexception',
            index=models.Index(fields=['store', 'status', 'no_longer_raised_at'], name='pos_posexce_store_i_2febf2_idx'),
        ),
        migrations.AddConstraint(
            model_name='posexception',
            constraint=models.UniqueConstraint(fields=('rule', 'store', 'transaction_id'), name='one_lead_per_rule_and_transaction'),
        ),
        migrations.AddField(
            model_name='leadreview',
            name='case',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.case'),
        ),
        migrations.AddField(
            model_name='leadreview',
            name='lead',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='pos.posexception'),
        ),
        migrations.AddField(
            model_name='leadreview',
            name='reason',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='pos.explanationreason'),
        ),
        migrations.AddField(
            model_name='leadreview',
            name='reviewed_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='savedview',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pos_views', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='savedview',
            constraint=models.UniqueConstraint(fields=('owner', 'name'), name='one_saved_view_per_name'),
        ),
    ]
