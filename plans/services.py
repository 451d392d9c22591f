"""Every write to a plan: its sections, its issued versions, the family's comments and the
consultations of settings. Each is atomic, refuses before touching anything, and audits."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from advice_requests.models import AdviceRequest, AdviceStatus, AdviceSubmission
from audit.services import audit_record
from cases.models import Case, CaseStatus

from . import deadlines, documents, errors
from .access import require_plan_role
from .alerts import family_responded_notify
from .letter_models import DecisionNotice, LetterKind
from .letters import letters_write
from .models import (
    FOR_COMMENT_KINDS,
    ITEM_MODELS,
    AdviceListed,
    CommentAnswer,
    CommentSource,
    Consultation,
    FamilyComment,
    Need,
    Outcome,
    Plan,
    PlanVersion,
    Provision,
    VersionKind,
)
from .render import plan_html, plan_snapshot

EDITABLE_STATUSES = (CaseStatus.DRAFTING, CaseStatus.DRAFT_ISSUED)
PLAN_TEXT_FIELDS = (
    "child_views",
    "family_views",
    "aspirations",
    "health_needs",
    "social_care_needs",
    "setting_type",
    "setting_name",
    "personal_budget",
)


def _today() -> datetime.date:
    return timezone.localdate()


def _editable(plan: Plan) -> None:
    """Drafting (s37-s38), or amending after a review (reg 22) until the amended plan issues."""
    if plan.amendment_opened_on is None and plan.case.status not in EDITABLE_STATUSES:
        raise ValidationError({"plan": errors.PLAN_NOT_EDITABLE})


def advice_listed_refresh(plan: Plan) -> int:
    """Section K from the case's advice: each submitted advice not yet listed (its kind, service
    and date). Rows already listed, and the caseworker's own, are left as they are."""
    listed = set(
        plan.advice_listed.exclude(submission=None).values_list("submission_id", flat=True)
    )
    added = 0
    requests = (
        AdviceRequest.objects.filter(case=plan.case, status=AdviceStatus.SUBMITTED)
        .select_related("service")
        .prefetch_related("submissions")
    )
    for advice in requests.order_by("submitted_on", "id"):
        submissions = list(advice.submissions.all())
        if not submissions or submissions[-1].pk in listed:
            continue
        latest = submissions[-1]
        AdviceListed.objects.create(
            plan=plan,
            description=advice.get_kind_display(),
            provider=advice.service.name
            if advice.service_id
            else "The family (gathered by the SEN team)",
            dated=latest.submitted_on,
            submission=latest,
        )
        added += 1
    return added


@transaction.atomic
def plan_start(*, actor, case: Case) -> Plan:
    """The plan's working copy, made once the panel agrees to issue (or later): section K is
    filled in from the advice submitted so far."""
    require_plan_role(actor)
    plan, created = Plan.objects.get_or_create(case=case)
    if created:
        advice_listed_refresh(plan)
        audit_record(actor=actor, verb="plan.started", target=plan, case=case)
    return plan


def plan_for_update(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("case__child").get(pk=plan.pk)


@transaction.atomic
def plan_update(*, actor, plan: Plan, data: dict) -> Plan:
    """The text sections (A, C, D, I, J). Unknown fields are refused."""
    require_plan_role(actor)
    plan = plan_for_update(plan)
    _editable(plan)
    changed = []
    for name, value in data.items():
        if name not in PLAN_TEXT_FIELDS:
            raise ValidationError({name: "This field cannot be changed here."})
        value = (value or "").strip()
        if getattr(plan, name) != value:
            setattr(plan, name, value)
            changed.append(name)
    if changed:
        plan.full_clean()
        plan.save()
        audit_record(
            actor=actor,
            verb="plan.updated",
            target=plan,
            case=plan.case,
            payload={"fields": changed},
        )
    return plan


def _source(plan: Plan, source) -> AdviceSubmission | None:
    if source in (None, ""):
        return None
    if not isinstance(source, AdviceSubmission):
        try:
            source = AdviceSubmission.objects.select_related("advice_request").get(pk=int(source))
        except (AdviceSubmission.DoesNotExist, TypeError, ValueError) as exc:
            raise ValidationError({"source": errors.SOURCE_NOT_THIS_CASE}) from exc
    if source.advice_request.case_id != plan.case_id:
        raise ValidationError({"source": errors.SOURCE_NOT_THIS_CASE})
    return source


def _own(plan: Plan, model, ids, field: str) -> list:
    ids = [int(i) for i in ids or []]
    found = list(model.objects.filter(plan=plan, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({field: errors.LINK_NOT_THIS_PLAN})
    return found


def _item(plan: Plan, model, pk):
    if pk is None:
        return model(plan=plan)
    try:
        return model.objects.get(plan=plan, pk=pk)
    except (model.DoesNotExist, TypeError, ValueError) as exc:
        raise ValidationError({"item": errors.ITEM_NOT_FOUND}) from exc


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def need_save(
    *,
    actor,
    plan: Plan,
    area: str,
    text: str,
    outcomes=None,
    provision=None,
    source=None,
    need_id: int | None = None,
) -> Need:
    """Section B: a need in its area, linked to its outcomes (E) and provision (F-H2). Links
    given (even none) replace the need's links; links not given (None) are left as they are."""
    require_plan_role(actor)
    plan = plan_for_update(plan)
    _editable(plan)
    if not area:
        raise ValidationError({"area": errors.NEED_AREA_REQUIRED})
    need = _item(plan, Need, need_id)
    need.area = area
    need.text = _required(text, "text", errors.TEXT_REQUIRED)
    need.source = _source(plan, source)
    linked_outcomes = _own(plan, Outcome, outcomes, "outcomes")
    linked_provision = _own(plan, Provision, provision, "provision")
    need.full_clean(exclude=["plan"])
    need.save()
    if outcomes is not None or need_id is None:
        need.outcomes.set(linked_outcomes)
    if provision is not None or need_id is None:
        need.provision.set(linked_provision)
    audit_record(
        actor=actor,
        verb="plan.need_saved",
        target=need,
        case=plan.case,
        payload={"plan": plan.pk, "new": need_id is None},
    )
    return need


@transaction.atomic
def outcome_save(
    *,
    actor,
    plan: Plan,
    text: str,
    preparing_for_adulthood: bool = False,
    source=None,
    needs=None,
    outcome_id: int | None = None,
) -> Outcome:
    """Section E: an outcome, linked to the needs it answers (None leaves the links as they
    are; a list, even empty, replaces them)."""
    require_plan_role(actor)
    plan = plan_for_update(plan)
    _editable(plan)
    outcome = _item(plan, Outcome, outcome_id)
    outcome.text = _required(text, "text", errors.TEXT_REQUIRED)
    outcome.preparing_for_adulthood = bool(preparing_for_adulthood)
    outcome.source = _source(plan, source)
    linked_needs = _own(plan, Need, needs, "needs")
    outcome.full_clean(exclude=["plan"])
    outcome.save()
    if needs is not None or outcome_id is None:
        outcome.needs.set(linked_needs)
    audit_record(actor=actor, verb="plan.outcome_saved", target=outcome, case=plan.case)
    return outcome


#: The largest believable figure for each number of a provision entry (the page's fields and
#: the API's serializer show the same limits; these are the ones enforced).
PROVISION_LIMITS = {"frequency": 100, "session_minutes": 1440, "group_size": 60}


def check_provision_fields(*, frequency, frequency_unit, **numbers) -> None:
    """Section 12: quantified provision. A frequency without its unit (or a unit without a
    number) is refused, naming the missing part; so is a number out of range."""
    if frequency not in (None, "") and not frequency_unit:
        raise ValidationError({"frequency_unit": errors.FREQUENCY_NEEDS_UNIT})
    if frequency_unit and frequency in (None, ""):
        raise ValidationError({"frequency": errors.UNIT_NEEDS_FREQUENCY})
    numbers["frequency"] = frequency
    out_of_range = {
        name: errors.NUMBER_OUT_OF_RANGE.format(most=most)
        for name, most in PROVISION_LIMITS.items()
        if numbers.get(name) is not None and not 1 <= numbers[name] <= most
    }
    if out_of_range:
        raise ValidationError(out_of_range)


@transaction.atomic
def provision_save(
    *,
    actor,
    plan: Plan,
    what: str,
    section: str = "F",
    delivered_by: str = "",
    qualification: str = "",
    frequency: int | None = None,
    frequency_unit: str = "",
    session_minutes: int | None = None,
    group_size: int | None = None,
    starts_on: datetime.date | None = None,
    source=None,
    needs=None,
    provision_id: int | None = None,
) -> Provision:
    """Sections F to H2: one entry, specified and quantified, linked to the needs it meets
    (None leaves the links as they are; a list, even empty, replaces them)."""
    require_plan_role(actor)
    check_provision_fields(
        frequency=frequency,
        frequency_unit=frequency_unit,
        session_minutes=session_minutes,
        group_size=group_size,
    )
    plan = plan_for_update(plan)
    _editable(plan)
    item = _item(plan, Provision, provision_id)
    item.section = section or "F"
    item.what = _required(what, "what", errors.WHAT_REQUIRED)
    item.delivered_by = (delivered_by or "").strip()
    item.qualification = (qualification or "").strip()
    item.frequency = frequency or None
    item.frequency_unit = frequency_unit or ""
    item.session_minutes = session_minutes or None
    item.group_size = group_size or None
    item.starts_on = starts_on
    item.source = _source(plan, source)
    linked_needs = _own(plan, Need, needs, "needs")
    item.full_clean(exclude=["plan"])
    item.save()
    if needs is not None or provision_id is None:
        item.needs.set(linked_needs)
    audit_record(actor=actor, verb="plan.provision_saved", target=item, case=plan.case)
    return item


@transaction.atomic
def advice_listed_save(
    *, actor, plan: Plan, description: str, provider: str = "", dated=None, item_id=None
) -> AdviceListed:
    require_plan_role(actor)
    plan = plan_for_update(plan)
    _editable(plan)
    item = _item(plan, AdviceListed, item_id)
    item.description = _required(description, "description", errors.TEXT_REQUIRED)
    item.provider = (provider or "").strip()
    item.dated = dated
    item.full_clean(exclude=["plan", "submission"])
    item.save()
    audit_record(actor=actor, verb="plan.advice_listed_saved", target=item, case=plan.case)
    return item


@transaction.atomic
def plan_item_delete(*, actor, plan: Plan, kind: str, item_id: int) -> None:
    require_plan_role(actor)
    plan = plan_for_update(plan)
    _editable(plan)
    model = ITEM_MODELS.get(kind)
    if model is None:
        raise ValidationError({"item": errors.ITEM_NOT_FOUND})
    item = _item(plan, model, item_id)
    label = str(item)
    item.delete()
    audit_record(
        actor=actor,
        verb=f"plan.{kind}_deleted",
        target=plan,
        case=plan.case,
        payload={"item": item_id, "text": label},
    )


PROVISION_FIELDS = (
    "section",
    "what",
    "delivered_by",
    "qualification",
    "frequency",
    "frequency_unit",
    "session_minutes",
    "group_size",
    "starts_on",
)


def item_values(kind: str, item) -> dict:
    """An item's current values in the shape its save function takes (links and source as
    ids): what the page's form starts from, and what an API PATCH leaves as they are."""
    if kind == "need":
        return {
            "area": item.area,
            "text": item.text,
            "source": item.source_id,
            "outcomes": [o.pk for o in item.outcomes.all()],
            "provision": [p.pk for p in item.provision.all()],
        }
    if kind == "outcome":
        return {
            "text": item.text,
            "preparing_for_adulthood": item.preparing_for_adulthood,
            "source": item.source_id,
            "needs": [n.pk for n in item.needs.all()],
        }
    if kind == "provision":
        return {
            **{name: getattr(item, name) for name in PROVISION_FIELDS},
            "source": item.source_id,
            "needs": [n.pk for n in item.needs.all()],
        }
    return {"description": item.description, "provider": item.provider, "dated": item.dated}


ITEM_SAVES = {
    "need": (need_save, "need_id"),
    "outcome": (outcome_save, "outcome_id"),
    "provision": (provision_save, "provision_id"),
    "advice": (advice_listed_save, "item_id"),
}


@transaction.atomic
def plan_item_save(
    *, actor, plan: Plan, kind: str, data: dict, item_id: int | None = None, partial=False
):
    """Add or change one item (a need, an outcome, provision, a section K entry) through its
    own save function above, where its rules live. `partial`: the fields not given keep their
    current values (the API's PATCH)."""
    if kind not in ITEM_SAVES:
        raise ValidationError({"item": errors.ITEM_NOT_FOUND})
    save, id_name = ITEM_SAVES[kind]
    if partial and item_id is not None:
        require_plan_role(actor)
        plan = plan_for_update(plan)
        data = item_values(kind, _item(plan, ITEM_MODELS[kind], item_id)) | dict(data)
    return save(actor=actor, plan=plan, **data, **{id_name: item_id})


def next_version_number(plan: Plan) -> int:
    last = plan.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _plan_to_freeze(case: Case) -> Plan | None:
    """One statement: the plan locked (only the plan's row: the step has locked the case, and
    a lock on the child's row would be one more write) with its last version's number. Its
    case is the caller's when that comes with its child (a case step reads them together);
    else the case and child are read in the same statement.

    The number is read with the lock, not after it: a statement that waited for the lock would
    read it from before the wait. Every caller already holds the lock that serialises issuing
    (a case step the case's row; the amendments the plan's, taken by _plan_being_amended), and
    the unique (plan, number) constraint refuses a duplicate whatever happens."""
    plans = (
        Plan.objects.select_for_update(of=("self",))
        .filter(case=case)
        .annotate(
            last_number=Subquery(
                PlanVersion.objects.filter(plan=OuterRef("pk"))
                .order_by("-number")
                .values("number")[:1]
            )
        )
    )
    if not Case.child.is_cached(case):
        return plans.select_related("case__child").first()
    plan = plans.first()
    if plan is not None:
        plan.case = case
    return plan


def version_issue(*, actor, case: Case, kind: str, issued_on: datetime.date) -> PlanVersion:
    """Freeze the plan as issued: its snapshot, the HTML the page shows and the PDF made from
    it. Accepted comments on earlier drafts are linked to this version, which made the change.
    Called inside the case transition (plans.hooks), so a refusal takes the step back."""
    plan = _plan_to_freeze(case)
    if plan is None:
        raise ValidationError({"plan": errors.NO_PLAN_TO_ISSUE})
    number = (plan.last_number or 0) + 1
    snapshot = plan_snapshot(plan, kind=kind, number=number, issued_on=issued_on)
    html = plan_html(snapshot)
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        kind=kind,
        issued_on=issued_on,
        issued_by=actor if actor is not None and actor.pk else None,
        snapshot=snapshot,
        html=html,
    )
    documents.render_after_commit()
    FamilyComment.objects.filter(
        plan=plan, answer=CommentAnswer.ACCEPTED, changed_in__isnull=True
    ).exclude(version=version).update(changed_in=version)
    audit_record(
        actor=actor,
        verb=f"plan.{kind}_issued",
        target=version,
        case=case,
        effective_date=issued_on,
        payload={"version": number},
    )
    return version


def latest_draft(plan: Plan) -> PlanVersion | None:
    """The latest version the family comments on: the draft, or proposed amendments."""
    return plan.versions.filter(kind__in=FOR_COMMENT_KINDS).order_by("-number").first()


# --- Amending the plan after a review (reg 22; ehc-process.md section 13) ----------------------


def amendment_open(*, actor, case: Case, opened_on: datetime.date) -> Plan:
    """A review decided to amend: the plan's working copy may be edited (a plan imported with
    its case, and so held here for the first time, is started empty for the caseworker to
    write). Runs inside the review's step (reviews.services), so a refusal takes both back."""
    require_plan_role(actor)
    plan, created = Plan.objects.get_or_create(case=case)
    if created:
        advice_listed_refresh(plan)
        audit_record(actor=actor, verb="plan.started", target=plan, case=case)
    plan = plan_for_update(plan)
    plan.amendment_opened_on = opened_on
    plan.save(update_fields=["amendment_opened_on", "updated_at"])
    audit_record(
        actor=actor,
        verb="plan.amendment_opened",
        target=plan,
        case=case,
        effective_date=opened_on,
    )
    return plan


def _plan_being_amended(case: Case) -> Plan:
    plan = Plan.objects.select_for_update().filter(case=case).first()
    if plan is None or plan.amendment_opened_on is None:
        raise ValidationError({"plan": errors.NO_AMENDMENT_OPEN})
    return plan_for_update(plan)


def amendments_propose(*, actor, case: Case, issued_on: datetime.date) -> PlanVersion:
    """Reg 22(2): the proposed amendments, frozen as a version of the plan, go to the family
    with their letter (15 days to comment, ask for a meeting or a school)."""
    require_plan_role(actor)
    _plan_being_amended(case)
    version = version_issue(
        actor=actor, case=case, kind=VersionKind.AMENDMENTS, issued_on=issued_on
    )
    letters_write(actor=actor, case=case, kind=LetterKind.AMENDMENTS_PROPOSED, decided_on=issued_on)
    return version


def check_amended_plan(case: Case) -> Plan:
    """Refuse the amended plan while a comment is unanswered or section I names no setting."""
    plan = _plan_being_amended(case)
    proposed = latest_draft(plan)
    if (
        proposed is None
        or proposed.kind != VersionKind.AMENDMENTS
        or (proposed.issued_on < plan.amendment_opened_on)
    ):
        raise ValidationError({"plan": errors.NO_AMENDMENTS_PROPOSED})
    count = unanswered_comments(plan)
    if count:
        raise ValidationError(
            {
                "plan": errors.AMENDMENT_COMMENTS_UNANSWERED.format(
                    count=count, verb="has" if count == 1 else "have"
                )
            }
        )
    if not plan.setting_name.strip():
        raise ValidationError({"plan": errors.NO_SETTING_NAMED})
    return plan


def amended_plan_issue(
    *, actor, case: Case, issued_on: datetime.date
) -> tuple[PlanVersion, DecisionNotice]:
    """Reg 22(3)-(4): the amended plan, frozen as a version naming the setting, with its letter
    and the family's appeal rights; the plan is closed to edits again."""
    require_plan_role(actor)
    plan = check_amended_plan(case)
    version = version_issue(actor=actor, case=case, kind=VersionKind.AMENDED, issued_on=issued_on)
    letters = letters_write(
        actor=actor,
        case=case,
        kind=LetterKind.AMENDED_PLAN,
        decided_on=issued_on,
        setting_name=plan.setting_name,
    )
    Plan.objects.filter(pk=plan.pk).update(amendment_opened_on=None)
    return version, letters[0].notice


def _comment_create(
    *,
    actor,
    plan: Plan,
    draft: PlanVersion,
    section: str,
    text: str,
    source: str,
    received_on: datetime.date,
    kind: str,
) -> FamilyComment:
    """The one way a comment on a draft is made, by a caseworker recording it or by the family
    online: validated, saved and audited."""
    if not section:
        raise ValidationError({"section": errors.COMMENT_SECTION_REQUIRED})
    if not source:
        raise ValidationError({"source": errors.COMMENT_SOURCE_REQUIRED})
    comment = FamilyComment(
        plan=plan,
        version=draft,
        kind=kind or "comment",
        section=section,
        text=_required(text, "text", errors.COMMENT_TEXT_REQUIRED),
        source=source,
        received_on=received_on,
        recorded_by=actor,
    )
    comment.full_clean()
    comment.save()
    audit_record(
        actor=actor,
        verb="plan.comment_recorded",
        target=comment,
        case=plan.case,
        effective_date=received_on,
        payload={"section": section, "kind": comment.kind, "source": source},
    )
    return comment


@transaction.atomic
def comment_record(
    *,
    actor,
    plan: Plan,
    section: str,
    text: str,
    source: str,
    received_on: datetime.date,
    kind: str = "comment",
    today: datetime.date | None = None,
) -> FamilyComment:
    """s38: what the family said about the latest draft (by letter, email or at a meeting)."""
    require_plan_role(actor)
    if source == CommentSource.PORTAL:
        raise ValidationError({"source": errors.COMMENT_SOURCE_PORTAL})
    plan = plan_for_update(plan)
    draft = latest_draft(plan)
    if draft is None:
        raise ValidationError({"plan": errors.NOT_A_DRAFT})
    if received_on > (today or _today()):
        raise ValidationError({"received_on": errors.COMMENT_RECEIVED_IN_FUTURE})
    return _comment_create(
        actor=actor,
        plan=plan,
        draft=draft,
        section=section,
        text=text,
        source=source,
        received_on=received_on,
        kind=kind,
    )


def open_draft(plan: Plan) -> PlanVersion | None:
    """The draft the family may comment on: the plan's latest version, while it is a draft and
    the case is waiting for the family (s38). A draft being revised, or a final plan, has none."""
    if plan.case.status != CaseStatus.DRAFT_ISSUED:
        return None
    latest = plan.versions.defer("html", "pdf").order_by("-number").first()
    if latest is None or latest.kind != VersionKind.DRAFT:
        return None
    return latest


def _caseworker_contact(case: Case) -> str:
    caseworker = case.caseworker
    if caseworker is not None and caseworker.email:
        name = caseworker.get_full_name() or "your caseworker"
        return f" ({name}, {caseworker.email})"
    return " or the special educational needs team"


@transaction.atomic
def comment_submit_online(
    *,
    user,
    plan: Plan,
    comments: list[dict],
    today: datetime.date | None = None,
) -> list[FamilyComment]:
    """s38: the family's own comments on the draft, a request for a meeting or the school they
    ask for, through the portal, while their 15 days are open (the day served is day 1, so the
    last day is plans.deadlines.comments_due). Each becomes a comment of the plan, answered on
    the plan page like one that came by letter. Refused whole after the window, with the date
    it closed and how to reach the caseworker. The caller has checked the family may see the
    case (families.selectors); `comments` is [{"section", "text", "kind"}]."""
    today = today or _today()
    plan = plan_for_update(plan)
    draft = latest_draft(plan)
    if draft is None:
        raise ValidationError({"plan": errors.COMMENT_NO_OPEN_DRAFT})
    closes_on = deadlines.comments_due(draft.issued_on)
    if open_draft(plan) is None or today > closes_on:
        raise ValidationError(
            {
                "plan": errors.COMMENT_WINDOW_CLOSED.format(
                    closed=f"{closes_on:%-d %B %Y}", contact=_caseworker_contact(plan.case)
                )
            }
        )
    if not comments:
        raise ValidationError({"text": errors.COMMENT_TEXT_REQUIRED})
    created = [
        _comment_create(
            actor=user,
            plan=plan,
            draft=draft,
            section=item["section"],
            text=item["text"],
            source=CommentSource.PORTAL,
            received_on=today,
            kind=item.get("kind", "comment"),
        )
        for item in comments
    ]
    # The caseworker hears of the batch at once, in its transaction (issue 16).
    family_responded_notify(plan=plan, comments=created, today=today)
    return created


@transaction.atomic
def comment_answer(
    *,
    actor,
    comment: FamilyComment,
    answer: str,
    answer_text: str = "",
    answered_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> FamilyComment:
    """Accepted (the next version makes the change, linked when it is issued) or not accepted,
    with the reason: refused without one."""
    require_plan_role(actor)
    today = today or _today()
    comment = (
        FamilyComment.objects.select_for_update().select_related("plan__case").get(pk=comment.pk)
    )
    if comment.answer:
        raise ValidationError({"answer": errors.ALREADY_ANSWERED})
    if answer not in CommentAnswer.values:
        raise ValidationError({"answer": errors.ANSWER_REQUIRED})
    answer_text = (answer_text or "").strip()
    if answer == CommentAnswer.NOT_ACCEPTED and not answer_text:
        raise ValidationError({"answer_text": errors.NOT_ACCEPTED_NEEDS_REASON})
    answered_on = answered_on or today
    if answered_on > today:
        raise ValidationError({"answered_on": errors.DATE_IN_FUTURE})
    comment.answer = answer
    comment.answer_text = answer_text
    comment.answered_on = answered_on
    comment.answered_by = actor
    comment.save(update_fields=["answer", "answer_text", "answered_on", "answered_by"])
    audit_record(
        actor=actor,
        verb="plan.comment_answered",
        target=comment,
        case=comment.plan.case,
        to_state=answer,
        effective_date=answered_on,
        reason=answer_text,
    )
    return comment


def unanswered_comments(plan: Plan) -> int:
    return plan.comments.filter(answer="").count()


@transaction.atomic
def consultation_send(
    *,
    actor,
    plan: Plan,
    setting_name: str,
    setting_type: str = "",
    contact_email: str = "",
    sent_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Consultation:
    """s39: consult a school or college, with the draft, on being named; 15 days to respond."""
    require_plan_role(actor)
    today = today or _today()
    plan = plan_for_update(plan)
    if latest_draft(plan) is None:
        raise ValidationError({"plan": errors.CONSULTATION_NEEDS_DRAFT})
    sent_on = sent_on or today
    if sent_on > today:
        raise ValidationError({"sent_on": errors.DATE_IN_FUTURE})
    consultation = Consultation(
        plan=plan,
        setting_name=_required(setting_name, "setting_name", errors.CONSULTATION_NAME_REQUIRED),
        setting_type=(setting_type or "").strip(),
        contact_email=(contact_email or "").strip(),
        sent_on=sent_on,
        due_on=deadlines.consultation_due(sent_on),
        sent_by=actor,
    )
    consultation.full_clean()
    consultation.save()
    audit_record(
        actor=actor,
        verb="plan.consultation_sent",
        target=consultation,
        case=plan.case,
        effective_date=sent_on,
    )
    return consultation


@transaction.atomic
def consultation_respond(
    *,
    actor,
    consultation: Consultation,
    answer: str,
    responded_on: datetime.date | None,
    reasons: str = "",
    evidence: str = "",
    today: datetime.date | None = None,
) -> Consultation:
    require_plan_role(actor)
    today = today or _today()
    consultation = (
        Consultation.objects.select_for_update()
        .select_related("plan__case")
        .get(pk=consultation.pk)
    )
    if consultation.answer:
        raise ValidationError({"answer": errors.ALREADY_RESPONDED})
    if answer not in ("can_meet", "cannot_meet"):
        raise ValidationError({"answer": errors.RESPONSE_ANSWER_REQUIRED})
    if responded_on is None:
        raise ValidationError({"responded_on": errors.RESPONSE_DATE_REQUIRED})
    if responded_on > today:
        raise ValidationError({"responded_on": errors.RESPONSE_DATE_IN_FUTURE})
    if responded_on < consultation.sent_on:
        raise ValidationError({"responded_on": errors.RESPONSE_DATE_BEFORE_SENT})
    reasons = (reasons or "").strip()
    if answer == "cannot_meet" and not reasons:
        raise ValidationError({"reasons": errors.CANNOT_MEET_NEEDS_REASONS})
    consultation.answer = answer
    consultation.responded_on = responded_on
    consultation.reasons = reasons
    consultation.evidence = (evidence or "").strip()
    consultation.recorded_by = actor
    consultation.save()
    audit_record(
        actor=actor,
        verb="plan.consultation_answered",
        target=consultation,
        case=consultation.plan.case,
        to_state=answer,
        effective_date=responded_on,
        reason=reasons,
    )
    return consultation


@transaction.atomic
def consultation_chase(
    *, actor, consultation: Consultation, today: datetime.date | None = None
) -> Consultation:
    """A reminder to a school or college that has not yet answered (recorded and audited)."""
    require_plan_role(actor)
    today = today or _today()
    consultation = (
        Consultation.objects.select_for_update()
        .select_related("plan__case")
        .get(pk=consultation.pk)
    )
    if consultation.answer:
        raise ValidationError({"answer": errors.ALREADY_RESPONDED})
    consultation.last_chased_on = today
    consultation.times_chased += 1
    consultation.save(update_fields=["last_chased_on", "times_chased"])
    audit_record(
        actor=actor,
        verb="plan.consultation_chased",
        target=consultation,
        case=consultation.plan.case,
        effective_date=today,
    )
    return consultation
