"""Every SEN2 code list this system writes, in one place.

CAVEAT: these lists were read from secondary copies of the DfE guide's text ("Special
educational needs survey: guide to person-level SEN2 return", 2025 v1.4 and 2026) - a data-model
project that quotes it and vendors' help pages - not from the guide itself
(../shared/domain/sen2.md). Check them against the current year's guide before a return, and
correct them here: every export, form and check reads them from this module.
"""

from __future__ import annotations

from django.db import models

#: Census dates (mid-January): the return covers plans active on this day.
CENSUS_DATES = {
    2023: (1, 19),
    2024: (1, 18),
    2025: (1, 16),
    2026: (1, 15),
    2027: (1, 21),
}
#: Used for a year with no date recorded above: the third Thursday of January (all five above).
DEFAULT_CENSUS_WEEKDAY = 3


class RequestSource(models.IntegerChoices):
    """Module 2 `RequestSource` (the same values as cases.models.RequestSource)."""

    PARENT_OR_YOUNG_PERSON = 1, "Young person or parent"
    EDUCATION_SETTING = 2, "School or other education setting"
    HEALTH = 3, "Health care professionals"
    SOCIAL_CARE = 4, "Social care professionals"
    OTHER = 5, "Other"


class RequestOutcome(models.TextChoices):
    """Module 2 `RequestOutcome`."""

    ASSESSED = "Y", "The authority proceeded with an assessment"
    NOT_ASSESSED = "N", "Decided not to assess"
    PENDING = "A", "Decision yet to be made"
    WITHDRAWN = "W", "Withdrawn or ceased before the decision to assess"
    HISTORICAL = "H", "Decision made before this collection's period"


class AssessmentOutcome(models.TextChoices):
    """Module 3 `AssessmentOutcome`."""

    PLAN = "Y", "Decided a plan would be issued"
    NO_PLAN = "N", "Decided a plan would not be issued"
    PENDING = "A", "Decision not yet made"
    WITHDRAWN = "W", "Withdrawn or ceased before the decision whether to issue"
    HISTORICAL = "H", "Historical"


class CeaseReason(models.IntegerChoices):
    """Module 4 `CeaseReason`."""

    MAXIMUM_AGE = 1, "Reached maximum age"
    NEEDS_MET = 2, "Ongoing educational or training needs met without a plan"
    HIGHER_EDUCATION = 3, "Moved on to higher education"
    EMPLOYMENT = 4, "Moved on to paid employment (not an apprenticeship)"
    TRANSFERRED = 5, "Transferred to another authority"
    NO_LONGER_ENGAGES = 6, "Young person no longer wishes to engage in education or training"
    MOVED_OUTSIDE_ENGLAND = 7, "Moved outside England"
    DECEASED = 8, "Deceased"
    OTHER = 9, "Other"


class SENSetting(models.TextChoices):
    """Placements `SENSetting`, for a placement with no URN or UKPRN."""

    OLA = "OLA", "Other arrangements made by the authority (section 61, EOTAS)"
    OPA = "OPA", "Other arrangements made by parents or others (not elective home education)"
    EHE = "EHE", "Elective home education"
    EYP = "EYP", "Early years provider with no URN"
    OTH = "OTH", "Other"
    NEET = "NEET", "Not in education, employment or training (16-25)"
    NIEC = "NIEC", "Not in education or training: notice to cease issued"
    NIEO = "NIEO", "Not in education or training: other"


class ReviewOutcome(models.TextChoices):
    """Module 5 `ReviewOutcome`."""

    AMEND = "A", "Amend"
    CEASE = "C", "Cease"
    MAINTAIN = "M", "Maintain"


class SENType(models.TextChoices):
    """Module 5 `SENtype` (with `SENtypeRank`: 1 primary, 2 secondary). NSA is a school census
    code and never valid here."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    DS = "DS", "Down syndrome"
    OTH = "OTH", "Other difficulty or disability"


#: Flags (1/0) for items this system does not yet hold (the disagreement issue will add them).
FLAG_VALUES = ("0", "1")
#: URN: 6 digits; UKPRN: 8 digits starting 1.
URN_PATTERN = r"^\d{6}$"
UKPRN_PATTERN = r"^1\d{7}$"
