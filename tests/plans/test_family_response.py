"""The family's response to a draft (s38) and the consultation of settings (s39)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.models import RISK_EXTRA_CONDITIONS, Case
from cases.services import case_transition
from notifications.models import Kind, Notification
from plans import deadlines, errors, services
from plans.alerts import sweep_plans
from plans.hooks import late_consultation_condition
from plans.models import FamilyComment, Plan, PlanVersion
from tests.cases.factories import TODAY, case_in_status, caseworker

from .factories import write_plan

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)


def test_the_window_counts_the_day_served_as_day_one():
    received = datetime.date(2026, 1, 5)
    served = received + datetime.timedelta(days=125)
    assert deadlines.comments_due(served) == received + datetime.timedelta(days=139)
    assert deadlines.final_plan_possible_from(served) == received + datetime.timedelta(days=140)


def _draft_issued(day=125):
    actor = caseworker()
    case = case_in_status("drafting", actor=actor)
    write_plan(case, actor, setting_name="Willowbrook Primary (synthetic)")
    case = case_transition(
        actor=actor,
        case=case,
        transition="issue_draft",
        effective_date=case.received_on + datetime.timedelta(days=day),
        today=TODAY,
    )
    return case, actor, Plan.objects.get(case=case)


def _comment(plan, actor, section="F", text="We want more speech therapy.", **kwargs):
    return services.comment_record(
        actor=actor,
        plan=plan,
        section=section,
        text=text,
        source=kwargs.pop("source", "email"),
        received_on=plan.case.received_on + datetime.timedelta(days=130),
        today=TODAY,
        **kwargs,
    )


def test_the_window_alerts_the_caseworker_once_on_the_last_day():
    case, actor, _plan = _draft_issued(125)
    last_day = case.received_on + datetime.timedelta(days=139)
    assert sweep_plans(today=last_day - datetime.timedelta(days=1), now=NOW) == 0
    assert sweep_plans(today=last_day, now=NOW) == 1
    assert sweep_plans(today=last_day, now=NOW) == 0
    assert sweep_plans(today=last_day + datetime.timedelta(days=1), now=NOW) == 0
    alert = Notification.objects.get(kind=Kind.FAMILY_COMMENTS_DUE)
    assert alert.recipient == actor
    assert case.reference in alert.subject
    assert "Testchild" not in alert.body


def test_a_comment_not_accepted_needs_a_reason_and_nothing_is_saved():
    _case, actor, plan = _draft_issued()
    comment = _comment(plan, actor)
    with pytest.raises(ValidationError) as excinfo:
        services.comment_answer(actor=actor, comment=comment, answer="not_accepted", today=TODAY)
    assert excinfo.value.message_dict == {"answer_text": [errors.NOT_ACCEPTED_NEEDS_REASON]}
    assert FamilyComment.objects.get(pk=comment.pk).answer == ""


def test_the_final_plan_waits_for_every_answer_and_links_the_accepted_change():
    case, actor, plan = _draft_issued(125)
    accepted = _comment(plan, actor, section="F", text="Therapy twice a week, please.")
    refused = _comment(
        plan, actor, section="I", text="We want Hillside Academy.", kind="preferred_setting"
    )
    final_day = case.received_on + datetime.timedelta(days=140)
    with pytest.raises(ValidationError) as excinfo:
        case_transition(
            actor=actor, case=case, transition="issue_final", effective_date=final_day, today=TODAY
        )
    assert excinfo.value.message_dict["plan"] == [
        errors.COMMENTS_UNANSWERED.format(count=2, verb="have")
    ]
    assert Case.objects.get(pk=case.pk).status == "draft_issued"
    services.comment_answer(
        actor=actor,
        comment=accepted,
        answer="accepted",
        answer_text="Changed to twice a week.",
        today=TODAY,
    )
    services.comment_answer(
        actor=actor,
        comment=refused,
        answer="not_accepted",
        answer_text="Hillside Academy cannot meet the needs (consulted).",
        today=TODAY,
    )
    therapy = plan.provision.get(frequency=1)
    services.provision_save(
        actor=actor,
        plan=plan,
        provision_id=therapy.pk,
        what=therapy.what,
        frequency=2,
        frequency_unit="week",
        session_minutes=30,
        delivered_by=therapy.delivered_by,
    )
    case_transition(
        actor=actor, case=case, transition="issue_final", effective_date=final_day, today=TODAY
    )
    final = PlanVersion.objects.get(plan=plan, kind="final")
    assert FamilyComment.objects.get(pk=accepted.pk).changed_in == final
    assert FamilyComment.objects.get(pk=refused.pk).changed_in is None


def test_consultation_response_needs_its_date_and_late_ones_put_the_case_at_risk():
    case, actor, plan = _draft_issued(120)
    sent_on = case.received_on + datetime.timedelta(days=121)
    consultation = services.consultation_send(
        actor=actor,
        plan=plan,
        setting_name="Willowbrook Primary (synthetic)",
        sent_on=sent_on,
        today=TODAY,
    )
    assert consultation.due_on == sent_on + datetime.timedelta(days=15)
    with pytest.raises(ValidationError) as excinfo:
        services.consultation_respond(
            actor=actor,
            consultation=consultation,
            answer="can_meet",
            responded_on=None,
            today=TODAY,
        )
    assert excinfo.value.message_dict == {"responded_on": [errors.RESPONSE_DATE_REQUIRED]}
    late_day = consultation.due_on + datetime.timedelta(days=1)

    def late(day):
        return Case.objects.filter(late_consultation_condition(day), pk=case.pk).exists()

    assert late_consultation_condition in RISK_EXTRA_CONDITIONS
    assert (late(consultation.due_on), late(late_day)) == (False, True)
    assert (
        Case.objects.filter(pk=case.pk).with_risk(late_day, warning_days=0).get().risk == "at_risk"
    )
    assert sweep_plans(today=late_day, now=NOW) >= 1
    assert Notification.objects.filter(kind=Kind.CONSULTATION_LATE, recipient=actor).count() == 1
    services.consultation_chase(actor=actor, consultation=consultation, today=TODAY)
    services.consultation_respond(
        actor=actor,
        consultation=consultation,
        answer="can_meet",
        responded_on=late_day,
        evidence="Letter from the head teacher.",
        today=TODAY,
    )
    assert not late(late_day)


def test_the_staff_comments_table_says_how_each_comment_came(client):
    """Words from one place (plans.models.COMMENT_CAME), for every way a comment can arrive."""
    from django.urls import reverse  # noqa: PLC0415

    from plans.models import COMMENT_CAME, CommentSource  # noqa: PLC0415

    assert set(COMMENT_CAME) == set(CommentSource)
    case, actor, plan = _draft_issued()
    for source, text in (("letter", "By post (synthetic)."), ("meeting", "At the meeting.")):
        _comment(plan, actor, text=text, source=source)
    client.force_login(actor)
    page = client.get(reverse("plans:plan", args=[case.reference])).content.decode()
    assert "section F, by letter on" in page
    assert "section F, said at a meeting on" in page
