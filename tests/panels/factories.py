"""Factories for panels: a panel with a chair and members from each agency."""

import datetime

import factory

from cases.roles import Role
from panels.models import Agency, DeclineReason, Panel, PanelMeeting, PanelMembership, PanelType
from tests.cases.factories import UserFactory


def chair_user(**kwargs):
    return UserFactory(roles=[Role.PANEL_CHAIR, Role.PANEL_MEMBER], **kwargs)


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    name = factory.Sequence(lambda n: f"Panel {n}")
    panel_type = PanelType.NAP
    chair = factory.LazyFunction(chair_user)
    weekday = 2  # Wednesday
    starts_at = datetime.time(10, 0)
    capacity = 10
    agenda_lead_days = 3


def add_member(panel, agency, user=None):
    user = user or UserFactory(roles=[Role.PANEL_MEMBER])
    PanelMembership.objects.create(panel=panel, user=user, agency=agency)
    return user


def quorate_statutory_panel(**kwargs):
    panel = PanelFactory(panel_type=PanelType.STATUTORY, **kwargs)
    members = {
        agency: add_member(panel, agency)
        for agency in (Agency.EDUCATION, Agency.HEALTH, Agency.SOCIAL_CARE)
    }
    return panel, members


def meeting(panel, date, **kwargs):
    return PanelMeeting.objects.create(panel=panel, date=date, starts_at=panel.starts_at, **kwargs)


def decline_reason(panel_type=PanelType.NAP, text="Needs can be met through SEN support"):
    reason, _ = DeclineReason.objects.get_or_create(panel_type=panel_type, text=text)
    return reason
