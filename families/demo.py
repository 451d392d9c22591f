"""The demo family (issue 16): `demo.parent` is a parent of two demo children: one whose request
waits for the family's views, and one whose draft plan is with the family inside its 15 days,
with the decision letters sent, so the demo parent can give views, read the letters, comment
on the draft and (once a caseworker answers) read the answers. Synthetic, and safe to run
twice."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_email.models import EmailDevice

from advice_requests.models import OUTSTANDING_STATUSES, AdviceKind
from cases.demo import DEMO_PASSWORD
from cases.models import Case, CaseStatus
from cases.services import case_transition
from plans import deadlines as plan_deadlines
from plans import demo as plans_demo
from plans.letters import letter_mark_sent

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
    if member is None:
        member = _link_views_child(user)
    if member is not None:
        _link_draft_child(member, today=today)
    return member


def _link(member_or_user, child) -> FamilyMember:
    """Link the demo parent (made on the first link) to `child` through the child's first
    person with parental responsibility, whose email becomes the demo parent's."""
    carer = child.parent_carers.with_parental_responsibility().order_by("id").first()
    if carer is None:
        carer = child.parent_carers.create(
            name="Sam Demo-Parent", relationship="Parent", has_parental_responsibility=True
        )
    carer.email = DEMO_PARENT_EMAIL
    carer.save(update_fields=["email"])
    member = member_or_user
    if not isinstance(member, FamilyMember):
        member = FamilyMember.objects.create(user=member_or_user, name=carer.name)
    FamilyLink.objects.create(member=member, child=child, parent_carer=carer)
    return member


def _link_views_child(user) -> FamilyMember | None:
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
    return _link(user, case.child)


def _link_draft_child(member: FamilyMember, *, today: datetime.date) -> None:
    """A second child whose draft plan is with the family, its comment window open today: a
    draft already served in the last 15 days, or else a plan being drafted, issued today (the
    draft letter written by the plans app and sent by email today, as a caseworker would)."""
    linked = set(member.links.values_list("child_id", flat=True))
    window_from = today - datetime.timedelta(days=plan_deadlines.FAMILY_COMMENT_DAYS - 1)
    if Case.objects.filter(
        child_id__in=linked, status=CaseStatus.DRAFT_ISSUED, draft_issued_on__gte=window_from
    ).exists():
        return
    candidates = Case.objects.filter(child__restricted_on__isnull=True, imported=False).exclude(
        child_id__in=linked
    )
    case = (
        candidates.filter(status=CaseStatus.DRAFT_ISSUED, draft_issued_on__gte=window_from)
        .order_by("-draft_issued_on", "id")
        .select_related("child", "caseworker")
        .first()
    )
    if case is None:
        case = (
            candidates.filter(status=CaseStatus.DRAFTING, caseworker__isnull=False)
            .order_by("received_on", "id")
            .select_related("child", "caseworker")
            .first()
        )
        if case is None:
            return
        # The carer is on record before the draft, so the draft's letter is written to them.
        _link(member, case.child)
        plans_demo.before_step(case, "issue_draft", today, case.caseworker)
        case = case_transition(
            actor=case.caseworker,
            case=case,
            transition="issue_draft",
            effective_date=today,
            reason="Demo: the draft plan sent to the family.",
            today=today,
        )
    else:
        _link(member, case.child)
    for letter in case.letters.filter(sent_on__isnull=True).select_related("notice"):
        letter_mark_sent(
            actor=case.caseworker,
            letter=letter,
            method="email" if letter.recipient_email else "post",
            sent_on=letter.notice.decided_on,
            today=today,
        )
