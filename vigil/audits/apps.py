from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditsConfig(AppConfig):
    name = "vigil.audits"
    label = "audits"
    verbose_name = "Floor walks and audits"

    def ready(self) -> None:
        post_migrate.connect(_install_checklists, sender=self)


def _install_checklists(sender: Any, **kwargs: Any) -> None:
    """After every migrate: add the shipped checklists' versions not yet in the database."""
    from vigil.audits.walks import install_checklists

    install_checklists(using=kwargs.get("using", "default"))
