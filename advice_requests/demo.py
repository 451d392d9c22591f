"""Synthetic partner services, partner logins and advice for the demo borough.

Called from cases.demo.seed_demo: the services and logins first (idempotent), then for each case
the advice chosen when it is agreed for assessment, then the advice moved along to a realistic
state by the day the demo is seeded (most in on time, some late, some overdue now).
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from cases.roles import Role

from .models import (
    AdviceKind,
    AdviceRequest,
    AdviceStatus,
    PartnerService,
    PartnerServiceKind,
    ServiceMembership,
)
from .services import advice_request_submit, advice_request_transition

#: (name, kind, partner login) - every login's password is the demo password.
DEMO_SERVICES = [
    ("Demo Educational Psychology Service", PartnerServiceKind.EP_SERVICE, "demo.partner.ep"),
    (
        "Demo Psychology Partners (commissioned)",
        PartnerServiceKind.COMMISSIONED_EP,
        "demo.partner.cep",
    ),
    ("Demo Speech and Language Therapy", PartnerServiceKind.SALT, "demo.partner.salt"),
    ("Demo Community Paediatrics", PartnerServiceKind.PAEDIATRICS, "demo.partner.paeds"),
    ("Demo Children's Social Care", PartnerServiceKind.SOCIAL_CARE, "demo.partner.social"),
    ("Demo Careers and Transitions Service", PartnerServiceKind.OTHER, "demo.partner.pfa"),
]
PARTNER_LOGINS = [login for _, _, login in DEMO_SERVICES]

#: A tiny, valid, entirely synthetic PDF.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_partners(*, manager, password: str, today: datetime.date) -> dict[str, PartnerService]:
    """Create the demo partner services, each with one partner login, once."""
    User = get_user_model()
    partner_group = Group.objects.get(name=Role.PARTNER)
    services = {}
    for name, kind, login in DEMO_SERVICES:
        service, _ = PartnerService.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "contact_email": f"{login.split('.')[-1]}@example.invalid"},
        )
        user, created = User.objects.get_or_create(
            username=login,
            defaults={
                "first_name": "Demo",
                "last_name": name.replace("Demo ", ""),
                "email": f"{login}@example.invalid",
            },
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(partner_group)
        if not ServiceMembership.objects.current().filter(service=service, user=user).exists():
            ServiceMembership.objects.create(
                service=service, user=user, joined_on=today, added_by=manager
            )
        services[login] = service
    return services


def advice_chosen(case, services: dict[str, PartnerService], rng: random.Random) -> dict:
    """What a panel typically asks for: EP and the family always, then what the child needs."""
    ep = services["demo.partner.cep"] if rng.random() < 0.2 else services["demo.partner.ep"]  # noqa: PLR2004, S311
    advice = [
        {"kind": AdviceKind.EDUCATIONAL_PSYCHOLOGY, "service": ep.pk, "question": _q("learning")},
        {"kind": AdviceKind.PARENT_VIEWS, "service": None, "question": _q("family")},
    ]
    if case.primary_need in {"SLCN", "ASD"}:
        advice.append(
            {
                "kind": AdviceKind.HEALTH,
                "service": services["demo.partner.salt"].pk,
                "question": _q("communication"),
            }
        )
    if case.primary_need in {"PD", "PMLD", "SLD", "DS"} or rng.random() < 0.3:  # noqa: PLR2004, S311
        advice.append(
            {
                "kind": AdviceKind.HEALTH,
                "service": services["demo.partner.paeds"].pk,
                "question": _q("health"),
            }
        )
    if rng.random() < 0.2:  # noqa: PLR2004, S311
        advice.append(
            {
                "kind": AdviceKind.SOCIAL_CARE,
                "service": services["demo.partner.social"].pk,
                "question": _q("social care"),
            }
        )
    if case.child.in_year_9_or_above:
        advice.append(
            {
                "kind": AdviceKind.PREPARING_FOR_ADULTHOOD,
                "service": services["demo.partner.pfa"].pk,
                "question": _q("preparing for adulthood"),
            }
        )
    return {"advice": advice}


def _q(topic: str) -> str:
    return f"Please advise on the child's {topic} needs, the outcomes sought and the provision."


def progress_advice(case, *, today: datetime.date, caseworker, partners: dict) -> None:
    """Move each of the case's advice requests to where it would be today (synthetic timings:
    most providers answer in 3-8 weeks, so some advice is late and some overdue now)."""
    rng = random.Random(case.pk)  # noqa: S311 - synthetic demo timings
    still_assessing = case.status == "assessing"
    requests = AdviceRequest.objects.filter(case=case).select_related("service")
    for advice in requests:
        actor = partners.get(advice.service_id, caseworker) if advice.service_id else caseworker
        start = advice.requested_on
        accept_on = start + datetime.timedelta(days=rng.randint(1, 10))
        submit_on = start + datetime.timedelta(days=rng.randint(20, 56))
        if not still_assessing:
            # The case has moved on: its advice came in before the plan decision.
            last = case.plan_decided_on or case.withdrawn_on or today
            submit_on = min(submit_on, last)
            accept_on = min(accept_on, submit_on)
        if accept_on > today:
            continue
        advice = advice_request_transition(
            actor=actor, advice=advice, transition="accept", today=accept_on
        )
        if advice.service_id and rng.random() < 0.03 and still_assessing:  # noqa: PLR2004
            advice_request_transition(
                actor=actor,
                advice=advice,
                transition="decline",
                reason="The child is not known to this service (synthetic).",
                today=accept_on,
            )
            continue
        if submit_on > today:
            continue
        advice_request_submit(
            actor=actor,
            advice=advice,
            document=ContentFile(DEMO_PDF, name=f"{advice.kind}-advice.pdf"),
            needs="Synthetic summary of needs.",
            outcomes_sought="Synthetic outcomes.",
            provision="Synthetic provision.",
            today=submit_on,
        )


def partner_actors() -> dict[int, object]:
    """The demo login that acts for each demo service, by service id."""
    memberships = (
        ServiceMembership.objects.current()
        .filter(user__username__in=PARTNER_LOGINS)
        .select_related("user")
    )
    return {membership.service_id: membership.user for membership in memberships}


__all__ = ["AdviceStatus", "advice_chosen", "partner_actors", "progress_advice", "seed_partners"]
