"""Through the real engine: the crew's two records are suggested as one person; rejected, the
pair never comes back; confirmed, it stays linked."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import client_for
from tests.intel.conftest import Crew
from vigil.intel import runs
from vigil.intel.models import Profile, Suggestion


def incident_page(crew: Crew) -> str:
    page = client_for(crew.investigator).get(
        reverse("cases:incident-detail", args=[crew.first.number])
    )
    return page.content.decode()


def test_the_engine_suggests_bob_is_robert_and_a_rejection_holds(crew: Crew) -> None:
    runs.link_region(None)
    assert "Robert Kowalcyzk" in incident_page(crew)
    suggestion = Suggestion.objects.get(kind="person")
    client_for(crew.investigator).post(
        reverse("intel:suggestion-decision", args=[suggestion.pk]), {"verdict": "different"}
    )
    runs.link_region(None)
    assert not Suggestion.objects.filter(kind="person").exists()
    assert not Profile.objects.filter(subjects=crew.bob).filter(subjects=crew.robert).exists()
    assert "Probably the same person" not in incident_page(crew)


def test_a_confirmed_pair_stays_linked(crew: Crew) -> None:
    runs.link_region(None)
    suggestion = Suggestion.objects.get(kind="person")
    client_for(crew.investigator).post(
        reverse("intel:suggestion-decision", args=[suggestion.pk]), {"verdict": "same"}
    )
    runs.link_region(crew.store_a.region)
    profile = Profile.objects.get(subjects=crew.bob)
    assert set(profile.subjects.all()) == {crew.bob, crew.robert}
    assert not Suggestion.objects.filter(kind="person").exists()
