"""Reads for the plan pages and API, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Length, Trim
from django.http import Http404

from advice_requests.models import AdviceStatus, AdviceSubmission
from cases.models import Case, restricted_cases

from .letter_models import Letter
from .models import ITEM_MODELS, Consultation, FamilyComment, Plan, PlanVersion
from .quality import CHILD_VOICE_MIN_CHARS


def plan_of(case: Case) -> Plan | None:
    return Plan.objects.filter(case=case).select_related("case__child").first()


def plan_or_404(case: Case) -> Plan:
    plan = plan_of(case)
    if plan is None:
        raise Http404("No plan")
    return plan


def case_submissions(case: Case) -> QuerySet[AdviceSubmission]:
    """The advice submitted for this case: what plan statements may cite."""
    return (
        AdviceSubmission.objects.filter(
            advice_request__case=case, advice_request__status=AdviceStatus.SUBMITTED
        )
        .select_related("advice_request__service")
        .order_by("submitted_on", "id")
    )


def plan_item_or_404(plan: Plan, kind: str, item_id: int):
    """A need, outcome, provision entry or section K entry of this plan; any other is 404."""
    model = ITEM_MODELS.get(kind)
    item = model.objects.filter(plan=plan, pk=item_id).first() if model else None
    if item is None:
        raise Http404("No such item")
    return item


def plan_versions(plan: Plan) -> QuerySet[PlanVersion]:
    """Versions without their heavy columns (HTML and PDF are read one at a time)."""
    return plan.versions.defer("html", "pdf", "snapshot").order_by("number")


def version_get(plan: Plan, number: int) -> PlanVersion:
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version")
    return version


def plan_comments(plan: Plan) -> QuerySet[FamilyComment]:
    return plan.comments.select_related("version", "changed_in").order_by("received_on", "id")


def family_comments(plan: Plan, *, user) -> QuerySet[FamilyComment]:
    """The comments a family member sees with their answers: the ones they made online, and the
    ones the caseworker recorded from the family's letters, emails and meetings. Another family
    member's online comments are theirs (decision 0146)."""
    return plan_comments(plan).filter(~Q(source="portal") | Q(recorded_by=user))


def comment_get(plan: Plan, comment_id: int) -> FamilyComment:
    comment = plan.comments.filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment")
    return comment


def plan_consultations(plan: Plan) -> QuerySet[Consultation]:
    return plan.consultations.order_by("sent_on", "id")


def consultation_get(plan: Plan, consultation_id: int) -> Consultation:
    consultation = plan.consultations.filter(pk=consultation_id).first()
    if consultation is None:
        raise Http404("No such consultation")
    return consultation


def case_letters(case: Case) -> QuerySet[Letter]:
    return case.letters.select_related("notice").defer("html", "pdf").order_by("created_at", "id")


def letters_visible() -> QuerySet[Letter]:
    """Letters of children not restricted for retention (decision 0064)."""
    return Letter.objects.exclude(case_id__in=restricted_cases())


def unsent_letters() -> QuerySet[Letter]:
    return (
        letters_visible()
        .filter(sent_on__isnull=True)
        .select_related("notice", "case__child")
        .defer("html", "pdf")
        .order_by("notice__letter_due_on", "id")
    )


def letter_get(letter_id: int) -> Letter:
    letter = letters_visible().select_related("notice", "case").filter(pk=letter_id).first()
    if letter is None:
        raise Http404("No such letter")
    return letter


def family_letters(case: Case, *, parent_carer_id: int | None) -> QuerySet[Letter]:
    """The decision letters a family member may read online: those sent to them (a parent's by
    their `parent_carer_id`, the young person's when it is None), once sent. Another parent's
    copy carries that parent's address, so it is not shown (decision 0145)."""
    letters = case.letters.filter(sent_on__isnull=False)
    if parent_carer_id is None:
        letters = letters.filter(to_young_person=True)
    else:
        letters = letters.filter(recipient_id=parent_carer_id)
    return letters.select_related("notice").defer("html", "pdf").order_by("created_at", "id")


def issued_version_count(case: Case) -> int:
    return PlanVersion.objects.filter(plan__case=case).count()


def versions_with_snapshots(plan: Plan) -> list[PlanVersion]:
    """Every issued version with its snapshot (for what changed), oldest first (one query)."""
    return list(plan.versions.defer("html", "pdf").order_by("number"))


def section_k_submissions(plan: Plan) -> list[AdviceSubmission]:
    """The advice documents section K lists (reg 12(1)(k)), oldest first (one query)."""
    return list(
        AdviceSubmission.objects.filter(
            pk__in=plan.advice_listed.exclude(submission=None).values("submission_id")
        )
        .select_related("advice_request__service")
        .order_by("submitted_on", "id")
    )


def child_voice_share(*, year: int) -> dict:
    """The outcomes framework's measure: of the final plans issued in the year, how many
    meaningfully include the child's voice (section A holds their own views of at least
    CHILD_VOICE_MIN_CHARS characters; decision 0103). Two counts, whatever the number of plans."""
    plans = (
        Plan.objects.filter(versions__kind="final", versions__issued_on__year=year)
        .exclude(case_id__in=restricted_cases())
        .distinct()
    )
    total = plans.count()
    with_voice = (
        plans.annotate(voice=Length(Trim("child_views")))
        .filter(voice__gte=CHILD_VOICE_MIN_CHARS)
        .count()
    )
    return {
        "year": year,
        "plans": total,
        "with_voice": with_voice,
        "share": round(100 * with_voice / total) if total else None,
    }


__all__ = ["Count", "Prefetch", "Q"]
