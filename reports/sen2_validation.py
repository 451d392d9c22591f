"""Checks on the SEN2 rows before anything is written: every problem that would block the
return, per child, in words a caseworker can act on. A return with any problem is not written
(the export refuses; the manager's page lists them)."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass

from cases.deadlines import birthday

from .sen2_codes import (
    UKPRN_PATTERN,
    URN_PATTERN,
    AssessmentOutcome,
    RequestOutcome,
    RequestSource,
    ReviewOutcome,
    SENSetting,
    SENType,
)

#: A plan may be maintained up to the young person's 25th birthday (CFA 2014 s46).
MAXIMUM_AGE = 25
UPN_PATTERN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
LA_CODE_PATTERN = re.compile(r"^\d{3}$")

NO_NAME = "The child's surname and forename are both needed."
BAD_UPN = "The UPN '{value}' is not 13 characters (a letter, 11 digits, a digit or letter)."
BAD_CODE = "{item} '{value}' is not in the SEN2 code list."
NO_PLACEMENT = "The active plan names no setting: give the URN or an SEN setting code."
URN_AND_SETTING = "The placement has both a URN and an SEN setting code: keep one."
BAD_URN = "The URN '{value}' is not 6 digits."
BAD_UKPRN = "The UKPRN '{value}' is not 8 digits starting with 1."
TWO_ACTIVE = "The child has {count} active plans on the census date: one must cease."
OVER_AGE = "The young person was 25 before the census date: cease the plan (reason 1)."
START_BEFORE_REQUEST = "The plan starts ({start}) before its request was received ({received})."
REVIEW_OUTCOME_WITHOUT_DATE = "A review decision is recorded without the decision letter's date."
BAD_TRANSFER_LA = "TransferLA '{value}' is not the 3-digit code of an authority."
OUTCOME_DATE_MISSING = "{item} {value} needs its date."

#: The code lists as sets, read once (a Choices' `.values` builds a new list on every call).
REQUEST_SOURCES = frozenset(str(v) for v in RequestSource.values)
REQUEST_OUTCOMES = frozenset(RequestOutcome.values)
ASSESSMENT_OUTCOMES = frozenset(AssessmentOutcome.values)
REVIEW_OUTCOMES = frozenset(ReviewOutcome.values)
SEN_SETTINGS = frozenset(SENSetting.values)
SEN_TYPES = frozenset(SENType.values)
URN_RE = re.compile(URN_PATTERN)
UKPRN_RE = re.compile(UKPRN_PATTERN)


@dataclass(frozen=True)
class Sen2Problem:
    person_id: str
    child: str
    request_id: str
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.child} ({self.request_id or 'person'}), {self.item}: {self.message}"


def validate(modules: dict[str, list[dict]], *, census: datetime.date) -> list[Sen2Problem]:
    people = {row["PersonID"]: row for row in modules["person"]}
    person_of = {row["RequestID"]: row["PersonID"] for row in modules["requests"]}
    person_of |= {row["RequestID"]: row["PersonID"] for row in modules["named_plan"]}
    problems: list[Sen2Problem] = []

    def add(person_id, request_id, item, message):
        person = people.get(person_id, {})
        name = f"{person.get('Forename', '')} {person.get('Surname', '')}".strip()
        problems.append(Sen2Problem(person_id, name or "Unknown child", request_id, item, message))

    for row in modules["person"]:
        if not (row["Surname"] and row["Forename"]):
            add(row["PersonID"], "", "Surname", NO_NAME)
        if row["UPN"] and not UPN_PATTERN.match(row["UPN"]):
            add(row["PersonID"], "", "UPN", BAD_UPN.format(value=row["UPN"]))
    received = {}
    for row in modules["requests"]:
        received[row["RequestID"]] = row["ReceivedDate"]
        _code(add, row, "RequestSource", REQUEST_SOURCES)
        _code(add, row, "RequestOutcome", REQUEST_OUTCOMES)
        if row["RequestOutcome"] in (RequestOutcome.ASSESSED, RequestOutcome.NOT_ASSESSED):
            _needs_date(add, row, "RequestOutcome", "RequestOutcomeDate")
    for row in modules["assessment"]:
        row = {**row, "PersonID": person_of.get(row["RequestID"], "")}
        _code(add, row, "AssessmentOutcome", ASSESSMENT_OUTCOMES)
    for row in modules["named_plan"]:
        start, request_date = row["StartDate"], received.get(row["RequestID"])
        if request_date and start and start < request_date:
            add(
                row["PersonID"],
                row["RequestID"],
                "StartDate",
                START_BEFORE_REQUEST.format(start=start, received=request_date),
            )
    _check_active(modules, people, person_of, add, census)
    return sorted(problems, key=lambda p: (p.child, p.request_id, p.item))


def _code(add, row, item, values) -> None:
    if row[item] not in values:
        add(row["PersonID"], row["RequestID"], item, BAD_CODE.format(item=item, value=row[item]))


def _needs_date(add, row, item, date_item) -> None:
    if not row[date_item]:
        add(
            row["PersonID"],
            row["RequestID"],
            date_item,
            OUTCOME_DATE_MISSING.format(item=item, value=row[item]),
        )


def _check_active(modules, people, person_of, add, census) -> None:
    # 25 on or before the census date: born on or before this day (ISO dates compare as text).
    too_old_if_born_by = _born_by(census).isoformat()
    counts = Counter(row["PersonID"] for row in modules["active_plans"])
    for person_id, count in counts.items():
        if count > 1:
            add(person_id, "", "RequestID", TWO_ACTIVE.format(count=count))
    for row in modules["active_plans"]:
        person = people.get(row["PersonID"], {})
        born = person.get("PersonBirthDate")
        if born and born <= too_old_if_born_by:
            add(row["PersonID"], row["RequestID"], "CeaseDate", OVER_AGE)
        if row["ReviewOutcome"]:
            _code(add, row, "ReviewOutcome", REVIEW_OUTCOMES)
            if not row["LastReview"]:
                add(row["PersonID"], row["RequestID"], "LastReview", REVIEW_OUTCOME_WITHOUT_DATE)
        if row["TransferLA"] and not LA_CODE_PATTERN.match(row["TransferLA"]):
            add(
                row["PersonID"],
                row["RequestID"],
                "TransferLA",
                BAD_TRANSFER_LA.format(value=row["TransferLA"]),
            )
    for row in modules["placement_detail"]:
        person_id = person_of.get(row["RequestID"], "")
        _check_placement(add, person_id, row)
    for row in modules["sen_need"]:
        if row["SENtype"] not in SEN_TYPES:
            _code(
                add, {**row, "PersonID": person_of.get(row["RequestID"], "")}, "SENtype", SEN_TYPES
            )


def _born_by(census: datetime.date) -> datetime.date:
    """The latest birth date of someone 25 by the census date (29 February: 1 March rule)."""
    born = datetime.date(census.year - MAXIMUM_AGE, census.month, census.day)
    while birthday(born + datetime.timedelta(days=1), MAXIMUM_AGE) <= census:
        born += datetime.timedelta(days=1)
    return born


def _check_placement(add, person_id, row) -> None:
    request_id = row["RequestID"]
    if not (row["URN"] or row["UKPRN"] or row["SENSetting"]):
        add(person_id, request_id, "URN", NO_PLACEMENT)
    if row["URN"] and row["SENSetting"]:
        add(person_id, request_id, "SENSetting", URN_AND_SETTING)
    if row["URN"] and not URN_RE.match(row["URN"]):
        add(person_id, request_id, "URN", BAD_URN.format(value=row["URN"]))
    if row["UKPRN"] and not UKPRN_RE.match(row["UKPRN"]):
        add(person_id, request_id, "UKPRN", BAD_UKPRN.format(value=row["UKPRN"]))
    if row["SENSetting"] and row["SENSetting"] not in SEN_SETTINGS:
        add(
            person_id,
            request_id,
            "SENSetting",
            BAD_CODE.format(item="SENSetting", value=row["SENSetting"]),
        )
