"""The demo borough's plans and reviews (synthetic): plans due for review this month, some
overdue, Year 6 children whose secondary school must be named by 15 February, and reviews in
progress (one waiting for the demo school's report). Safe to run twice."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from advice_requests.models import PartnerService, PartnerServiceKind, ServiceMembership
from cases.demo import FIRST_NAMES, LAST_NAMES, seed_family
from cases.models import Child, PrimaryNeed
from cases.roles import Role

from . import deadlines
from .models import ActivePlan, Review
from .services import active_plan_create, review_schedule, review_transition

DEMO_PLAN_PREFIX = "DEMO-PLAN-"
DEMO_SCHOOL = "Oakfield Primary (demo school)"
DEMO_SCHOOL_LOGIN = "demo.partner.school"
OUTCOMES = (
    "Reads a short book aloud to an adult each week",
    "Tells an adult when they feel worried, using their feelings chart",
    "Joins a lunchtime club with a friend twice a week",
)


def seed_school(*, password: str, today: datetime.date, manager) -> PartnerService:
    """The demo school (a partner service of kind school) and its one login."""
    school, _ = PartnerService.objects.get_or_create(
        name=DEMO_SCHOOL,
        defaults={"kind": PartnerServiceKind.SCHOOL, "contact_email": "school@example.invalid"},
    )
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_SCHOOL_LOGIN,
        defaults={"first_name": "Sam", "last_name": "Senco", "email": "senco@example.invalid"},
    )
    if created:
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=Role.PARTNER)[0])
    if not ServiceMembership.objects.current().filter(service=school, user=user).exists():
        ServiceMembership.objects.create(
            service=school, user=user, joined_on=today, added_by=manager
        )
    return school


def _child(rng, born) -> Child:
    child = Child.objects.create(
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        date_of_birth=born,
        current_setting=DEMO_SCHOOL,
    )
    seed_family(child, 100_000 + child.pk)  # every demo child has a family (issue 13)
    return child


def _plan(rng, *, n, actor, caseworker, born, start, last_review=None, today) -> ActivePlan:
    return active_plan_create(
        actor=actor,
        child=_child(rng, born),
        reference=f"{DEMO_PLAN_PREFIX}{n:04d}",
        caseworker=caseworker,
        start_date=start,
        last_review_meeting_on=last_review,
        primary_need=rng.choice(PrimaryNeed.values),
        setting_name=DEMO_SCHOOL,
        setting_urn="100001",
        imported=True,
        today=today,
    )


def seed_reviews(*, users: dict, password: str, today: datetime.date, seed: int = 2026) -> int:
    """Create the demo plans and reviews once; returns how many plans were created."""
    manager = users["demo.manager"]
    school = seed_school(password=password, today=today, manager=manager)
    if ActivePlan.objects.filter(reference__startswith=DEMO_PLAN_PREFIX).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    worker = users["demo.caseworker"]
    month_start = today.replace(day=1)
    n = 0

    def next_n():
        nonlocal n
        n += 1
        return n

    # Due for review this month: last reviewed 12 months before a day of this month.
    for day in (3, 8, 12, 17, 22, 26):
        due_day = month_start.replace(day=min(day, 28))
        last = deadlines.add_months(due_day, -12)
        _plan(
            rng,
            n=next_n(),
            actor=manager,
            caseworker=worker,
            born=datetime.date(2016, 5, day),
            start=last - datetime.timedelta(days=400),
            last_review=last,
            today=today,
        )
    # Overdue: last reviewed 13 to 14 months ago.
    for back in (395, 410, 425):
        last = today - datetime.timedelta(days=back)
        _plan(
            rng,
            n=next_n(),
            actor=manager,
            caseworker=worker,
            born=datetime.date(2013, 2, 3),
            start=last - datetime.timedelta(days=365),
            last_review=last,
            today=today,
        )
    # Year 6: the secondary school must be named by the next 15 February.
    target = today.year + (1 if (today.month, today.day) > (2, 15) else 0)
    for month in (9, 11, 12, 1, 3):
        born_year = target - 12 if month >= 9 else target - 11
        _plan(
            rng,
            n=next_n(),
            actor=manager,
            caseworker=worker,
            born=datetime.date(born_year, month, 10),
            start=today - datetime.timedelta(days=200),
            today=today,
        )
    # Reviews in progress, the first waiting for the demo school's report.
    in_progress = [
        ("meeting_held", 10),
        ("report_received", 16),
        ("amendments_proposed", 30),
    ]
    for status, meeting_days_ago in in_progress:
        meeting = today - datetime.timedelta(days=meeting_days_ago)
        plan = _plan(
            rng,
            n=next_n(),
            actor=manager,
            caseworker=worker,
            born=datetime.date(2015, 6, 6),
            start=meeting - datetime.timedelta(days=370),
            today=today,
        )
        _review_to(status, plan=plan, meeting=meeting, school=school, actor=worker, today=today)
    return n


def _review_to(status, *, plan, meeting, school, actor, today) -> None:
    review = review_schedule(
        actor=actor,
        plan=plan,
        meeting_on=meeting,
        school=school,
        outcomes=OUTCOMES,
        today=meeting - datetime.timedelta(days=28),
    )
    steps = [
        ("send_invitations", meeting - datetime.timedelta(days=15), {}),
        ("hold_meeting", meeting, {"child_views_given": True, "child_attended": True}),
    ]
    if status in ("report_received", "amendments_proposed"):
        steps.append(
            (
                "receive_report",
                meeting + datetime.timedelta(days=6),
                {
                    "report_text": "Good progress in reading; friendships still hard (demo).",
                    "report_by": "Sam Senco, SENCo",
                },
            )
        )
    if status == "amendments_proposed":
        letter = meeting + datetime.timedelta(days=20)
        steps += [
            ("decide_amend", letter, {"decision_letter_sent_on": letter}),
            ("propose_amendments", letter + datetime.timedelta(days=1), {}),
        ]
    for name, day, details in steps:
        review = review_transition(
            actor=actor,
            review=review,
            transition=name,
            effective_date=day,
            details=details,
            today=today,
        )


def seed_review_of_issued_plan(*, users: dict, today: datetime.date) -> Review | None:
    """A review of a plan issued here (its document and letters held here), waiting for the
    decision: the caseworker decides to amend it in the browser, sends the proposed amendments
    (a new version of the plan, with its letter) and issues the amended plan. Once only."""
    worker = users["demo.caseworker"]
    if Review.objects.filter(plan__case__isnull=False, plan__imported=False).exists():
        return None
    meeting = today - datetime.timedelta(days=12)
    plan = (
        ActivePlan.objects.active()
        .filter(case__isnull=False, case__plan__isnull=False, start_date__lt=meeting)
        .exclude(reviews__isnull=False)
        .order_by("start_date", "pk")
        .first()
    )
    if plan is None:
        return None
    review = review_schedule(
        actor=worker,
        plan=plan,
        meeting_on=meeting,
        today=max(plan.start_date, meeting - datetime.timedelta(days=28)),
    )
    steps = (
        ("send_invitations", max(plan.start_date, meeting - datetime.timedelta(days=15)), {}),
        ("hold_meeting", meeting, {"child_views_given": True, "child_attended": True}),
        (
            "receive_report",
            meeting + datetime.timedelta(days=5),
            {
                "report_text": "Settled well; travel to school is now the main worry (demo).",
                "report_by": "The SEN team",
            },
        ),
    )
    for name, day, details in steps:
        review = review_transition(
            actor=worker,
            review=review,
            transition=name,
            effective_date=day,
            details=details,
            today=today,
        )
    return review
