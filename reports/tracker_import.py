"""Reading and checking a council's spreadsheet tracker before anything is written.

The file is a CSV with a header row. Every problem is collected (not just the first) and
reported as `row N, column X: message`, where N is the row number the council sees in their
spreadsheet: the header is row 1, the first case row 2. A file with any problem imports nothing
(reports.services.tracker_import), so the checks here are the whole of what can go wrong that
the case services would otherwise refuse half way through.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models.functions import Upper

from cases.models import Case, ExceptionGround, PrimaryNeed, RequestSource
from cases.roles import Role

COLUMNS = (
    "reference",
    "child_first_name",
    "child_last_name",
    "date_of_birth",
    "primary_need",
    "request_source",
    "received_on",
    "assessment_decision",
    "assessment_decision_on",
    "plan_decision",
    "plan_decision_on",
    "draft_issued_on",
    "final_issued_on",
    "exception_ground",
    "exception_agreed_on",
    "withdrawn_on",
    "withdrawn_reason",
    "caseworker",
)
#: Columns the header must have; the others may be left out (read as blank).
REQUIRED_COLUMNS = COLUMNS[:7]
DATE_COLUMNS = (
    "date_of_birth",
    "received_on",
    "assessment_decision_on",
    "plan_decision_on",
    "draft_issued_on",
    "final_issued_on",
    "exception_agreed_on",
    "withdrawn_on",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
DECISIONS = ("agreed", "declined")
REFERENCE_MAX_LENGTH = Case._meta.get_field("reference").max_length
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]*$")
NAME_MAX_LENGTH = 100

NOT_UTF8 = "the file is not UTF-8 text: save it from the spreadsheet as 'CSV UTF-8'."
EMPTY_FILE = "the file is empty: it needs a header row and at least one case."
NO_ROWS = "the file has a header row but no cases."
MISSING_COLUMN = "this column is required but is not in the header row."
UNKNOWN_COLUMN = "this is not a column the import knows (the columns are: {columns})."
DUPLICATE_COLUMN = "this column appears more than once in the header row."
EXTRA_CELLS = "this row has more cells than the header row has columns."
REQUIRED = "a value is required."
BAD_DATE = "'{value}' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY."
FUTURE_DATE = "{value} is in the future."
BEFORE = "{value} is before {other} ({other_value})."
BAD_CHOICE = "'{value}' is not one of: {choices}."
TOO_LONG = "this is longer than {limit} characters."
BAD_REFERENCE = (
    "a reference is letters and digits, optionally with - / _ . between them, "
    "at most {limit} characters."
)
DUPLICATE_IN_FILE = "reference '{value}' is also on row {other_row}."
DUPLICATE_IN_DATABASE = "a case with reference '{value}' already exists."
PAIR_MISSING = "give this when {other} is given."
NEEDS_AGREED = "a case can only have this when {other} is 'agreed'."
FINAL_NEEDS_DRAFT = "a final plan needs the date the draft was issued (draft_issued_on)."
CLOSED_BEFORE_WITHDRAWN = "a case whose {what} cannot be withdrawn."
REASON_WITHOUT_WITHDRAWAL = "give withdrawn_on with a reason, or leave both blank."
GROUND_NEEDED = "give the exception_ground that was agreed."
UNKNOWN_CASEWORKER = "no user called '{value}'."
NOT_A_CASEWORKER = "'{value}' is not an active caseworker or manager."

#: The case steps, in the order they happen, with the date column that records each.
STEP_DATES = ("assessment_decision_on", "plan_decision_on", "draft_issued_on", "final_issued_on")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class TrackerRow:
    """One case as the tracker records it, checked and parsed."""

    row: int
    values: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@dataclass
class TrackerFile:
    rows: list[TrackerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def csv_records(
    raw: bytes, *, columns=COLUMNS, required=REQUIRED_COLUMNS
) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """The file's rows as (spreadsheet row number, column -> stripped cell), and the problems
    with the file itself (encoding, header, extra cells). Shared by every CSV import (the
    tracker here, the active plans import in reviews.plan_import)."""
    errors: list[RowError] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "-", NOT_UTF8)]
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        return [], [RowError(1, "-", EMPTY_FILE)]
    header = [name.strip().lower() for name in records[0]]
    errors.extend(_check_header(header, columns=columns, required=required))
    if errors:
        return [], errors
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets export trailing blank rows
        if len(cells) > len(header):
            errors.append(RowError(number, "-", EXTRA_CELLS))
            continue
        rows.append((number, dict(zip(header, (cell.strip() for cell in cells), strict=False))))
    return rows, errors


def read_tracker(raw: bytes, *, today: datetime.date) -> TrackerFile:
    """Parse and check the whole file: header, every cell, every row, and the database."""
    result = TrackerFile()
    records, file_errors = csv_records(raw)
    result.errors.extend(file_errors)
    if result.errors and not records:
        return result
    for number, raw_values in records:
        row, errors = _parse_row(number, raw_values, today)
        result.errors.extend(errors)
        result.rows.append(row)  # rows with errors too: they still get the database checks
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "-", NO_ROWS))
    result.errors.extend(_check_references(result.rows))
    result.errors.extend(_check_caseworkers(result.rows))
    result.errors.sort(key=lambda e: (e.row, _column_order(e.column)))
    return result


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else -1


def _check_header(
    header: list[str], *, columns=COLUMNS, required=REQUIRED_COLUMNS
) -> list[RowError]:
    errors = []
    seen = set()
    for name in header:
        if name not in columns:
            errors.append(
                RowError(1, name or "(blank)", UNKNOWN_COLUMN.format(columns=", ".join(columns)))
            )
        elif name in seen:
            errors.append(RowError(1, name, DUPLICATE_COLUMN))
        seen.add(name)
    errors.extend(RowError(1, name, MISSING_COLUMN) for name in required if name not in seen)
    return errors


def _parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def _parse_row(number: int, raw: dict, today: datetime.date):
    errors: list[RowError] = []

    def error(column, message):
        errors.append(RowError(number, column, message))

    values = {name: raw.get(name, "") for name in COLUMNS}
    given = {name: bool(values[name]) for name in COLUMNS}
    for name in REQUIRED_COLUMNS:
        if not values[name]:
            error(name, REQUIRED)
    _parse_text(values, error)
    for name in DATE_COLUMNS:
        if values[name]:
            parsed = _parse_date(values[name])
            if parsed is None:
                error(name, BAD_DATE.format(value=values[name]))
            elif parsed > today:
                error(name, FUTURE_DATE.format(value=parsed.isoformat()))
            values[name] = parsed
        else:
            values[name] = None
    _check_decisions(values, given, error)
    _check_order(values, error)
    return TrackerRow(row=number, values=values), errors


def _parse_text(values: dict, error) -> None:
    reference = values["reference"]
    if reference and (
        len(reference) > REFERENCE_MAX_LENGTH or not REFERENCE_PATTERN.match(reference)
    ):
        error("reference", BAD_REFERENCE.format(limit=REFERENCE_MAX_LENGTH))
    for name in ("child_first_name", "child_last_name"):
        if len(values[name]) > NAME_MAX_LENGTH:
            error(name, TOO_LONG.format(limit=NAME_MAX_LENGTH))
    need = values["primary_need"].upper()
    if need and need not in PrimaryNeed.values:
        error("primary_need", BAD_CHOICE.format(value=need, choices=", ".join(PrimaryNeed.values)))
    values["primary_need"] = need
    source = values["request_source"]
    if source:
        if source.isdigit() and int(source) in RequestSource.values:
            values["request_source"] = int(source)
        else:
            codes = ", ".join(str(v) for v in RequestSource.values)
            error("request_source", BAD_CHOICE.format(value=source, choices=codes))
    for name in ("assessment_decision", "plan_decision"):
        values[name] = values[name].lower()
        if values[name] and values[name] not in DECISIONS:
            error(name, BAD_CHOICE.format(value=values[name], choices=", ".join(DECISIONS)))
    ground = values["exception_ground"].lower()
    if ground and ground not in ExceptionGround.values:
        error(
            "exception_ground",
            BAD_CHOICE.format(value=ground, choices=", ".join(ExceptionGround.values)),
        )
    values["exception_ground"] = ground


def _check_decisions(v: dict, given: dict, error) -> None:
    """A decision needs its date and the other way round; later steps need the earlier ones
    agreed; a final plan needs a draft; a closed case cannot be withdrawn. Works on what the
    cells hold (`given`), so a mistyped date is reported once, as a bad date."""
    for decision in ("assessment_decision", "plan_decision"):
        on = f"{decision}_on"
        if given[decision] and not given[on]:
            error(on, PAIR_MISSING.format(other=decision))
        if given[on] and not given[decision]:
            error(decision, PAIR_MISSING.format(other=on))
    assessed = v["assessment_decision"] == "agreed"
    for name in ("plan_decision", "plan_decision_on", "draft_issued_on", "final_issued_on"):
        if given[name] and not assessed:
            error(name, NEEDS_AGREED.format(other="assessment_decision"))
    plan_agreed = v["plan_decision"] == "agreed"
    if assessed:
        for name in ("draft_issued_on", "final_issued_on"):
            if given[name] and not plan_agreed:
                error(name, NEEDS_AGREED.format(other="plan_decision"))
    if given["final_issued_on"] and not given["draft_issued_on"]:
        error("final_issued_on", FINAL_NEEDS_DRAFT)
    if given["withdrawn_on"]:
        closed = _closed_by(v, given)
        if closed:
            error("withdrawn_on", CLOSED_BEFORE_WITHDRAWN.format(what=closed))
        if not given["withdrawn_reason"]:
            error("withdrawn_reason", PAIR_MISSING.format(other="withdrawn_on"))
    elif given["withdrawn_reason"]:
        error("withdrawn_on", REASON_WITHOUT_WITHDRAWAL)
    if given["exception_agreed_on"] and not given["exception_ground"]:
        error("exception_ground", GROUND_NEEDED)


def _closed_by(v: dict, given: dict) -> str:
    if v["assessment_decision"] == "declined":
        return "assessment was declined"
    if v["plan_decision"] == "declined":
        return "plan was declined"
    if given["final_issued_on"]:
        return "final plan was issued"
    return ""


def _check_order(v: dict, error) -> None:
    """Dates in the order things happen (equal dates allowed): born, received, each step, and
    a withdrawal after the last step; an exception is agreed after the request arrived."""
    previous_name, previous = "date_of_birth", v["date_of_birth"]
    for name in ("received_on", *STEP_DATES, "withdrawn_on"):
        value = v[name]
        if value is None:
            continue
        if previous is not None and value < previous:
            error(name, BEFORE.format(value=value, other=previous_name, other_value=previous))
        previous_name, previous = name, value
    received, agreed = v["received_on"], v["exception_agreed_on"]
    if agreed and received and agreed < received:
        error(
            "exception_agreed_on",
            BEFORE.format(value=agreed, other="received_on", other_value=received),
        )


def _check_references(rows: list[TrackerRow]) -> list[RowError]:
    """Unique in the file and against every case already held, ignoring letter case (staff
    would not tell EHC-1 from ehc-1 apart on a letter)."""
    errors = []
    first_seen: dict[str, int] = {}
    for row in rows:
        key = row.reference.upper()
        if not key:
            continue
        if key in first_seen:
            errors.append(
                RowError(
                    row.row,
                    "reference",
                    DUPLICATE_IN_FILE.format(value=row.reference, other_row=first_seen[key]),
                )
            )
        else:
            first_seen[key] = row.row
    keys = list(first_seen)
    existing: set[str] = set()
    for start in range(0, len(keys), 500):
        existing.update(_held_references(keys[start : start + 500]))
    errors.extend(
        RowError(row.row, "reference", DUPLICATE_IN_DATABASE.format(value=row.reference))
        for row in rows
        if row.reference and row.reference.upper() in existing
    )
    return errors


def _held_references(keys: list[str]):
    """The references of cases already held among these (upper-cased) keys, upper-cased: a read
    of the index `case_reference_upper` (cases.models), not of every case."""
    return (
        Case.objects.annotate(key=Upper("reference"))
        .filter(key__in=keys)
        .values_list("key", flat=True)
    )


def _check_caseworkers(rows: list[TrackerRow]) -> list[RowError]:
    """Usernames name active caseworkers or managers (the people a case may be assigned to).
    Resolved users are kept on the row, so the import does not look them up again."""
    names = {row.caseworker for row in rows if row.caseworker}
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=names).prefetch_related("groups")
    }
    errors = []
    for row in rows:
        row.values["caseworker_user"] = None
        if not row.caseworker:
            continue
        user = users.get(row.caseworker)
        if user is None:
            errors.append(
                RowError(row.row, "caseworker", UNKNOWN_CASEWORKER.format(value=row.caseworker))
            )
            continue
        roles = {group.name for group in user.groups.all()}
        if not user.is_active or not (
            user.is_superuser or roles & {Role.CASEWORKER.value, Role.MANAGER.value}
        ):
            errors.append(
                RowError(row.row, "caseworker", NOT_A_CASEWORKER.format(value=row.caseworker))
            )
            continue
        user._ehc_roles = frozenset(roles)
        row.values["caseworker_user"] = user
    return errors
