"""Sections 3 and 4: agreeing to assess creates the advice chosen at panel, and refuses (rolling
the case back) when educational psychology, the family's views or, from year 9, preparing for
adulthood advice is neither requested nor re-used."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from advice_requests import errors
from advice_requests.models import AdviceRequest, PartnerServiceKind, ReusedAdvice
from audit.models import AuditEntry
from cases.models import Case
from cases.services import case_transition
from tests.cases.factories import TODAY, ChildFactory, advice_chosen, make_case

from .factories import AGREED_ON, PartnerServiceFactory

pytestmark = pytest.mark.django_db


def agree(case, details):
    return case_transition(
        actor=case.caseworker,
        case=case,
        transition="agree_to_assess",
        effective_date=AGREED_ON,
        today=TODAY,
        details=details,
    )


def received_case(**kwargs):
    return make_case(received_on=datetime.date(2026, 8, 20), **kwargs)


def test_agreeing_creates_the_requests_chosen_due_six_weeks_later():
    case = received_case()
    salt = PartnerServiceFactory(kind=PartnerServiceKind.SALT)
    details = advice_chosen()
    details["advice"].append({"kind": "health", "service": salt.pk, "question": "Speech?"})
    case = agree(case, details)
    assert case.status == "assessing"
    rows = AdviceRequest.objects.filter(case=case).order_by("id")
    assert [(r.kind, r.service_id, r.status) for r in rows] == [
        ("educational_psychology", details["advice"][0]["service"], "requested"),
        ("parent_views", None, "requested"),
        ("health", salt.pk, "requested"),
    ]
    assert {(r.requested_on, r.due_on) for r in rows} == {
        (AGREED_ON, AGREED_ON + datetime.timedelta(days=42))
    }
    verbs = list(AuditEntry.objects.filter(case=case).values_list("verb", flat=True))
    # The decision letter to the family is written in the same step (plans.letters).
    assert verbs == [
        "case.created",
        "case.agree_to_assess",
        *["advice.requested"] * 3,
        "letters.written",
    ]


@pytest.mark.parametrize(
    ("drop", "label"),
    [("educational_psychology", "educational psychology advice"), ("parent_views", "parent")],
)
def test_missing_required_advice_is_refused_and_the_case_stays_received(drop, label):
    case = received_case()
    details = advice_chosen()
    details["advice"] = [item for item in details["advice"] if item["kind"] != drop]
    with pytest.raises(ValidationError) as excinfo:
        agree(case, details)
    message = excinfo.value.message_dict["advice"][0]
    assert label in message
    assert message.startswith(errors.REQUIRED_ADVICE_MISSING.split("{")[0])
    assert Case.objects.get(pk=case.pk).status == "received"
    assert list(AuditEntry.objects.filter(case=case).values_list("verb", flat=True)) == [
        "case.created"
    ]
    assert not AdviceRequest.objects.filter(case=case).exists()


def test_no_details_at_all_is_refused():
    case = received_case()
    with pytest.raises(ValidationError) as excinfo:
        agree(case, None)
    assert excinfo.value.message_dict == {
        "advice": [
            errors.REQUIRED_ADVICE_MISSING.format(
                missing="educational psychology advice, parent and child views"
            )
        ]
    }
    assert Case.objects.get(pk=case.pk).status == "received"


def test_year_9_needs_preparing_for_adulthood_advice():
    case = received_case(child=ChildFactory(in_year_9_or_above=True))
    with pytest.raises(ValidationError, match="preparing for adulthood"):
        agree(case, advice_chosen())
    assert Case.objects.get(pk=case.pk).status == "received"
    case = agree(case, advice_chosen(year_9=True))
    assert AdviceRequest.objects.filter(case=case, kind="preparing_for_adulthood").count() == 1


def test_reused_advice_stands_in_for_a_request():
    case = received_case()
    ep = PartnerServiceFactory(kind=PartnerServiceKind.EP_SERVICE)
    details = advice_chosen()
    details["advice"] = [item for item in details["advice"] if item["kind"] == "parent_views"]
    details["reused"] = [
        {
            "kind": "educational_psychology",
            "service": ep.pk,
            "original_advice_on": "2026-05-01",
            "provider_agreed_on": "2026-09-20",
            "authority_agreed_on": "2026-09-25",
            "family_agreed_on": "2026-09-22",
            "notes": "Assessed in May; nothing has changed (synthetic).",
        }
    ]
    case = agree(case, details)
    reused = ReusedAdvice.objects.get(case=case)
    assert (reused.kind, reused.service, reused.original_advice_on) == (
        "educational_psychology",
        ep,
        datetime.date(2026, 5, 1),
    )
    assert (reused.provider_agreed_on, reused.authority_agreed_on, reused.family_agreed_on) == (
        datetime.date(2026, 9, 20),
        datetime.date(2026, 9, 25),
        datetime.date(2026, 9, 22),
    )
    assert not AdviceRequest.objects.filter(case=case, kind="educational_psychology").exists()
    assert AuditEntry.objects.filter(case=case, verb="advice.reused").count() == 1


def test_reuse_without_all_three_agreements_is_refused():
    case = received_case()
    details = advice_chosen()
    details["advice"] = [item for item in details["advice"] if item["kind"] == "parent_views"]
    details["reused"] = [
        {
            "kind": "educational_psychology",
            "provider_name": "A previous EP (synthetic)",
            "original_advice_on": "2026-05-01",
            "provider_agreed_on": "2026-09-20",
            "authority_agreed_on": "2026-09-25",
        }
    ]
    with pytest.raises(ValidationError) as excinfo:
        agree(case, details)
    assert excinfo.value.message_dict == {"reused": [errors.REUSE_AGREEMENT_MISSING]}
    assert Case.objects.get(pk=case.pk).status == "received"
    assert not ReusedAdvice.objects.exists()


def test_asking_one_provider_twice_is_refused_and_rolls_back():
    case = received_case()
    details = advice_chosen()
    ep_id = details["advice"][0]["service"]
    details["advice"].append({"kind": "other", "service": ep_id, "question": "Again?"})
    with pytest.raises(ValidationError) as excinfo:
        agree(case, details)
    assert "reg 6(1)" in excinfo.value.message_dict["service"][0]
    assert Case.objects.get(pk=case.pk).status == "received"
    assert not AdviceRequest.objects.filter(case=case).exists()


def test_unknown_service_is_a_validation_error():
    case = received_case()
    details = advice_chosen()
    details["advice"][0]["service"] = 999999
    with pytest.raises(ValidationError) as excinfo:
        agree(case, details)
    assert excinfo.value.message_dict == {"service": [errors.UNKNOWN_SERVICE.format(id=999999)]}


def test_imported_cases_need_no_advice():
    case = received_case(imported=True)
    case = agree(case, None)
    assert case.status == "assessing"
    assert not AdviceRequest.objects.filter(case=case).exists()
