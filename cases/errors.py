"""Errors raised by the case services, and their messages (constants reused by the tests).

The API maps them to HTTP: validation -> 400, forbidden -> 403, conflict -> 409.
"""

from django.core.exceptions import ValidationError

EFFECTIVE_DATE_IN_FUTURE = "Date it happened must be today or in the past."
EFFECTIVE_DATE_BEFORE_PREVIOUS = (
    "Date it happened cannot be before the last change on this case ({previous:%-d %B %Y})."
)
REASON_REQUIRED = "Give a reason for this decision."
UNKNOWN_TRANSITION = "'{name}' is not a step in the case process."
#: Formatted with the words on the page: the status's label and the step's label (issue 14).
TRANSITION_NOT_ALLOWED = "This case is at “{status}”: “{transition}” is not possible now."
TRANSITION_FORBIDDEN = "You do not have permission to “{transition}” on a case."
CASE_CHANGED = (
    "This case changed while you were working on it: it is now “{status}”. "
    "Reload the case and try again."
)
FAMILY_COMMENT_PERIOD = (
    "The family has 15 days to comment on the draft served on {draft:%d %B %Y}: "
    "the final plan can be issued from {earliest:%d %B %Y}."
)
RECEIVED_IN_FUTURE = "The date the request was received cannot be in the future."
RECEIVED_CHANGE_AFTER_DECISION = (
    "The received date can only be corrected before the decision whether to assess."
)
EXCEPTION_ENDS_BEFORE_START = "The end of the exception cannot be before its start."
EXCEPTION_TOO_SHORT = "This ground needs a continuous period of at least 4 weeks."
EXCEPTION_ALREADY_AGREED = "This exception has already been agreed."
EXCEPTION_ALREADY_REFUSED = "This exception has already been refused."
EXCEPTION_REFUSAL_REASON_REQUIRED = "Enter why the exception is refused."
EXCEPTION_STARTS_IN_FUTURE = (
    "Start date must be today or in the past: an exception records what has happened."
)
EXCEPTION_AGREE_FORBIDDEN = "Only a manager can agree an exception."
EXCEPTION_PROPOSE_FORBIDDEN = "Only a caseworker or a manager can propose an exception."
EXCEPTION_SELF_AGREE = (
    "An exception must be agreed by someone other than the person who proposed it."
)
ASSIGN_FORBIDDEN = "Only a caseworker or a manager can assign a case."
ASSIGNEE_NOT_CASEWORKER = "A case can only be assigned to an active caseworker."
CHANGE_FORBIDDEN = "You do not have permission to change cases."
CHILD_REQUIRED = "Give the child: an existing child's id, or a new child's details."
CHILD_BOTH = "Give either an existing child's id or a new child's details, not both."
DUPLICATE_DECISION_REQUIRED = (
    "We may already know this child: choose one of the possible matches, or say it is a "
    "different child."
)
DUPLICATE_DECISION_NOT_A_MATCH = (
    "Choose one of the possible matches listed, or say it is a different child."
)
CONSENT_DATE_REQUIRED = "Enter the date the young person's consent was recorded."
CONSENT_DATE_IN_FUTURE = "The date consent was recorded cannot be in the future."
CONSENT_NOT_YOUNG_PERSON = (
    "Consent to parents seeing the case is recorded only once the child is a young person."
)
ADVICE_OUTSTANDING_CONFIRM = (
    "Advice is still outstanding: {outstanding}. Confirm you are making this decision "
    "without it, or wait for the advice."
)
REASSIGN_FORBIDDEN = "Only a manager can reassign cases."
REASSIGN_NO_CASES = "Select at least one case to reassign."
REASSIGN_TOO_MANY = "Reassign at most {limit} cases at a time."
REASSIGN_NO_CASEWORKER = "Select the caseworker to give the cases to."
REASSIGN_REASON_REQUIRED = "Enter why the cases are being reassigned."
REASSIGN_UNKNOWN = "These cases were not found: {references}."


class CaseError(Exception):
    """Base of the errors the case services raise on purpose."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CaseConflictError(CaseError):
    """HTTP 409: the request does not fit the case's current state."""


class TransitionNotAllowedError(CaseConflictError):
    pass


class ConcurrentChangeError(CaseConflictError):
    pass


class CaseForbiddenError(CaseError):
    """HTTP 403: the user may not do this."""


class DuplicateDecisionRequired(ValidationError):
    """HTTP 400: a new child looks like one we know (section 10); `matches` lists them."""

    def __init__(self, matches, message: str = DUPLICATE_DECISION_REQUIRED):
        super().__init__({"duplicate_decision": [message]})
        self.matches = matches


__all__ = [
    "CaseConflictError",
    "CaseError",
    "CaseForbiddenError",
    "ConcurrentChangeError",
    "DuplicateDecisionRequired",
    "TransitionNotAllowedError",
    "ValidationError",
]
