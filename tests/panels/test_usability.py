"""Issue 14, the panel pages as the chair needs them: the reference hint in the real format, a
case already listed said to be so, attendance with the chair and apologies (nobody present is
refused), quorum shown before decisions, capacity counted in places, a case that moved on shown
and removable, and one item's decision at a time with EP services only for EP advice."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from advice_requests.models import PartnerServiceKind
from cases.services import case_transition
from panels import errors, views
from panels.agenda import agenda_build
from panels.forms import OutcomeForm, reference_example
from panels.models import Agency, ItemStatus, MeetingStatus, PanelType
from panels.selectors import AgendaLine
from panels.services import agenda_publish, attendance_record
from tests.advice_requests.factories import PartnerServiceFactory
from tests.cases.factories import ChildFactory, caseworker, make_case

from .factories import PanelFactory, add_member, decline_reason, meeting, quorate_statutory_panel

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


def today():
    return timezone.localdate()


def nap_case(days_ago):
    return make_case(
        received_on=today() - datetime.timedelta(days=days_ago),
        child=ChildFactory(date_of_birth=datetime.date(2015, 1, 1)),
        today=today(),
    )


@pytest.fixture
def nap():
    panel = PanelFactory(panel_type=PanelType.NAP, capacity=10)
    member = add_member(panel, Agency.EDUCATION)
    first = meeting(panel, today())
    meeting(panel, today() + WEEK)
    cases = [nap_case(30), nap_case(25), nap_case(20)]
    agenda_build(meeting=first)
    return {"panel": panel, "member": member, "first": first, "cases": cases}


@pytest.fixture
def published(nap):
    agenda_publish(actor=nap["panel"].chair, meeting=nap["first"])
    return nap


def url(name, meeting_obj, **kwargs):
    return reverse(name, kwargs={"meeting_id": meeting_obj.pk, **kwargs})


def body(response):
    return response.content.decode()


def test_the_reference_hint_has_the_real_format(client, nap):
    """Seen: the hint said EHC-2026-0142; real references have 5 digits."""
    real = nap["cases"][0].reference
    shape = re.compile(r"^[A-Z]+-\d{4}-\d{5}$")
    assert shape.match(real)
    assert shape.match(reference_example())
    client.force_login(nap["panel"].chair)
    page = body(client.get(url("panels:meeting", nap["first"])))
    assert f"like {reference_example()}." in page
    assert "EHC-2026-0142." not in page
    empty = client.post(url("panels:meeting-add", nap["first"]), {"case": ""})
    assert f"Enter the case reference, like {reference_example()}." in body(empty)


def test_adding_a_case_already_on_the_agenda_says_so(client, nap):
    client.force_login(nap["panel"].chair)
    listed = nap["cases"][0]
    response = client.post(url("panels:meeting-add", nap["first"]), {"case": listed.reference})
    assert response.status_code == 400
    page = body(response)
    assert escape(errors.CASE_ALREADY_ON_THIS_AGENDA.format(reference=listed.reference)) in page
    assert "added to the agenda" not in page
    assert nap["first"].items.filter(case=listed).count() == 1


def test_saving_attendance_with_nobody_present_is_refused(client, published):
    client.force_login(published["panel"].chair)
    response = client.post(url("panels:meeting-attendance", published["first"]), {})
    assert response.status_code == 400
    page = body(response)
    assert escape(errors.NOBODY_PRESENT) in page
    assert "Attendance recorded" not in page
    assert not published["first"].attendance.exists()


def test_the_chair_is_in_the_attendance_list_and_apologies_are_recorded(client, published):
    chair, member = published["panel"].chair, published["member"]
    client.force_login(chair)
    page = body(client.get(url("panels:meeting", published["first"])))
    assert f'name="attendance-{chair.pk}"' in page
    assert f'{chair.get_full_name()} <span class="govuk-body-s">(Chair)</span>' in page
    response = client.post(
        url("panels:meeting-attendance", published["first"]),
        {f"attendance-{chair.pk}": "present", f"attendance-{member.pk}": "apologies"},
        follow=True,
    )
    assert "Attendance recorded: 1 person present." in body(response)
    rows = {a.user_id: a for a in published["first"].attendance.all()}
    assert (rows[chair.pk].present, rows[chair.pk].agency) == (True, "chair")
    assert (rows[member.pk].present, rows[member.pk].apologies) == (False, True)
    checked = f'name="attendance-{member.pk}" value="apologies" checked'
    assert checked in body(response)


def test_quorum_is_shown_before_decisions_with_who_is_missing(client):
    panel, members = quorate_statutory_panel()
    held = meeting(panel, today())
    meeting(panel, today() + WEEK)
    agenda_publish(actor=panel.chair, meeting=held)
    client.force_login(panel.chair)
    page = body(client.get(url("panels:meeting", held)))
    assert "education, health and social care must be present" in page
    attendance_record(
        actor=panel.chair, meeting=held, present_user_ids=[members[Agency.EDUCATION].pk]
    )
    page = body(client.get(url("panels:meeting", held)))
    assert "Not quorate" in page
    assert "Missing: health and social care." in page
    attendance_record(
        actor=panel.chair, meeting=held, present_user_ids=[m.pk for m in members.values()]
    )
    assert "Quorate" in body(client.get(url("panels:meeting", held)))


def test_places_taken_do_not_fall_as_decisions_are_recorded(client, published):
    client.force_login(published["panel"].chair)
    assert "3 of 10 places taken" in body(client.get(url("panels:meeting", published["first"])))
    item = published["first"].items.order_by("position").first()
    response = client.post(
        url("panels:item-outcome", published["first"], item_id=item.pk),
        {
            f"item{item.pk}-outcome": "decline_to_assess",
            f"item{item.pk}-decline_reason": decline_reason().pk,
            f"item{item.pk}-reasons": "SEN support is working (synthetic).",
        },
    )
    assert response.status_code == 302
    page = body(client.get(url("panels:meeting", published["first"])))
    assert "3 of 10 places taken; 2 items waiting for a decision" in page


def test_a_case_that_moved_on_is_shown_and_the_chair_can_remove_it(client, published):
    first = published["first"]
    withdrawn, *others = [item.case for item in first.items.order_by("position")]
    case_transition(
        actor=caseworker(), case=withdrawn, transition="withdraw", reason="Family moved away."
    )
    client.force_login(published["panel"].chair)
    page = body(client.get(url("panels:meeting", first)))
    assert "Moved on: now withdrawn" in page
    item = first.items.get(case=withdrawn)
    response = client.post(url("panels:item-remove", first, item_id=item.pk), follow=True)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == ItemStatus.REMOVED
    # A case that has not moved on stays: the published agenda is the members' papers.
    still = first.items.get(case=others[0])
    refused = client.post(url("panels:item-remove", first, item_id=still.pk))
    assert refused.status_code == 409
    assert escape(errors.ITEM_NOT_MOVED_ON) in body(refused)


def test_removing_the_last_moved_on_item_closes_the_meeting(client, published):
    first = published["first"]
    for item in first.items.all():
        case_transition(actor=caseworker(), case=item.case, transition="withdraw", reason="x")
    client.force_login(published["panel"].chair)
    for item in first.items.all():
        client.post(url("panels:item-remove", first, item_id=item.pk))
    first.refresh_from_db()
    assert first.status == MeetingStatus.CLOSED


def test_the_meeting_page_has_no_decision_forms_one_item_at_a_time(client, published):
    client.force_login(published["panel"].chair)
    page = body(client.get(url("panels:meeting", published["first"])))
    assert "-outcome" not in re.sub(r'href="[^"]*"', "", page)  # no decision form fields
    items = list(published["first"].items.order_by("position"))
    for item in items:
        assert url("panels:item-outcome", published["first"], item_id=item.pk) in page
    decision = client.get(url("panels:item-outcome", published["first"], item_id=items[0].pk))
    assert decision.status_code == 200
    assert body(decision).count('type="radio"') == 3
    # Recording it opens the next item waiting for a decision.
    response = client.post(
        url("panels:item-outcome", published["first"], item_id=items[0].pk),
        {
            f"item{items[0].pk}-outcome": "defer",
            f"item{items[0].pk}-reasons": "More evidence from school (synthetic).",
        },
    )
    assert response["Location"] == url(
        "panels:item-outcome", published["first"], item_id=items[1].pk
    )


def test_members_cannot_open_a_decision_form(client, published):
    item = published["first"].items.first()
    client.force_login(published["member"])
    response = client.get(url("panels:item-outcome", published["first"], item_id=item.pk))
    assert response.status_code == 403


def test_the_ep_service_list_offers_ep_services_only():
    ep = PartnerServiceFactory(kind=PartnerServiceKind.EP_SERVICE)
    commissioned = PartnerServiceFactory(kind=PartnerServiceKind.COMMISSIONED_EP)
    salt = PartnerServiceFactory(kind=PartnerServiceKind.SALT)
    form = OutcomeForm(panel_type=PanelType.NAP)
    offered = {value for value, _ in form.fields["service_educational_psychology"].choices}
    assert offered == {"", ep.pk, commissioned.pk}
    health = {value for value, _ in form.fields["service_health"].choices}
    assert salt.pk in health
    refused = OutcomeForm(
        {"outcome": "agree_to_assess", "reasons": "x", "service_educational_psychology": salt.pk},
        panel_type=PanelType.NAP,
    )
    assert not refused.is_valid()
    assert "This field is required." not in str(refused.errors)
    assert "Select a valid choice" not in str(refused.errors)


def test_outcome_message_is_a_sentence():
    assert views.OUTCOME_SAVED.format(reference="EHC-2026-00001", outcome="defer") == (
        "Case EHC-2026-00001: decision to defer recorded."
    )


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (14, "14 days left"),
        (1, "1 day left"),
        (0, "due today"),
        (-1, "1 day overdue"),
        (-3, "3 days overdue"),
    ],
)
def test_days_are_words_never_negative_numbers(days, words):
    line = AgendaLine(item=None, case=None, due_on=None, days_remaining=days)
    assert line.days_words == words
