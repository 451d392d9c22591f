"""Factories for the cases app. Cases are built through the services, as in real use."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from advice_requests.models import AdviceKind, PartnerService, PartnerServiceKind
from cases.models import Case, Child, ParentCarer, PrimaryNeed, RequestSource
from cases.roles import Role
from cases.services import case_create, case_transition
from tests.plans.factories import prepare_step

TODAY = datetime.date(2026, 11, 2)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", "a-test-password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            # get_or_create: transactional tests (browser, concurrency) flush the groups that
            # migration cases/0002_roles made, and later tests still need them.
            self.groups.add(Group.objects.get_or_create(name=role)[0])
        if create:
            self.save()


def caseworker(**kwargs):
    return UserFactory(roles=[Role.CASEWORKER], **kwargs)


def manager(**kwargs):
    return UserFactory(roles=[Role.MANAGER], **kwargs)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    first_name = factory.Sequence(lambda n: f"Testchild{n}")
    last_name = "Example"
    date_of_birth = datetime.date(2018, 3, 14)
    current_setting = "Oakfield Primary (synthetic)"


def make_case(*, actor=None, received_on=datetime.date(2026, 1, 5), today=TODAY, **kwargs):
    actor = actor or caseworker()
    return case_create(
        actor=actor,
        child=kwargs.pop("child", None) or ChildFactory(),
        received_on=received_on,
        request_source=kwargs.pop("request_source", RequestSource.PARENT_OR_YOUNG_PERSON),
        primary_need=kwargs.pop("primary_need", PrimaryNeed.ASD),
        caseworker=kwargs.pop("caseworker", actor),
        today=today,
        **kwargs,
    )


#: The shortest path from `received` to each status, with the day (from received) of each step.
PATHS = {
    "received": [],
    "assessing": [("agree_to_assess", 40)],
    "assessment_declined": [("decline_to_assess", 40)],
    "drafting": [("agree_to_assess", 40), ("agree_to_issue", 100)],
    "plan_declined": [("agree_to_assess", 40), ("decline_to_issue", 100)],
    "draft_issued": [("agree_to_assess", 40), ("agree_to_issue", 100), ("issue_draft", 120)],
    "final_issued": [
        ("agree_to_assess", 40),
        ("agree_to_issue", 100),
        ("issue_draft", 120),
        ("issue_final", 138),
    ],
    "withdrawn": [("withdraw", 20)],
}


def advice_chosen(*, year_9=False) -> dict:
    """The least advice a panel can choose when agreeing to assess (reg 6(1), section 4): the
    educational psychology service and the family's views (gathered by the SEN team)."""
    ep, _ = PartnerService.objects.get_or_create(
        name="Synthetic Educational Psychology Service",
        defaults={"kind": PartnerServiceKind.EP_SERVICE, "contact_email": "ep@example.invalid"},
    )
    advice = [
        {"kind": AdviceKind.EDUCATIONAL_PSYCHOLOGY, "service": ep.pk, "question": "Needs?"},
        {"kind": AdviceKind.PARENT_VIEWS, "service": None, "question": "Your views?"},
    ]
    if year_9:
        careers, _ = PartnerService.objects.get_or_create(
            name="Synthetic Careers Service",
            defaults={"kind": PartnerServiceKind.OTHER, "contact_email": "pfa@example.invalid"},
        )
        advice.append(
            {
                "kind": AdviceKind.PREPARING_FOR_ADULTHOOD,
                "service": careers.pk,
                "question": "Preparing for adulthood?",
            }
        )
    return {"advice": advice}


def case_in_status(
    status,
    *,
    actor=None,
    received_on=datetime.date(2026, 1, 5),
    today=TODAY,
    child=None,
    family_told=False,
):
    """A case walked to `status`. `family_told`: a decline's letters were sent the day it was
    decided (so its appeal rights count as sent: plans.letters), as a caseworker marks them."""
    actor = actor or caseworker()
    case = make_case(actor=actor, received_on=received_on, today=today, child=child)
    for transition, day in PATHS[status]:
        prepare_step(case, transition, actor)
        case = case_transition(
            actor=actor,
            case=case,
            transition=transition,
            effective_date=received_on + datetime.timedelta(days=day),
            reason="Synthetic test reason.",
            today=today,
            details=advice_chosen() if transition == "agree_to_assess" else None,
        )
    assert case.status == status
    if family_told and PATHS[status]:
        case = _family_told(case, actor, received_on + datetime.timedelta(PATHS[status][-1][1]))
    return case


def _family_told(case, actor, decided_on):
    from plans.letter_models import Letter  # noqa: PLC0415 - test data only
    from plans.letters import letter_mark_sent  # noqa: PLC0415

    for letter in Letter.objects.filter(case=case, sent_on__isnull=True):
        letter_mark_sent(actor=actor, letter=letter, method="post", sent_on=decided_on)
    # No family on record means no letter: the decline's date stands in for it.
    Case.objects.filter(pk=case.pk, appeal_rights_sent_on__isnull=True).update(
        appeal_rights_sent_on=decided_on
    )
    case.refresh_from_db()
    return case


def draft_issued_to_parents_by_post():
    """A draft issued to a family of two parents with parental responsibility, who get letters
    by post and have no portal account and no email (so no family message): the benchmark's
    family (issue 20, benchmark 5), with letters to write. Read again with its caseworker."""
    case = case_in_status("draft_issued")  # with its plan and first draft
    for name in ("Sam Example", "Alex Example"):
        ParentCarer.objects.create(
            child=case.child,
            name=name,
            address="1 Synthetic Street",
            preferred_contact_method="post",
        )
    return Case.objects.select_related("caseworker").get(pk=case.pk)
