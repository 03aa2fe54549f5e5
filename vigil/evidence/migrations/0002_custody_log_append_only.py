"""Make the custody log append-only in PostgreSQL itself, as the audit log is.

SQL run outside Vigil cannot quietly rewrite a custody event; a superuser who disables the
trigger is caught by `vigil evidence verify`, which recomputes every chain.
"""

from django.db import migrations

CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION vigil_custody_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'evidence_custodyevent is append-only: %% refused on row %%', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER vigil_custody_event_append_only
    BEFORE UPDATE OR DELETE ON evidence_custodyevent
    FOR EACH ROW EXECUTE FUNCTION vigil_custody_event_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS vigil_custody_event_append_only ON evidence_custodyevent;
DROP FUNCTION IF EXISTS vigil_custody_event_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
