"""Decision 0195: the advice source reads, per level, only the requests not marked as told it.
After every kind of change it owes exactly what the full read over every outstanding request
owes, sweeping again sends nothing twice, and a level is marked only once its notification
really exists."""

import datetime
import importlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations import RunSQL
from django.utils import timezone

from advice_requests.models import AdviceRequest
from advice_requests.services import advice_request_submit, advice_request_transition
from cases.models import Case
from cases.roles import Role
from notifications.advice_alerts import (
    ALERTED_BACKFILL,
    ESCALATE_AFTER_DAYS,
    LEVEL_KIND,
    OBJECT_TYPE,
    advice_owing_alerts,
    advice_owing_alerts_everywhere,
    sweep_advice,
)
from notifications.models import Notification
from notifications.sweep import sweep_run
from tests.advice_requests.factories import (
    SUMMARY,
    PartnerServiceFactory,
    assessing_case,
    make_advice,
    partner,
    upload,
)
from tests.cases.factories import manager

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)
#: make_advice and assessing_case request on 1 October 2026: due 12 November 2026.
DUE = D(2026, 11, 12)
ESCALATED_ON = DUE + ESCALATE_AFTER_DAYS * DAY


def owed(today):
    """What the sweep's read owes today: exactly what the full read owes."""
    rows = advice_owing_alerts(today)
    assert rows == advice_owing_alerts_everywhere(today)
    return {(row["pk"], level) for row in rows for level in LEVELS if row[f"owe_{level}"]}


LEVELS = ("due_soon", "overdue", "escalated")
LEVELS_SORTED = sorted(LEVELS)


def sweep_twice(today):
    """Sweep; the sweep's read and the full read then owe the same (only alerts nobody could
    be told); sweeping again records nothing. Returns the alerts recorded by the first."""
    before = Notification.objects.count()
    sweep_run(today=today)
    owed(today)
    recorded = Notification.objects.count()
    sweep_run(today=today)
    assert Notification.objects.count() == recorded
    return recorded - before


def levels_told(advice):
    return sorted(
        set(
            Notification.objects.filter(
                object_type=OBJECT_TYPE, object_id=str(advice.pk)
            ).values_list("level", flat=True)
        )
    )


def marked(advice):
    """The levels the request is marked as told: always those with a notification."""
    row = AdviceRequest.objects.values(*(f"alerted_{level}" for level in LEVELS)).get(pk=advice.pk)
    levels = sorted(level for level in LEVELS if row[f"alerted_{level}"])
    assert levels == levels_told(advice)
    return levels


def step(actor, advice, name, today, reason="Synthetic."):
    return advice_request_transition(
        actor=actor, advice=advice, transition=name, reason=reason, today=today
    )


def test_every_kind_of_change_owes_what_the_full_read_owes_and_alerts_once():
    manager()
    service = PartnerServiceFactory()
    member = partner(service)
    advice = make_advice(service=service)  # a new request
    later = make_advice(service=service, requested_on=DUE)  # due 24 December
    assert owed(DUE - 8 * DAY) == set()

    # Due soon, overdue and escalated by date alone: each level once, each marked when told.
    assert (advice.pk, "due_soon") in owed(DUE - 7 * DAY)
    assert sweep_twice(DUE - 7 * DAY) > 0
    assert owed(DUE + DAY) >= {(advice.pk, "overdue")}
    sweep_twice(DUE + DAY)
    assert marked(advice) == ["due_soon", "overdue"]
    assert owed(ESCALATED_ON) >= {(advice.pk, "escalated")}
    sweep_twice(ESCALATED_ON)
    assert marked(advice) == ["due_soon", "escalated", "overdue"]
    assert marked(later) == []  # due 24 December: nothing told yet

    # Submitted, then returned to outstanding: told once per level ever, it owes nothing.
    advice = step(member, advice, "accept", ESCALATED_ON)
    advice_request_submit(
        actor=member, advice=advice, document=upload(), today=ESCALATED_ON, **SUMMARY
    )
    advice.refresh_from_db()
    assert owed(ESCALATED_ON + DAY) == set()
    advice = step(advice.case.caseworker, advice, "return_for_quality", ESCALATED_ON + DAY)
    assert advice.status == "returned"
    assert advice.pk not in {pk for pk, _ in owed(ESCALATED_ON + DAY)}
    assert sweep_twice(ESCALATED_ON + DAY) == 0

    # Cancelled: owes nothing, though its case's other requests still do.
    cancelled = make_advice(case=later.case, service=PartnerServiceFactory())
    assert (cancelled.pk, "escalated") in owed(ESCALATED_ON + DAY)
    step(later.case.caseworker, cancelled, "cancel", ESCALATED_ON + DAY)
    assert cancelled.pk not in {pk for pk, _ in owed(ESCALATED_ON + DAY)}
    sweep_twice(ESCALATED_ON + DAY)


def test_a_due_date_moved_after_the_escalation_owes_the_due_soon_alert_it_never_had():
    """The application never moves a due date (reg 8(1): six weeks from the request), but a
    data fix could: a marked request first seen overdue then owes its due-soon alert."""
    manager()
    advice = make_advice(service=PartnerServiceFactory())
    partner(advice.service)
    sweep_twice(ESCALATED_ON)  # first seen 14 days overdue: overdue and escalated at once
    assert marked(advice) == ["escalated", "overdue"]

    today = ESCALATED_ON + DAY
    AdviceRequest.objects.filter(pk=advice.pk).update(due_on=today + 3 * DAY)
    assert owed(today) == {(advice.pk, "due_soon")}
    assert sweep_twice(today) > 0
    assert marked(advice) == ["due_soon", "escalated", "overdue"]
    assert owed(today + 10 * DAY) == set()  # overdue again: told already

    # Moved earlier, unmarked: overdue and escalated at once, then marked.
    other = make_advice(
        case=advice.case, service=PartnerServiceFactory(), requested_on=today - 10 * DAY
    )
    assert owed(today) == set()
    AdviceRequest.objects.filter(pk=other.pk).update(
        requested_on=today - 62 * DAY, due_on=today - 20 * DAY
    )
    assert owed(today) >= {(other.pk, "overdue"), (other.pk, "escalated")}
    sweep_twice(today)
    assert marked(other) == ["escalated", "overdue"]


def test_a_closed_case_owes_nothing_and_owes_again_when_reopened():
    manager()
    case = assessing_case()
    requests = list(case.advice_requests.all())
    sweep_twice(DUE - 7 * DAY)
    Case.objects.filter(pk=case.pk).update(status="plan_declined")
    assert owed(ESCALATED_ON) == set()
    assert sweep_twice(ESCALATED_ON) == 0
    assert all(marked(advice) == ["due_soon"] for advice in requests)  # read each day: few

    # Reopened (a tribunal orders the plan, decision_to_issue again): owed as before.
    Case.objects.filter(pk=case.pk).update(status="drafting")
    assert owed(ESCALATED_ON) == {
        (advice.pk, level) for advice in requests for level in ("overdue", "escalated")
    }
    sweep_twice(ESCALATED_ON)
    assert all(marked(advice) == LEVELS_SORTED for advice in requests)


def test_an_escalation_nobody_could_be_told_is_not_marked_and_is_told_later():
    """No active manager: the escalation reaches nobody, so no notification exists; the level
    stays unmarked (read each day) until someone can be told."""
    service = PartnerServiceFactory()
    partner(service)
    advice = make_advice(service=service)
    assert not get_user_model().objects.filter(groups__name=Role.MANAGER).exists()
    sweep_twice(ESCALATED_ON)
    assert marked(advice) == ["overdue"]
    assert (advice.pk, "escalated") in owed(ESCALATED_ON + DAY)

    boss = manager()
    sweep_twice(ESCALATED_ON + DAY)
    assert Notification.objects.filter(recipient=boss, object_id=str(advice.pk)).exists()
    assert marked(advice) == ["escalated", "overdue"]


def test_an_overdue_alert_nobody_could_be_told_stays_unmarked():
    """A service with no current member and no mailbox: escalated is recorded and marked,
    overdue is not, and is told once someone joins."""
    manager()
    service = PartnerServiceFactory(contact_email="")
    advice = make_advice(service=service)
    sweep_twice(ESCALATED_ON)
    assert marked(advice) == ["escalated"]

    member = partner(service)
    sweep_twice(ESCALATED_ON + DAY)
    assert Notification.objects.filter(recipient=member, level="overdue").exists()
    assert marked(advice) == ["escalated", "overdue"]


def test_an_unchanged_advice_sweep_is_one_query_and_writes_nothing(
    django_assert_num_queries,
):
    manager()
    service = PartnerServiceFactory()
    partner(service)
    for _ in range(4):
        make_advice(service=service)
    sweep_run(today=ESCALATED_ON)
    assert not AdviceRequest.objects.filter(alerted_escalated=False).exists()
    with django_assert_num_queries(1):
        assert advice_owing_alerts(ESCALATED_ON + DAY) == []
    now = timezone.now()
    with django_assert_num_queries(1):  # nothing owed: nothing recorded, nothing marked
        assert sweep_advice(today=ESCALATED_ON + DAY, now=now) == 0


def test_the_backfill_marks_the_levels_already_told_whatever_the_status():
    manager()
    service = PartnerServiceFactory()
    member = partner(service)
    told, untold = make_advice(service=service), make_advice(service=service, requested_on=DUE)
    sweep_run(today=ESCALATED_ON)
    told = step(member, told, "accept", ESCALATED_ON)
    advice_request_submit(
        actor=member, advice=told, document=upload(), today=ESCALATED_ON, **SUMMARY
    )
    AdviceRequest.objects.update(
        alerted_due_soon=False, alerted_overdue=False, alerted_escalated=False
    )
    assert not any(marked_only(advice) for advice in AdviceRequest.objects.all())
    with connection.cursor() as cursor:
        cursor.execute(ALERTED_BACKFILL)
    for advice in AdviceRequest.objects.all():
        assert marked(advice) == levels_told(advice)  # marked() checks it too
    assert marked(told) == ["escalated", "overdue"]  # submitted: marked, in case it is returned
    assert marked(untold) == []


def marked_only(advice):
    row = AdviceRequest.objects.values(*(f"alerted_{level}" for level in LEVELS)).get(pk=advice.pk)
    return [level for level in LEVELS if row[f"alerted_{level}"]]


def test_the_migration_runs_the_modules_backfill():
    migration = importlib.import_module("advice_requests.migrations.0008_advice_alerted_levels")
    (backfill,) = [op for op in migration.Migration.operations if isinstance(op, RunSQL)]

    def words(sql):
        return " ".join(sql.split())

    assert words(backfill.sql) == words(ALERTED_BACKFILL)
    for level, kind in LEVEL_KIND.items():
        assert f"n.kind = '{kind}'" in ALERTED_BACKFILL
        assert f"alerted_{level} = EXISTS" in ALERTED_BACKFILL


def test_a_request_told_by_other_means_is_marked_by_the_next_sweep_that_records_anything():
    """Its marks unset (say, its notifications inserted by a script): it is read but owes
    nothing, and the next sweep recording any advice alert marks it (a quiet one writes
    nothing)."""
    manager()
    service = PartnerServiceFactory()
    partner(service)
    told = make_advice(service=service)
    sweep_run(today=ESCALATED_ON)
    AdviceRequest.objects.filter(pk=told.pk).update(alerted_overdue=False, alerted_escalated=False)
    assert owed(ESCALATED_ON) == set()
    assert sweep_twice(ESCALATED_ON) == 0
    assert marked_only(told) == []

    make_advice(service=service, requested_on=DUE)  # due 24 December: due soon on the 17th
    assert sweep_twice(D(2026, 12, 17)) > 0
    assert marked(told) == ["escalated", "overdue"]


def test_a_save_from_an_instance_loaded_before_the_marks_is_harmless():
    manager()
    service = PartnerServiceFactory()
    partner(service)
    advice = make_advice(service=service)
    stale = AdviceRequest.objects.get(pk=advice.pk)
    sweep_run(today=ESCALATED_ON)
    assert marked(advice) == ["escalated", "overdue"]
    stale.save()  # writes the marks it loaded (false) back
    assert marked_only(advice) == []
    assert owed(ESCALATED_ON + DAY) == set()  # read again, owes nothing
    assert sweep_twice(ESCALATED_ON + DAY) == 0
