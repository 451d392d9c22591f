"""Publishing an agenda tells the panel's members (not the chair who published), once."""

import datetime

import pytest

from notifications.models import Kind, Notification
from notifications.panel_alerts import agenda_published_notify
from panels.models import Agency
from panels.services import agenda_publish
from tests.panels.factories import PanelFactory, add_member, meeting

D = datetime.date


@pytest.mark.django_db
def test_members_are_told_once_without_any_child_details(django_capture_on_commit_callbacks):
    panel = PanelFactory(name="Needs Assessment Panel")
    member = add_member(panel, Agency.HEALTH)
    held = meeting(panel, D(2026, 12, 2))
    with django_capture_on_commit_callbacks(execute=True):
        agenda_publish(actor=panel.chair, meeting=held)  # the hook runs on commit
    sent = Notification.objects.get(kind=Kind.AGENDA_PUBLISHED)
    assert sent.recipient_id == member.pk
    assert sent.subject == "Needs Assessment Panel on 2 December 2026: agenda published, 0 cases"
    assert sent.link == f"/panels/meetings/{held.pk}/"
    agenda_published_notify(meeting_id=held.pk)
    assert Notification.objects.filter(kind=Kind.AGENDA_PUBLISHED).count() == 1
