"""The load benchmark's parts on a tiny scale: wrk's report is read right, and the seeder
fills PostgreSQL with records that hang together. No timing is asserted here: the
benchmark itself (``python -m bench load``) measures, bench/README.md records."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bench.load import drive, seed
from tests.conftest import World


class _Answers(BaseHTTPRequestHandler):
    """A page at /page, a redirect to the sign-in page at /gone."""

    def do_GET(self) -> None:
        if self.path == "/page":
            body = b"<p>hello</p>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(302)
            self.send_header("Location", "/login/")
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


needs_wrk = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)"
)


@needs_wrk
def test_wrk_reports_percentiles_and_no_errors_for_pages_that_answer(server: str) -> None:
    run = drive.wrk(server, drive.Route("page", "/page"), {}, connections=2, seconds=1)
    assert run.requests > 0 and run.errors == 0 and run.timeouts == 0
    assert 0 < run.p50_ms <= run.p95_ms <= run.p99_ms <= run.max_ms


@needs_wrk
def test_a_redirect_counts_as_an_error_a_lost_session_would_hide_behind(server: str) -> None:
    run = drive.wrk(server, drive.Route("gone", "/gone"), {}, connections=2, seconds=1)
    assert run.requests > 0 and run.errors == run.requests


def test_paced_people_wait_their_think_time_between_clicks(server: str) -> None:
    route = drive.Route("page", "/page")
    paced = drive.people(server, route, {}, connections=2, seconds=1, think_ms=200)
    # Each waits 100-300 ms between clicks: two people ask at most 20 times in a second.
    assert 2 <= paced.requests <= 20 and paced.errors == 0 and paced.timeouts == 0
    assert 0 < paced.p50_ms <= paced.p95_ms <= paced.max_ms


def test_paced_people_count_a_redirect_as_an_error(server: str) -> None:
    route = drive.Route("gone", "/gone")
    paced = drive.people(server, route, {}, connections=2, seconds=1, think_ms=200)
    assert paced.requests == 0 and paced.errors >= 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_seeder_fills_a_retailer_whose_records_hang_together(world: World) -> None:
    from django.db.models import F

    from vigil.cases.models import Case, CaseLink, Incident, IncidentParty
    from vigil.core.models import Store
    from vigil.pos.models import PosException
    from vigil.video.models import Alert, AlertStatus

    seeded = seed.seed(scale=0.0001, say=lambda line: None, analyze=False)

    assert Store.objects.count() == seed.STORES
    assert (Case.objects.count(), Incident.objects.count()) == (120, 120)
    assert (PosException.objects.count(), Alert.objects.count()) == (120, 120)
    assert seeded.counts["case links"] == 120
    # Each lead names an employee of its own store; each case reaches an incident there.
    assert not PosException.objects.exclude(person__home_store=F("store")).exists()
    assert not CaseLink.objects.exclude(incident__store=F("case__store")).exists()
    assert not IncidentParty.objects.exclude(subject__store=F("incident__store")).exists()
    # The newest alerts are the ones still waiting.
    newest = Alert.objects.order_by("-started_at")[:10]
    assert {alert.status for alert in newest} == {AlertStatus.NEW}
