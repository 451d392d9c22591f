"""Retention (UK GDPR art. 5(1)(e) storage limitation, art. 18 restriction; decision 0064).

A child's record is kept until date of birth + EHC_RETENTION_YEARS_AFTER_BIRTH years (31 by
default: an EHC plan ends by 25, and the council's schedule keeps the file six years more).
The day after, the nightly task restricts it: it is shown to no one (cases.visibility). Once it
has been restricted for EHC_RETENTION_RESTRICTED_DAYS days it is deleted with everything held
about the child (security.child_erasure), one transaction per child. A child with a case still
open is never restricted or deleted: it is held and reported, for a person to look at.

Every run leaves a RetentionRun (child ids and case references only) and an audit entry for
each restriction and deletion, about the run, never naming the child. Safe to run twice: a
second run the same day finds nothing new to do and writes nothing.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases import deadlines
from cases.models import OPEN_STATUSES, Case, Child

from .child_erasure import erase_rows, erasure_plan, remove_documents
from .models import RetentionRun

logger = logging.getLogger(__name__)

HELD_OPEN_CASE = "a case is still open: an EHC plan ends by 25, so a person must check the record"
HELD_NOT_PAST = "no longer past retention (date of birth changed?): a person must check the record"


# --- The policy: pure functions of dates ---------------------------------------------------


def retention_ends_on(date_of_birth: datetime.date, years: int) -> datetime.date:
    """The last day the record is kept: the child's `years`th birthday (born on 29 February:
    1 March in a year without one), so the record is never restricted a day early."""
    return deadlines.birthday(date_of_birth, years)


def is_past_retention(date_of_birth: datetime.date, today: datetime.date, years: int) -> bool:
    return today > retention_ends_on(date_of_birth, years)


def deletion_due_on(restricted_on: datetime.date, restricted_days: int) -> datetime.date:
    return restricted_on + datetime.timedelta(days=restricted_days)


@dataclass(frozen=True)
class Policy:
    years: int
    restricted_days: int

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            years=settings.EHC_RETENTION_YEARS_AFTER_BIRTH,
            restricted_days=settings.EHC_RETENTION_RESTRICTED_DAYS,
        )


# --- The report ----------------------------------------------------------------------------


@dataclass
class RetentionReport:
    """What a run did (or, for a dry run, would do). Child ids and case references only."""

    run_on: datetime.date
    dry_run: bool = False
    restricted: list[dict] = field(default_factory=list)
    deleted: list[dict] = field(default_factory=list)
    held: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    run: RetentionRun | None = None
    #: True when a run today had already done everything there was to do: nothing written.
    nothing_new: bool = False

    def counts(self) -> dict[str, int]:
        return {
            "restricted": len(self.restricted),
            "deleted": len(self.deleted),
            "held": len(self.held),
            "failed": len(self.failed),
        }


# --- Reading what is due -------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionPlan:
    to_restrict: list[int]
    to_delete: list[int]
    held: list[dict]
    restricted_cases: dict[int, list[str]]


def _case_references(child_ids) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Child id -> every case reference, and child id -> open case references (one query)."""
    every: dict[int, list[str]] = {}
    still_open: dict[int, list[str]] = {}
    rows = (
        Case.objects.filter(child_id__in=list(child_ids))
        .order_by("reference")
        .values_list("child_id", "reference", "status")
    )
    for child_id, reference, status in rows:
        every.setdefault(child_id, []).append(reference)
        if status in OPEN_STATUSES:
            still_open.setdefault(child_id, []).append(reference)
    return every, still_open


def retention_plan(*, today: datetime.date, policy: Policy) -> RetentionPlan:
    """Children to restrict today, restricted children due for deletion, and children held."""
    # Nobody born after the end of year (today.year - years) can be past it; the exact test
    # (29 February included) is the pure function, on this short list.
    born_by = datetime.date(today.year - policy.years, 12, 31)
    unrestricted = [
        pk
        for pk, born in Child.objects.filter(
            restricted_on__isnull=True, date_of_birth__lte=born_by
        ).values_list("pk", "date_of_birth")
        if is_past_retention(born, today, policy.years)
    ]
    restricted_by = today - datetime.timedelta(days=policy.restricted_days)
    due = list(
        Child.objects.filter(restricted_on__lte=restricted_by)
        .order_by("pk")
        .values_list("pk", "date_of_birth")
    )
    every, still_open = _case_references([*unrestricted, *(pk for pk, _ in due)])
    held = []
    to_restrict = []
    for pk in sorted(unrestricted):
        if pk in still_open:
            held.append(_held(pk, still_open[pk], HELD_OPEN_CASE))
        else:
            to_restrict.append(pk)
    to_delete = []
    for pk, born in due:
        if pk in still_open:
            held.append(_held(pk, still_open[pk], HELD_OPEN_CASE))
        elif not is_past_retention(born, today, policy.years):
            held.append(_held(pk, every.get(pk, []), HELD_NOT_PAST))
        else:
            to_delete.append(pk)
    return RetentionPlan(to_restrict, to_delete, held, every)


def _held(child_id: int, cases: list[str], reason: str) -> dict:
    return {"child_id": child_id, "cases": cases, "reason": reason}


# --- Writing: one transaction per child ----------------------------------------------------


def _locked_child(child_id: int) -> Child | None:
    return Child.objects.select_for_update().filter(pk=child_id).first()


def _open_references(child: Child) -> list[str]:
    return list(child.cases.open().order_by("reference").values_list("reference", flat=True))


def _references(child: Child) -> list[str]:
    return list(child.cases.order_by("reference").values_list("reference", flat=True))


@transaction.atomic
def child_restrict(
    *, child_id: int, run: RetentionRun, today: datetime.date, policy: Policy
) -> tuple[str, dict] | None:
    """Stage 1 (art. 18): from today the child's record is shown to no one. Re-checked under
    the child's lock; None when there is nothing (any longer) to do."""
    child = _locked_child(child_id)
    if child is None or child.restricted_on is not None:
        return None
    if not is_past_retention(child.date_of_birth, today, policy.years):
        return None
    still_open = _open_references(child)
    if still_open:
        return "held", _held(child.pk, still_open, HELD_OPEN_CASE)
    child.restricted_on = today
    child.save(update_fields=["restricted_on", "updated_at"])
    entry = {"child_id": child.pk, "cases": _references(child)}
    audit_record(
        actor=None,
        verb="retention.child_restricted",
        target=run,
        effective_date=today,
        payload=entry,
    )
    return "restricted", entry


@transaction.atomic
def child_delete(
    *, child_id: int, run: RetentionRun, today: datetime.date, policy: Policy
) -> tuple[str, dict] | None:
    """Stage 2 (art. 5(1)(e)): the child and everything held about them, in this one
    transaction; their documents' files once it has committed."""
    child = _locked_child(child_id)
    if child is None or child.restricted_on is None:
        return None
    if today < deletion_due_on(child.restricted_on, policy.restricted_days):
        return None
    still_open = _open_references(child)
    if still_open:
        return "held", _held(child.pk, still_open, HELD_OPEN_CASE)
    if not is_past_retention(child.date_of_birth, today, policy.years):
        return "held", _held(child.pk, _references(child), HELD_NOT_PAST)
    references = _references(child)
    plan = erasure_plan(child=child)
    rows = erase_rows(plan)
    entry = {
        "child_id": child_id,
        "cases": references,
        "rows": rows,
        "documents": len(plan.documents),
    }
    audit_record(
        actor=None,
        verb="retention.child_deleted",
        target=run,
        effective_date=today,
        payload=entry,
    )
    documents = list(plan.documents)
    transaction.on_commit(lambda: remove_documents(documents))
    return "deleted", entry


def _attempt(step, *, child_id: int, report: RetentionReport, **kwargs) -> None:
    """One child's step; a failure is reported and leaves that child as it was."""
    try:
        outcome = step(child_id=child_id, **kwargs)
    except Exception as exc:  # one child's failure must not stop the others: reported, logged
        logger.exception("Retention: child %s failed", child_id)
        report.failed.append({"child_id": child_id, "error": type(exc).__name__})
        return
    if outcome is not None:
        kind, entry = outcome
        getattr(report, kind).append(entry)


def retention_apply(
    *, today: datetime.date | None = None, dry_run: bool = False, policy: Policy | None = None
) -> RetentionReport:
    """Apply the policy as of `today`. A dry run reads only. A run that finds nothing to
    restrict or delete, on a day that already has a report, writes nothing."""
    today = today or timezone.localdate()
    policy = policy or Policy.from_settings()
    plan = retention_plan(today=today, policy=policy)
    report = RetentionReport(run_on=today, dry_run=dry_run, held=list(plan.held))
    if dry_run:
        report.restricted = [
            {"child_id": pk, "cases": plan.restricted_cases.get(pk, [])} for pk in plan.to_restrict
        ]
        report.deleted = [
            {"child_id": pk, "cases": plan.restricted_cases.get(pk, [])} for pk in plan.to_delete
        ]
        return report
    if (
        not (plan.to_restrict or plan.to_delete)
        and RetentionRun.objects.filter(run_on=today).exists()
    ):
        report.nothing_new = True
        return report
    run = RetentionRun.objects.create(run_on=today)
    context = {"report": report, "run": run, "today": today, "policy": policy}
    for child_id in plan.to_restrict:
        _attempt(child_restrict, child_id=child_id, **context)
    for child_id in plan.to_delete:
        _attempt(child_delete, child_id=child_id, **context)
    run.restricted = report.restricted
    run.deleted = report.deleted
    run.held = report.held
    run.failed = report.failed
    run.finished_at = timezone.now()
    run.save()
    report.run = run
    return report
