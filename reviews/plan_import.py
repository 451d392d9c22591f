"""Importing the plans a council already maintains (section 13), all or nothing.

A CSV with a header row, one active plan a row. Every problem is collected and reported as
`row N, column X: message` (the tracker import's machinery: reports.tracker_import), and a file
with any problem imports nothing. A child is matched by UPN when one is given and known here;
otherwise the row creates the child.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from audit.services import audit_entry, audit_record_many
from cases.models import Child, PrimaryNeed, upn_validator
from reports.sen2_codes import SENSetting
from reports.services import import_actor
from reports.tracker_import import (
    BAD_CHOICE,
    BAD_DATE,
    BEFORE,
    FUTURE_DATE,
    NO_ROWS,
    REQUIRED,
    TOO_LONG,
    RowError,
    TrackerFile,
    TrackerRow,
    _parse_date,
    csv_records,
)

from . import deadlines
from .models import ActivePlan
from .services import _plan_reference, plan_refresh_derived

COLUMNS = (
    "child_first_name",
    "child_last_name",
    "date_of_birth",
    "plan_start_date",
    "primary_need",
    "last_review_date",
    "setting_name",
    "setting_urn",
    "sen_setting",
    "phase_transfer_year",
    "phase_transfer",
    "secondary_needs",
    "upn",
    "transferred_in_from_la",
    "transferred_in_on",
    "caseworker",
    "reference",
)
REQUIRED_COLUMNS = COLUMNS[:5]
DATE_COLUMNS = ("date_of_birth", "plan_start_date", "last_review_date", "transferred_in_on")
NAME_MAX_LENGTH = 100

BAD_URN = "a URN is 6 digits."
BAD_UPN = "a UPN is 13 characters: a letter, 11 digits and a final digit or letter."
URN_AND_SETTING = "give a URN or an SEN setting code, not both."
BAD_YEAR = "'{value}' is not a year between 2014 and 2050."
YEAR_WITHOUT_TRANSFER = "give the phase_transfer this year is for."
DUPLICATE_CHILD_IN_FILE = "this child is also on row {other_row}: a child has one active plan."
CHILD_HAS_PLAN = "this child already has an active plan here."
DUPLICATE_REFERENCE = "reference '{value}' is already used."
UNKNOWN_CASEWORKER = "no active caseworker called '{value}'."
TRANSFER_PAIR = "give both transferred_in_from_la and transferred_in_on, or neither."
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,29}$")


@dataclass(frozen=True)
class PlanImportResult:
    plans: int
    children_created: int
    dry_run: bool


class PlanImportError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


def read_plans(raw: bytes, *, today: datetime.date) -> TrackerFile:
    result = TrackerFile()
    records, file_errors = csv_records(raw, columns=COLUMNS, required=REQUIRED_COLUMNS)
    result.errors.extend(file_errors)
    if result.errors and not records:
        return result
    for number, raw_values in records:
        row, errors = _parse_row(number, raw_values, today)
        result.errors.extend(errors)
        result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "-", NO_ROWS))
    result.errors.extend(_check_database(result.rows))
    result.errors.sort(
        key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else -1)
    )
    return result


def _parse_row(number: int, raw: dict, today: datetime.date):
    errors: list[RowError] = []

    def error(column, message):
        errors.append(RowError(number, column, message))

    v = {name: raw.get(name, "") for name in COLUMNS}
    for name in REQUIRED_COLUMNS:
        if not v[name]:
            error(name, REQUIRED)
    for name in ("child_first_name", "child_last_name"):
        if len(v[name]) > NAME_MAX_LENGTH:
            error(name, TOO_LONG.format(limit=NAME_MAX_LENGTH))
    for name in DATE_COLUMNS:
        if v[name]:
            parsed = _parse_date(v[name])
            if parsed is None:
                error(name, BAD_DATE.format(value=v[name]))
            elif parsed > today:
                error(name, FUTURE_DATE.format(value=parsed.isoformat()))
            v[name] = parsed
        else:
            v[name] = None
    _parse_codes(v, error)
    _check_order(v, error)
    if bool(v["transferred_in_from_la"]) != bool(v["transferred_in_on"]):
        error("transferred_in_on", TRANSFER_PAIR)
    return TrackerRow(row=number, values=v), errors


def _parse_codes(v: dict, error) -> None:
    needs = PrimaryNeed.values
    v["primary_need"] = v["primary_need"].upper()
    if v["primary_need"] and v["primary_need"] not in needs:
        error("primary_need", BAD_CHOICE.format(value=v["primary_need"], choices=", ".join(needs)))
    secondary = [n.upper() for n in re.split(r"[;, ]+", v["secondary_needs"]) if n]
    for need in secondary:
        if need not in needs:
            error("secondary_needs", BAD_CHOICE.format(value=need, choices=", ".join(needs)))
    v["secondary_needs"] = secondary
    if v["setting_urn"] and not re.fullmatch(r"\d{6}", v["setting_urn"]):
        error("setting_urn", BAD_URN)
    v["sen_setting"] = v["sen_setting"].upper()
    if v["sen_setting"] and v["sen_setting"] not in SENSetting.values:
        choices = ", ".join(SENSetting.values)
        error("sen_setting", BAD_CHOICE.format(value=v["sen_setting"], choices=choices))
    if v["setting_urn"] and v["sen_setting"]:
        error("sen_setting", URN_AND_SETTING)
    v["upn"] = v["upn"].upper()
    if v["upn"]:
        try:
            upn_validator(v["upn"])
        except Exception:  # noqa: BLE001 - Django's ValidationError: reported by row
            error("upn", BAD_UPN)
    transfers = [t.value for t in deadlines.PhaseTransfer]
    v["phase_transfer"] = v["phase_transfer"].lower()
    if v["phase_transfer"] and v["phase_transfer"] not in transfers:
        error(
            "phase_transfer",
            BAD_CHOICE.format(value=v["phase_transfer"], choices=", ".join(transfers)),
        )
    year = v["phase_transfer_year"]
    if year:
        if not (year.isdigit() and 2014 <= int(year) <= 2050):
            error("phase_transfer_year", BAD_YEAR.format(value=year))
            v["phase_transfer_year"] = None
        else:
            v["phase_transfer_year"] = int(year)
            if not v["phase_transfer"]:
                error("phase_transfer", YEAR_WITHOUT_TRANSFER)
    else:
        v["phase_transfer_year"] = None
    if v["reference"] and not REFERENCE_PATTERN.match(v["reference"]):
        error("reference", BAD_CHOICE.format(value=v["reference"], choices="letters and digits"))


def _check_order(v: dict, error) -> None:
    order = ("date_of_birth", "plan_start_date", "last_review_date")
    for earlier, later in zip(order, order[1:], strict=False):
        if v[earlier] and v[later] and v[later] < v[earlier]:
            error(later, BEFORE.format(value=v[later], other=earlier, other_value=v[earlier]))


def _child_key(row: TrackerRow):
    if row.upn:
        return ("upn", row.upn)
    return ("name", row.child_first_name.lower(), row.child_last_name.lower(), row.date_of_birth)


def _check_database(rows: list[TrackerRow]) -> list[RowError]:
    """Within the file and against the database: one plan per child, unique references,
    caseworkers who exist. A fixed number of queries whatever the file's size."""
    errors = []
    seen: dict = {}
    for row in rows:
        key = _child_key(row)
        if key in seen:
            errors.append(
                RowError(
                    row.row, "child_first_name", DUPLICATE_CHILD_IN_FILE.format(other_row=seen[key])
                )
            )
        seen.setdefault(key, row.row)
    upns = {row.upn for row in rows if row.upn}
    with_plans = set(
        ActivePlan.objects.active().filter(child__upn__in=upns).values_list("child__upn", flat=True)
    )
    references = {row.reference for row in rows if row.reference}
    taken = set(
        ActivePlan.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    usernames = {row.caseworker for row in rows if row.caseworker}
    known = set(
        get_user_model()
        .objects.filter(username__in=usernames, is_active=True)
        .values_list("username", flat=True)
    )
    for row in rows:
        if row.upn in with_plans:
            errors.append(RowError(row.row, "upn", CHILD_HAS_PLAN))
        if row.reference in taken:
            errors.append(
                RowError(row.row, "reference", DUPLICATE_REFERENCE.format(value=row.reference))
            )
        if row.caseworker and row.caseworker not in known:
            errors.append(
                RowError(row.row, "caseworker", UNKNOWN_CASEWORKER.format(value=row.caseworker))
            )
    return errors


def plans_import(
    *, plans: TrackerFile, today: datetime.date, actor_username: str | None = None, dry_run=False
) -> PlanImportResult:
    """Write every plan of a checked file in one transaction, or nothing: children (matched by
    UPN or created), plans with their clocks, and one audit row per plan, marked imported."""
    if plans.errors:
        raise PlanImportError(plans.errors)
    with transaction.atomic():
        actor = import_actor(actor_username)
        upns = {row.upn for row in plans.rows if row.upn}
        children = {c.upn: c for c in Child.objects.filter(upn__in=upns)} if upns else {}
        new_children = []
        for row in plans.rows:
            if row.upn and row.upn in children:
                continue
            child = Child(
                first_name=row.child_first_name,
                last_name=row.child_last_name,
                date_of_birth=row.date_of_birth,
                upn=row.upn,
                current_setting=row.setting_name,
            )
            new_children.append(child)
            if row.upn:
                children[row.upn] = child
            row.values["child"] = child
        Child.objects.bulk_create(new_children, batch_size=1000)
        users = dict(
            get_user_model()
            .objects.filter(username__in={r.caseworker for r in plans.rows if r.caseworker})
            .values_list("username", "pk")
        )
        built = [_plan(row, children, users, today) for row in plans.rows]
        created = ActivePlan.objects.bulk_create(built, batch_size=1000)
        audit_record_many(
            [
                audit_entry(
                    actor=actor,
                    verb="active_plan.created",
                    target=plan,
                    effective_date=plan.start_date,
                    payload={"imported": True},
                )
                for plan in created
            ]
        )
        if dry_run:
            transaction.set_rollback(True)
    return PlanImportResult(plans=len(built), children_created=len(new_children), dry_run=dry_run)


def _plan(row: TrackerRow, children: dict, users: dict, today) -> ActivePlan:
    child = row.values.get("child") or children[row.upn]
    plan = ActivePlan(
        child=child,
        reference=row.reference or "",
        caseworker_id=users.get(row.caseworker),
        start_date=row.plan_start_date,
        last_review_meeting_on=row.last_review_date,
        setting_name=row.setting_name,
        setting_urn=row.setting_urn,
        sen_setting=row.sen_setting,
        primary_need=row.primary_need,
        secondary_needs=row.secondary_needs,
        phase_transfer=row.phase_transfer,
        phase_transfer_year=row.phase_transfer_year,
        transferred_in_from_la=row.transferred_in_from_la,
        transferred_in_on=row.transferred_in_on,
        imported=True,
    )
    if not plan.reference:
        plan.reference = _plan_reference(child, plan.start_date)
    plan_refresh_derived(plan, today=today)
    return plan
