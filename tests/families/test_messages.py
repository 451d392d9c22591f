"""Issue 16 item 4: a message at each point the family must know, one per event per recipient,
through the notification outbox (so delivered once), and never with the child's name."""

import datetime

import pytest
from django.core import mail

from advice_requests.models import AdviceRequest
from advice_requests.risk_inputs import case_advice_due_refresh
from cases.services import case_transition
from families.messages import family_recipients, sweep_family
from notifications.delivery import deliver_pending
from notifications.kinds import Kind
from notifications.models import Notification
from tests.cases.factories import (
    ChildFactory,
    advice_chosen,
    case_in_status,
    caseworker,
    make_case,
)

from .factories import family_account, parent_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 2)
YOUNG_PERSON_DOB = datetime.date(2009, 3, 1)


def submitted(requests, on):
    """Mark advice submitted in bulk, as the tests' shortcut: bulk updates bypass the model's
    save, so the case's stored input is refreshed as any such writer must (decision 0190)."""
    requests.update(status="submitted", submitted_on=on)
    case_advice_due_refresh({r.case_id for r in requests.all()})


def family_rows(kind=None):
    rows = Notification.objects.filter(level="family")
    return rows.filter(kind=kind) if kind else rows


def test_request_received_goes_to_each_parent_with_responsibility_and_an_email(
    django_capture_on_commit_callbacks,
):
    child = ChildFactory()
    parent_of(child, name="Alex Parent", email="alex@example.invalid")
    parent_of(child, name="Sam Parent", email="sam@example.invalid")
    parent_of(child, name="No Responsibility", email="nr@example.invalid", responsibility=False)
    post_only = parent_of(child, name="Post Only")
    post_only.email = ""
    post_only.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(child=child)
    rows = family_rows(Kind.FAMILY_REQUEST_RECEIVED)
    assert sorted(rows.values_list("email_to", flat=True)) == [
        "alex@example.invalid",
        "sam@example.invalid",
    ]
    assert case.reference in rows.first().subject


def test_each_decision_is_one_message_per_recipient_even_if_repeated():
    worker = caseworker()
    case = make_case(actor=worker)
    member = family_account(carer=parent_of(case.child, email="alex@example.invalid"))
    member.user.email = "alex@example.invalid"
    member.user.save()
    case_transition(
        actor=worker,
        case=case,
        transition="agree_to_assess",
        effective_date=datetime.date(2026, 2, 1),
        today=TODAY,
        details=advice_chosen(),
    )
    rows = family_rows(Kind.FAMILY_DECISION)
    assert rows.count() == 1
    assert rows.get().recipient == member.user  # their inbox and email, not a second mailbox
    assert "1 February 2026" in rows.get().body


def test_draft_ready_names_the_last_day_to_comment():
    case = case_in_status("draft_issued", today=TODAY)
    parent_of(case.child, email="alex@example.invalid")
    from families.messages import decision_hook

    decision_hook("issue_draft")(
        case=case, actor=None, effective_date=case.draft_issued_on, reason="", details={}
    )
    row = family_rows(Kind.FAMILY_DRAFT_READY).get()
    last_day = case.draft_issued_on + datetime.timedelta(days=14)
    assert f"{last_day.day} {last_day:%B %Y}" in row.body


def test_sweep_tells_the_family_once_when_all_advice_is_in():
    case = case_in_status("assessing", today=TODAY)
    parent_of(case.child, email="alex@example.invalid")
    requests = AdviceRequest.objects.filter(case=case)
    assert requests.count() >= 2
    last = TODAY - datetime.timedelta(days=2)
    submitted(requests, last)
    assert sweep_family(today=TODAY, now=None) == 1
    assert sweep_family(today=TODAY, now=None) == 0  # already told: not even offered again
    row = family_rows(Kind.FAMILY_ADVICE_RECEIVED).get()
    assert f"{last.day} {last:%B %Y}" in row.body


def test_sweep_waits_while_any_advice_is_outstanding():
    case = case_in_status("assessing", today=TODAY)
    parent_of(case.child, email="alex@example.invalid")
    first = AdviceRequest.objects.filter(case=case).order_by("id").first()
    submitted(AdviceRequest.objects.filter(pk=first.pk), TODAY - datetime.timedelta(days=1))
    sweep_family(today=TODAY, now=None)
    assert not family_rows(Kind.FAMILY_ADVICE_RECEIVED).exists()


def test_sweep_reminds_once_before_comments_on_the_draft_close():
    draft = case_in_status("draft_issued", received_on=datetime.date(2026, 6, 1), today=TODAY)
    parent_of(draft.child, email="drafty@example.invalid")
    served = draft.draft_issued_on
    before = served + datetime.timedelta(days=10)
    assert sweep_family(today=before, now=None) == 0
    on_reminder_day = served + datetime.timedelta(days=11)
    assert sweep_family(today=on_reminder_day, now=None) == 1
    assert sweep_family(today=on_reminder_day + datetime.timedelta(days=1), now=None) == 0
    assert family_rows(Kind.FAMILY_COMMENT_REMINDER).count() == 1
    assert sweep_family(today=served + datetime.timedelta(days=15), now=None) == 0


def test_a_young_persons_messages_go_to_them_not_to_parents_without_consent():
    child = ChildFactory(date_of_birth=YOUNG_PERSON_DOB)
    case = make_case(child=child)
    parent_of(child, email="parent@example.invalid")
    young_person = family_account(child=child)
    recipients = family_recipients(case=case, today=TODAY)
    assert [r.user_id for r in recipients] == [young_person.user.pk]


def test_family_messages_are_delivered_once_and_never_name_the_child(
    django_capture_on_commit_callbacks,
):
    child = ChildFactory(first_name="Zebedee", last_name="Quirke")
    parent_of(child, email="alex@example.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(child=child)
    mail.outbox.clear()
    assert deliver_pending().sent == 1
    assert deliver_pending().sent == 0
    (message,) = mail.outbox
    assert case.reference in message.subject
    assert "/family/requests/" in message.body
    for private in ("Zebedee", "Quirke", "ASD", "autis"):
        assert private not in message.body
        assert private not in message.subject


def test_sweep_costs_the_same_queries_for_one_case_or_many(
    django_assert_num_queries, django_assert_max_num_queries
):
    """Set-based, as the other sweep sources: it ran about five queries per case (87 s over
    1,078 cases at 100,000)."""

    def complete_case(email):
        case = case_in_status("assessing", today=TODAY)
        parent_of(case.child, email=email)
        submitted(AdviceRequest.objects.filter(case=case), TODAY - datetime.timedelta(days=1))
        return case

    complete_case("one@example.invalid")
    with django_assert_max_num_queries(8) as one:
        assert sweep_family(today=TODAY, now=None) == 1
    for n in range(4):
        complete_case(f"more{n}@example.invalid")
    with django_assert_num_queries(len(one.captured_queries)):
        assert sweep_family(today=TODAY, now=None) == 4  # the first case was told already
    assert family_rows(Kind.FAMILY_ADVICE_RECEIVED).count() == 5
    with django_assert_max_num_queries(2):  # nothing new: two short reads, no write
        assert sweep_family(today=TODAY, now=None) == 0


def test_advice_resubmitted_later_is_a_new_message():
    """The message is keyed by the day the last advice came in: advice returned for more work
    and submitted again on a later day tells the family again, once."""
    case = case_in_status("assessing", today=TODAY)
    parent_of(case.child, email="alex@example.invalid")
    requests = AdviceRequest.objects.filter(case=case)
    submitted(requests, TODAY - datetime.timedelta(days=3))
    assert sweep_family(today=TODAY, now=None) == 1
    requests.filter(pk=requests.first().pk).update(submitted_on=TODAY)
    assert sweep_family(today=TODAY, now=None) == 1
    assert sweep_family(today=TODAY, now=None) == 0
    assert family_rows(Kind.FAMILY_ADVICE_RECEIVED).count() == 2


@pytest.mark.postgres
def test_the_benchmarks_hand_sql_lists_what_the_sweep_owes():
    """bench/handsql.py's family lists are the benchmark's limit: they must be the same work."""
    from django.db import connection

    from bench import handsql
    from families.messages import family_owing

    def all_in(email, days_ago=1):
        case = case_in_status("assessing", today=TODAY)
        if email:
            parent_of(case.child, email=email)
        submitted(
            AdviceRequest.objects.filter(case=case), TODAY - datetime.timedelta(days=days_ago)
        )
        return case

    all_in("told@example.invalid")
    sweep_family(today=TODAY, now=None)
    all_in("owed@example.invalid")
    all_in("")  # nobody to tell
    all_in("old@example.invalid", days_ago=9)  # outside the week
    waiting = case_in_status("assessing", today=TODAY)
    parent_of(waiting.child, email="waiting@example.invalid")
    draft = case_in_status("draft_issued", received_on=datetime.date(2026, 6, 1), today=TODAY)
    parent_of(draft.child, email="drafty@example.invalid")
    today = draft.draft_issued_on + datetime.timedelta(days=12)
    for day in (TODAY, today):
        complete, closing = family_owing(day)
        app = sorted(
            [("family_advice_received", c.pk) for c in complete]
            + [("family_comment_reminder", c.pk) for c in closing]
        )
        p = handsql.params(day, 28, day.year)
        with connection.cursor() as cursor:
            cursor.execute(handsql.SWEEP_FAMILY_OWING, p)
            hand = sorted((kind, pk) for pk, kind in cursor.fetchall())
        assert app == hand
    assert len(family_owing(TODAY)[0]) == 1
    assert [c.pk for c in family_owing(today)[1]] == [draft.pk]
