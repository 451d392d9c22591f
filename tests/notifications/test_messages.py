"""No email ever carries the child's name or date of birth: every template, a seeded child."""

import datetime

import pytest
from django.core import mail
from django.template.loader import get_template

from cases.models import Child
from notifications import messages
from notifications.delivery import deliver_pending
from notifications.digest import digest_context, manager_digest_send
from notifications.kinds import FAMILY_KINDS
from notifications.models import Kind, Notification
from panels.agenda import agenda_build
from panels.models import Agency
from panels.services import agenda_publish
from tests.advice_requests.factories import (
    PartnerServiceFactory,
    assessing_case,
    make_advice,
    partner,
)
from tests.cases.factories import ChildFactory, caseworker, make_case, manager
from tests.panels.factories import PanelFactory, add_member, meeting

from .factories import case_due_16_february, sweep

pytestmark = pytest.mark.django_db
D = datetime.date


def _child_data(child: Child) -> list[str]:
    dob = child.date_of_birth
    return [
        child.first_name,
        child.last_name,
        child.full_name,
        dob.isoformat(),
        dob.strftime("%d/%m/%Y"),
        f"{dob.day} {dob:%B %Y}",
        child.current_setting,
    ]


def _assert_no_child_data(text: str, child: Child):
    for value in _child_data(child):
        assert value not in text, value


@pytest.fixture
def seeded_child():
    return ChildFactory(
        first_name="Zebedee",
        last_name="Quillfeather",
        date_of_birth=D(2017, 8, 23),
        current_setting="Oakfield Primary (synthetic)",
    )


def _context_for_every_kind(case, today):
    """Each kind's context, built from the case the way its producer builds it."""
    base = messages.case_alert_context(
        reference=case.reference,
        milestone=case.next_milestone,
        due_on=case.next_milestone_due,
        today=today,
    )
    advice = {**base, "advice": "educational psychology advice", "service": "EP service"}
    return {
        Kind.CASE_AT_RISK: base,
        Kind.CASE_OVERDUE: {**base, "for_manager": True, "caseworker": "Casey Worker"},
        Kind.CASE_ASSIGNED: {**base, "assigned_by": "Morgan Manager"},
        Kind.ADVICE_DUE_SOON: advice,
        Kind.ADVICE_OVERDUE: advice,
        Kind.ADVICE_ESCALATED: advice,
        Kind.ADVICE_CHASED: {**advice, "chased_on": today.isoformat()},
        Kind.AGENDA_PUBLISHED: {
            "panel": "Needs Assessment Panel",
            "meeting_on": today,
            "items": 7,
            "link": "/panels/1/",
        },
        Kind.MANAGER_DIGEST: digest_context(today),
        Kind.FAMILY_COMMENTS_DUE: base,
        Kind.CONSULTATION_LATE: base,
        Kind.EXCEPTION_PROPOSED: {
            "reference": case.reference,
            "ground": "Exceptional personal circumstances",
            "proposed_by": "Casey Worker",
            "link": f"/cases/{case.reference}/#exceptions",
        },
        # reviews.alerts builds these the same way, naming the plan by its reference.
        Kind.REVIEW_AT_RISK: {**base, "what": "review decision letter", "link": "/reviews/1/"},
        Kind.REVIEW_OVERDUE: {**base, "for_manager": True, "caseworker": "Casey Worker"},
        # plans.alerts.family_responded_notify: how many, never the family's words.
        Kind.FAMILY_RESPONDED: {
            "reference": case.reference,
            "today": today,
            "comments": 2,
            "meeting": True,
            "school": False,
            "link": f"/plans/{case.reference}/#comments",
        },
    }


def test_every_kind_has_templates_that_leave_out_the_child(seeded_child):
    case = case_due_16_february(child=seeded_child)
    contexts = _context_for_every_kind(case, D(2026, 2, 13))
    assert set(contexts) == set(Kind) - FAMILY_KINDS  # families': tests/families
    for kind, context in contexts.items():
        get_template(f"notifications/email/{kind}.subject.txt")
        subject, body = messages.render(kind, context)
        assert subject
        assert body
        _assert_no_child_data(subject + body, seeded_child)
        if kind != Kind.MANAGER_DIGEST and kind != Kind.AGENDA_PUBLISHED:
            assert case.reference in subject
        if kind not in (
            Kind.MANAGER_DIGEST,
            Kind.AGENDA_PUBLISHED,
            Kind.EXCEPTION_PROPOSED,
            Kind.FAMILY_RESPONDED,  # nothing is due: it says when the family wrote, in the body
        ):
            assert "16 February 2026" in subject


def test_every_email_actually_sent_leaves_out_the_child(seeded_child):
    worker = caseworker()
    manager()
    case_due_16_february(actor=worker, child=seeded_child)
    sweep(D(2026, 2, 2))
    sweep(D(2026, 3, 20))
    manager_digest_send(today=D(2026, 3, 23))
    deliver_pending()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {Kind.CASE_AT_RISK, Kind.CASE_OVERDUE, Kind.MANAGER_DIGEST}
    assert len(mail.outbox) == Notification.objects.count() == 4
    for email in mail.outbox:
        _assert_no_child_data(email.subject + email.body + str(email.extra_headers), seeded_child)


@pytest.mark.parametrize(
    ("due", "today", "phrase"),
    [
        (D(2026, 3, 12), D(2026, 3, 9), "3 days"),
        (D(2026, 3, 12), D(2026, 3, 11), "1 day"),
        (D(2026, 3, 12), D(2026, 3, 12), "due today"),
        (D(2026, 3, 12), D(2026, 3, 13), "1 day ago"),
        (D(2026, 3, 1), D(2026, 2, 27), "2 days"),  # across the end of February
        (D(2028, 3, 1), D(2028, 2, 28), "2 days"),  # a leap year
    ],
)
def test_days_phrase(due, today, phrase):
    assert messages.days_phrase(due, today) == phrase


def test_advice_and_agenda_emails_actually_sent_leave_out_the_child(seeded_child):
    """The new kinds, produced by their real sources for a case of the seeded child: advice due
    soon, overdue and escalated (members, mailbox, manager), the digest's advice section, and an
    agenda listing the child's case."""
    boss = manager()
    service = PartnerServiceFactory(name="Synthetic SALT Service")
    partner(service)
    advice = make_advice(case=assessing_case(child=seeded_child), service=service)
    sweep(advice.due_on - datetime.timedelta(days=3))
    sweep(advice.due_on + datetime.timedelta(days=1))
    sweep(advice.due_on + datetime.timedelta(days=14))
    manager_digest_send(today=advice.due_on + datetime.timedelta(days=14))

    panel = PanelFactory()
    add_member(panel, Agency.EDUCATION)
    first = meeting(panel, D(2026, 12, 2))
    meeting(panel, D(2026, 12, 9))
    make_case(received_on=D(2026, 11, 2), child=seeded_child, today=D(2026, 11, 30))
    agenda_build(meeting=first)
    assert first.items.filter(case__child=seeded_child).exists()
    agenda_publish(actor=panel.chair, meeting=first)

    deliver_pending()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {
        Kind.ADVICE_DUE_SOON,
        Kind.ADVICE_OVERDUE,
        Kind.ADVICE_ESCALATED,
        Kind.AGENDA_PUBLISHED,
        Kind.MANAGER_DIGEST,
    } <= kinds
    digest = Notification.objects.get(kind=Kind.MANAGER_DIGEST, recipient=boss)
    assert "Advice overdue, by service:" in digest.body
    assert "- Synthetic SALT Service: 1 overdue" in digest.body
    assert len(mail.outbox) == Notification.objects.exclude(email_to="").count()
    for email in mail.outbox:
        _assert_no_child_data(email.subject + email.body + str(email.extra_headers), seeded_child)
    for note in Notification.objects.all():
        _assert_no_child_data(note.subject + note.body, seeded_child)
