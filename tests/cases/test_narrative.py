"""The objective-language check: opinion words flagged with suggestions, gaps pointed out."""

from __future__ import annotations

from tests.cases.test_incidents import post
from tests.conftest import World, client_for
from vigil.cases import narrative
from vigil.cases.models import NarrativeTerm
from vigil.core.models import User

OBJECTIVE = (
    "At 14:32 I saw the subject, a man in a red jacket, take two razor packs from aisle 7 "
    "and place them into his tote bag. He walked past the registers and left by the main "
    "door without paying."
)


def test_an_objective_narrative_raises_nothing() -> None:
    assert narrative.check(OBJECTIVE) == []


def test_opinion_words_are_flagged_where_they_are_with_a_suggestion() -> None:
    text = "The subject was obviously a thief and I think he looked like he was nervous."
    found = [f for f in narrative.check(text) if f.kind == "opinion"]
    assert [f.text.lower() for f in found] == [
        "obviously",
        "thief",
        "i think",
        "looked like",
        "nervous",
    ]
    assert all(f.suggestion for f in found)
    assert text[found[0].start : found[0].end] == "obviously"


def test_words_inside_other_words_are_not_flagged() -> None:
    assert not [
        f for f in narrative.check("Unsuspicious-looking clearance racks") if f.kind == "opinion"
    ]


def test_missing_when_and_where_are_pointed_out() -> None:
    missing = {f.text for f in narrative.check("The subject took a jacket.") if f.kind == "missing"}
    assert missing == {"when", "where", "how"}


def test_an_organisation_adds_and_removes_words(world: World) -> None:
    NarrativeTerm.objects.create(
        organisation=world.organisation, phrase="perp", suggestion="Say 'the subject'."
    )
    NarrativeTerm.objects.create(organisation=world.organisation, phrase="clearly", flag=False)
    terms = narrative.terms_for(world.organisation.pk)
    flagged = {f.text for f in narrative.opinion_words("The perp clearly ran.", terms)}
    assert flagged == {"perp"}


def test_the_api_checks_a_draft(world: World, owner: User) -> None:
    response = post(client_for(owner), "/api/v1/narrative-checks", {"text": "He was guilty."})
    assert response.status_code == 200
    assert any(f["text"] == "guilty" for f in response.json())


def test_an_administrator_changes_the_word_list_through_the_api(
    world: World, admin_user: User, owner: User
) -> None:
    body = {"phrase": "Perp", "suggestion": "Say 'the subject'."}
    assert post(client_for(owner), "/api/v1/narrative-terms", body).status_code == 403
    assert post(client_for(admin_user), "/api/v1/narrative-terms", body).status_code == 201
    off = {"phrase": "clearly", "flag": False}
    assert post(client_for(admin_user), "/api/v1/narrative-terms", off).status_code == 201
    terms = {
        t["phrase"]: t["source"] for t in client_for(owner).get("/api/v1/narrative-terms").json()
    }
    assert terms["perp"] == "organisation" and "clearly" not in terms
