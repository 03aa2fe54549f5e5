"""Make the audit log append-only in the database itself, and start the chain.

On PostgreSQL a trigger rejects UPDATE and DELETE on core_auditevent, so even SQL run
outside Vigil cannot quietly rewrite history (a superuser can still disable the trigger;
`vigil audit verify` catches what they then change). SQLite has no roles to keep an
attacker out anyway; there the model refuses changes and verification does the rest.
"""

from django.db import migrations

# `%%` because the schema editor passes parameters, so a lone % would be a placeholder.
CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION vigil_audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: %% refused on row %%', TG_OP, OLD.seq
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER vigil_audit_event_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION vigil_audit_event_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS vigil_audit_event_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS vigil_audit_event_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


def start_chain(apps, schema_editor):
    head_model = apps.get_model("core", "AuditChainHead")
    if not head_model.objects.exists():
        head_model.objects.create(seq=0, hash="0" * 64)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
        migrations.RunPython(start_chain, migrations.RunPython.noop),
    ]
