"""The search index table, and each database's full-text machinery beside it.

SQLite gets two FTS5 tables and the triggers that keep them in step; PostgreSQL the
``pg_trgm`` extension, a generated ``tsvector`` column and three GIN indexes (the SQL is in
``vigil.search.backends``). A later migration that makes SQLite rebuild ``search_entry``
drops its triggers with the old table: run ``vigil search reindex`` after it, or reinstall
them in that migration (``backends.for_vendor(...).install()``).
"""

import django.db.models.deletion
from django.db import migrations, models


def install(apps, schema_editor):
    from vigil.search import backends

    backends.for_vendor(schema_editor.connection.vendor).install()


def uninstall(apps, schema_editor):
    from vigil.search import backends

    backends.for_vendor(schema_editor.connection.vendor).uninstall()


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0006_sharing_agencies_and_audit_actions'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('incident', 'Incidents'), ('case', 'Cases'), ('subject', 'Subjects'), ('vehicle', 'Vehicles'), ('evidence', 'Evidence'), ('lead', 'POS leads'), ('person', 'People')], max_length=16)),
                ('object_id', models.PositiveBigIntegerField()),
                ('happened_at', models.DateTimeField(blank=True, help_text='When it happened or was recorded: newest first', null=True)),
                ('words', models.TextField(blank=True, help_text='Names, descriptions, narrative: folded')),
                ('keys', models.TextField(blank=True, help_text='Reference numbers and ids, upper case')),
                ('plate', models.CharField(blank=True, db_index=True, help_text="A vehicle's plate, class form", max_length=20)),
                ('digest', models.CharField(blank=True, db_index=True, help_text="An evidence item's SHA-256", max_length=64)),
                ('indexed_at', models.DateTimeField(auto_now=True)),
                ('store', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.store')),
            ],
            options={
                'verbose_name_plural': 'search entries',
                'db_table': 'search_entry',
                'indexes': [models.Index(fields=['store', 'kind'], name='search_store_kind'), models.Index(fields=['kind', 'happened_at', 'id'], name='search_kind_newest')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='one_entry_per_record')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
