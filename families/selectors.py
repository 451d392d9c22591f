"""What a family member may see (issue 16): the children they are linked to, read afresh on
every request so that losing parental responsibility, a young person's withdrawn consent or a
revoked link ends access at once."""

from __future__ import annotations

import datetime

from django.utils import timezone

from advice_requests.models import AdviceKind, AdviceRequest
from cases.models import Case, Child

from .models import FamilyLink, FamilyMember, FamilyViews, Invitation


def family_member_of(user) -> FamilyMember | None:
    """The user's family account, or None for staff and anonymous users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.family_member
    except FamilyMember.DoesNotExist:
        return None


def is_family_member(user) -> bool:
    return family_member_of(user) is not None


def link_gives_access(link: FamilyLink, *, today: datetime.date) -> bool:
    """Section 10: a person with parental responsibility sees a child's requests until the
    child is a young person, then only with the young person's recorded consent; the young
    person sees their own once they are one."""
    child = link.child
    if child.restricted_on is not None or link.revoked_at is not None:
        return False
    young_person = child.is_young_person(today)
    if link.parent_carer_id is None:
        return young_person
    carer = link.parent_carer
    if carer.child_id != child.pk or not carer.has_parental_responsibility:
        return False
    return not young_person or child.young_person_consents_to_parents is True


def visible_links(*, user, today: datetime.date) -> list[FamilyLink]:
    """The user's links that give access today (one query)."""
    links = (
        FamilyLink.objects.active()
        .filter(member__user=user)
        .select_related("child", "parent_carer")
        .order_by("child__first_name", "child__id")
    )
    return [link for link in links if link_gives_access(link, today=today)]


def family_cases(*, user, today: datetime.date) -> list[tuple[FamilyLink, list[Case]]]:
    """Each visible child (through its link) with its requests, newest first (two queries)."""
    links = visible_links(user=user, today=today)
    by_child: dict[int, list[Case]] = {link.child_id: [] for link in links}
    cases = (
        Case.objects.filter(child_id__in=by_child)
        .select_related("caseworker")
        .order_by("-received_on", "-id")
    )
    for case in cases:
        by_child[case.child_id].append(case)
    return [(link, by_child[link.child_id]) for link in links]


def family_case_get(*, user, reference: str, today: datetime.date) -> tuple[FamilyLink, Case]:
    """One request the user may see, by its reference; Case.DoesNotExist (a 404) otherwise:
    another family's reference, a sibling's case they have no link to, a young person's case
    without consent, all look the same as a reference that does not exist."""
    case = Case.objects.select_related("child", "caseworker").get(reference=reference)
    for link in visible_links(user=user, today=today):
        if link.child_id == case.child_id:
            return link, case
    raise Case.DoesNotExist


def family_advice(*, case: Case) -> list[AdviceRequest]:
    """The advice asked for on a request, with its service (one query). Families see who was
    asked and whether it came in, never the advice itself before the draft plan."""
    return list(AdviceRequest.objects.filter(case=case).select_related("service").order_by("kind"))


def portal_access_for_case(*, case: Case) -> dict:
    """For the caseworker: the child's people with parental responsibility, the young person,
    and for each whether they have portal access, a pending invitation or neither (3 queries)."""
    child: Child = case.child
    links = list(
        FamilyLink.objects.active()
        .filter(child=child)
        .select_related("member__user", "parent_carer")
        .order_by("created_at")
    )
    invitations = list(
        Invitation.objects.filter(
            child=child, accepted_at__isnull=True, withdrawn_at__isnull=True
        ).order_by("-created_at")
    )
    carers = list(child.parent_carers.order_by("name", "id"))
    return {"links": links, "invitations": invitations, "carers": carers}


def family_may_give_views(advice: AdviceRequest, user) -> bool:
    """advice_requests.roles asks this (registered in apps.py): a family member may answer the
    parent views request of a child whose requests they may see today, and nothing else."""
    if advice.kind != AdviceKind.PARENT_VIEWS or not is_family_member(user):
        return False
    child_id = advice.case.child_id
    today = timezone.localdate()
    return any(link.child_id == child_id for link in visible_links(user=user, today=today))


def views_given(*, case: Case) -> list[FamilyViews]:
    """What the family gave through the portal for this request, newest first (one query)."""
    return list(
        FamilyViews.objects.filter(advice_request__case=case)
        .select_related("submission")
        .order_by("-submitted_at", "-id")
    )
