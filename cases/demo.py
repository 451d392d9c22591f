"""A believable, entirely synthetic borough for demos and browser tests.

No real child's details: names are drawn from short generic lists and every date is generated
relative to `today`, so the demo always shows cases on track, at risk and overdue.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .exception_services import exception_agree, exception_propose
from .models import Case, ExceptionGround, ParentCarer, PrimaryNeed, RequestSource
from .roles import Role
from .services import case_create, case_transition, child_create

DEMO_AUTHORITY = "Demo Borough (synthetic data)"
DEMO_PASSWORD = "ehc-demo-2026"  # noqa: S105 - printed by `make run`; demo databases only

DEMO_USERS = [
    ("demo.admin", "Demo", "Administrator", [], True),
    ("demo.manager", "Morgan", "Manager", [Role.MANAGER], False),
    ("demo.caseworker", "Casey", "Worker", [Role.CASEWORKER], False),
    ("demo.chair", "Charlie", "Chair", [Role.PANEL_CHAIR, Role.PANEL_MEMBER], False),
    ("cw.amari", "Amari", "Okafor", [Role.CASEWORKER], False),
    ("cw.bea", "Bea", "Lindqvist", [Role.CASEWORKER], False),
    ("cw.dev", "Dev", "Raman", [Role.CASEWORKER], False),
    ("cw.elin", "Elin", "Morgan", [Role.CASEWORKER], False),
]

FIRST_NAMES = [
    "Alex",
    "Sam",
    "Jordan",
    "Riley",
    "Taylor",
    "Jamie",
    "Robin",
    "Charlie",
    "Frankie",
    "Ellis",
    "Kai",
    "Noor",
    "Ada",
    "Milo",
    "Zara",
    "Ivy",
    "Leo",
    "Maya",
    "Omar",
    "Tess",
    "Yusuf",
    "Ruby",
]
LAST_NAMES = [
    "Example",
    "Sample",
    "Testwell",
    "Placeholder",
    "Fictional",
    "Madeup",
    "Demo",
    "Synthe",
    "Notreal",
    "Specimen",
    "Mockford",
    "Dummett",
    "Fakenham",
    "Trialson",
]
SETTINGS = [
    "Oakfield Primary (demo)",
    "Riverside Academy (demo)",
    "Little Acorns Nursery (demo)",
    "St Demo's CE Primary",
    "Northgate High (demo)",
    "Harbour College (demo)",
]
NEED_WEIGHTS = {
    PrimaryNeed.ASD: 30,
    PrimaryNeed.SEMH: 18,
    PrimaryNeed.SLCN: 20,
    PrimaryNeed.MLD: 8,
    PrimaryNeed.SPLD: 5,
    PrimaryNeed.SLD: 4,
    PrimaryNeed.PD: 3,
    PrimaryNeed.HI: 2,
    PrimaryNeed.VI: 1,
    PrimaryNeed.PMLD: 2,
    PrimaryNeed.MSI: 1,
    PrimaryNeed.DS: 2,
    PrimaryNeed.OTH: 4,
}
SOURCE_WEIGHTS = {
    RequestSource.PARENT_OR_YOUNG_PERSON: 40,
    RequestSource.EDUCATION_SETTING: 45,
    RequestSource.HEALTH: 8,
    RequestSource.SOCIAL_CARE: 4,
    RequestSource.OTHER: 3,
}


def _user(username, first, last, roles, superuser):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.invalid",
            "is_staff": True,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user, created


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class CaseSeedingHooks:
    """What other apps add to each seeded case (the demo app wires them; cases knows none)."""

    #: (case, rng) -> the `details` for agree_to_assess (the advice chosen at panel).
    agree_to_assess_details: Callable | None = None
    #: (case, caseworker) -> None, after the case has walked its steps.
    after_case: Callable | None = None
    #: (case, step name, effective date, caseworker) -> None, just before each step (the plans
    #: app writes the plan before the draft and names the setting before the final plan).
    before_step: Callable | None = None


def seed_users() -> tuple[dict, int]:
    users, created_users = {}, 0
    for username, first, last, roles, superuser in DEMO_USERS:
        users[username], created = _user(username, first, last, roles, superuser)
        created_users += created
    return users, created_users


def demo_cases_exist() -> bool:
    return Case.objects.filter(child__home_local_authority=DEMO_AUTHORITY).exists()


@transaction.atomic
def seed_cases(
    *,
    users: dict,
    cases: int,
    today: datetime.date,
    seed: int = 2026,
    hooks: CaseSeedingHooks | None = None,
) -> int:
    """Create the demo cases, each walked along the process with realistic timings."""
    hooks = hooks or CaseSeedingHooks()
    rng = random.Random(seed)
    caseworkers = [u for name, u in users.items() if name.startswith(("cw.", "demo.caseworker"))]
    manager = users["demo.manager"]
    for number in range(cases):
        _seed_case(rng, number, today, caseworkers, manager, hooks)
    seed_likely_duplicates(caseworkers=caseworkers, today=today)
    return cases


#: Section 10: families reached in different ways. Every 7th needs an interpreter.
INTERPRETER_LANGUAGES = ["Polish", "Urdu", "Somali", "Romanian", "Bengali", "Arabic", "Yoruba"]
RELATIONSHIPS = ["Mother", "Father", "Foster carer", "Grandparent", "Stepfather", "Aunt"]
STREETS = ["Example Road", "Sample Street", "Demo Avenue", "Fictional Close", "Placeholder Way"]


def seed_family(child, number: int) -> None:
    """1 or 2 people with parental responsibility (sometimes a third person without it), with
    varied ways to reach them. Their own random stream, so the cases' timings do not change."""
    rng = random.Random(f"family-{number}")
    people = 2 if rng.random() < 0.45 else 1  # noqa: PLR2004
    address = f"{rng.randint(1, 99)} {rng.choice(STREETS)}, Demo Town, ZZ{number % 9 + 1} 1ZZ"
    for index in range(people):
        method = rng.choice(["email", "email", "phone", "post"])
        ParentCarer.objects.create(
            child=child,
            name=f"{rng.choice(FIRST_NAMES)} {child.last_name}",
            relationship=RELATIONSHIPS[(number + index) % len(RELATIONSHIPS)],
            address=address,
            email=f"family{number}.{index}@example.invalid" if method != "post" else "",
            phone=f"07700 900 {(number * 2 + index) % 1000:03d}",
            preferred_contact_method=method,
            interpreter_language=(
                INTERPRETER_LANGUAGES[number % len(INTERPRETER_LANGUAGES)]
                if number % 7 == 3 and index == 0  # noqa: PLR2004
                else ""
            ),
            communication_needs="Prefers large print" if number % 11 == 5 else "",  # noqa: PLR2004
            has_parental_responsibility=True,
        )
    if number % 13 == 0:  # noqa: PLR2004
        ParentCarer.objects.create(
            child=child,
            name=f"{rng.choice(FIRST_NAMES)} Childminder",
            relationship="Childminder",
            phone="01632 960 001",
            preferred_contact_method="phone",
            has_parental_responsibility=False,
        )


#: Section 10: children the match step should find when a request for them is logged again:
#: one child recorded twice (an accent and a hyphen), a typo, and twins. Fixed dates of birth,
#: so a demo can search for them (README). (first, last, date of birth, UPN.)
LIKELY_DUPLICATES = [
    ("Zoë", "Smith-Jones", datetime.date(2017, 3, 14), ""),
    ("Zoe", "Smith Jones", datetime.date(2017, 3, 14), ""),
    ("Mohammed", "Rahman", datetime.date(2015, 1, 20), "A820200000001"),
    ("Mohamed", "Rahman", datetime.date(2015, 1, 20), ""),
    ("Ada", "Okafor", datetime.date(2018, 9, 5), ""),
    ("Leo", "Okafor", datetime.date(2018, 9, 5), ""),
]


def seed_likely_duplicates(*, caseworkers, today: datetime.date) -> None:
    """A handful of received requests whose children look alike (see LIKELY_DUPLICATES)."""
    for number, (first, last, born, upn) in enumerate(LIKELY_DUPLICATES):
        caseworker = caseworkers[number % len(caseworkers)]
        child = child_create(
            actor=caseworker,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            upn=upn,
            home_local_authority=DEMO_AUTHORITY,
            current_setting=SETTINGS[number % len(SETTINGS)],
        )
        seed_family(child, 1000 + number)
        case_create(
            actor=caseworker,
            child=child,
            received_on=today - datetime.timedelta(days=5 + number * 3),
            request_source=RequestSource.PARENT_OR_YOUNG_PERSON,
            primary_need=PrimaryNeed.SLCN,
            caseworker=caseworker,
            today=today,
        )


def _seed_case(rng, number, today, caseworkers, manager, hooks):
    received_on = today - datetime.timedelta(days=rng.randint(0, 330))
    age = rng.randint(2, 17)
    date_of_birth = received_on - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
    caseworker = rng.choice(caseworkers)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    child = child_create(
        actor=caseworker,
        first_name=first,
        last_name=last,
        date_of_birth=date_of_birth,
        home_local_authority=DEMO_AUTHORITY,
        current_setting=rng.choice(SETTINGS),
        in_year_9_or_above=age >= 14,  # noqa: PLR2004
    )
    seed_family(child, number)
    case = case_create(
        actor=caseworker,
        child=child,
        received_on=received_on,
        request_source=_pick(rng, SOURCE_WEIGHTS),
        primary_need=_pick(rng, NEED_WEIGHTS),
        caseworker=caseworker,
        today=today,
    )
    case = _seed_progress(rng, case, today, caseworker, manager, hooks)
    if hooks.after_case is not None:
        hooks.after_case(case, caseworker)


def _seed_progress(rng, case, today, caseworker, manager, hooks):
    """Walk the case along the process with realistic timings (more than half late, as nationally),
    stopping at today."""

    def on_day(day):
        return case.received_on + datetime.timedelta(days=day)

    def step(name, day, reason=""):
        nonlocal case
        if on_day(day) > today:
            return False
        if hooks.before_step is not None:
            hooks.before_step(case, name, on_day(day), caseworker)
        case = case_transition(
            actor=caseworker,
            case=case,
            transition=name,
            effective_date=on_day(day),
            reason=reason,
            today=today,
            details=hooks.agree_to_assess_details(case, details_rng)
            if name == "agree_to_assess" and hooks.agree_to_assess_details
            else None,
        )
        return True

    # Its own stream (seeded by the reference, the same on every database), so the cases'
    # timings are unchanged by what other apps choose.
    details_rng = random.Random(case.reference)

    if rng.random() < 0.03:  # noqa: PLR2004
        step("withdraw", rng.randint(10, 60), "Family moved out of the area.")
        return case
    if rng.random() < 0.15:  # noqa: PLR2004
        step("decline_to_assess", rng.randint(30, 45), "Needs can be met through SEN support.")
        return case
    if not step("agree_to_assess", rng.randint(28, 46)):
        return case
    if rng.random() < 0.08:  # noqa: PLR2004
        step("decline_to_issue", rng.randint(95, 115), "Needs can be met without a plan.")
        return case
    # About four in ten final plans in 20 weeks (140 days), near the national figure (46% in
    # 2024), so that the demo's forecasts, learnt from this history, flag some cases and not all.
    plan_day = rng.randint(84, 122)
    if not step("agree_to_issue", plan_day):
        return case
    draft_day = max(plan_day + 3, rng.randint(104, 137))
    if not step("issue_draft", draft_day):
        return case
    final_day = max(draft_day + 15, rng.randint(122, 165))
    late = final_day > 140  # noqa: PLR2004
    if step("issue_final", final_day) and late and rng.random() < 0.2:  # noqa: PLR2004
        exception = exception_propose(
            actor=caseworker,
            case=case,
            ground=ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES,
            starts_on=on_day(60),
            ends_on=on_day(100),
            notes="Family bereavement; assessment appointments rearranged (synthetic).",
        )
        exception_agree(actor=manager, exception=exception, family_notified_on=on_day(101))
    return case


__all__ = ["DEMO_AUTHORITY", "DEMO_PASSWORD", "CaseSeedingHooks", "seed_cases", "seed_users"]
