"""One family in the generated borough (issue 16): a parent with parental responsibility for
the child of one open request, with a portal account, so the family pages can be timed at any
size. A family's pages must not slow as the council grows: they read one family's links and
their children's requests, never the whole council."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_email.models import EmailDevice

from cases.models import Case, CaseStatus, ParentCarer
from cases.services import case_transition
from families.models import FamilyLink, FamilyMember
from plans import deadlines as plan_deadlines
from plans import demo as plans_demo

from .people import BENCH_PASSWORD

FAMILY_USERNAME = "bench.parent.001"
#: A second bench parent, of a child whose draft plan is with the family (bench 7c-7d), so the
#: first parent's pages (7a-7b) stay as they were measured before.
DRAFT_FAMILY_USERNAME = "bench.parent.002"


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
    _parent_of(case.child, username=FAMILY_USERNAME)
    return case


def _parent_of(child, *, username: str) -> FamilyMember:
    """A bench parent with parental responsibility for `child`, with a portal account (the
    account made once; a later call moves it to `child`, revoking its earlier link)."""
    email = f"{username}@example.invalid"
    carer = ParentCarer.objects.create(
        child=child,
        name="Bench Parent",
        relationship="Parent",
        email=email,
        has_parental_responsibility=True,
    )
    member = FamilyMember.objects.filter(user__username=email).first()
    if member is None:
        user = get_user_model().objects.create(
            username=email,
            email=email,
            first_name="Bench",
            last_name="Parent",
            password=make_password(BENCH_PASSWORD),
        )
        member = FamilyMember.objects.create(user=user, name=carer.name)
        EmailDevice.objects.create(user=user, name="Email", email=email, confirmed=True)
    member.links.active().update(revoked_at=timezone.now())
    FamilyLink.objects.create(member=member, child=child, parent_carer=carer)
    return member


def family_client(username: str = FAMILY_USERNAME) -> tuple[Client, str]:
    """A client signed in as a bench parent, past the second factor; and their request's
    reference."""
    member = FamilyMember.objects.select_related("user").get(
        user__username=f"{username}@example.invalid"
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(member.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = EmailDevice.objects.get(user=member.user).persistent_id
    session.save()
    link = member.links.active().select_related("child").get()
    reference = Case.objects.filter(child=link.child).values_list("reference", flat=True)[0]
    return client, reference


def family_draft_create(*, today: datetime.date) -> bool:
    """The second bench parent, of a child whose draft plan is with the family and open for
    comments on `today` (bench 7c-7d). Made at bench time, not by the generator (whose plans,
    with empty sections, are those of requests that have had a draft), so it works on any
    population: the first plan being drafted of a child under 15 is written as the demo writes
    one (plans.demo; a plan the generator wrote for a revised draft is kept as it is) with the
    bench parent on its child's record, and the draft is issued today. Safe to run twice: a
    parent whose draft is still open is kept; one whose window has closed (a later bench day)
    gets a new draft."""
    window_from = today - datetime.timedelta(days=plan_deadlines.FAMILY_COMMENT_DAYS - 1)
    links = FamilyLink.objects.active().filter(
        member__user__username=f"{DRAFT_FAMILY_USERNAME}@example.invalid"
    )
    open_draft = Case.objects.filter(
        child__in=links.values("child"),
        status=CaseStatus.DRAFT_ISSUED,
        draft_issued_on__gte=window_from,
        draft_issued_on__lte=today,
    )
    if open_draft.exists():
        return True
    case = (
        Case.objects.filter(
            status=CaseStatus.DRAFTING,
            caseworker__isnull=False,
            child__restricted_on__isnull=True,
            child__date_of_birth__gt=today.replace(year=today.year - 15),
        )
        .select_related("child", "caseworker")
        .order_by("id")
        .first()
    )
    if case is None:
        return False
    _parent_of(case.child, username=DRAFT_FAMILY_USERNAME)
    plans_demo.before_step(case, "issue_draft", today, case.caseworker)
    case_transition(
        actor=case.caseworker,
        case=case,
        transition="issue_draft",
        effective_date=today,
        reason="Bench: the draft plan sent to the family.",
        today=today,
    )
    return True
