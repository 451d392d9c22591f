"""The plan API: bad input is 400 naming the field, nothing saved; the final plan through the
case transitions API waits for every answer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from cases.services import case_transition
from plans import errors, services
from plans.models import AdviceListed, Provision
from tests.advice_requests.factories import advice_in_status
from tests.api.conftest import client_for
from tests.cases.factories import case_in_status, caseworker

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    actor = caseworker()
    case = case_in_status("draft_issued", actor=actor)
    return case, actor, client_for(actor)


def test_provision_with_a_frequency_but_no_unit_is_400(draft):
    case, _actor, client = draft
    before = Provision.objects.count()
    response = client.post(
        reverse("api:plan-provision", args=[case.reference]),
        {"what": "Therapy", "frequency": 2},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"frequency_unit": [errors.FREQUENCY_NEEDS_UNIT]}
    assert Provision.objects.count() == before


def test_the_final_plan_waits_for_the_answer_and_then_goes(draft):
    case, actor, client = draft
    comment = services.comment_record(
        actor=actor,
        plan=case.plan,
        section="F",
        text="More therapy.",
        source="letter",
        received_on=case.draft_issued_on,
    )
    services.plan_update(
        actor=actor, plan=case.plan, data={"setting_name": "Willowbrook (synthetic)"}
    )
    final_day = (case.draft_issued_on + datetime.timedelta(days=15)).isoformat()
    body = {"transition": "issue_final", "effective_date": final_day}
    response = client.post(
        reverse("api:case-transition", args=[case.reference]), body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["plan"] == [
        errors.COMMENTS_UNANSWERED.format(count=1, verb="has")
    ]
    answer_url = reverse("api:plan-comment-answer", args=[case.reference, comment.pk])
    refused = client.post(answer_url, {"answer": "not_accepted"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"answer_text": [errors.NOT_ACCEPTED_NEEDS_REASON]}
    client.post(
        answer_url, {"answer": "not_accepted", "answer_text": "Already weekly."}, format="json"
    )
    response = client.post(
        reverse("api:case-transition", args=[case.reference]), body, format="json"
    )
    assert response.status_code == 200, response.json()
    versions = client.get(reverse("api:plan-versions", args=[case.reference])).json()
    assert [(v["number"], v["kind"]) for v in versions] == [(1, "draft"), (2, "final")]
    diff = client.get(reverse("api:plan-diff", args=[case.reference]) + "?from=1&to=2").json()
    assert [row["section"] for row in diff if row["changed"]] == ["I"]


def test_a_consultation_answer_without_its_date_is_400(draft):
    case, actor, client = draft
    consultation = services.consultation_send(actor=actor, plan=case.plan, setting_name="X School")
    response = client.post(
        reverse("api:plan-consultation-response", args=[case.reference, consultation.pk]),
        {"answer": "cannot_meet", "reasons": "No places."},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"responded_on": [errors.RESPONSE_DATE_REQUIRED]}


def _item_url(case, segment, item_id=None):
    if item_id is None:
        return reverse(f"api:plan-{segment}", args=[case.reference])
    return reverse(f"api:plan-{segment}-item", args=[case.reference, item_id])


def test_a_need_is_changed_in_the_fields_given_its_links_replaced_and_audited(draft):
    case, _actor, client = draft
    plan = case.plan
    need = plan.needs.get(area="communication")
    other_outcome = plan.outcomes.exclude(needs=need).get()
    response = client.patch(
        _item_url(case, "needs", need.pk),
        {"text": "Puts two words together.", "outcomes": [other_outcome.pk]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    need.refresh_from_db()
    assert (need.area, need.text) == ("communication", "Puts two words together.")
    assert list(need.outcomes.all()) == [other_outcome]
    assert need.provision.count() == 1  # not given: left as it was
    row = next(n for n in response.json()["needs"] if n["id"] == need.pk)
    assert row["outcomes"] == [other_outcome.pk]
    entry = AuditEntry.objects.filter(verb="plan.need_saved", target_id=str(need.pk)).last()
    assert entry.case_id == case.pk


def test_an_outcome_linked_to_no_need_when_the_links_are_emptied(draft):
    case, _actor, client = draft
    outcome = case.plan.outcomes.first()
    response = client.patch(_item_url(case, "outcomes", outcome.pk), {"needs": []}, format="json")
    assert response.status_code == 200
    assert outcome.needs.count() == 0


def test_provision_is_changed_with_the_pages_rules(draft):
    case, _actor, client = draft
    entry = case.plan.provision.get(frequency=1)
    url = _item_url(case, "provision", entry.pk)
    unquantified = client.patch(url, {"frequency": None}, format="json")
    assert unquantified.status_code == 400
    assert unquantified.json()["errors"] == {"frequency": [errors.UNIT_NEEDS_FREQUENCY]}
    too_many = client.patch(url, {"group_size": 500}, format="json")
    assert too_many.status_code == 400
    assert "group_size" in too_many.json()["errors"]
    entry.refresh_from_db()
    assert (entry.frequency, entry.group_size) == (1, 1)
    changed = client.patch(url, {"frequency": 2, "section": "G"}, format="json")
    assert changed.status_code == 200
    entry.refresh_from_db()
    assert (entry.section, entry.how_often, entry.session_minutes) == ("G", "twice a week", 30)


def test_a_number_out_of_range_is_refused_by_the_service_too(draft):
    case, actor, _client = draft
    with pytest.raises(ValidationError) as refused:
        services.provision_save(actor=actor, plan=case.plan, what="Therapy", session_minutes=5000)
    assert refused.value.message_dict == {
        "session_minutes": [errors.NUMBER_OUT_OF_RANGE.format(most=1440)]
    }


def test_links_and_sources_must_be_of_this_plan_and_case(draft):
    case, actor, client = draft
    other = case_in_status("draft_issued", actor=actor)
    need = case.plan.needs.first()
    foreign_outcome = other.plan.outcomes.first()
    response = client.patch(
        _item_url(case, "needs", need.pk), {"outcomes": [foreign_outcome.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"outcomes": [errors.LINK_NOT_THIS_PLAN]}
    foreign_advice = advice_in_status("submitted").submissions.get()
    response = client.post(
        _item_url(case, "outcomes"),
        {"text": "Reads aloud.", "source": foreign_advice.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"source": [errors.SOURCE_NOT_THIS_CASE]}


def test_an_outcome_cites_its_advice_and_links_its_need():
    advice = advice_in_status("submitted")
    actor = caseworker()
    case = case_transition(
        actor=actor,
        case=advice.case,
        transition="agree_to_issue",
        effective_date=advice.submitted_on,
        today=advice.submitted_on,
    )
    services.plan_start(actor=actor, case=case)
    client = client_for(actor)
    need = client.post(
        _item_url(case, "needs"), {"area": "cognition", "text": "Reading."}, format="json"
    ).json()["needs"][0]
    submission = advice.submissions.get()
    response = client.post(
        _item_url(case, "outcomes"),
        {"text": "Reads aloud.", "source": submission.pk, "needs": [need["id"]]},
        format="json",
    )
    assert response.status_code == 201
    [row] = response.json()["outcomes"]
    assert (row["source"], row["needs"]) == (submission.pk, [need["id"]])
    assert [a["submission"] for a in response.json()["advice"]] == [submission.pk]


def test_another_plans_item_is_404_and_untouched(draft):
    case, actor, client = draft
    other = case_in_status("draft_issued", actor=actor)
    foreign = other.plan.needs.first()
    text = foreign.text
    assert (
        client.patch(
            _item_url(case, "needs", foreign.pk), {"text": "Changed."}, format="json"
        ).status_code
        == 404
    )
    assert client.delete(_item_url(case, "needs", foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.text == text


def test_section_k_is_added_changed_and_removed(draft):
    case, _actor, client = draft
    added = client.post(
        _item_url(case, "advice"),
        {"description": "Health visitor's report", "provider": "Health visiting"},
        format="json",
    )
    assert added.status_code == 201
    row = next(a for a in added.json()["advice"] if a["description"] == "Health visitor's report")
    blank = client.patch(_item_url(case, "advice", row["id"]), {"description": ""}, format="json")
    assert blank.status_code == 400
    assert "description" in blank.json()["errors"]
    changed = client.patch(
        _item_url(case, "advice", row["id"]), {"dated": "2026-03-02"}, format="json"
    )
    assert changed.status_code == 200
    item = AdviceListed.objects.get(pk=row["id"])
    assert (item.provider, item.dated) == ("Health visiting", datetime.date(2026, 3, 2))
    assert client.delete(_item_url(case, "advice", row["id"])).status_code == 204
    assert not AdviceListed.objects.filter(pk=row["id"]).exists()


def test_no_item_changes_once_the_final_plan_is_issued(draft):
    actor = caseworker()
    case = case_in_status("final_issued", actor=actor)
    client = client_for(actor)
    need = case.plan.needs.first()
    response = client.patch(_item_url(case, "needs", need.pk), {"text": "X"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"plan": [errors.PLAN_NOT_EDITABLE]}
    assert client.delete(_item_url(case, "needs", need.pk)).status_code == 400
