"""Decision 0199: the plans sweep marks what it has alerted, in the same transaction, and reads
only unmarked drafts and consultations; what reached nobody stays unmarked and is owed later."""

import datetime
import importlib

import pytest
from django.db import connection, models, transaction
from django.db.utils import DatabaseError
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from notifications.models import Notification
from plans import alerts, services
from plans.alerts import UNCHANGED_SWEEP_QUERIES, sweep_plans
from plans.models import DRAFT_COMMENTS_PENDING_ON, LATE_NOT_ALERTED, Consultation, PlanVersion
from tests.cases.factories import TODAY, manager
from tests.plans.test_family_response import _draft_issued

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
BACKFILL = importlib.import_module("plans.migrations.0006_sweep_alerted_marks").BACKFILL


def _draft_and_consultation():
    """A draft issued on day 125 (last day for comments: day 139) and a school consulted the
    next day (its 15 days end on day 141); `today` is after both."""
    case, actor, plan = _draft_issued(125)
    consultation = services.consultation_send(
        actor=actor,
        plan=plan,
        setting_name="Willowbrook Primary (synthetic)",
        sent_on=case.received_on + datetime.timedelta(days=126),
        today=TODAY,
    )
    draft = PlanVersion.objects.get(plan=plan, kind="draft")
    return case, draft, consultation, case.received_on + datetime.timedelta(days=145)


def _marks(draft, consultation):
    return (
        PlanVersion.objects.filter(pk=draft.pk)
        .values_list("comments_due_alerted", flat=True)
        .get(),
        Consultation.objects.filter(pk=consultation.pk)
        .values_list("late_alerted", flat=True)
        .get(),
    )


def test_the_sweep_marks_what_it_alerts_and_never_reads_it_again(django_assert_num_queries):
    _case, draft, consultation, today = _draft_and_consultation()
    assert _marks(draft, consultation) == (False, False)
    assert sweep_plans(today=today, now=NOW) == 2
    assert _marks(draft, consultation) == (True, True)
    assert alerts._drafts_unmarked(today) == []
    assert alerts._consultations_unmarked(today) == []
    with django_assert_num_queries(UNCHANGED_SWEEP_QUERIES):
        assert sweep_plans(today=today, now=NOW) == 0
    assert sweep_plans(today=today + 30 * DAY, now=NOW) == 0
    assert (
        Notification.objects.filter(object_type__in=("plan_version", "consultation")).count() == 2
    )


def test_an_alert_that_reached_nobody_is_not_marked_and_is_owed_when_someone_can_be_told():
    case, draft, consultation, today = _draft_and_consultation()
    Case.objects.filter(pk=case.pk).update(caseworker=None)  # and no manager at all
    with CaptureQueriesContext(connection) as queries:
        assert sweep_plans(today=today, now=NOW) == 0
    assert [q["sql"].split()[0] for q in queries] == ["SELECT"] * len(queries)  # writes nothing
    assert _marks(draft, consultation) == (False, False)
    assert (
        len(alerts.drafts_owing_alert(today)) == len(alerts.consultations_owing_alert(today)) == 1
    )
    boss = manager()
    assert sweep_plans(today=today + DAY, now=NOW) == 2
    assert set(Notification.objects.values_list("recipient", flat=True)) == {boss.pk}
    assert _marks(draft, consultation) == (True, True)


def test_a_recorded_alert_whose_mark_was_lost_is_marked_not_alerted_again():
    _case, _draft, consultation, today = _draft_and_consultation()
    stale = Consultation.objects.get(pk=consultation.pk)
    assert sweep_plans(today=today, now=NOW) == 2
    stale.save()  # loaded before the sweep marked it: writes the old mark back
    assert not Consultation.objects.get(pk=consultation.pk).late_alerted
    assert alerts.consultations_owing_alert(today) == []  # read, but owes nothing
    assert sweep_plans(today=today, now=NOW) == 0
    assert Consultation.objects.get(pk=consultation.pk).late_alerted


def test_the_upgrade_marks_the_alerts_already_recorded():
    _case, draft, consultation, today = _draft_and_consultation()
    _case2, draft2, consultation2, _ = _draft_and_consultation()
    assert sweep_plans(today=today, now=NOW) == 4
    # As before the upgrade: alerts recorded, marks unset (the draft's only where allowed).
    Consultation.objects.update(late_alerted=False)
    with connection.cursor() as cursor:
        for statement in BACKFILL:
            cursor.execute(statement)
    assert _marks(draft, consultation) == _marks(draft2, consultation2) == (True, True)


@pytest.mark.postgres
def test_an_issued_version_still_refuses_every_change_but_its_mark_set_once():
    _case, draft, consultation, today = _draft_and_consultation()
    versions = models.QuerySet(PlanVersion).filter(pk=draft.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        versions.update(comments_due_alerted=True, html="changed")
    versions.update(comments_due_alerted=True)
    with pytest.raises(DatabaseError), transaction.atomic():
        versions.update(comments_due_alerted=False)
    assert _marks(draft, consultation) == (True, False)


@pytest.mark.postgres
def test_the_reads_can_walk_their_indexes():
    """The read and its index must use the same expression or condition, or PostgreSQL cannot
    use the index at all (a tiny test database would scan anyway: scans are switched off)."""
    today = datetime.date(2026, 11, 30)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plans = PlanVersion.objects.alias(pending_on=DRAFT_COMMENTS_PENDING_ON).filter(
        pending_on__lte=today
    )
    consultations = Consultation.objects.filter(LATE_NOT_ALERTED, due_on__lt=today)
    assert "draft_comments_pending_on" in plans.explain()
    assert "consultation_late_owing" in consultations.explain()
