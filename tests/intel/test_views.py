"""The pages: suggestions on the incident, subject and vehicle pages, the profile, the
network, decisions; for loss-prevention roles only, in their own stores."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests.conftest import World, client_for, make_user
from tests.intel.conftest import Crew
from vigil.cases.models import Case
from vigil.core.models import AuditEvent, Role
from vigil.intel.models import Decision, IgnoredValue, IntelRun, Network, Profile, Suggestion


def test_the_incident_page_suggests_the_subject_seen_at_another_store(
    crew: Crew, imported: IntelRun
) -> None:
    page = client_for(crew.investigator).get(
        reverse("cases:incident-detail", args=[crew.first.number])
    )
    text = page.content.decode()
    assert "Probably the same person as" in text
    assert "Robert Kowalcyzk" in text
    assert "in 2 incidents at 2 stores" in text
    assert "Bob ~ Robert" in text and "0.96" in text
    assert "Confirm" in text and "Reject" in text


@pytest.mark.parametrize("name", ["cases:subject-detail", "cases:vehicle-detail"])
def test_subject_and_vehicle_pages_show_suggestions(
    crew: Crew, imported: IntelRun, name: str
) -> None:
    target = crew.bob.pk if name == "cases:subject-detail" else crew.van.pk
    page = client_for(crew.investigator).get(reverse(name, args=[target]))
    assert "Link suggestions" in page.content.decode()


@pytest.mark.parametrize("role", [Role.STORE_MANAGER, Role.EXECUTIVE, Role.AUDITOR])
def test_a_store_role_never_sees_a_suggestion(
    crew: Crew, imported: IntelRun, world: World, role: str
) -> None:
    viewer = make_user(role, regions=(world.region_a,))
    page = client_for(viewer).get(reverse("cases:incident-detail", args=[crew.first.number]))
    assert page.status_code == 200
    assert "Link suggestions" not in page.content.decode()


def test_an_lp_officer_sees_suggestions_but_cannot_decide(
    crew: Crew, imported: IntelRun, world: World
) -> None:
    officer = make_user(Role.LP_OFFICER, regions=(world.region_a,))
    client = client_for(officer)
    text = client.get(reverse("cases:incident-detail", args=[crew.first.number])).content.decode()
    assert "Probably the same person" in text and "Confirm" not in text
    suggestion = Suggestion.objects.get(kind="person")
    url = reverse("intel:suggestion-decision", args=[suggestion.pk])
    assert client.post(url, {"verdict": "same"}).status_code == 403
    assert not Decision.objects.exists()


def test_a_suggestion_about_a_store_out_of_scope_is_not_shown(
    crew: Crew, imported: IntelRun
) -> None:
    one_store = make_user(Role.LP_MANAGER, stores=(crew.store_a,))
    page = client_for(one_store).get(reverse("cases:incident-detail", args=[crew.first.number]))
    assert "Link suggestions" not in page.content.decode()
    suggestion = Suggestion.objects.get(kind="person")
    url = reverse("intel:suggestion-decision", args=[suggestion.pk])
    assert client_for(one_store).post(url, {"verdict": "same"}).status_code == 404


def test_confirming_stores_the_decision_and_the_suggestion_goes(
    crew: Crew, imported: IntelRun
) -> None:
    suggestion = Suggestion.objects.get(kind="person")
    back = reverse("cases:incident-detail", args=[crew.first.number])
    answer = client_for(crew.investigator).post(
        reverse("intel:suggestion-decision", args=[suggestion.pk]),
        {"verdict": "same", "next": back},
    )
    assert answer.status_code == 302 and answer["Location"] == back
    assert Decision.objects.get().verdict == "same"
    assert not Suggestion.objects.filter(kind="person").exists()


def test_rejecting_stores_the_decision(crew: Crew, imported: IntelRun) -> None:
    suggestion = Suggestion.objects.get(kind="person")
    client_for(crew.investigator).post(
        reverse("intel:suggestion-decision", args=[suggestion.pk]), {"verdict": "different"}
    )
    assert Decision.objects.get().verdict == "different"


def test_the_profile_shows_every_incident_store_alias_and_loss(
    crew: Crew, imported: IntelRun
) -> None:
    profile = Profile.objects.get()
    page = client_for(crew.investigator).get(reverse("intel:profile-detail", args=[profile.pk]))
    text = page.content.decode()
    for expected in (crew.first.number, crew.second.number, "Smoke", "SA2", "$1,350"):
        assert expected in text
    assert "KXH1783" in text


def test_opening_a_profile_is_audited(crew: Crew, imported: IntelRun) -> None:
    profile = Profile.objects.get()
    client_for(crew.investigator).get(reverse("intel:profile-detail", args=[profile.pk]))
    event = AuditEvent.objects.get(action="intel_profile_view")
    assert (event.object_id, event.actor_id) == (str(profile.pk), crew.investigator.pk)


def test_the_network_page_has_chart_timeline_stores_and_thresholds(
    crew: Crew, imported: IntelRun
) -> None:
    network = Network.objects.get()
    page = client_for(crew.investigator).get(reverse("intel:network-detail", args=[network.pk]))
    text = page.content.decode()
    assert "<svg" in text and "Robert Kowalczyk" in text
    start = text.index('<svg class="intel-chart"')
    chart = ElementTree.fromstring(text[start : text.index("</svg>", start) + 6])  # noqa: S314 - our own page
    labels = {node.text for node in chart.iter("{http://www.w3.org/2000/svg}text")}
    assert any((label or "").startswith("SA1 Test store") for label in labels)
    assert len(list(chart.iter("{http://www.w3.org/2000/svg}line"))) == 6  # 2 stores, 2+2
    assert "Minnesota" in text and "Wisconsin" in text
    assert "Minn. Stat. § 609.52" in text
    # Wisconsin's $650 is past its $500 retail-theft felony line; Minnesota's $700 is not.
    assert text.count("felony level") == 1
    assert AuditEvent.objects.filter(action="intel_network_view").count() == 1


def test_a_case_opens_from_the_network_with_everything_linked(
    crew: Crew, imported: IntelRun
) -> None:
    network = Network.objects.get()
    answer = client_for(crew.investigator).post(reverse("intel:network-case", args=[network.pk]))
    case = Case.objects.get()
    assert answer["Location"] == reverse("cases:case-detail", args=[case.number])
    linked = case.links.all()
    assert {link.incident for link in linked if link.incident} == {crew.first, crew.second}
    assert {link.subject for link in linked if link.subject} == {crew.bob, crew.robert}
    assert {link.vehicle for link in linked if link.vehicle} == {crew.van, crew.van_again}
    assert case.kind == "orc"


def test_a_value_is_ignored_for_matching(crew: Crew) -> None:
    client_for(crew.investigator).post(
        reverse("intel:ignored-values"), {"field": "last_name", "value": "Unknown"}
    )
    assert IgnoredValue.objects.get().value == "Unknown"


@pytest.mark.parametrize("name", ["intel:profile-detail", "intel:network-detail"])
def test_a_store_manager_is_refused_a_profile_and_a_network(
    crew: Crew, imported: IntelRun, world: World, name: str
) -> None:
    manager = make_user(Role.STORE_MANAGER, stores=(crew.store_a,))
    target = Profile.objects.get() if "profile" in name else Network.objects.get()
    assert client_for(manager).get(reverse(name, args=[target.pk])).status_code == 403
    assert client_for(manager).get(reverse("intel:overview")).status_code == 403


@pytest.mark.parametrize("name", ["intel:profile-detail", "intel:network-detail"])
def test_an_outsider_gets_404(crew: Crew, imported: IntelRun, world: World, name: str) -> None:
    outsider = make_user(Role.LP_MANAGER, stores=(world.store_b,))
    target = Profile.objects.get() if "profile" in name else Network.objects.get()
    assert client_for(outsider).get(reverse(name, args=[target.pk])).status_code == 404


def test_the_overview_lists_networks_and_people(crew: Crew, imported: IntelRun) -> None:
    text = client_for(crew.investigator).get(reverse("intel:overview")).content.decode()
    assert "N-001" in text and "Robert Kowalczyk" in text


def test_the_menu_offers_intelligence_to_lp_roles_only(crew: Crew, world: World) -> None:
    from vigil.core.navigation import menu_for

    def labels(role: str) -> set[str]:
        return {item.label for item in menu_for(make_user(role, stores=(crew.store_a,)), "/")}

    assert "Intelligence" in labels(Role.LP_OFFICER)
    assert "Intelligence" not in labels(Role.STORE_MANAGER)


def test_the_panel_offers_to_ignore_the_other_records_name(crew: Crew, imported: IntelRun) -> None:
    text = (
        client_for(crew.investigator)
        .get(reverse("cases:incident-detail", args=[crew.first.number]))
        .content.decode()
    )
    assert "Ignore last name “Kowalcyzk”" in text
