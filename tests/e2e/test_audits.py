"""A floor walk on a phone: the EAS pre-opening check, one item failed with a photo, and the
corrective action it raised."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.audits.conftest import PHOTO
from tests.conftest import PASSWORD, make_store, make_user
from tests.e2e.test_navigation import _sign_in
from vigil.audits.models import CorrectiveAction, FloorWalk
from vigil.core.models import Organisation, Region, Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_officer_walks_the_eas_check_fails_one_item_with_a_photo_and_sees_the_action(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E"), code="R1", name="Region 1"
    )
    store = make_store(region, "S101")
    make_user(Role.LP_OFFICER, stores=(store,), username="floor.officer")
    photo = tmp_path / "razors.jpg"
    photo.write_bytes(PHOTO)
    base = live_server.url
    _sign_in(page, base, "floor.officer", PASSWORD)  # the page fixture is phone-sized

    page.goto(f"{base}/audits/")
    page.select_option("select[name=checklist]", "eas")
    page.get_by_role("button", name="Start walk").click()
    page.wait_for_selector("form.floor-walk")
    for item in page.locator(".walk-item").all():
        key = item.get_attribute("data-item")
        if key == "tag-razors":
            item.locator("label:has(input[value=no])").click()
            item.locator("input[name='note-tag-razors']").fill("6 of 20 packs untagged")
            item.locator("input[name='note-tag-razors']").blur()
            item.locator("input[type=file]").set_input_files(str(photo))
            item.locator("img.item-photo").wait_for()
        elif key == "tagging-photo":  # the checklist requires this photo
            item.locator("input[type=file]").set_input_files(str(photo))
            item.locator("img.item-photo").wait_for()
        elif item.locator("input[value=yes]").count():
            item.locator("label:has(input[value=yes])").click()
        elif key == "front-distance":
            item.locator("input[type=number]").fill("36")
        elif key == "detacher-count":
            item.locator("input[type=number]").fill("0")
    page.wait_for_selector("text=All answers saved.")
    page.get_by_role("button", name="Complete the walk").click()
    page.wait_for_selector("text=Corrective actions raised")
    walk = FloorWalk.objects.get()
    assert walk.status == "completed" and walk.actions.count() == 1
    assert page.locator(".walk-result h2").inner_text().endswith("Passed") is (walk.passed is True)
    action = CorrectiveAction.objects.get()
    assert action.title == "Razor blades and cartridges tagged (sample of 20)"
    assert action.finding_photo_sha256  # the photo taken on the walk came with it
    page.click(f"text={action.number}")
    page.wait_for_selector("text=6 of 20 packs untagged")
    page.wait_for_function(  # the finding's photo loads and decodes
        "() => { const i = document.querySelector(\"img[alt='The finding']\");"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
