"""Errors of the panel services and their messages (constants reused by the tests)."""

from cases.errors import CaseConflictError, CaseError, CaseForbiddenError

AGENDA_FROZEN = "The agenda for this meeting has been published and can no longer be changed."
MEETING_NOT_PUBLISHED = "Publish the agenda before recording decisions."
MEETING_NOT_OPEN = "This meeting is closed or cancelled."
MEETING_IN_FUTURE = (
    "Decisions can be recorded on or after the day of the meeting ({date:%d %B %Y})."
)
REASONS_REQUIRED = "Give the panel's reasons for this decision."
DECLINE_REASON_REQUIRED = "Choose the reason for declining from the list."
OUTCOME_NOT_FOR_PANEL = "A {panel} cannot record '{outcome}'."
ITEM_ALREADY_DECIDED = "This item already has an outcome."
NO_QUORUM = (
    "The statutory panel is not quorate: {missing} must be present before decisions are recorded."
)
CHAIR_ONLY = "Only the panel's chair or a manager can do this."
CASE_ON_ANOTHER_AGENDA = "Case {reference} is already on the agenda for {meeting}."
CASE_NOT_ELIGIBLE = 'Case {reference} is at the stage "{status}": it cannot go to a {panel}.'
NO_NEXT_MEETING = "There is no later meeting of {panel} to move this item to."
REORDER_MISMATCH = "The new order must list every item on the agenda exactly once."
NO_SUCH_CASE = "There is no case with the reference {reference}."
NO_SUCH_DECLINE_REASON = "Choose a reason from the council's list for this panel."
NOT_A_MEMBER = "{user} does not sit on this panel."
CASE_ALREADY_ON_THIS_AGENDA = "Case {reference} is already on this agenda."
NOBODY_PRESENT = "Select who is present at the meeting: nobody is marked present."
PRESENT_AND_APOLOGIES = "A person cannot be both present and sending apologies."
ITEM_NOT_MOVED_ON = (
    "This agenda has been published: only a case that has moved on since it was listed can be "
    "taken off it."
)


class PanelError(CaseError):
    pass


class PanelConflictError(CaseConflictError):
    """HTTP 409."""


class PanelForbiddenError(CaseForbiddenError):
    """HTTP 403."""


__all__ = ["PanelConflictError", "PanelError", "PanelForbiddenError"]
