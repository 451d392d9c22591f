"""A compiled read runs the SQL its queryset compiled to once, with each run's values, and gives
the rows `.values()` gives (dates as dates on SQLite too); a compiled update sets the rows given
by id that still match its queryset."""

import datetime

import pytest
from django.db import connection
from django.db.models import BooleanField, Case, DateField, DateTimeField, F, Q, Value, When
from django.test.utils import CaptureQueriesContext

from notifications.compiled import (
    PARAMETER_MISSING,
    CompiledRead,
    CompiledUpdate,
    Ids,
    Parameter,
)
from notifications.models import Notification
from tests.cases.factories import caseworker

from .factories import notification_for

pytestmark = pytest.mark.django_db
D = datetime.date
UNTIL = Parameter("until", DateField())
TODAY = Parameter("today", DateField())


def _due_by(until, today):
    """The same read with its dates as values (what the compiled read must agree with)."""
    return (
        Notification.objects.filter(due_on__lte=until)
        .annotate(
            past=Case(
                When(Q(due_on__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .values("pk", "past", due=F("due_on"))
        .order_by("pk")
    )


def test_a_compiled_read_gives_what_its_queryset_gives_with_each_runs_values():
    worker = caseworker()
    for number, due_on in enumerate((D(2026, 3, 1), D(2026, 3, 10), D(2026, 3, 20)), start=1):
        notification_for(worker, number=number, due_on=due_on)
    built = []

    def build():
        built.append(1)
        return _due_by(UNTIL, TODAY)

    read = CompiledRead(build)
    for until, today in ((D(2026, 3, 10), D(2026, 3, 5)), (D(2026, 2, 1), D(2026, 2, 1))):
        with CaptureQueriesContext(connection) as captured:
            rows = read(until=until, today=today)
        assert rows == list(_due_by(until, today))
        assert len(captured.captured_queries) == 1
    assert rows == []
    assert read(until=D(2026, 12, 31), today=D(2026, 3, 10)) == [
        {"pk": pk, "past": due < D(2026, 3, 10), "due": due}
        for pk, due in Notification.objects.order_by("pk").values_list("pk", "due_on")
    ]
    assert len(built) == 1  # built and compiled once


def test_a_compiled_read_needs_every_value():
    read = CompiledRead(lambda: _due_by(UNTIL, TODAY))
    with pytest.raises(KeyError, match=PARAMETER_MISSING.format(name="today")):
        read(until=D(2026, 3, 1))


def test_a_compiled_update_sets_the_rows_given_by_id_and_still_matching():
    worker = caseworker()
    rows = [notification_for(worker, number=n) for n in range(1, 5)]
    read_at = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    mark_read = CompiledUpdate(
        lambda: Notification.objects.filter(pk__in=Ids("ids"), read_at__isnull=True),
        {"read_at": Parameter("at", DateTimeField()), "email_status": F("level")},
    )
    assert mark_read(ids=[rows[0].pk, rows[2].pk], at=read_at) == 2  # noqa: PLR2004
    assert mark_read(ids=[rows[0].pk], at=read_at) == 0  # no longer matching
    with CaptureQueriesContext(connection) as captured:
        assert mark_read(ids=[row.pk for row in rows], at=read_at) == 2  # noqa: PLR2004
    assert len(captured.captured_queries) == 1
    assert mark_read(ids=[], at=read_at) == 0
    assert sorted(Notification.objects.values_list("pk", "read_at", "email_status")) == [
        (row.pk, read_at, "at_risk") for row in rows
    ]
