from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "vigil.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from vigil.search import signals

        signals.connect()
