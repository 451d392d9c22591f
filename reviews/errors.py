"""The review services' messages (constants reused by the tests). The exception classes are the
cases app's, so the API's one handler maps them: 400, 403, 409."""

from cases.errors import (  # noqa: F401 - re-exported for the review services
    CaseConflictError,
    CaseForbiddenError,
    ConcurrentChangeError,
    TransitionNotAllowedError,
)

CHANGE_FORBIDDEN = "You do not have permission to change reviews."
REPORT_FORBIDDEN = "Only the school asked for this review's report, or the SEN team, can send it."
UNKNOWN_TRANSITION = "'{name}' is not a step in a review."
TRANSITION_NOT_ALLOWED = "A review that is '{status}' cannot be moved by '{transition}'."
REVIEW_CHANGED = (
    "This review changed while you were working on it: it is now '{status}'. "
    "Reload the review and try again."
)
EFFECTIVE_DATE_IN_FUTURE = "The date cannot be in the future."
EFFECTIVE_DATE_BEFORE_PREVIOUS = (
    "The date cannot be before the previous step of this review ({previous:%d %B %Y})."
)
PLAN_CEASED = "This plan has ceased: it is no longer reviewed."
REVIEW_ALREADY_OPEN = "This plan already has a review in progress: finish that one first."
MEETING_BEFORE_START = "The review meeting cannot be before the plan started ({start:%d %B %Y})."
LETTER_REQUIRED = "Enter the date the decision letter was sent to the family."
LETTER_BEFORE_DECISION = "The decision letter cannot be sent before the decision."
LETTER_DATE_FROM_LETTERS = (
    "This plan's letters are written here: the date the family was told is recorded when its "
    "letters are marked as sent, not typed with the decision."
)
OUTCOMES_FROM_PLAN = (
    "This plan's outcomes come from section E of the plan in force: they are listed for the "
    "review without being typed."
)
LETTER_IN_FUTURE = "The date the decision letter was sent cannot be in the future."
REPORT_REQUIRED = "Enter the review report's summary."
CEASE_REASON_REQUIRED = "Choose the reason the plan is ceasing."
FAMILY_COMMENT_PERIOD = (
    "The family has 15 days to comment on the amendments proposed on {proposed:%d %B %Y}: "
    "the amended plan can be issued from {earliest:%d %B %Y}."
)
NOT_A_SCHOOL = "Only a school or education setting can be asked for the review report."
