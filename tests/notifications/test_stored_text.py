"""A notification stores its kind and context and renders its text when read (decision 0072);
rows recorded before that keep, and show, the text they were recorded with."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from notifications import messages
from notifications.delivery import deliver_pending
from notifications.digest import digest_context
from notifications.models import Kind, Notification
from notifications.selectors import users_as_recipients
from notifications.services import Alert, alerts_record
from notifications.sweep import sweep_run
from tests.cases.factories import UserFactory, caseworker, manager

from .factories import case_due_16_february, notification_for

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 2, 13)
BEFORE_0072 = ("notifications", "0001_outbox_inbox_alert_state")


def _contexts(case) -> dict[str, dict]:
    base = messages.case_alert_context(
        reference=case.reference,
        milestone=case.next_milestone,
        due_on=case.next_milestone_due,
        today=TODAY,
    )
    advice = {**base, "advice": "educational psychology advice", "service": "Children's EP"}
    return {
        Kind.CASE_AT_RISK: base,
        Kind.CASE_OVERDUE: {**base, "for_manager": True, "caseworker": "Casey Worker"},
        Kind.CASE_ASSIGNED: {**base, "assigned_by": "Morgan Manager"},
        Kind.ADVICE_DUE_SOON: advice,
        Kind.ADVICE_OVERDUE: advice,
        Kind.ADVICE_ESCALATED: advice,
        Kind.AGENDA_PUBLISHED: {
            "panel": "Needs Assessment Panel",
            "meeting_on": TODAY,
            "items": 7,
            "link": "/panels/1/",
        },
        Kind.MANAGER_DIGEST: digest_context(TODAY),
    }


def test_every_kind_read_back_from_the_database_renders_exactly_as_when_it_was_recorded():
    """Dates (the digest's at two levels), numbers and apostrophes survive the JSON round trip."""
    worker = caseworker()
    case = case_due_16_february(actor=worker)
    recipient = users_as_recipients([worker.pk])[worker.pk]
    contexts = _contexts(case)
    assert contexts[Kind.MANAGER_DIGEST]["long_overdue"] == []
    contexts[Kind.MANAGER_DIGEST]["long_overdue"] = [
        {"reference": case.reference, "what": "final plan", "due_on": D(2026, 1, 2), "days": "x"}
    ]
    alerts_record(
        alerts=[
            Alert(
                kind=kind,
                object_type="test",
                object_id=kind,
                milestone="",
                level="",
                recipient=recipient,
                context=context,
            )
            for kind, context in contexts.items()
        ]
    )
    for note in Notification.objects.all():
        assert (note.stored_subject, note.stored_body) == ("", "")
        assert (note.subject, note.body) == messages.render(note.kind, contexts[note.kind])
    digest = Notification.objects.get(kind=Kind.MANAGER_DIGEST)
    assert "was due 2 January 2026 (x)" in digest.body
    assert "Children's EP" in Notification.objects.get(kind=Kind.ADVICE_OVERDUE).body


def test_a_text_under_a_date_key_that_is_not_a_date_stays_text():
    decoded = messages.ContextDecoder().decode('{"due_on": "soon", "today": "2026-02-13"}')
    assert decoded == {"due_on": "soon", "today": TODAY}


def test_new_rows_show_their_rendered_text_on_the_inbox_page_the_api_and_in_the_email():
    me = caseworker()
    note = notification_for(me, number=7)
    subject = "Case EHC-2026-00007: final plan due 12 March 2026, 11 days"
    assert note.stored_subject == ""
    assert note.subject == subject
    client = Client()
    client.force_login(me)
    assert subject in client.get(reverse("notifications:inbox")).text
    api = APIClient()
    api.force_authenticate(me)
    row = api.get("/api/notifications/").json()["results"][0]
    assert row["subject"] == subject
    assert "The final plan is due on Thursday 12 March 2026 (11 days)." in row["body"]
    deliver_pending()
    assert [email.subject for email in mail.outbox] == [subject]
    assert "http://127.0.0.1:8000/cases/EHC-2026-00007/" in mail.outbox[0].body


def test_rows_recorded_before_show_their_stored_text_everywhere():
    me = caseworker()
    note = notification_for(me, number=3, subject="Case EHC-2026-00003: recorded as it was")
    assert (note.subject, note.body) == (
        "Case EHC-2026-00003: recorded as it was",
        "Synthetic body.",
    )
    client = Client()
    client.force_login(me)
    assert "Case EHC-2026-00003: recorded as it was" in client.get("/notifications/").text
    api = APIClient()
    api.force_authenticate(me)
    row = api.get("/api/notifications/").json()["results"][0]
    assert (row["subject"], row["body"]) == (note.subject, "Synthetic body.")
    deliver_pending()
    assert [(e.subject, e.body) for e in mail.outbox] == [(note.subject, "Synthetic body.")]


def test_the_admin_finds_new_rows_by_case_reference(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    manager()
    case = case_due_16_february()
    notification_for(caseworker(), number=99)
    sweep_run(today=D(2026, 2, 17))
    client.force_login(admin)
    page = client.get(reverse("admin:notifications_notification_changelist"), {"q": case.reference})
    assert page.status_code == 200
    assert f"Overdue: case {case.reference}" in page.text
    assert "EHC-2026-00099" not in page.text


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_text_of_rows_recorded_before_it(role_groups):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_0072])
    old = executor.loader.project_state([BEFORE_0072]).apps
    user = old.get_model("auth", "User").objects.create(username="before", email="b@example.org")
    old.get_model("notifications", "Notification").objects.create(
        recipient_id=user.pk,
        recipient_key=f"user:{user.pk}",
        kind=Kind.CASE_AT_RISK,
        object_type="case",
        object_id="1",
        milestone="final_plan@2026-03-12",
        level="at_risk",
        subject="Case EHC-2026-00001: final plan due 12 March 2026, 11 days",
        body="The body as it was sent.\n",
        link="/cases/EHC-2026-00001/",
        created_at=timezone.now(),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    note = Notification.objects.get()
    assert note.subject == "Case EHC-2026-00001: final plan due 12 March 2026, 11 days"
    assert note.body == "The body as it was sent.\n"
    assert note.context == {}
