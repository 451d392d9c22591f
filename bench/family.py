"""One family in the generated borough (issue 16): a parent with parental responsibility for
the child of one open request, with a portal account, so the family pages can be timed at any
size. A family's pages must not slow as the council grows: they read one family's links and
their children's requests, never the whole council."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_email.models import EmailDevice

from cases.models import Case, ParentCarer
from families.models import FamilyLink, FamilyMember

from .people import BENCH_PASSWORD

FAMILY_USERNAME = "bench.parent.001"


def family_create(*, today: datetime.date) -> Case | None:
    """Link the bench parent to the first open request being assessed whose child is under 15
    (so no young person's consent is needed). Run once, after the cases are written."""
    case = (
        Case.objects.filter(
            status="assessing",
            child__date_of_birth__gt=today.replace(year=today.year - 15),
        )
        .select_related("child")
        .order_by("id")
        .first()
    )
    if case is None:
        return None
    email = f"{FAMILY_USERNAME}@example.invalid"
    user = get_user_model().objects.create(
        username=email,
        email=email,
        first_name="Bench",
        last_name="Parent",
        password=make_password(BENCH_PASSWORD),
    )
    carer = ParentCarer.objects.create(
        child=case.child,
        name="Bench Parent",
        relationship="Parent",
        email=email,
        has_parental_responsibility=True,
    )
    member = FamilyMember.objects.create(user=user, name=carer.name)
    FamilyLink.objects.create(member=member, child=case.child, parent_carer=carer)
    EmailDevice.objects.create(user=user, name="Email", email=email, confirmed=True)
    return case


def family_client() -> tuple[Client, str]:
    """A client signed in as the bench parent, past the second factor; and their request's
    reference."""
    member = FamilyMember.objects.select_related("user").get(
        user__username=f"{FAMILY_USERNAME}@example.invalid"
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(member.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = EmailDevice.objects.get(user=member.user).persistent_id
    session.save()
    link = member.links.select_related("child").get()
    reference = Case.objects.filter(child=link.child).values_list("reference", flat=True)[0]
    return client, reference
