"""The demo borough's panels: each panel type has a next meeting with an agenda, and a meeting
held on the Needs Assessment Panel's own weekday, published, that the demo chair can run."""

import datetime

import pytest

from demo.borough import seed_demo
from panels.models import MeetingStatus, Panel, PanelType
from panels.schedule import is_working_day
from panels.selectors import next_meeting_of

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)  # a Monday: no panel's usual day


@pytest.mark.parametrize("today", [TODAY, datetime.date(2026, 11, 25), datetime.date(2026, 11, 29)])
def test_every_meeting_falls_on_the_day_the_panel_is_described_as_meeting(today):
    """Seen on the demo: a panel "Wednesdays at 10:00" had its next meeting on a Monday (the
    demo added a meeting on the seeding day). Only a bank holiday moves a meeting."""
    seed_demo(cases=10, today=today)
    for panel in Panel.objects.all():
        for held in panel.meetings.all():
            if held.moved_from is None:
                assert held.date.weekday() == panel.weekday, (panel, held.date)
            else:
                assert held.moved_from.weekday() == panel.weekday
                assert is_working_day(held.date)
        upcoming = next_meeting_of(panel=panel, today=today)
        assert upcoming.date.weekday() == panel.weekday
    nap = Panel.objects.get(panel_type=PanelType.NAP)
    assert next_meeting_of(panel=nap, today=today).status == MeetingStatus.PUBLISHED
