"""Agenda published (section 5): each active member of the panel and its chair is told exactly
once per meeting, in the publication's own transaction."""

import datetime

import pytest
from django.core import mail

from notifications.delivery import deliver_pending
from notifications.models import Kind, Notification
from panels import errors
from panels.agenda import agenda_build
from panels.models import Agency, PanelMembership, PanelType
from panels.services import AGENDA_PUBLISHED_HOOKS, agenda_publish
from tests.cases.factories import ChildFactory, make_case
from tests.panels.factories import PanelFactory, add_member, meeting

pytestmark = pytest.mark.django_db
D = datetime.date
MEETING_DAY = D(2026, 12, 2)


@pytest.fixture
def published():
    panel = PanelFactory(panel_type=PanelType.NAP, name="North Needs Assessment Panel")
    members = [add_member(panel, Agency.EDUCATION), add_member(panel, Agency.HEALTH)]
    former = add_member(panel, Agency.SOCIAL_CARE)
    PanelMembership.objects.filter(user=former).update(is_active=False)
    first = meeting(panel, MEETING_DAY)
    meeting(panel, D(2026, 12, 9))
    child = ChildFactory(first_name="Zebedee", last_name="Quillfeather")
    for _ in range(2):
        make_case(received_on=D(2026, 11, 2), child=child, today=D(2026, 11, 30))
    agenda_build(meeting=first)
    agenda_publish(actor=panel.chair, meeting=first)
    return panel, first, members, former


def test_every_member_and_the_chair_is_told_once(published):
    panel, first, members, former = published
    notes = Notification.objects.filter(kind=Kind.AGENDA_PUBLISHED)
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted(
        [panel.chair_id, *(m.pk for m in members)]
    )
    assert not notes.filter(recipient=former).exists()
    note = notes.get(recipient=members[0])
    assert (
        note.subject == "North Needs Assessment Panel on 2 December 2026: agenda published, 2 cases"
    )
    assert note.link == f"/panels/meetings/{first.pk}/"
    assert note.due_on == MEETING_DAY
    assert set(notes.values_list("object_type", "object_id")) == {("panel_meeting", str(first.pk))}


def test_publishing_again_is_refused_and_tells_nobody_twice(published):
    panel, first, _, _ = published
    before = Notification.objects.count()
    with pytest.raises(errors.PanelConflictError):
        agenda_publish(actor=panel.chair, meeting=first)
    for hook in AGENDA_PUBLISHED_HOOKS:
        hook(meeting_id=first.pk)  # a repeated hook call: the unique key keeps one row each
    assert Notification.objects.count() == before


def test_the_email_names_no_child(published):
    deliver_pending()
    assert len(mail.outbox) == Notification.objects.filter(kind=Kind.AGENDA_PUBLISHED).count()
    for email in mail.outbox:
        assert "Zebedee" not in email.body + email.subject
        assert "Quillfeather" not in email.body + email.subject


def test_alerts_are_recorded_in_the_publish_transaction():
    """A publication that fails after the hook ran leaves no alert behind."""
    panel = PanelFactory()
    add_member(panel, Agency.EDUCATION)
    first = meeting(panel, MEETING_DAY)

    def fail(*, meeting_id):
        raise RuntimeError("synthetic failure after the alerts were recorded")

    AGENDA_PUBLISHED_HOOKS.append(fail)
    try:
        with pytest.raises(RuntimeError):
            agenda_publish(actor=panel.chair, meeting=first)
    finally:
        AGENDA_PUBLISHED_HOOKS.remove(fail)
    first.refresh_from_db()
    assert first.status == "scheduled"
    assert not Notification.objects.exists()
