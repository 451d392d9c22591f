"""Issue 18 item 1 for the reviews app: a review's appealable decision (the plan kept without
changes, the amended plan, the plan ceased) opens the family's appeal window from the date its
letter (or the amended plan) was sent, once; on the case page, the disagreement page, the API
and the family's portal; its council deadlines alerted by the sweep as any other's."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEntry
from cases.models import Child
from disputes import deadlines, services
from disputes.alerts import sweep_disputes
from disputes.models import Decision, Dispute
from notifications.models import Notification
from reviews.models import ActivePlan, Review
from reviews.services import review_schedule, review_transition
from security.retention import retention_apply
from security.subject_access import export_child_record
from tests.cases.factories import case_in_status, caseworker, manager
from tests.families.factories import family_account, parent_of
from tests.reviews.factories import review_in_status

from .factories import MEETING, TO_REPORT, send_letters

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = timezone.now()

#: A plan held here: each decision's letters are written by the plans app, and the window
#: runs from the day the last of them was marked sent (reviews' letters-sent hook).
STEPS = {
    "amending": [("decide_amend", D(2026, 10, 12), {})],
    "cease_proposed": [("decide_cease", D(2026, 10, 12), {})],
}
STEPS["maintained"] = [("decide_maintain", D(2026, 10, 12), {})]
STEPS["amendments_proposed"] = [*STEPS["amending"], ("propose_amendments", D(2026, 10, 13), {})]
STEPS["amended"] = [*STEPS["amendments_proposed"], ("issue_amended_plan", D(2026, 11, 2), {})]
STEPS["cease_consulted"] = [
    *STEPS["cease_proposed"],
    ("record_cease_consultation", D(2026, 10, 25), {}),
]
STEPS["kept"] = [*STEPS["cease_consulted"], ("keep_plan", D(2026, 10, 28), {})]
STEPS["ceased"] = [*STEPS["cease_consulted"], ("cease_plan", D(2026, 10, 30), {"cease_reason": 2})]
#: The letters with appeal rights, and the day they went.
SENT = {
    "maintained": ("decision_notice", D(2026, 10, 12)),
    "kept": ("decision_notice", D(2026, 10, 29)),
    "amended": ("amended_plan_notice", D(2026, 11, 2)),
    "ceased": ("ceased_notice", D(2026, 10, 30)),
    # No appeal rights: sending these opens nothing.
    "amending": ("decision_notice", D(2026, 10, 12)),
    "cease_proposed": ("decision_notice", D(2026, 10, 12)),
}
TODAY = D(2026, 11, 30)


def _plan_issued_here(actor=None):
    """A request that ended in a final plan (23 May 2026): the plan it became, with its case."""
    actor = actor or caseworker()
    case = case_in_status("final_issued", actor=actor)
    return actor, case, ActivePlan.objects.get(case=case)


def _review(status, *, actor, plan, send=True):
    review = review_schedule(actor=actor, plan=plan, meeting_on=MEETING, today=D(2026, 9, 1))
    for transition, day, details in [*TO_REPORT, *STEPS[status]]:
        review = review_transition(
            actor=actor,
            review=review,
            transition=transition,
            effective_date=day,
            details=details,
            today=TODAY,
        )
    if send and status in SENT:
        notice, day = SENT[status]
        send_letters(getattr(review, notice), day, actor=actor)
        review.refresh_from_db()
    return review


# Hand-worked: 2 calendar months from the letter (HESC Rules r20; CFA 2014 s51).
WINDOWS = [
    # (path, decision, letter sent, appeal deadline, words on the page)
    (
        "maintained",
        Decision.AMENDMENT,
        D(2026, 10, 12),
        D(2026, 12, 12),
        "Decision to keep the plan without changes",
    ),
    (
        "kept",
        Decision.AMENDMENT,
        D(2026, 10, 29),
        D(2026, 12, 29),
        "Decision to keep the plan without changes",
    ),
    ("amended", Decision.AMENDMENT, D(2026, 11, 2), D(2027, 1, 2), "The amended plan"),
    ("ceased", Decision.CEASE, D(2026, 10, 30), D(2026, 12, 30), "Decision to cease the plan"),
]


@pytest.mark.parametrize(("path", "decision", "letter", "deadline", "words"), WINDOWS)
def test_each_review_decision_opens_exactly_one_window(path, decision, letter, deadline, words):
    actor, case, plan = _plan_issued_here()
    review = _review(path, actor=actor, plan=plan)
    dispute = Dispute.objects.get()
    assert (dispute.case_id, dispute.review_id, dispute.decision) == (case.pk, review.pk, decision)
    assert dispute.decision_letter_sent_on == letter
    assert dispute.appeal_deadline == deadline == deadlines.appeal_deadline(letter)
    assert dispute.status == "open"
    assert dispute.title == f"{words} (review meeting of 1 October 2026)"
    entry = AuditEntry.objects.get(verb="dispute.opened")
    assert (entry.case_id, entry.actor_id) == (case.pk, actor.pk)
    assert entry.payload["review"] == review.pk
    assert entry.payload["appeal_deadline"] == deadline.isoformat()


@pytest.mark.parametrize("path", ["amending", "amendments_proposed", "cease_proposed"])
def test_a_decision_to_amend_or_a_notice_to_cease_opens_no_window_yet(path):
    # CFA 2014 s51(2)-(3): the amended plan, and the decision to cease, are what is appealable.
    actor, _, plan = _plan_issued_here()
    _review(path, actor=actor, plan=plan)
    assert not Dispute.objects.exists()


@pytest.mark.parametrize("path", ["maintained", "kept", "amended", "ceased"])
def test_no_window_until_the_letter_has_gone(path):
    actor, _, plan = _plan_issued_here()
    review = _review(path, actor=actor, plan=plan, send=False)
    assert not Dispute.objects.exists()
    assert services.review_windows_open() == 0
    notice, day = SENT[path]
    send_letters(getattr(review, notice), day, actor=actor)
    assert Dispute.objects.get().decision_letter_sent_on == day


@pytest.mark.parametrize("path", ["maintained", "amended", "ceased"])
def test_running_twice_does_not_duplicate(path):
    actor, _, plan = _plan_issued_here()
    review = _review(path, actor=actor, plan=plan)
    first = Dispute.objects.get()
    assert services.dispute_open_for_review(actor=actor, review=review) == first
    assert services.review_windows_open() == 0
    call_command("open_review_appeal_windows", stdout=io.StringIO())
    assert Dispute.objects.count() == 1
    assert AuditEntry.objects.filter(verb="dispute.opened").count() == 1


def test_reviews_decided_before_the_wiring_get_their_window_once(capsys):
    actor, case, plan = _plan_issued_here()
    _review("maintained", actor=actor, plan=plan)
    Dispute.objects.all().delete()  # as if decided before disputes listened to reviews
    call_command("open_review_appeal_windows")
    assert "Appeal windows opened: 1." in capsys.readouterr().out
    call_command("open_review_appeal_windows")
    assert "Appeal windows opened: 0." in capsys.readouterr().out
    dispute = Dispute.objects.get()
    assert (dispute.case_id, dispute.appeal_deadline) == (case.pk, D(2026, 12, 12))
    opened = AuditEntry.objects.filter(verb="dispute.opened").order_by("pk")
    assert [entry.actor_id for entry in opened] == [actor.pk, None]  # the hook's, the command's


def test_a_plan_reviewed_each_year_opens_a_window_each_year():
    actor, case, plan = _plan_issued_here()
    _review("maintained", actor=actor, plan=plan)
    later = D(2027, 10, 30)
    review = review_schedule(actor=actor, plan=plan, meeting_on=D(2027, 9, 20), today=later)
    for transition, day, details in (
        ("send_invitations", D(2027, 9, 1), {}),
        ("hold_meeting", D(2027, 9, 20), {}),
        ("receive_report", D(2027, 9, 25), {"report_text": "Good progress (synthetic)."}),
        ("decide_maintain", D(2027, 10, 5), {}),
    ):
        review = review_transition(
            actor=actor,
            review=review,
            transition=transition,
            effective_date=day,
            details=details,
            today=later,
        )
    assert Dispute.objects.filter(case=case).count() == 1  # not until its letter has gone
    send_letters(review.decision_notice, D(2027, 10, 6), actor=actor, today=later)
    windows = list(Dispute.objects.filter(case=case).values_list("decision", "appeal_deadline"))
    assert windows == [("amendment", D(2026, 12, 12)), ("amendment", D(2027, 12, 6))]


def test_a_plan_not_issued_here_opens_no_window_and_the_review_goes_on():
    # An imported plan has no request to hang the window on (decision 0140).
    review = review_in_status("maintained")
    assert review.plan.case_id is None
    assert not Dispute.objects.exists()


def test_the_request_decisions_window_is_not_confused_with_a_reviews():
    # The plan first issued is appealable (its content) apart from the review's decision.
    actor, case, plan = _plan_issued_here()
    _review("maintained", actor=actor, plan=plan)
    content = services.dispute_open(
        actor=actor, case=case, decision="amendment", letter_sent_on=D(2026, 5, 23)
    )
    assert content.review_id is None
    assert Dispute.objects.filter(case=case, decision="amendment").count() == 2


def test_the_window_is_on_the_case_page_and_the_disagreement_page(client):
    actor, case, plan = _plan_issued_here()
    _review("amended", actor=actor, plan=plan)
    client.force_login(actor)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "The amended plan (review meeting of 1 October 2026)" in page
    assert "Last day to appeal to the tribunal" in page
    assert "2 January 2027" in page
    page = client.get(reverse("disputes:case", args=[case.reference])).content.decode()
    assert "The amended plan (review meeting of 1 October 2026)" in page
    assert "2 January 2027" in page


def test_the_window_is_in_the_api():
    actor, case, plan = _plan_issued_here()
    review = _review("ceased", actor=actor, plan=plan)
    api = APIClient()
    api.force_authenticate(actor)
    body = api.get(reverse("api:case-disputes", args=[case.reference])).json()
    assert body["pending_window"] is None
    (dispute,) = body["disputes"]
    assert dispute["decision"] == "cease"
    assert dispute["review"] == review.pk
    assert dispute["title"] == "Decision to cease the plan (review meeting of 1 October 2026)"
    assert dispute["appeal_deadline"] == "2026-12-30"


def test_the_family_sees_the_window_in_plain_words(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 3, 12, tzinfo=datetime.UTC))
    actor, case, plan = _plan_issued_here()
    _review("maintained", actor=actor, plan=plan)
    client.force_login(family_account(carer=parent_of(case.child)).user)
    page = client.get(reverse("families:request", args=[case.reference])).content.decode()
    assert "If you disagree" in page
    assert (
        "Last day to appeal to the tribunal against the decision to keep the plan without "
        "changes (review meeting of 1 October 2026): 12 December 2026."
    ) in page
    assert (
        "Last day to contact the mediation adviser about the decision to keep the plan "
        "without changes (review meeting of 1 October 2026): 12 December 2026."
    ) in page


def test_the_sweep_alerts_on_a_reviews_dispute_as_on_any_other():
    boss = manager()
    actor, case, plan = _plan_issued_here()
    review = _review("maintained", actor=actor, plan=plan)
    dispute = Dispute.objects.get(review=review)
    # The family's own deadlines are shown, never alerted (decision 0122).
    assert sweep_disputes(today=D(2026, 12, 10), now=NOW) == 0
    # The plan moved to another caseworker after the request: they are the one told.
    now_theirs = caseworker()
    ActivePlan.objects.filter(pk=plan.pk).update(caseworker=now_theirs)
    registered = D(2026, 11, 20)
    appeal = services.appeal_register(
        actor=actor,
        dispute=dispute,
        registered_on=registered,
        grounds=["amendment"],
        today=registered,
    )
    due = appeal.response_due
    assert due == deadlines.add_working_days(registered, 30) == D(2027, 1, 6)  # past Christmas
    assert sweep_disputes(today=due - datetime.timedelta(days=7), now=NOW) == 1
    assert sweep_disputes(today=due - datetime.timedelta(days=6), now=NOW) == 0
    assert sweep_disputes(today=due + datetime.timedelta(days=1), now=NOW) == 2
    assert sweep_disputes(today=due + datetime.timedelta(days=2), now=NOW) == 0
    told = set(
        Notification.objects.filter(object_type="dispute_deadline").values_list(
            "level", "recipient_key"
        )
    )
    assert told == {
        ("at_risk", f"user:{now_theirs.pk}"),
        ("overdue", f"user:{now_theirs.pk}"),
        ("overdue", f"user:{boss.pk}"),
    }


def test_a_reviews_dispute_is_exported_and_erased_with_the_child(
    tmp_path, django_capture_on_commit_callbacks
):
    # The dispute points at the case and at the review (PROTECT): subject access finds it from
    # the child, and the erasure deletes it before the review it points at.
    actor, case, plan = _plan_issued_here()
    review = _review("ceased", actor=actor, plan=plan)
    dispute = Dispute.objects.get(review=review)
    counts = export_child_record(child=case.child, output=tmp_path)
    assert counts["disputes.dispute"] == 1
    Child.objects.filter(pk=case.child_id).update(date_of_birth=D(2000, 6, 15))
    run_on = D(2031, 6, 16)
    retention_apply(today=run_on)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(today=run_on + datetime.timedelta(days=30))
    assert not Dispute.objects.filter(pk=dispute.pk).exists()
    assert not Review.objects.filter(pk=review.pk).exists()
    assert not AuditEntry.objects.filter(
        target_type="disputes.dispute", target_id=str(dispute.pk)
    ).exists()
