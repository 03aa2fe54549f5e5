"""Load the case templates Vigil ships (see ``vigil.cases.casetypes``)."""

from django.db import migrations


def load_templates(apps, schema_editor):
    from vigil.cases.casetypes import DEFAULT_TEMPLATES

    template_model = apps.get_model("cases", "CaseTemplate")
    for kind, template in DEFAULT_TEMPLATES.items():
        if not template_model.objects.filter(kind=kind, is_active=True).exists():
            template_model.objects.create(
                kind=kind, name=template["name"], fields=template["fields"], tasks=template["tasks"]
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(load_templates, migrations.RunPython.noop)]
