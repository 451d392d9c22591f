"""The tracker import: each checked row replayed through the case state machine, all or nothing.

Replaying (rather than inserting rows with a status) keeps the rule of the foundation: a status
is reached only by the transitions, each checked by `cases.services.transition_apply` (the very
checks `case_transition` makes), and every step is in the audit trail, marked
`{"imported": true}`, with the import's actor. The rows are written in batches (decision 0042:
one `case_transition` call per step cannot import 10,000 rows in under a minute).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_entry, audit_record_many
from cases.errors import CaseError
from cases.models import Case, CaseException, Child, ReferenceSequence, cases_flag_for_recheck
from cases.roles import Role, has_role
from cases.services import case_build, start_of_day, transition_apply
from reviews.services import active_plans_from_issued_cases

from .tracker_import import RowError, TrackerFile, TrackerRow

#: The account imports run as when no --actor is given. It cannot log in (inactive, no
#: password); it holds the caseworker and manager roles so it may fire every step and record
#: the exceptions the council agreed before it used this system (decision 0041).
IMPORT_USERNAME = "tracker-import"

ACTOR_NOT_MANAGER = "The import must run as an active manager: '{username}' is not one."
ACTOR_UNKNOWN = "There is no user called '{username}'."
DECLINE_REASON = "Recorded in the council's tracker before this system was used (imported)."
EXCEPTION_NOTES = (
    "Imported from the council's tracker, which recorded the ground{agreed} but not the "
    "evidence or the dates the exception covered."
)

#: Rows replayed and written together: big enough to keep INSERTs few, small enough to keep
#: memory flat on a 10,000-row tracker.
BATCH_ROWS = 1000

#: The step each tracker column records, in the order a case moves.
STEPS = (
    ("assessment_decision_on", {"agreed": "agree_to_assess", "declined": "decline_to_assess"}),
    ("plan_decision_on", {"agreed": "agree_to_issue", "declined": "decline_to_issue"}),
    ("draft_issued_on", "issue_draft"),
    ("final_issued_on", "issue_final"),
    ("withdrawn_on", "withdraw"),
)


class ImportActorError(Exception):
    pass


class TrackerImportError(Exception):
    """A row the case services refused during the replay; nothing was imported."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    cases: int
    exceptions: int
    dry_run: bool


def import_actor(username: str | None = None):
    """The user the import runs as: a named active manager, or the system account."""
    users = get_user_model().objects
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise ImportActorError(ACTOR_UNKNOWN.format(username=username))
        if not (user.is_active and has_role(user, Role.MANAGER)):
            raise ImportActorError(ACTOR_NOT_MANAGER.format(username=username))
        return user
    user, created = users.get_or_create(
        username=IMPORT_USERNAME,
        defaults={"first_name": "Tracker", "last_name": "import", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(*Group.objects.filter(name__in=[Role.CASEWORKER, Role.MANAGER]))
    user._ehc_roles = None  # roles may just have changed: let has_role read them again
    return user


def _steps(row: TrackerRow) -> list[tuple[datetime.date, int, str, str]]:
    """(date, order, transition, reason) for each step the row records, in date order."""
    steps = []
    for order, (column, transition) in enumerate(STEPS):
        on = getattr(row, column)
        if on is None:
            continue
        if isinstance(transition, dict):
            transition = transition[getattr(row, column.removesuffix("_on"))]
        reason = row.withdrawn_reason if transition == "withdraw" else ""
        if transition.startswith("decline"):
            reason = DECLINE_REASON
        steps.append((on, order, transition, reason))
    return sorted(steps)


def _replay_batch(*, actor, rows: list[TrackerRow], today: datetime.date) -> tuple[int, list]:
    """Replay a batch of rows: every step checked by `transition_apply` (the same checks as
    `case_transition`), then children, cases, exceptions and their audit rows written in a
    few INSERTs. Returns how many exceptions were recorded, and the cases' ids.

    Transition hooks do not run: imported history sets nothing in motion (no advice is
    invented, no alert is sent about a deadline years past)."""
    children = []
    for row in rows:
        child = Child(
            first_name=row.child_first_name,
            last_name=row.child_last_name,
            date_of_birth=row.date_of_birth,
        )
        _checked(row, child.full_clean)
        children.append(child)
    Child.objects.bulk_create(children)
    cases, trails = [], []
    for row, child in zip(rows, children, strict=True):
        case, trail = _checked(row, _replay_case, actor=actor, row=row, child=child, today=today)
        cases.append(case)
        trails.append(trail)
    Case.objects.bulk_create(cases)
    cases_flag_for_recheck(case.pk for case in cases)  # the deadline sweep reads them (0190)
    exceptions = [
        _exception(actor=actor, row=row, case=case)
        for row, case in zip(rows, cases, strict=True)
        if row.exception_ground
    ]
    CaseException.objects.bulk_create(exceptions)
    entries = [audit_entry(actor=actor, verb="child.created", target=child) for child in children]
    for case, trail in zip(cases, trails, strict=True):
        entries.extend(audit_entry(actor=actor, target=case, case=case, **step) for step in trail)
    for exception in exceptions:
        entries.extend(_exception_audit(actor=actor, exception=exception))
    audit_record_many(entries)
    return len(exceptions), [case.pk for case in cases]


def _checked(tracker_row: TrackerRow, check, **kwargs):
    """Run a check; a refusal becomes this row's errors."""
    try:
        return check(**kwargs)
    except ValidationError as exc:
        raise TrackerImportError(_row_errors(tracker_row, exc)) from exc
    except CaseError as exc:
        raise TrackerImportError([RowError(tracker_row.row, "-", exc.message)]) from exc


def _replay_case(*, actor, row: TrackerRow, child, today: datetime.date):
    case = case_build(
        child=child,
        received_on=row.received_on,
        request_source=row.request_source,
        primary_need=row.primary_need,
        caseworker=row.caseworker_user,
        imported=True,
        today=today,
        reference=row.reference,
        check_database=False,
    )
    trail = [
        {
            "verb": "case.created",
            "to_state": case.status,
            "effective_date": row.received_on,
            "payload": {"imported": True},
        }
    ]
    payload = {"imported": True, "tracker_row": row.row}
    for on, _order, transition, reason in _steps(row):
        from_status = transition_apply(
            case, transition, actor=actor, effective_date=on, reason=reason, today=today
        )
        trail.append(
            {
                "verb": f"case.{transition}",
                "from_state": from_status,
                "to_state": case.status,
                "effective_date": on,
                "reason": reason,
                "payload": payload,
            }
        )
    return case, trail


def _exception(*, actor, row: TrackerRow, case: Case) -> CaseException:
    """The exception as `exception_propose` (and, with a date, `exception_agree`) record it."""
    agreed_on = row.exception_agreed_on
    exception = CaseException(
        case=case,
        ground=row.exception_ground,
        starts_on=row.received_on,
        notes=EXCEPTION_NOTES.format(agreed=" and the date it was agreed" if agreed_on else ""),
        proposed_by=actor,
        agreed_by=actor if agreed_on else None,
        agreed_at=start_of_day(agreed_on) if agreed_on else None,
    )
    exception.full_clean(exclude=["case", "proposed_by", "agreed_by"], validate_constraints=False)
    return exception


def _exception_audit(*, actor, exception: CaseException):
    yield audit_entry(
        actor=actor,
        verb="case.exception_proposed",
        target=exception,
        case=exception.case,
        effective_date=exception.starts_on,
        reason=exception.notes,
        payload={
            "ground": exception.ground,
            "starts_on": str(exception.starts_on),
            "ends_on": None,
        },
    )
    if exception.is_agreed:
        yield audit_entry(
            actor=actor,
            verb="case.exception_agreed",
            target=exception,
            case=exception.case,
            effective_date=timezone.localdate(exception.agreed_at),
            payload={"ground": exception.ground},
        )


def _reserve_generated_references(rows: list[TrackerRow]) -> None:
    """A council reference shaped like ours (EHC-2019-00042) reserves that number, so a case
    logged later is never given a reference an imported case already holds (decision 0041)."""
    pattern = re.compile(rf"^{re.escape(settings.EHC_REFERENCE_PREFIX)}-(\d{{4}})-(\d+)$")
    highest: dict[int, int] = {}
    for row in rows:
        match = pattern.match(row.reference)
        if match:
            year, number = int(match[1]), int(match[2])
            highest[year] = max(highest.get(year, 0), number)
    for year, number in highest.items():
        sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
        if sequence.last_number < number:
            sequence.last_number = number
            sequence.save(update_fields=["last_number"])


def tracker_import(
    *,
    actor_username: str | None = None,
    tracker: TrackerFile,
    today: datetime.date,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import every row of a checked tracker file in one transaction, or nothing.

    Rows are replayed in the order their requests were received, as `actor_username` (an
    active manager) or the system account. A dry run does all the same work, so it finds
    anything the case services would refuse, then rolls it all back (the system account too).
    Raises TrackerImportError (nothing written) if the file has errors or a row is refused,
    and ImportActorError if the named actor may not import.
    """
    if tracker.errors:
        raise TrackerImportError(tracker.errors)
    rows = sorted(tracker.rows, key=lambda r: (r.received_on, r.row))
    exceptions, imported = 0, []
    with transaction.atomic():
        actor = import_actor(actor_username)
        for start in range(0, len(rows), BATCH_ROWS):
            batch = rows[start : start + BATCH_ROWS]
            batch_exceptions, case_ids = _replay_batch(actor=actor, rows=batch, today=today)
            exceptions += batch_exceptions
            imported += case_ids
            if progress:
                progress(start + len(batch), len(rows))
        _reserve_generated_references(rows)
        # A final plan issued is a plan the council maintains (section 13): imported ones too.
        # Only this file's cases: every issued case in the database took 280 s at 1,000,000
        # cases, and cases issued before active plans existed have their own command
        # (`manage.py active_plans_from_cases`).
        active_plans_from_issued_cases(actor=actor, today=today, case_ids=imported)
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(cases=len(rows), exceptions=exceptions, dry_run=dry_run)


def _row_errors(row: TrackerRow, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(row.row, name, message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(row.row, "-", message) for message in exc.messages]
