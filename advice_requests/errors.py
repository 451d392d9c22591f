"""Messages the advice services raise (constants reused by the tests).

The error classes are the cases app's, so the API maps them the same way: validation -> 400,
forbidden -> 403, conflict -> 409; a request the user may not see is simply not found (404).
"""

from cases import errors as case_errors
from security import uploads

UNKNOWN_TRANSITION = "'{name}' is not a step in the advice process."
TRANSITION_NOT_ALLOWED = "Advice that is '{status}' cannot be moved by '{transition}'."
TRANSITION_FORBIDDEN = "You do not have permission to '{transition}' this advice request."
ADVICE_CHANGED = (
    "This advice request changed while you were working on it: it is now '{status}'. "
    "Reload it and try again."
)
REASON_REQUIRED = "Give a reason."
REQUEST_FORBIDDEN = "Only a caseworker or a manager can request advice."
CASE_NOT_ASSESSING = "Advice can only be requested while the case is being assessed."
SERVICE_REQUIRED = "Choose the partner service the advice is requested from."
SERVICE_INACTIVE = "This partner service no longer takes requests."
ALREADY_REQUESTED = (
    "Advice has already been requested from {service} for this case: one request per provider "
    "(reg 6(1))."
)
PARENT_VIEWS_ALREADY_REQUESTED = "The family's views have already been requested for this case."
ALREADY_REUSED = "Advice from {service} is already being re-used for this case."
QUESTION_REQUIRED = "Say what the provider is asked to advise on."
REQUESTED_IN_FUTURE = "The date the request was sent cannot be in the future."
PROFESSIONAL_NOT_MEMBER = "The named professional must be a current member of the service."
UNKNOWN_SERVICE = "There is no partner service with id {id}."
UNKNOWN_KIND = "'{kind}' is not a kind of advice."
REQUIRED_ADVICE_MISSING = (
    "Agreeing to assess needs these advice requests (or advice re-used under reg 6(4)): {missing}."
)
ADVICE_LIST_INVALID = (
    "Give each piece of advice as an object with kind, service, question and optionally "
    "professional."
)
REUSE_AGREEMENT_MISSING = (
    "Advice can be re-used only when the provider, the authority and the family all agree it is "
    "sufficient (reg 6(4)): give the date of each agreement."
)
REUSE_AGREEMENT_BEFORE_ADVICE = "An agreement to re-use advice cannot predate the advice itself."
REUSE_DATE_IN_FUTURE = "Dates of re-used advice and its agreements cannot be in the future."
REUSE_PROVIDER_REQUIRED = "Name the service or the person who gave the advice being re-used."
#: One message per summary field, in the words of its label (never the same text three times).
SUBMISSION_FIELD_REQUIRED = {
    "needs": "Enter the child's needs.",
    "outcomes_sought": "Enter the outcomes sought.",
    "provision": "Enter the provision needed.",
}
TEXT_TOO_LONG = "{label} must be {limit:,} characters or fewer."
DOCUMENT_REQUIRED = "Attach the advice as a PDF or Word (DOCX) document."
# The shared upload check's messages (security.uploads), under the names the advice code uses.
DOCUMENT_TOO_LARGE = uploads.DOCUMENT_TOO_LARGE
DOCUMENT_EMPTY = uploads.DOCUMENT_EMPTY
DOCUMENT_WRONG_TYPE = uploads.DOCUMENT_WRONG_TYPE
DOCUMENT_MACROS = uploads.DOCUMENT_MACROS
# Advice exceptions are checked by the same code as case exceptions, with the same messages.
EXCEPTION_PROPOSE_FORBIDDEN = case_errors.EXCEPTION_PROPOSE_FORBIDDEN
EXCEPTION_AGREE_FORBIDDEN = case_errors.EXCEPTION_AGREE_FORBIDDEN
EXCEPTION_SELF_AGREE = case_errors.EXCEPTION_SELF_AGREE
EXCEPTION_ALREADY_AGREED = case_errors.EXCEPTION_ALREADY_AGREED
EXCEPTION_ENDS_BEFORE_START = case_errors.EXCEPTION_ENDS_BEFORE_START
EXCEPTION_TOO_SHORT = case_errors.EXCEPTION_TOO_SHORT
MEMBERSHIP_FORBIDDEN = "Only a manager can change who belongs to a partner service."
MEMBER_NOT_PARTNER = "Only an active user with the partner role can join a partner service."
ALREADY_MEMBER = "{user} is already a member of {service}."
NOT_A_MEMBER = "{user} is not a current member of {service}."
