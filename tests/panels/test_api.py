"""The panels API: every route's success and error codes, visibility (404 outside the user's
panels), the chair-only writes (403), and a decision that moves the case."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Case
from panels import errors
from panels.agenda import agenda_build
from panels.models import Agency, AgendaItem, ItemSource, ItemStatus, MeetingStatus, PanelType
from panels.services import agenda_publish
from tests.api.conftest import client_for
from tests.cases.factories import ChildFactory, advice_chosen, caseworker, make_case, manager

from .factories import PanelFactory, add_member, decline_reason, meeting, quorate_statutory_panel

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


def today():
    return timezone.localdate()


def nap_case(days_ago=20):
    return make_case(
        received_on=today() - datetime.timedelta(days=days_ago),
        child=ChildFactory(date_of_birth=datetime.date(2015, 1, 1)),
        today=today(),
    )


@pytest.fixture
def nap():
    """A NAP meeting today and next week, with an education member, and two cases listed."""
    panel = PanelFactory(panel_type=PanelType.NAP)
    member = add_member(panel, Agency.EDUCATION)
    first = meeting(panel, today())
    second = meeting(panel, today() + WEEK)
    cases = [nap_case(30), nap_case(25)]
    agenda_build(meeting=first)
    return {"panel": panel, "member": member, "first": first, "second": second, "cases": cases}


def agenda_url(meeting_obj, name="api:meeting-agenda"):
    return reverse(name, kwargs={"meeting_id": meeting_obj.pk})


def item_url(item, name):
    return reverse(name, kwargs={"item_id": item.pk})


def test_panel_list_shows_only_the_panels_a_member_sits_on(nap):
    PanelFactory(name="Someone else's panel")
    response = client_for(nap["member"]).get(reverse("api:panel-list"))
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [nap["panel"].pk]
    everyone = client_for(caseworker()).get(reverse("api:panel-list")).json()
    assert everyone["count"] == 2


def test_panel_meetings(nap):
    url = reverse("api:panel-meetings", kwargs={"panel_id": nap["panel"].pk})
    response = client_for(nap["member"]).get(url)
    assert [m["date"] for m in response.json()["results"]] == [
        today().isoformat(),
        (today() + WEEK).isoformat(),
    ]


def test_a_member_of_panel_x_cannot_see_panel_y_or_its_cases(nap):
    other = PanelFactory(name="Panel Y")
    other_meeting = meeting(other, today() + WEEK + WEEK)
    elsewhere = nap_case(5)
    AgendaItem.objects.create(
        meeting=other_meeting, case=elsewhere, position=1, source=ItemSource.CHAIR
    )
    client = client_for(nap["member"])
    assert client.get(agenda_url(other_meeting)).status_code == 404
    assert (
        client.get(reverse("api:panel-meetings", kwargs={"panel_id": other.pk})).status_code == 404
    )
    assert (
        client.get(
            reverse("api:case-detail", kwargs={"reference": elsewhere.reference})
        ).status_code
        == 404
    )
    # ... but sees the cases on its own agendas, each once, and no other case.
    on_x = nap["cases"][0]
    assert (
        client.get(reverse("api:case-detail", kwargs={"reference": on_x.reference})).status_code
        == 200
    )
    listed = client.get(reverse("api:case-list")).json()
    assert sorted(c["reference"] for c in listed["results"]) == sorted(
        c.reference for c in nap["cases"]
    )


def test_a_case_the_chair_removed_is_no_longer_visible_to_members(nap):
    item = nap["first"].items.first()
    client_for(nap["panel"].chair).post(item_url(item, "api:agenda-item-remove"), {}, format="json")
    response = client_for(nap["member"]).get(
        reverse("api:case-detail", kwargs={"reference": item.case.reference})
    )
    assert response.status_code == 404


def test_agenda_lists_items_with_due_dates_and_flags(nap):
    response = client_for(nap["member"]).get(agenda_url(nap["first"]))
    assert response.status_code == 200
    body = response.json()
    assert body["meeting"]["status"] == "scheduled"
    first, second = body["items"]
    assert first["case"] == nap["cases"][0].reference  # due first
    assert first["days_remaining"] == 12
    assert first["advice_status"] == "Not requested yet"
    assert first["child_initials"] == nap["cases"][0].child.initials


def test_agenda_costs_the_same_queries_for_2_or_30_items(nap, django_assert_max_num_queries):
    client = client_for(nap["member"])
    url = agenda_url(nap["first"])
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    nap["panel"].capacity = 40
    nap["panel"].save()
    for days in range(28):
        nap_case(10 + days % 15)
    agenda_build(meeting=nap["first"])
    assert nap["first"].items.count() == 30
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.json()["items"]) == 30


def test_only_the_chair_or_a_manager_changes_the_agenda(nap):
    for user in (nap["member"], caseworker()):
        client = client_for(user)
        assert client.post(agenda_url(nap["first"], "api:meeting-agenda-build")).status_code in (
            403,
            404,
        )
        response = client.post(agenda_url(nap["first"], "api:meeting-publish"))
        assert response.status_code == 403
        assert response.json()["message"] == errors.CHAIR_ONLY
    assert (
        client_for(manager()).post(agenda_url(nap["second"], "api:meeting-publish")).status_code
        == 200
    )
    nap["first"].refresh_from_db()
    assert nap["first"].status == MeetingStatus.SCHEDULED


def test_build_is_idempotent_and_publish_freezes(nap):
    chair = client_for(nap["panel"].chair)
    build = agenda_url(nap["first"], "api:meeting-agenda-build")
    before = [i["id"] for i in chair.get(agenda_url(nap["first"])).json()["items"]]
    assert [i["id"] for i in chair.post(build).json()["items"]] == before
    assert chair.post(agenda_url(nap["first"], "api:meeting-publish")).status_code == 200
    response = chair.post(build)
    assert response.status_code == 409
    assert response.json()["message"] == errors.AGENDA_FROZEN
    assert chair.post(agenda_url(nap["first"], "api:meeting-publish")).status_code == 409


def test_add_by_reference(nap):
    chair = client_for(nap["panel"].chair)
    url = agenda_url(nap["first"], "api:meeting-agenda-add")
    response = chair.post(url, {"case": "EHC-1999-0001"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "case": [errors.NO_SUCH_CASE.format(reference="EHC-1999-0001")]
    }
    assert chair.post(url, {}, format="json").status_code == 400
    # already on the other open agenda: refused
    on_second = nap_case(3)
    AgendaItem.objects.create(
        meeting=nap["second"], case=on_second, position=1, source=ItemSource.CHAIR
    )
    response = chair.post(url, {"case": on_second.reference}, format="json")
    assert response.status_code == 409
    fresh = nap_case(2)
    response = chair.post(url, {"case": fresh.reference.lower()}, format="json")
    assert response.status_code == 201
    assert response.json()["items"][-1]["case"] == fresh.reference
    # a member learns nothing about whether a reference exists
    response = client_for(nap["member"]).post(url, {"case": "EHC-1999-0001"}, format="json")
    assert response.status_code == 403


def test_reorder_and_remove(nap):
    chair = client_for(nap["panel"].chair)
    ids = [i.pk for i in nap["first"].items.order_by("position")]
    url = agenda_url(nap["first"], "api:meeting-agenda-reorder")
    assert chair.post(url, {"items": ids[:1]}, format="json").status_code == 400
    response = chair.post(url, {"items": ids[::-1]}, format="json")
    assert [i["id"] for i in response.json()["items"]] == ids[::-1]
    item = AgendaItem.objects.get(pk=ids[0])
    response = chair.post(item_url(item, "api:agenda-item-remove"), {"reason": "x"}, format="json")
    assert [i["id"] for i in response.json()["items"]] == [ids[1]]
    again = chair.post(item_url(item, "api:agenda-item-remove"), {}, format="json")
    assert again.status_code == 409


def test_attendance(nap):
    chair = client_for(nap["panel"].chair)
    url = agenda_url(nap["first"], "api:meeting-attendance")
    stranger = caseworker()
    response = chair.post(url, {"present": [stranger.pk]}, format="json")
    assert response.status_code == 400
    assert "present" in response.json()["errors"]
    nobody = chair.post(url, {"present": []}, format="json")
    assert nobody.status_code == 400
    assert nobody.json()["errors"] == {"present": [errors.NOBODY_PRESENT]}
    assert not nap["first"].attendance.exists()
    response = chair.post(
        url, {"present": [nap["member"].pk], "apologies": [nap["panel"].chair_id]}, format="json"
    )
    assert response.json() == [
        {"user": nap["panel"].chair_id, "agency": "chair", "present": False, "apologies": True},
        {"user": nap["member"].pk, "agency": "education", "present": True, "apologies": False},
    ]
    assert client_for(nap["member"]).post(url, {"present": []}, format="json").status_code == 403


@pytest.fixture
def published(nap):
    agenda_publish(actor=nap["panel"].chair, meeting=nap["first"])
    return nap


def outcome(client, item, **body):
    return client.post(item_url(item, "api:agenda-item-outcome"), body, format="json")


def test_outcome_without_reasons_is_refused_and_nothing_saved(published):
    item = published["first"].items.first()
    response = outcome(
        client_for(published["panel"].chair),
        item,
        outcome="decline_to_assess",
        reasons=" ",
        decline_reason=decline_reason().pk,
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"reasons": [errors.REASONS_REQUIRED]}
    item.refresh_from_db()
    assert (item.status, item.case.status) == (ItemStatus.LISTED, "received")


def test_a_decline_reason_from_another_panel_type_is_refused(published):
    item = published["first"].items.first()
    other = decline_reason(PanelType.STATUTORY, "Statutory only")
    response = outcome(
        client_for(published["panel"].chair),
        item,
        outcome="decline_to_assess",
        reasons="Synthetic.",
        decline_reason=other.pk,
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"decline_reason": [errors.NO_SUCH_DECLINE_REASON]}


def test_agree_to_assess_moves_the_case_with_the_meeting_date(published):
    item = published["first"].items.order_by("position").first()
    chair = client_for(published["panel"].chair)
    response = outcome(chair, item, outcome="agree_to_assess", reasons="Evidence of need.")
    assert response.status_code == 400  # the advice chosen is required, as for the case API
    item.refresh_from_db()
    assert item.status == ItemStatus.LISTED
    response = outcome(
        chair, item, outcome="agree_to_assess", reasons="Evidence of need.", details=advice_chosen()
    )
    assert response.status_code == 200, response.content
    case = Case.objects.get(pk=item.case_id)
    assert (case.status, case.assessment_decided_on) == ("assessing", published["first"].date)
    assert AuditEntry.objects.filter(case=case, verb="panel.outcome_recorded").count() == 1
    assert outcome(chair, item, outcome="defer", reasons="Again.").status_code == 409
    member = client_for(published["member"])
    other = published["first"].items.exclude(pk=item.pk).get()
    assert outcome(member, other, outcome="defer", reasons="x").status_code == 403


def test_statutory_outcome_without_quorum_is_refused():
    panel, members = quorate_statutory_panel()
    held = meeting(panel, today())
    meeting(panel, today() + WEEK)
    case = nap_case(100)
    item = AgendaItem.objects.create(meeting=held, case=case, position=1, source=ItemSource.CHAIR)
    agenda_publish(actor=panel.chair, meeting=held)
    chair = client_for(panel.chair)
    chair.post(
        agenda_url(held, "api:meeting-attendance"),
        {"present": [members[Agency.EDUCATION].pk]},
        format="json",
    )
    response = outcome(chair, item, outcome="defer", reasons="Synthetic.")
    assert response.status_code == 409
    assert response.json()["message"] == errors.NO_QUORUM.format(missing="health and social care")
    item.refresh_from_db()
    assert item.status == ItemStatus.LISTED
