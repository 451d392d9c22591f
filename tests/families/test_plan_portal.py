"""The plan and the decision letters in the family portal (issue 16 item 2): letters sent to
the family, the draft with a comment box per section inside the 15 days (s38), each answer
next to its comment, every version with what changed, and section K's advice after the
draft. Object-scoped (another family's letter, version or document is a 404) and every
document read in the access log."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from cases.services import case_transition
from families.forms import COMMENT_NOTHING
from notifications.kinds import Kind
from notifications.models import Notification
from plans import errors as plan_errors
from plans import services as plan_services
from plans.models import FamilyComment, Plan
from security.models import RecordAccess
from tests.plans.factories import prepare_step

from .factories import COMMENTS_CLOSE, DRAFT_SERVED, case_with_draft, family_account, parent_of

pytestmark = pytest.mark.django_db


def _at(time_machine, day: datetime.date):
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC))


@pytest.fixture
def world(time_machine):
    _at(time_machine, DRAFT_SERVED)
    case, carer = case_with_draft()
    member = family_account(carer=carer)
    _at(time_machine, DRAFT_SERVED + datetime.timedelta(days=3))
    return {"case": case, "carer": carer, "member": member, "plan": Plan.objects.get(case=case)}


def _signed_in(client, member):
    client.force_login(member.user)
    return client


def _plan_url(case):
    return reverse("families:plan", args=[case.reference])


# --- Decision letters ------------------------------------------------------------------------


def test_the_family_reads_each_decision_letter_sent_to_them_and_the_read_is_logged(client, world):
    case, carer = world["case"], world["carer"]
    letters = list(case.letters.filter(recipient=carer).order_by("id"))
    assert len(letters) == 2  # decision to assess, draft plan
    page = _signed_in(client, world["member"]).get(
        reverse("families:request", args=[case.reference])
    )
    body = page.content.decode()
    assert "Letters we sent you" in body
    assert "Decision to assess" in body
    assert "Draft plan" in body
    url = reverse("families:letter", args=[case.reference, letters[0].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")
    read = RecordAccess.objects.get(path=url)
    assert read.user_id == world["member"].user_id
    assert read.case_reference == case.reference
    assert "letter" in read.what


def test_another_familys_letter_and_the_other_parents_copy_are_404(client, world, time_machine):
    case = world["case"]
    other_case, other_carer = case_with_draft(carer_name="Bo Parent")
    other_letter = other_case.letters.filter(recipient=other_carer).first()
    # A second parent of the same child: their own copy carries their own address.
    second = parent_of(case.child, name="Cal Parent")
    second_letter = case.letters.first()
    second_letter_pk = second_letter.pk
    from plans.letter_models import Letter  # noqa: PLC0415 - test data only

    Letter.objects.filter(pk=second_letter_pk).update(recipient=second)
    client = _signed_in(client, world["member"])
    for reference, pk in (
        (case.reference, other_letter.pk),  # another family's letter under my request
        (other_case.reference, other_letter.pk),  # another family's request
        (case.reference, second_letter_pk),  # the other parent's copy
    ):
        assert client.get(reverse("families:letter", args=[reference, pk])).status_code == 404
    assert not RecordAccess.objects.filter(what__contains="letter").exists()


def test_an_unsent_letter_is_not_shown_yet(client, world):
    case, carer = world["case"], world["carer"]
    letter = case.letters.filter(recipient=carer).first()
    from plans.letter_models import Letter  # noqa: PLC0415

    Letter.objects.filter(pk=letter.pk).update(sent_on=None, sent_method="")
    client = _signed_in(client, world["member"])
    assert (
        client.get(reverse("families:letter", args=[case.reference, letter.pk])).status_code == 404
    )


# --- The draft: comments inside the 15 days ---------------------------------------------------


def test_comments_on_two_sections_a_meeting_and_a_school_become_the_plans_comments(client, world):
    case, plan = world["case"], world["plan"]
    client = _signed_in(client, world["member"])
    page = client.get(_plan_url(case))
    body = page.content.decode()
    assert page.status_code == 200
    assert "The draft plan" in body
    assert "16 November 2026" in body  # the last day, day 15 counting the day served
    assert 'name="section_B"' in body
    assert 'name="section_K"' in body
    response = client.post(
        _plan_url(case),
        {
            "section_B": "He also finds noise hard.",
            "section_F": "We want speech therapy twice a week.",
            "meeting": "on",
            "meeting_about": "Section F.",
            "school": "Brookside Primary (synthetic)",
        },
    )
    assert response.status_code == 302
    comments = list(FamilyComment.objects.filter(plan=plan).order_by("id"))
    assert [(c.kind, c.section) for c in comments] == [
        ("comment", "B"),
        ("comment", "F"),
        ("meeting", "A"),
        ("preferred_setting", "I"),
    ]
    assert {c.source for c in comments} == {"portal"}
    assert {c.recorded_by_id for c in comments} == {world["member"].user_id}
    assert {c.received_on for c in comments} == {DRAFT_SERVED + datetime.timedelta(days=3)}
    assert comments[0].version.kind == "draft"
    assert (
        AuditEntry.objects.filter(verb="plan.comment_recorded", actor=world["member"].user).count()
        == 4
    )
    # The caseworker is told once for the batch (inbox and email), linked to the comments.
    (alert,) = Notification.objects.filter(kind=Kind.FAMILY_RESPONDED)
    assert alert.recipient == case.caseworker
    assert alert.link == f"/plans/{case.reference}/#comments"
    assert case.reference in alert.subject
    assert (
        "2 comments on the draft plan, a request for a meeting and the school or college"
        in alert.body
    )
    assert "noise" not in alert.body
    assert "Brookside" not in alert.body
    # The caseworker answers on the plan page; the family sees each answer by its comment.
    plan_services.comment_answer(
        actor=case.caseworker,
        comment=comments[1],
        answer="not_accepted",
        answer_text="The therapist advises once a week (synthetic).",
    )
    plan_services.comment_answer(
        actor=case.caseworker, comment=comments[0], answer="accepted", answer_text="Added to B."
    )
    body = client.get(_plan_url(case)).content.decode()
    assert "Your comments and our answers" in body
    assert "We did not agree" in body
    assert "The therapist advises once a week (synthetic)." in body
    assert "We agreed" in body
    assert "We will change this in the next version of the plan." in body
    assert "Waiting for an answer" in body
    # A later batch is a second alert; a meeting alone is said as such.
    client.post(_plan_url(case), {"meeting": "on", "meeting_about": "Section B."})
    later = Notification.objects.filter(kind=Kind.FAMILY_RESPONDED).order_by("id")
    assert later.count() == 2
    assert "sent through the portal a request for a meeting." in later.last().body


def test_nothing_said_is_refused_with_a_message_and_nothing_saved(client, world):
    client = _signed_in(client, world["member"])
    response = client.post(_plan_url(world["case"]), {"section_B": "   "})
    assert response.status_code == 400
    assert COMMENT_NOTHING in response.content.decode()
    assert not FamilyComment.objects.exists()


def test_a_comment_too_long_is_refused_naming_the_limit(client, world):
    client = _signed_in(client, world["member"])
    response = client.post(_plan_url(world["case"]), {"section_B": "x" * 5001})
    assert response.status_code == 400
    assert "Keep each comment under 5000 characters" in response.content.decode()
    assert not FamilyComment.objects.exists()


def test_the_last_day_is_open_and_the_day_after_is_refused_with_the_date_and_the_contact(
    client, world, time_machine
):
    case = world["case"]
    _at(time_machine, COMMENTS_CLOSE)
    client = _signed_in(client, world["member"])
    assert client.post(_plan_url(case), {"section_E": "On the last day."}).status_code == 302
    _at(time_machine, COMMENTS_CLOSE + datetime.timedelta(days=1))
    client = _signed_in(client, world["member"])  # a new session: the old one has timed out
    page = client.get(_plan_url(case)).content.decode()
    assert 'name="section_B"' not in page
    assert "The time to comment ended on 16 November 2026" in page
    response = client.post(_plan_url(case), {"section_B": "Too late."})
    assert response.status_code == 400
    body = response.content.decode()
    expected = plan_errors.COMMENT_WINDOW_CLOSED.format(
        closed="16 November 2026", contact=" (Casey Worker, casey.worker@example.invalid)"
    )
    assert expected.replace("'", "&#x27;") in body
    assert FamilyComment.objects.filter(plan=world["plan"]).count() == 1


def test_a_draft_being_revised_takes_no_comments(client, world):
    case = world["case"]
    case_transition(
        actor=case.caseworker,
        case=case,
        transition="revise_draft",
        effective_date=DRAFT_SERVED + datetime.timedelta(days=3),
        reason="Synthetic.",
    )
    client = _signed_in(client, world["member"])
    response = client.post(_plan_url(case), {"section_B": "Still open?"})
    assert response.status_code == 400
    assert "ended on 16 November 2026" in response.content.decode()
    assert not FamilyComment.objects.exists()


def test_another_parents_online_comments_are_theirs(client, world):
    case = world["case"]
    other = family_account(carer=parent_of(case.child, name="Dee Parent"))
    _signed_in(client, other).post(_plan_url(case), {"section_C": "Dee's private comment."})
    body = _signed_in(client, world["member"]).get(_plan_url(case)).content.decode()
    assert "Dee&#x27;s private comment." not in body


# --- Section K's advice, versions and what changed --------------------------------------------


def test_section_k_advice_is_readable_after_the_draft_and_logged(client, world):
    case, plan = world["case"], world["plan"]
    listed = plan.advice_listed.exclude(submission=None).first()
    assert listed is not None
    client = _signed_in(client, world["member"])
    url = reverse("families:plan-advice", args=[case.reference, listed.submission_id])
    assert url in client.get(_plan_url(case)).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert RecordAccess.objects.filter(path=url, user_id=world["member"].user_id).exists()
    other_case, _carer = case_with_draft(carer_name="Eve Parent")
    other_listed = Plan.objects.get(case=other_case).advice_listed.exclude(submission=None).first()
    bad = reverse("families:plan-advice", args=[case.reference, other_listed.submission_id])
    assert client.get(bad).status_code == 404


def test_before_any_draft_there_is_no_plan_and_no_advice_to_read(client, world):
    from tests.advice_requests.factories import assessing_case  # noqa: PLC0415

    case = assessing_case()
    member = family_account(carer=parent_of(case.child, name="Fay Parent"))
    client = _signed_in(client, member)
    assert client.get(_plan_url(case)).status_code == 404
    assert (
        _plan_url(case)
        not in client.get(reverse("families:request", args=[case.reference])).content.decode()
    )


def test_every_version_is_listed_with_what_changed_and_its_pdf(client, world, time_machine):
    case, plan = world["case"], world["plan"]
    actor = case.caseworker
    client = _signed_in(client, world["member"])
    client.post(_plan_url(case), {"section_F": "Therapy twice a week, please."})
    comment = FamilyComment.objects.get()
    plan_services.comment_answer(
        actor=actor, comment=comment, answer="accepted", answer_text="Now twice a week."
    )
    on = DRAFT_SERVED + datetime.timedelta(days=4)
    _at(time_machine, on)
    client = _signed_in(client, world["member"])
    case = case_transition(
        actor=actor, case=case, transition="revise_draft", effective_date=on, reason="Synthetic."
    )
    therapy = plan.provision.get(what__startswith="Individual speech")
    plan_services.provision_save(
        actor=actor,
        plan=plan,
        what=therapy.what,
        delivered_by=therapy.delivered_by,
        qualification=therapy.qualification,
        frequency=2,
        frequency_unit="week",
        session_minutes=30,
        group_size=1,
        provision_id=therapy.pk,
    )
    case = case_transition(
        actor=actor, case=case, transition="issue_draft", effective_date=on, reason="Synthetic."
    )
    page = client.get(_plan_url(case)).content.decode()
    assert "Every version of the plan" in page
    assert "This is the first draft of the plan." in page
    assert "A new draft. Changes from version 1:" in page
    assert "Section F, Special educational provision: 1 part added or rewritten." in page
    assert "We changed this in version 2 of the plan." in page
    version = client.get(reverse("families:plan-version", args=[case.reference, 2]))
    assert version.status_code == 200
    text = version.content.decode()
    assert "What changed" in text
    assert "twice a week" in text
    assert client.get(reverse("families:plan-version", args=[case.reference, 9])).status_code == 404
    pdf_url = reverse("families:plan-version-pdf", args=[case.reference, 1])
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert bytes(response.content).startswith(b"%PDF")
    assert RecordAccess.objects.filter(path=pdf_url).exists()
    # The final plan: the setting named, with everything answered.
    prepare_step(case, "issue_final", actor)
    final_on = COMMENTS_CLOSE + datetime.timedelta(days=5)
    _at(time_machine, final_on)
    client = _signed_in(client, world["member"])
    case_transition(
        actor=actor,
        case=case,
        transition="issue_final",
        effective_date=final_on,
        reason="Synthetic.",
    )
    page = client.get(_plan_url(case)).content.decode()
    assert "The final plan" in page
    assert "It names the school or college" in page
    assert 'name="section_B"' not in page


def test_a_caseworker_cannot_record_a_comment_as_made_in_the_portal(world):
    plan = world["plan"]
    with pytest.raises(ValidationError) as refused:
        plan_services.comment_record(
            actor=world["case"].caseworker,
            plan=plan,
            section="B",
            text="Said on the phone.",
            source="portal",
            received_on=DRAFT_SERVED,
        )
    assert refused.value.message_dict == {"source": [plan_errors.COMMENT_SOURCE_PORTAL]}
    assert not FamilyComment.objects.exists()
