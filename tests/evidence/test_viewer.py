"""Evidence is seen in place: each kind in its own viewer, clips by HTTP range, views logged.

A clip seeks with ``Range`` requests answered 206 with exactly the bytes asked for; a range
outside the file is 416 and no Range header is the whole file. A person's many range
requests while watching are one "viewed" event in the chain of custody, not one each. The
page never shows where the server keeps the file, and another store's evidence is a 404.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.conftest import World, add_evidence, client_for, make_incident, make_user, tiny_file
from vigil.core.models import Role, User
from vigil.evidence import custody
from vigil.evidence.models import CustodyAction, EvidenceItem
from vigil.evidence.ranges import STREAM_CHUNK

CLIP = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "video"
REAL_MP4 = CLIP / "one-by-one-person-detection.mp4"
BODY = bytes(range(256)) * 40  # 10,240 bytes, every offset's value easy to predict


@pytest.fixture
def clip(owner: User) -> EvidenceItem:
    """A small "clip": an MP4 signature followed by predictable bytes."""
    return collect(owner, tiny_file("mp4", BODY), filename="cam3.mp4")


def collect(user: User, data: bytes, **fields: Any) -> EvidenceItem:
    """Evidence of the owner's store (SA1) unless the test says otherwise."""
    fields.setdefault("store", "SA1")
    item: EvidenceItem = add_evidence(user, data, **fields)
    return item


def content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def views_of(item: EvidenceItem) -> int:
    return item.custody.filter(action=CustodyAction.VIEWED).count()


def view(client: Client, item: EvidenceItem, **headers: str) -> Any:
    return client.get(f"/evidence/{item.number}/view/", headers=headers)


# --- byte ranges -------------------------------------------------------------------------


def test_without_a_range_the_whole_clip_is_sent_with_200(
    owner_client: Client, clip: EvidenceItem
) -> None:
    response = view(owner_client, clip)
    assert response.status_code == 200
    assert content(response) == tiny_file("mp4", BODY)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(clip.size)
    assert response["ETag"] == f'"{clip.sha256}"'


def test_a_range_is_answered_206_with_exactly_those_bytes(
    owner_client: Client, clip: EvidenceItem
) -> None:
    whole = tiny_file("mp4", BODY)
    response = view(owner_client, clip, Range="bytes=100-1099")
    assert response.status_code == 206
    assert content(response) == whole[100:1100]
    assert response["Content-Range"] == f"bytes 100-1099/{len(whole)}"
    assert response["Content-Length"] == "1000"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"


def test_an_open_range_runs_to_the_end_and_a_suffix_is_the_last_bytes(
    owner_client: Client, clip: EvidenceItem
) -> None:
    whole = tiny_file("mp4", BODY)
    tail = view(owner_client, clip, Range="bytes=10000-")
    assert tail.status_code == 206
    assert content(tail) == whole[10000:]
    assert tail["Content-Range"] == f"bytes 10000-{len(whole) - 1}/{len(whole)}"
    last = view(owner_client, clip, Range="bytes=-24")
    assert content(last) == whole[-24:]
    assert last["Content-Range"] == f"bytes {len(whole) - 24}-{len(whole) - 1}/{len(whole)}"


def test_a_range_past_the_end_is_416_with_the_size(
    owner_client: Client, clip: EvidenceItem
) -> None:
    response = view(owner_client, clip, Range=f"bytes={clip.size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{clip.size}"


def test_if_range_for_other_bytes_gets_the_whole_file(
    owner_client: Client, clip: EvidenceItem
) -> None:
    response = view(owner_client, clip, Range="bytes=0-9", If_Range='"another-version"')
    assert response.status_code == 200
    matching = view(owner_client, clip, Range="bytes=0-9", If_Range=f'"{clip.sha256}"')
    assert matching.status_code == 206


def test_the_bytes_are_streamed_in_chunks_not_read_whole(owner: User, owner_client: Client) -> None:
    big = collect(owner, tiny_file("mp4", os.urandom(3 * STREAM_CHUNK)), filename="big.mp4")
    response = view(owner_client, big, Range="bytes=1000-")
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 1
    assert max(len(chunk) for chunk in chunks) <= STREAM_CHUNK
    assert sum(len(chunk) for chunk in chunks) == big.size - 1000


def test_the_download_resumes_by_range_too(owner_client: Client, clip: EvidenceItem) -> None:
    response = owner_client.get(
        f"/evidence/{clip.number}/download/", headers={"Range": "bytes=-10"}
    )
    assert response.status_code == 206
    assert content(response) == tiny_file("mp4", BODY)[-10:]
    assert response["Content-Disposition"].startswith("attachment")


def test_the_api_download_is_the_same_bytes_by_range_and_logged_as_a_download(
    owner_client: Client, clip: EvidenceItem
) -> None:
    url = f"/api/v1/evidence/{clip.number}/content"
    whole = owner_client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert content(whole) == tiny_file("mp4", BODY)
    part = owner_client.get(url, headers={"Range": "bytes=4-9"})
    assert part.status_code == 206 and content(part) == tiny_file("mp4", BODY)[4:10]
    assert part["Content-Disposition"].startswith("attachment")
    assert owner_client.get(url, headers={"Range": "bytes=999999-"}).status_code == 416
    assert list(clip.custody.filter(action="downloaded").values_list("action", flat=True)) == [
        "downloaded"
    ]


def test_a_real_cctv_clip_seeks_to_the_right_bytes(owner: User, owner_client: Client) -> None:
    data = _real_clip()
    item = collect(owner, data, filename="entrance.mp4")
    response = view(owner_client, item, Range="bytes=2000000-2065535")
    assert response.status_code == 206
    assert content(response) == data[2_000_000:2_065_536]


# --- the chain of custody -----------------------------------------------------------------


def test_a_viewing_of_many_range_requests_is_logged_once(
    owner_client: Client, clip: EvidenceItem
) -> None:
    for header in ("bytes=0-", "bytes=4000-", "bytes=8000-", "bytes=0-"):
        content(view(owner_client, clip, Range=header))
    content(view(owner_client, clip))
    event = clip.custody.get(action=CustodyAction.VIEWED)
    assert event.actor_name == "owner"
    assert event.details == {"sha256": clip.sha256}


def test_each_person_viewing_is_logged(
    owner_client: Client, teammate: User, clip: EvidenceItem
) -> None:
    content(view(owner_client, clip, Range="bytes=0-"))
    content(view(client_for(teammate), clip, Range="bytes=0-"))
    viewers = clip.custody.filter(action=CustodyAction.VIEWED).values_list("actor_name", flat=True)
    assert sorted(viewers) == ["owner", "teammate"]


def test_a_view_after_the_viewing_session_is_logged_again(
    owner_client: Client, clip: EvidenceItem, monkeypatch: pytest.MonkeyPatch
) -> None:
    content(view(owner_client, clip))
    later = timezone.now() + custody.VIEWING_SESSION + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    content(view(owner_client, clip, Range="bytes=5000-"))
    assert views_of(clip) == 2
    clip.refresh_from_db()
    assert custody.verify_item(clip) is None


def test_every_new_download_is_logged_but_not_its_resumption(
    owner_client: Client, clip: EvidenceItem
) -> None:
    url = f"/evidence/{clip.number}/download/"
    content(owner_client.get(url))
    content(owner_client.get(url, headers={"Range": "bytes=5000-"}))
    content(owner_client.get(url))
    assert clip.custody.filter(action=CustodyAction.DOWNLOADED).count() == 2


def test_an_unsatisfiable_range_logs_nothing(owner_client: Client, clip: EvidenceItem) -> None:
    view(owner_client, clip, Range="bytes=999999-")
    assert views_of(clip) == 0


def test_the_page_lists_views_in_the_chain_of_custody(
    owner_client: Client, clip: EvidenceItem
) -> None:
    content(view(owner_client, clip, Range="bytes=0-"))
    page = owner_client.get(f"/evidence/{clip.number}/").content.decode()
    custody_table = page[page.index("Chain of custody") :]
    assert re.search(r"<td>Viewed</td><td>owner</td>", custody_table)


# --- the viewer on the page ---------------------------------------------------------------


def page_of(client: Client, item: EvidenceItem) -> str:
    response = client.get(f"/evidence/{item.number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_photo_is_shown_as_an_image(owner: User, owner_client: Client) -> None:
    photo = collect(owner, tiny_file("jpeg", b"photo"), filename="stop.jpg")
    page = page_of(owner_client, photo)
    assert f'<img src="/evidence/{photo.number}/view/"' in page
    assert "<video" not in page


def test_a_clip_plays_with_seek_and_frame_step_buttons(
    owner_client: Client, clip: EvidenceItem
) -> None:
    page = page_of(owner_client, clip)
    assert (
        f'<video controls preload="metadata" playsinline src="/evidence/{clip.number}/view/"'
        in page
    )
    assert 'data-frames="-1"' in page and 'data-frames="1"' in page
    assert 'data-seek="-10"' in page
    # No moov box in these few bytes: a step is a 30 fps frame, and the page says so.
    assert 'data-frame-step="0.033333"' in page
    assert "a step is 1/30 s" in page
    assert "/static/evidence/viewer.js" in page


def test_a_real_clip_steps_at_its_own_frame_rate(owner: User, owner_client: Client) -> None:
    item = collect(owner, _real_clip(), filename="entrance.mp4")
    page = page_of(owner_client, item)
    assert 'data-frame-step="0.100000"' in page
    assert "10 frames a second, read from the clip" in page
    assert views_of(item) == 0  # reading the frame rate is not someone viewing the clip


def test_the_camera_clock_offset_is_shown_with_the_clip(owner: User, owner_client: Client) -> None:
    item = collect(
        owner,
        tiny_file("mp4", b"clip"),
        camera="Cam 3 entrance",
        camera_clock_offset_s="12.5",
        recorder_clock_offset_s="-3",
    )
    player = page_of(owner_client, item).split("clip-facts", 1)[1]
    assert "Camera clock runs 12.5 s ahead: true time = clock time - 12.5 s" in player
    assert "Recorder (DVR/VMS) clock runs 3 s behind" in player


def test_a_recording_plays_in_an_audio_element(owner: User, owner_client: Client) -> None:
    call = collect(owner, tiny_file("mp3", b"call"), filename="call.mp3")
    assert f'<audio controls preload="metadata" src="/evidence/{call.number}/view/"' in page_of(
        owner_client, call
    )


def test_a_pdf_is_shown_in_a_frame(owner: User, owner_client: Client) -> None:
    report = collect(owner, tiny_file("pdf", b"%%EOF"), filename="police-report.pdf")
    page = page_of(owner_client, report)
    assert f'<iframe class="pdf-frame" src="/evidence/{report.number}/view/"' in page


def test_another_kind_says_what_it_is_and_offers_the_download(
    owner: User, owner_client: Client
) -> None:
    export = collect(owner, tiny_file("avi", b"old dvr"), filename="dvr.avi")
    page = page_of(owner_client, export)
    assert "This is an AVI video, which cannot be shown in the browser." in page
    assert f'href="/evidence/{export.number}/download/">Download to view</a>' in page
    assert "<video" not in page


def test_the_page_shows_the_hash_and_kind_of_store_not_the_path(
    owner_client: Client, clip: EvidenceItem
) -> None:
    page = page_of(owner_client, clip)
    assert clip.stored_in.startswith("local directory")
    assert clip.stored_in not in page
    assert str(settings.DATA_DIR) not in page
    assert clip.sha256 in page
    assert "The Vigil server&#x27;s evidence directory" in page


# --- what the bytes are served as ----------------------------------------------------------


def test_a_clip_is_served_inline_and_sandboxed(owner_client: Client, clip: EvidenceItem) -> None:
    response = view(owner_client, clip)
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


def test_a_pdf_is_served_inline_to_be_framed_by_vigil_only(
    owner: User, owner_client: Client
) -> None:
    report = collect(owner, tiny_file("pdf", b"%%EOF"), filename="report.pdf")
    response = view(owner_client, report)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy


def test_a_kind_not_shown_in_place_is_served_only_as_a_download(
    owner: User, owner_client: Client
) -> None:
    export = collect(owner, tiny_file("avi", b"old dvr"), filename="dvr.avi")
    response = view(owner_client, export)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


# --- store scope -----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "view/", "download/"])
def test_another_stores_evidence_is_404(outsider: User, clip: EvidenceItem, suffix: str) -> None:
    response = client_for(outsider).get(
        f"/evidence/{clip.number}/{suffix}", headers={"Range": "bytes=0-9"}
    )
    assert response.status_code == 404
    assert views_of(clip) == 0


def test_an_external_user_sees_evidence_only_through_their_share(
    world: World, owner: User, clip: EvidenceItem
) -> None:
    from vigil.sharing import grants

    officer = make_user(Role.EXTERNAL, username="det.rivera")
    grants.share(
        owner, clip, grantee=officer, until=timezone.now() + dt.timedelta(days=7), reason="PD 26-1"
    )
    response = client_for(officer).get(f"/evidence/{clip.number}/view/")
    assert response.status_code == 404
    assert views_of(clip) == 0


def test_evidence_of_an_incident_is_viewed_by_its_store_team(
    world: World, owner: User, teammate: User
) -> None:
    incident = make_incident(world.store_a, owner)
    item = collect(owner, tiny_file("png", b"still"), incident=incident.number, store="")
    response = client_for(teammate).get(f"/evidence/{item.number}/view/")
    assert response.status_code == 200
    assert content(response) == tiny_file("png", b"still")


def _real_clip() -> bytes:
    if not REAL_MP4.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{REAL_MP4} is missing (shared test data)")
        pytest.skip(f"{REAL_MP4} is not here (shared test data)")
    return REAL_MP4.read_bytes()
