"""The demo borough's panels: each panel type has a next meeting with an agenda, and a meeting
held today, published, that the demo chair can run."""

import datetime

import pytest

from demo.borough import seed_demo
from panels.models import MeetingStatus, Panel, PanelType
from panels.selectors import next_meeting_of

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)  # a Monday: no panel's usual day


def test_every_panel_type_has_a_next_meeting_with_an_agenda():
    seed_demo(cases=150, today=TODAY)
    assert set(Panel.objects.values_list("panel_type", flat=True)) == set(PanelType.values)
    for panel in Panel.objects.all():
        upcoming = next_meeting_of(panel=panel, today=TODAY)
        assert upcoming is not None
        assert upcoming.items.exists(), panel
        assert panel.chair.username == "demo.chair"
    held = Panel.objects.get(panel_type=PanelType.NAP).meetings.get(date=TODAY)
    assert held.status == MeetingStatus.PUBLISHED
    assert held.items.exists()
