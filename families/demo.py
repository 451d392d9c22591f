"""The demo family (issue 16): `demo.parent` sees one demo child's requests in the portal.
Synthetic, and safe to run twice."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_email.models import EmailDevice

from advice_requests.models import OUTSTANDING_STATUSES, AdviceKind
from cases.demo import DEMO_PASSWORD
from cases.models import Case, CaseStatus

from .models import FamilyLink, FamilyMember
from .services import EMAIL_DEVICE_NAME

DEMO_PARENT_USERNAME = "demo.parent"
DEMO_PARENT_EMAIL = "demo.parent@example.org"


def seed_demo_family(*, today) -> FamilyMember | None:
    """Give the child of the first assessing demo case still waiting for the family's views (or
    else the first assessing one) a parent with a portal account."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_PARENT_USERNAME, defaults={"email": DEMO_PARENT_EMAIL}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailDevice.objects.get_or_create(
        user=user, name=EMAIL_DEVICE_NAME, defaults={"email": DEMO_PARENT_EMAIL, "confirmed": True}
    )
    member = FamilyMember.objects.filter(user=user).first()
    if member is not None:
        return member
    assessing = Case.objects.filter(
        status=CaseStatus.ASSESSING, child__restricted_on__isnull=True
    ).order_by("received_on", "id")
    # One whose family's views are still asked for, so the demo parent can give them.
    case = (
        assessing.filter(
            advice_requests__kind=AdviceKind.PARENT_VIEWS,
            advice_requests__status__in=OUTSTANDING_STATUSES,
        )
        .select_related("child")
        .first()
    ) or assessing.select_related("child").first()
    if case is None:
        return None
    child = case.child
    carer = child.parent_carers.with_parental_responsibility().order_by("id").first()
    if carer is None:
        carer = child.parent_carers.create(
            name="Sam Demo-Parent", relationship="Parent", has_parental_responsibility=True
        )
    carer.email = DEMO_PARENT_EMAIL
    carer.save(update_fields=["email"])
    member = FamilyMember.objects.create(user=user, name=carer.name)
    FamilyLink.objects.create(member=member, child=child, parent_carer=carer)
    return member
