"""Demo panels for the synthetic borough: the three weekly panels, their members, the council's
decline reasons, eight weeks of meetings and each panel's next agenda built."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from cases.demo import DEMO_PASSWORD
from cases.roles import Role

from .agenda import agenda_build
from .models import (
    Agency,
    DeclineReason,
    MeetingStatus,
    Panel,
    PanelMeeting,
    PanelMembership,
    PanelType,
)
from .schedule import is_bank_holiday
from .services import agenda_publish, meetings_generate

DEMO_MEMBERS = [
    ("demo.member.education", "Eddie", "Education", Agency.EDUCATION),
    ("demo.member.health", "Hana", "Health", Agency.HEALTH),
    ("demo.member.socialcare", "Sol", "Socialcare", Agency.SOCIAL_CARE),
    ("demo.member.ep", "Eppie", "Psychologist", Agency.EDUCATIONAL_PSYCHOLOGY),
    ("demo.member.forum", "Fran", "Forum", Agency.PARENT_CARER_FORUM),
]

DEMO_PANELS = [
    ("Needs Assessment Panel", PanelType.NAP, 2, datetime.time(10, 0), 12),
    ("Early Years Needs Assessment Panel", PanelType.EY_NAP, 3, datetime.time(14, 0), 6),
    ("Statutory Assessment Panel", PanelType.STATUTORY, 1, datetime.time(10, 0), 10),
]

DECLINE_REASONS = {
    PanelType.NAP: [
        "Needs can be met through SEN support",
        "A Funded Inclusion Plan is agreed instead",
        "Not enough evidence of a graduated approach yet",
    ],
    PanelType.EY_NAP: [
        "Needs can be met through SEN support",
        "Early years inclusion funding is agreed instead",
    ],
    PanelType.STATUTORY: [
        "Needs can be met without a plan from the setting's resources",
        "A Funded Inclusion Plan is agreed instead",
    ],
}


def _member(username, first, last):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=Role.PANEL_MEMBER))
    return user


@transaction.atomic
def seed_panels(*, today: datetime.date) -> None:
    chair = get_user_model().objects.get(username="demo.chair")
    members = [(_member(u, f, last), agency) for u, f, last, agency in DEMO_MEMBERS]
    for panel_type, texts in DECLINE_REASONS.items():
        for text in texts:
            DeclineReason.objects.get_or_create(panel_type=panel_type, text=text)
    for name, panel_type, weekday, starts_at, capacity in DEMO_PANELS:
        panel, _ = Panel.objects.get_or_create(
            name=name,
            defaults={
                "panel_type": panel_type,
                "chair": chair,
                "weekday": weekday,
                "starts_at": starts_at,
                "capacity": capacity,
                "agenda_lead_days": 3,
                "location": "Civic Centre, Room 2 (synthetic)",
            },
        )
        for user, agency in members:
            PanelMembership.objects.get_or_create(
                panel=panel, user=user, defaults={"agency": agency}
            )
    meetings_generate(today=today)
    _seed_meeting_held_today(chair=chair, today=today)
    for panel in Panel.objects.all():
        first = (
            PanelMeeting.objects.filter(panel=panel, date__gte=today, status="scheduled")
            .order_by("date")
            .first()
        )
        if first is not None and first.agenda_built_at is None:  # once: seeding twice adds nothing
            agenda_build(meeting=first)


def _seed_meeting_held_today(*, chair, today: datetime.date) -> None:
    """The Needs Assessment Panel's latest meeting on its own weekday (today, or the last
    Wednesday), its agenda built and published, so the demo chair can run a whole meeting
    (attendance, then each decision) straight away: decisions can only be recorded on or after
    the meeting day (decision 0050). Never an extra meeting on the seeding day: the panel is
    described as meeting on Wednesdays, so its meetings are on Wednesdays (decision 0095)."""
    panel = Panel.objects.get(panel_type=PanelType.NAP, name=DEMO_PANELS[0][0])
    held_on = today - datetime.timedelta(days=(today.weekday() - panel.weekday) % 7)
    while is_bank_holiday(held_on):
        held_on -= datetime.timedelta(weeks=1)
    held, _ = PanelMeeting.objects.get_or_create(
        panel=panel, date=held_on, defaults={"starts_at": panel.starts_at}
    )
    if held.status == MeetingStatus.SCHEDULED:
        agenda_build(meeting=held)
        agenda_publish(actor=chair, meeting=held)
