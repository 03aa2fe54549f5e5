"""Redacted copies for sharing: faces or areas hidden on a new, derived, hashed item.

The original's bytes are never changed and still verify; the copy is a new item of the same
store, incident and case, derived from the original as "redacted", with its own SHA-256 and a
custody log that says what was hidden and by whom. A photo's copy has no EXIF (no GPS); a
clip's copy is an MP4 browsers and OpenCV play, the areas hidden only in the time range asked.
Bad areas store nothing; only investigators redact; another store's item is a 404.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.conftest import add_evidence, client_for, make_incident, tiny_file
from tests.shared_data import shared_data
from vigil.core.models import TaskRun, TaskRunStatus, User
from vigil.evidence import custody, redaction, redaction_jobs
from vigil.evidence.models import CustodyAction, Derivation, EvidenceItem
from vigil.evidence.redaction import Area, FrameSize, Redaction, RedactionStyle
from vigil.evidence.storage import store_from_settings

WIDTH, HEIGHT = 320, 240
AREA = Area(60, 50, 100, 80)
GPS_IFD = 0x8825


def photo_with_gps() -> bytes:
    """A detailed JPEG (so a blur shows) that carries EXIF with a camera and GPS position."""
    rng = np.random.default_rng(7)
    rows, cols = np.indices((HEIGHT, WIDTH))
    checker = (((rows // 8) + (cols // 8)) % 2 * 200).astype(np.uint8)
    noise = rng.integers(0, 40, (HEIGHT, WIDTH), dtype=np.uint8)
    pixels = np.dstack([checker + noise, checker, 255 - checker])
    image = Image.fromarray(pixels, "RGB")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"
    exif[GPS_IFD] = {1: "N", 2: (41.0, 52.0, 30.0), 3: "W", 4: (87.0, 37.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


def pixels(item: EvidenceItem) -> np.ndarray:
    with store_from_settings().open(item.sha256) as source:
        data = source.read()
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert decoded is not None
    return decoded.astype(np.int16)


def difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


def inside(image: np.ndarray, area: Area) -> np.ndarray:
    return image[area.y : area.y + area.height, area.x : area.x + area.width]


def outside_mask(area: Area, margin: int = 12) -> np.ndarray:
    """Every pixel well clear of the area (JPEG blocks at its edge change a little)."""
    mask = np.ones((HEIGHT, WIDTH), dtype=bool)
    mask[
        max(0, area.y - margin) : area.y + area.height + margin,
        max(0, area.x - margin) : area.x + area.width + margin,
    ] = False
    return mask


@pytest.fixture
def photo(owner: User) -> EvidenceItem:
    incident = make_incident(owner.stores.get(), owner)
    item: EvidenceItem = add_evidence(
        owner, photo_with_gps(), filename="aisle7.jpg", incident=incident.number, source="phone"
    )
    return item


def areas_text(*areas: Area) -> str:
    return "\n".join(", ".join(map(str, area.as_list())) for area in areas)


def post_redaction(client: Client, item: EvidenceItem, **data: str) -> Any:
    url = reverse("evidence:evidence-redaction", args=[item.number])
    return client.post(url, data)


# --- a photo ---------------------------------------------------------------------------


def test_photo_copy_is_a_new_item_derived_from_the_original(
    owner: User, photo: EvidenceItem
) -> None:
    copy = redaction.redact_image(owner, photo, Redaction((AREA,), RedactionStyle.BLUR))

    assert copy.pk != photo.pk and copy.number != photo.number
    assert copy.derived_from == photo
    assert copy.derivation == Derivation.REDACTED
    assert (copy.store, copy.incident, copy.case) == (photo.store, photo.incident, photo.case)
    assert copy.sha256 != photo.sha256
    assert store_from_settings().rehash(copy.sha256) == copy.sha256
    assert copy.media_type == "image/jpeg"
    assert copy.original_filename == "aisle7-redacted.jpg"


def test_blur_changes_the_area_and_leaves_the_rest(owner: User, photo: EvidenceItem) -> None:
    copy = redaction.redact_image(owner, photo, Redaction((AREA,), RedactionStyle.BLUR))
    before, after = pixels(photo), pixels(copy)

    assert difference(inside(before, AREA), inside(after, AREA)) > 30
    mask = outside_mask(AREA)
    assert difference(before[mask], after[mask]) < 3


def test_solid_box_is_black(owner: User, photo: EvidenceItem) -> None:
    copy = redaction.redact_image(owner, photo, Redaction((AREA,), RedactionStyle.SOLID))
    covered = inside(pixels(copy), Area(AREA.x + 4, AREA.y + 4, AREA.width - 8, AREA.height - 8))

    assert covered.max() < 16


def test_the_original_is_unchanged_and_still_verifies(owner: User, photo: EvidenceItem) -> None:
    data_before = photo_with_gps()
    redaction.redact_image(owner, photo, Redaction((AREA,), RedactionStyle.SOLID))
    photo.refresh_from_db()

    store = store_from_settings()
    assert store.rehash(photo.sha256) == photo.sha256
    with store.open(photo.sha256) as source:
        assert source.read() == data_before
    assert custody.verify_item(photo) is None


def test_the_copy_carries_no_exif_or_gps(owner: User, photo: EvidenceItem) -> None:
    with store_from_settings().open(photo.sha256) as source:
        assert Image.open(io.BytesIO(source.read())).getexif().get(GPS_IFD) is not None

    copy = redaction.redact_image(owner, photo, Redaction((AREA,), RedactionStyle.BLUR))
    with store_from_settings().open(copy.sha256) as source:
        opened = Image.open(io.BytesIO(source.read()))
        assert len(opened.getexif()) == 0
        assert "exif" not in opened.info


def test_custody_says_what_was_hidden_and_by_whom(owner: User, photo: EvidenceItem) -> None:
    second = Area(200, 150, 40, 40)
    post_redaction(client_for(owner), photo, areas=areas_text(AREA, second), style="blur")
    copy = EvidenceItem.objects.get(derived_from=photo)

    collected = copy.custody.get(seq=1)
    assert collected.action == CustodyAction.COLLECTED
    assert f"Derived (redacted) from {photo.number} by {owner}" in collected.purpose
    assert "2 areas blurred" in collected.purpose
    assert f"x 60, y 50, 100 {redaction.BY} 80 px" in collected.purpose
    assert collected.details["derived_from"] == photo.number
    assert collected.actor_name == owner.username
    assert copy.description == collected.purpose
    photo.refresh_from_db()
    noted = photo.custody.order_by("-seq").first()
    assert noted is not None and noted.details["redacted_copy"] == copy.number
    assert noted.actor_name == owner.username
    assert custody.verify_item(copy) is None and custody.verify_item(photo) is None


def test_page_saves_the_copy_and_opens_it(owner: User, photo: EvidenceItem) -> None:
    answer = post_redaction(client_for(owner), photo, areas=areas_text(AREA), style="solid")

    copy = EvidenceItem.objects.get(derived_from=photo)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("evidence:evidence-detail", args=[copy.number])


def test_page_shows_the_photo_and_the_form(owner: User, photo: EvidenceItem) -> None:
    page = client_for(owner).get(reverse("evidence:evidence-redaction", args=[photo.number]))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="areas"' in html and "evidence/redact.js" in html
    assert f"{WIDTH} {redaction.BY} {HEIGHT} px" in html


def test_item_page_offers_redaction_to_investigators_only(
    owner: User, teammate: User, photo: EvidenceItem
) -> None:
    url = reverse("evidence:evidence-detail", args=[photo.number])

    assert "Redact a copy" in client_for(owner).get(url).content.decode()
    assert "Redact a copy" not in client_for(teammate).get(url).content.decode()


# --- bad input stores nothing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("areas", "message"),
    [
        ("", "at least one area"),
        ("10, 10, 50", "not four numbers"),
        ("a, b, c, d", "not four numbers"),
        ("10, 10, 0, 20", "at least 1"),
        ("300, 10, 50, 50", "goes outside"),
        ("-1, 10, 50, 50", "goes outside"),
        ("10, 200, 50, 50", "goes outside"),
    ],
)
def test_bad_areas_are_a_field_error_and_store_nothing(
    owner: User, photo: EvidenceItem, areas: str, message: str
) -> None:
    before = EvidenceItem.objects.count()

    answer = post_redaction(client_for(owner), photo, areas=areas, style="blur")

    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert EvidenceItem.objects.count() == before


def test_unknown_style_is_refused(owner: User, photo: EvidenceItem) -> None:
    answer = post_redaction(client_for(owner), photo, areas=areas_text(AREA), style="swirl")

    assert answer.status_code == 400
    assert "Choose blur or a solid box" in answer.content.decode()
    assert not EvidenceItem.objects.filter(derived_from=photo).exists()


def test_too_many_areas_are_refused() -> None:
    text = "\n".join("1, 1, 2, 2" for _ in range(redaction.MAX_AREAS + 1))

    with pytest.raises(ValidationError, match="At most"):
        redaction.parse_areas(text, FrameSize(WIDTH, HEIGHT))


def test_a_clip_time_range_must_run_forwards_inside_the_clip() -> None:
    size = FrameSize(640, 360, duration_s=10.0)
    data = {"areas": "1, 1, 10, 10", "style": "blur"}

    with pytest.raises(ValidationError) as backwards:
        redaction.parse_redaction({**data, "start_s": "5", "end_s": "2"}, size, kind="video")
    with pytest.raises(ValidationError) as too_late:
        redaction.parse_redaction({**data, "start_s": "12"}, size, kind="video")
    with pytest.raises(ValidationError) as words:
        redaction.parse_redaction({**data, "end_s": "soon"}, size, kind="video")

    assert "after the start" in backwards.value.message_dict["end_s"][0]
    assert "only 10 s long" in too_late.value.message_dict["start_s"][0]
    assert "not a number" in words.value.message_dict["end_s"][0]
    whole = redaction.parse_redaction(data, size, kind="video")
    assert (whole.start_s, whole.end_s) == (None, None)


def test_a_file_that_is_not_a_picture_or_clip_is_refused(owner: User) -> None:
    document = add_evidence(
        owner, tiny_file("pdf", b"receipt"), filename="receipt.pdf", store="SA1"
    )

    answer = post_redaction(client_for(owner), document, areas="1, 1, 2, 2", style="blur")

    assert answer.status_code == 400
    assert "Vigil redacts JPEG, PNG" in answer.content.decode()
    assert not EvidenceItem.objects.filter(derived_from=document).exists()


# --- who may ---------------------------------------------------------------------------


def test_officer_without_investigate_is_refused(teammate: User, photo: EvidenceItem) -> None:
    client = client_for(teammate)
    url = reverse("evidence:evidence-redaction", args=[photo.number])

    assert client.get(url).status_code == 403
    assert client.post(url, {"areas": areas_text(AREA), "style": "blur"}).status_code == 403
    assert not EvidenceItem.objects.filter(derived_from=photo).exists()


def test_outsider_gets_404_for_another_stores_item(outsider: User, photo: EvidenceItem) -> None:
    client = client_for(outsider)
    url = reverse("evidence:evidence-redaction", args=[photo.number])

    assert client.get(url).status_code == 404
    assert client.post(url, {"areas": areas_text(AREA), "style": "blur"}).status_code == 404
    assert not EvidenceItem.objects.filter(derived_from=photo).exists()


# --- face suggestions --------------------------------------------------------------------


class FakeFinder:
    def __init__(self, *boxes: tuple[int, int, int, int]) -> None:
        self.boxes = boxes

    def detectMultiScale(self, grey: np.ndarray, **options: Any) -> list[tuple[int, ...]]:  # noqa: N802 - OpenCV's name
        return list(self.boxes)


def test_faces_found_are_widened_and_kept_inside_the_frame() -> None:
    image = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)

    found = redaction.suggest_faces(image, FakeFinder((100, 60, 40, 40), (300, 220, 40, 40)))

    assert found[0] == Area(94, 54, 52, 52)
    right = found[1]
    assert right.x + right.width <= WIDTH and right.y + right.height <= HEIGHT


def test_no_face_finder_without_the_bundled_cascade(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cv2.data, "haarcascades", f"{tmp_path}/", raising=False)  # type: ignore[attr-defined]
    redaction.face_finder.cache_clear()
    try:
        assert redaction.face_finder() is None
        assert redaction.suggest_faces(np.zeros((10, 10, 3), np.uint8)) == []
    finally:
        redaction.face_finder.cache_clear()


# --- a clip ------------------------------------------------------------------------------


def short_clip(seconds: float) -> bytes:
    """The start of the real store clip (768 by 432 H.264, 10 fps), its packets copied as they
    are up to the first key frame at or after ``seconds``."""
    source = shared_data("video/one-by-one-person-detection.mp4")
    out = io.BytesIO()
    with av.open(str(source)) as inp, av.open(out, "w", format="mp4") as cut:
        stream = inp.streams.video[0]
        copy = cut.add_stream_from_template(stream)
        for packet in inp.demux(stream):
            if packet.dts is None:
                continue
            at = float(packet.pts * stream.time_base) if packet.pts and stream.time_base else 0
            if at >= seconds and packet.is_keyframe:
                break
            packet.stream = copy
            cut.mux(packet)
    return out.getvalue()


def frames_of(item: EvidenceItem, tmp_path: Path) -> list[np.ndarray]:
    path = tmp_path / f"{item.number}.mp4"
    with store_from_settings().open(item.sha256) as source:
        path.write_bytes(source.read())
    capture = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame.astype(np.int16))
    capture.release()
    return frames


def test_clip_copy_hides_the_area_in_the_time_range(owner: User, tmp_path: Path) -> None:
    clip = add_evidence(owner, short_clip(3.0), filename="cam3.mp4", store="SA1")
    area = Area(300, 100, 200, 150)

    answer = post_redaction(
        client_for(owner), clip, areas=areas_text(area), style="blur", start_s="1", end_s="2"
    )

    run = TaskRun.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("core:task-run-detail", args=[run.pk])
    assert run.status == TaskRunStatus.SUCCEEDED, run.error
    copy = EvidenceItem.objects.get(derived_from=clip)
    assert run.result["evidence"] == copy.number
    assert (copy.media_type, copy.derivation) == ("video/mp4", Derivation.REDACTED)
    assert "from 1 s to 2 s" in copy.description
    assert store_from_settings().rehash(clip.sha256) == clip.sha256

    before, after = frames_of(clip, tmp_path), frames_of(copy, tmp_path)
    assert len(after) == len(before) >= 25
    region = (slice(area.y, area.y + area.height), slice(area.x, area.x + area.width))
    changed = [difference(b[region], a[region]) for b, a in zip(before, after, strict=True)]
    assert min(changed[12:19]) > 10  # frames at 1.2 to 1.8 s: hidden
    assert max(changed[:8] + changed[22:]) < 4  # before 0.8 s and after 2.2 s: as they were


def test_clip_copy_over_the_whole_clip_is_playable_mp4(owner: User, tmp_path: Path) -> None:
    clip = add_evidence(owner, short_clip(2.0), filename="cam3.mp4", store="SA1")
    wanted = Redaction((Area(0, 0, 100, 100),), RedactionStyle.SOLID)

    run = redaction_jobs.start(owner, clip, wanted)

    run.refresh_from_db()
    assert run.status == TaskRunStatus.SUCCEEDED, run.error
    copy = EvidenceItem.objects.get(derived_from=clip)
    frames = frames_of(copy, tmp_path)
    assert len(frames) >= 15
    assert all(frame[10:90, 10:90].max() < 20 for frame in frames)
    with av.open(io.BytesIO(store_from_settings().open(copy.sha256).read())) as played:
        assert played.streams.video[0].codec_context.name == "h264"
    assert run.result["links"][0]["url"] == reverse("evidence:evidence-detail", args=[copy.number])


def test_clip_page_offers_a_time_range(owner: User) -> None:
    clip = add_evidence(owner, short_clip(1.0), filename="cam3.mp4", store="SA1")

    page = client_for(owner).get(reverse("evidence:evidence-redaction", args=[clip.number]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="start_s"' in html and 'name="end_s"' in html and "<video" in html
    assert f"768 {redaction.BY} 432 px" in html


def test_a_clip_that_cannot_be_decoded_is_refused(owner: User) -> None:
    broken = add_evidence(owner, tiny_file("mp4", b"\x00" * 64), filename="cam3.mp4", store="SA1")

    answer = post_redaction(client_for(owner), broken, areas="1, 1, 2, 2", style="blur")

    assert answer.status_code == 400
    assert "could not be read" in answer.content.decode()
    assert not TaskRun.objects.exists()


def test_page_offers_the_faces_found(
    owner: User, photo: EvidenceItem, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redaction, "face_finder", lambda: FakeFinder((100, 60, 40, 40)))

    page = client_for(owner).get(reverse("evidence:evidence-redaction", args=[photo.number]))

    html = page.content.decode()
    assert "Faces found: 1." in html
    assert 'data-suggested="94, 54, 52, 52"' in html


def test_a_turned_phone_clip_is_refused_rather_than_covered_in_the_wrong_place(
    owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip = add_evidence(owner, short_clip(1.0), filename="phone.mp4", store="SA1")
    monkeypatch.setattr(redaction, "_rotation", lambda container: 90)

    answer = post_redaction(client_for(owner), clip, areas="1, 1, 2, 2", style="blur")

    assert answer.status_code == 400
    assert "stored turned by 90°" in answer.content.decode()
    assert not TaskRun.objects.exists()
