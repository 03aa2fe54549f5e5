from django.apps import AppConfig


class PosConfig(AppConfig):
    name = "vigil.pos"
    label = "pos"
    verbose_name = "POS exceptions"

    def ready(self) -> None:
        from vigil.core import recovery
        from vigil.pos import jobs, rankings

        # Unpacked uploads and half-written data set copies that a crash left behind.
        recovery.scratch_pattern("pos/uploads/*")
        recovery.scratch_pattern("pos/data-sets/.*.part")
        recovery.run_lost.connect(jobs.fail_lost_scans, dispatch_uid="pos-fail-lost-scans")
        # Who sees individual rankings is the administrator's setting, kept by this app.
        rankings.register()
