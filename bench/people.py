"""The generated borough's people and organisations: 150 caseworkers, managers, panel chairs and
members, 40 partner services each with two partner logins, and three weekly panels with their
meetings. Small numbers, so they go through the ORM (and the panels' own meeting service)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from advice_requests.models import PartnerService, PartnerServiceKind, ServiceMembership
from cases.roles import Role
from panels.models import Agency, Panel, PanelMembership, PanelType
from panels.services import meetings_generate

#: Every generated login shares this synthetic password (the load test logs in with it).
BENCH_PASSWORD = "ehc-bench-2026"  # noqa: S105 - synthetic benchmark data only
CASEWORKERS = 150
PARTNER_SERVICES = 40
PARTNERS_PER_SERVICE = 2

#: Advice kind -> the partner service kinds that give it.
SERVICE_KINDS_FOR_ADVICE = {
    "educational_psychology": [PartnerServiceKind.EP_SERVICE, PartnerServiceKind.COMMISSIONED_EP],
    "health": [
        PartnerServiceKind.PAEDIATRICS,
        PartnerServiceKind.SALT,
        PartnerServiceKind.OCCUPATIONAL_THERAPY,
        PartnerServiceKind.CAMHS,
    ],
    "social_care": [PartnerServiceKind.SOCIAL_CARE],
    "education": [PartnerServiceKind.SCHOOL],
    "preparing_for_adulthood": [PartnerServiceKind.OTHER],
}

#: 40 services: how many of each kind.
SERVICE_MIX = [
    (PartnerServiceKind.EP_SERVICE, 4),
    (PartnerServiceKind.COMMISSIONED_EP, 4),
    (PartnerServiceKind.PAEDIATRICS, 6),
    (PartnerServiceKind.SALT, 5),
    (PartnerServiceKind.OCCUPATIONAL_THERAPY, 3),
    (PartnerServiceKind.CAMHS, 4),
    (PartnerServiceKind.SOCIAL_CARE, 6),
    (PartnerServiceKind.SCHOOL, 5),
    (PartnerServiceKind.OTHER, 3),
]

PANELS = [
    ("Bench Needs Assessment Panel", PanelType.NAP, 2, datetime.time(10, 0), 40),
    ("Bench Early Years Needs Assessment Panel", PanelType.EY_NAP, 3, datetime.time(14, 0), 20),
    ("Bench Statutory Assessment Panel", PanelType.STATUTORY, 1, datetime.time(10, 0), 40),
]


@dataclass
class People:
    caseworker_ids: list[int]
    managers: list
    services_by_kind: dict[str, list[int]]
    partner_ids: list[int]


def _users(prefix: str, count: int, role: Role, password_hash: str) -> list:
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench.{prefix}.{n:03d}",
                first_name=prefix.title(),
                last_name=f"Number {n:03d}",
                email=f"bench.{prefix}.{n:03d}@example.invalid",
                password=password_hash,
            )
            for n in range(1, count + 1)
        ]
    )
    Group.objects.get(name=role).user_set.add(*users)
    return users


def people_create(*, today: datetime.date) -> People:
    password_hash = make_password(BENCH_PASSWORD)
    caseworkers = _users("caseworker", CASEWORKERS, Role.CASEWORKER, password_hash)
    managers = _users("manager", 5, Role.MANAGER, password_hash)
    chairs = _users("chair", 3, Role.PANEL_CHAIR, password_hash)
    members = _users("member", 5, Role.PANEL_MEMBER, password_hash)
    services = PartnerService.objects.bulk_create(
        [
            PartnerService(
                name=f"Bench {kind.label} {n}",
                kind=kind,
                contact_email=f"bench.{kind.value}.{n}@example.invalid",
            )
            for kind, count in SERVICE_MIX
            for n in range(1, count + 1)
        ]
    )
    partners = _users("partner", len(services) * PARTNERS_PER_SERVICE, Role.PARTNER, password_hash)
    ServiceMembership.objects.bulk_create(
        ServiceMembership(
            service=services[i // PARTNERS_PER_SERVICE],
            user=partner,
            joined_on=today - datetime.timedelta(days=6 * 365),
            added_by=managers[0],
        )
        for i, partner in enumerate(partners)
    )
    agencies = [
        Agency.EDUCATION,
        Agency.HEALTH,
        Agency.SOCIAL_CARE,
        Agency.EDUCATIONAL_PSYCHOLOGY,
        Agency.PARENT_CARER_FORUM,
    ]
    for (name, panel_type, weekday, starts_at, capacity), chair in zip(PANELS, chairs, strict=True):
        panel = Panel.objects.create(
            name=name,
            panel_type=panel_type,
            chair=chair,
            weekday=weekday,
            starts_at=starts_at,
            capacity=capacity,
            agenda_lead_days=3,
            location="Civic Centre (synthetic)",
        )
        PanelMembership.objects.bulk_create(
            PanelMembership(panel=panel, user=member, agency=agency)
            for member, agency in zip(members, agencies, strict=True)
        )
    meetings_generate(today=today)
    by_kind: dict[str, list[int]] = {}
    for service in services:
        by_kind.setdefault(service.kind, []).append(service.pk)
    return People(
        caseworker_ids=[u.pk for u in caseworkers],
        managers=managers,
        services_by_kind=by_kind,
        partner_ids=[u.pk for u in partners],
    )
