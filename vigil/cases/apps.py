from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "vigil.cases"
    label = "cases"
    verbose_name = "Incidents and cases"

    def ready(self) -> None:
        # A BOLO becoming active is pushed to its region, whatever saved it.
        from vigil.cases import bolo  # noqa: F401
