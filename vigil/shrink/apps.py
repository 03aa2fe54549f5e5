from typing import Any

from django.apps import AppConfig


class ShrinkConfig(AppConfig):
    name = "vigil.shrink"
    label = "shrink"
    verbose_name = "Shrink analytics"

    def ready(self) -> None:
        from vigil.pos.signals import data_set_scanned

        data_set_scanned.connect(_analyse_counts, dispatch_uid="shrink-after-scan")


def _analyse_counts(sender: Any, data_set: Any, user: Any, **kwargs: Any) -> None:
    """A scanned data set with physical counts gets its shrink analysis, once: a data set's
    copy never changes, so scanning it again (new rules) leaves the analysis, and the
    decisions taken on its recommendations, as they are."""
    from vigil.shrink.analyses import analyse

    if data_set.rows.get("inventory_counts") and not data_set.shrink_analyses.exists():
        analyse(data_set)
