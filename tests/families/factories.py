"""Family portal test data: a parent with parental responsibility, and their account, and a
request whose draft plan is with the family."""

import datetime

from cases.models import ParentCarer
from cases.services import case_transition
from families.models import FamilyLink, FamilyMember
from plans import services as plan_services
from plans.letters import letter_mark_sent
from tests.advice_requests.factories import AGREED_ON, advice_in_status
from tests.cases.factories import ChildFactory, UserFactory, advice_chosen, caseworker, make_case
from tests.plans.factories import write_plan


def parent_of(child, *, name="Alex Parent", email="", responsibility=True) -> ParentCarer:
    return ParentCarer.objects.create(
        child=child,
        name=name,
        relationship="Parent",
        email=email or f"{name.split()[0].lower()}.{child.pk}@example.invalid",
        has_parental_responsibility=responsibility,
    )


def family_account(*, carer=None, child=None, username=None) -> FamilyMember:
    """A family member linked to `carer`'s child (or to `child` as the young person)."""
    child = child or carer.child
    user = UserFactory(username=username or f"family{child.pk}-{carer.pk if carer else 'yp'}")
    member = FamilyMember.objects.create(user=user, name=carer.name if carer else child.full_name)
    FamilyLink.objects.create(member=member, child=child, parent_carer=carer)
    return member


#: The draft of `case_with_draft` is served on this day (day 1 of the family's 15 days) ...
DRAFT_SERVED = datetime.date(2026, 11, 2)
#: ... so their last day to comment is this one (s38, plans.deadlines.comments_due).
COMMENTS_CLOSE = datetime.date(2026, 11, 16)


def case_with_draft(*, carer_name="Ash Parent"):
    """A request whose draft plan was served on DRAFT_SERVED, with a parent with parental
    responsibility on record before each decision (so each letter is written to them, then
    sent), and one piece of advice submitted and listed in section K. Returns (case, carer)."""
    actor = caseworker(first_name="Casey", last_name="Worker", email="casey.worker@example.invalid")
    child = ChildFactory()
    carer = parent_of(child, name=carer_name)
    case = make_case(actor=actor, child=child, received_on=datetime.date(2026, 8, 20))

    def step(case, transition, on, **kwargs):
        return case_transition(
            actor=actor,
            case=case,
            transition=transition,
            effective_date=on,
            reason="Synthetic test reason.",
            today=DRAFT_SERVED,
            **kwargs,
        )

    case = step(case, "agree_to_assess", AGREED_ON, details=advice_chosen())
    advice_in_status("submitted", case=case)
    case = step(case, "agree_to_issue", DRAFT_SERVED)
    plan = write_plan(case, actor)
    plan_services.advice_listed_refresh(plan)
    case = step(case, "issue_draft", DRAFT_SERVED)
    for letter in case.letters.select_related("notice").filter(sent_on__isnull=True):
        letter_mark_sent(
            actor=actor,
            letter=letter,
            method="email",
            sent_on=letter.notice.decided_on,
            today=DRAFT_SERVED,
        )
    return case, carer
