"""The panel pages: the chair edits and publishes the next agenda without JavaScript, members
read it, decisions are recorded one item after another, the papers print and export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import Case
from cases.roles import Role
from panels import errors, views
from panels.agenda import agenda_build
from panels.forms import ADVICE_QUESTION
from panels.models import Agency, ItemStatus, MeetingStatus, PanelType
from panels.services import agenda_publish
from tests.cases.factories import ChildFactory, UserFactory, advice_chosen, caseworker, make_case

from .factories import PanelFactory, add_member, decline_reason, meeting

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
def nap(client):
    panel = PanelFactory(panel_type=PanelType.NAP)
    member = add_member(panel, Agency.EDUCATION)
    first = meeting(panel, today())
    meeting(panel, today() + WEEK)
    cases = [nap_case(30), nap_case(25), nap_case(20)]
    agenda_build(meeting=first)
    return {"panel": panel, "member": member, "first": first, "cases": cases}


def signed_in(client, user):
    client.force_login(user)
    return client


def page(name, meeting_obj, **kwargs):
    return reverse(name, kwargs={"meeting_id": meeting_obj.pk, **kwargs})


def order(meeting_obj):
    return list(
        meeting_obj.items.filter(status=ItemStatus.LISTED)
        .order_by("position")
        .values_list("case__reference", flat=True)
    )


def test_navigation_has_panels_for_panel_roles_not_partners(client, nap):
    response = signed_in(client, nap["member"]).get(reverse("panels:list"))
    assert response.status_code == 200
    assert {"text": "Panels", "href": "/panels/", "active": True} in response.context["navigation"]
    assert nap["panel"].name in response.content.decode()
    client.logout()
    partner = UserFactory(roles=[Role.PARTNER])
    assert signed_in(client, partner).get(reverse("panels:list")).status_code == 403


def test_next_meeting_redirects_to_the_earliest_open_meeting(client, nap):
    response = signed_in(client, nap["panel"].chair).get(
        reverse("panels:next-meeting", kwargs={"panel_id": nap["panel"].pk})
    )
    assert response.url == page("panels:meeting", nap["first"])


def test_chair_page_shows_due_dates_and_edit_buttons(client, nap):
    response = signed_in(client, nap["panel"].chair).get(page("panels:meeting", nap["first"]))
    body = response.content.decode()
    assert response.context["may_edit"]
    for case in nap["cases"]:
        assert case.reference in body
    assert "Publish agenda" in body
    assert "Add a case" in body


def test_members_read_only(client, nap):
    response = signed_in(client, nap["member"]).get(page("panels:meeting", nap["first"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Publish agenda" not in body
    assert "Remove" not in body
    response = client.post(page("panels:meeting-publish", nap["first"]))
    assert response.status_code == 403
    assert escape(errors.CHAIR_ONLY) in response.content.decode()


def test_a_member_of_another_panel_gets_404(client, nap):
    other = add_member(PanelFactory(), Agency.HEALTH)
    assert signed_in(client, other).get(page("panels:meeting", nap["first"])).status_code == 404


def test_move_up_and_down_and_remove_without_javascript(client, nap):
    chair = signed_in(client, nap["panel"].chair)
    refs = order(nap["first"])
    last = nap["first"].items.get(case__reference=refs[2])
    response = chair.post(
        page("panels:item-move", nap["first"], item_id=last.pk), {"direction": "up"}
    )
    assert response.status_code == 302
    assert order(nap["first"]) == [refs[0], refs[2], refs[1]]
    first = nap["first"].items.get(case__reference=refs[0])
    response = chair.post(
        page("panels:item-move", nap["first"], item_id=first.pk), {"direction": "up"}
    )
    assert response.status_code == 400
    assert escape(views.NOT_MOVABLE) in response.content.decode()
    chair.post(page("panels:item-remove", nap["first"], item_id=first.pk))
    assert order(nap["first"]) == [refs[2], refs[1]]


def test_add_a_case_by_reference(client, nap):
    chair = signed_in(client, nap["panel"].chair)
    response = chair.post(page("panels:meeting-add", nap["first"]), {"case": "EHC-1999-0001"})
    assert response.status_code == 400
    assert (
        escape(errors.NO_SUCH_CASE.format(reference="EHC-1999-0001")) in response.content.decode()
    )
    fresh = nap_case(3)
    response = chair.post(page("panels:meeting-add", nap["first"]), {"case": fresh.reference})
    assert response.status_code == 302
    assert order(nap["first"])[-1] == fresh.reference


def test_build_and_publish(client, nap):
    chair = signed_in(client, nap["panel"].chair)
    late = nap_case(10)
    chair.post(page("panels:meeting-build", nap["first"]))
    assert order(nap["first"])[-1] == late.reference
    unconfirmed = chair.post(page("panels:meeting-publish", nap["first"]))
    assert unconfirmed.status_code == 400
    assert escape(views.PUBLISH_CONFIRM) in unconfirmed.content.decode()
    nap["first"].refresh_from_db()
    assert nap["first"].status == MeetingStatus.SCHEDULED
    response = chair.post(
        page("panels:meeting-publish", nap["first"]), {"confirm": "on"}, follow=True
    )
    assert escape(views.PUBLISHED) in response.content.decode()
    nap["first"].refresh_from_db()
    assert nap["first"].status == MeetingStatus.PUBLISHED
    response = chair.post(page("panels:meeting-build", nap["first"]))
    assert response.status_code == 409


@pytest.fixture
def published(nap):
    agenda_publish(actor=nap["panel"].chair, meeting=nap["first"])
    return nap


def outcome_post(client, item, data):
    prefixed = {f"item{item.pk}-{key}": value for key, value in data.items()}
    return client.post(page("panels:item-outcome", item.meeting, item_id=item.pk), prefixed)


def test_outcome_without_reasons_is_refused_on_the_page(client, published):
    chair = signed_in(client, published["panel"].chair)
    item = published["first"].items.order_by("position").first()
    response = outcome_post(
        chair,
        item,
        {"outcome": "decline_to_assess", "decline_reason": decline_reason().pk, "reasons": ""},
    )
    assert response.status_code == 400
    assert escape(errors.REASONS_REQUIRED) in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.LISTED


def test_decline_and_agree_to_assess_from_the_page(client, published):
    chair = signed_in(client, published["panel"].chair)
    first, second, third = published["first"].items.order_by("position")
    response = outcome_post(
        chair,
        first,
        {
            "outcome": "decline_to_assess",
            "decline_reason": decline_reason().pk,
            "reasons": "SEN support is working (synthetic).",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=first.case_id).status == "assessment_declined"
    ep_service = advice_chosen()["advice"][0]["service"]
    response = outcome_post(
        chair,
        second,
        {
            "outcome": "agree_to_assess",
            "reasons": "Evidence of need (synthetic).",
            "advice": ["educational_psychology"],
            "service_educational_psychology": ep_service,
        },
    )
    assert response.status_code == 400  # the family's views are missing
    response = outcome_post(
        chair,
        second,
        {
            "outcome": "agree_to_assess",
            "reasons": "Evidence of need (synthetic).",
            "advice": ["educational_psychology", "parent_views"],
            "service_educational_psychology": ep_service,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=second.case_id)
    assert (case.status, case.assessment_decided_on) == ("assessing", published["first"].date)
    assert set(case.advice_requests.values_list("question", flat=True)) == {ADVICE_QUESTION}


def test_attendance_from_the_page(client, published):
    chair = signed_in(client, published["panel"].chair)
    response = chair.post(
        page("panels:meeting-attendance", published["first"]), {"present": [published["member"].pk]}
    )
    assert response.status_code == 302
    assert published["first"].attendance.get(user=published["member"]).present


def test_print_and_csv(client, nap):
    member = signed_in(client, nap["member"])
    response = member.get(page("panels:meeting-print", nap["first"]))
    body = response.content.decode()
    assert "@media print" in body
    assert ".govuk-service-navigation" in body
    response = member.get(page("panels:meeting-csv", nap["first"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == views.CSV_HEADER
    first_case = nap["cases"][0]
    assert rows[1][1:4] == [first_case.reference, first_case.child.initials, str(rows[1][3])]
    assert rows[1][5] == first_case.decision_to_assess_due.isoformat()
    assert rows[1][7] == "Not requested yet"
    assert len(rows) == 4


def test_forward_plan_highlights_over_capacity(client, nap):
    nap["panel"].capacity = 1
    nap["panel"].save()
    response = signed_in(client, caseworker()).get(reverse("panels:forward-plan"))
    assert response.status_code == 200
    assert "Over capacity" in response.content.decode()


def test_agenda_page_queries_do_not_grow_with_items(client, nap, django_assert_max_num_queries):
    chair = signed_in(client, nap["panel"].chair)
    url = page("panels:meeting", nap["first"])
    with django_assert_max_num_queries(30) as small:
        chair.get(url)
    nap["panel"].capacity = 40
    nap["panel"].save()
    for days in range(27):
        nap_case(5 + days % 20)
    agenda_build(meeting=nap["first"])
    assert len(order(nap["first"])) == 30
    with django_assert_max_num_queries(len(small.captured_queries)):
        chair.get(url)
