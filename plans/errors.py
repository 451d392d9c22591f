"""The plan's and letters' messages (constants reused by the tests). Services raise Django's
ValidationError (400) and cases.errors' CaseForbiddenError (403) / CaseConflictError (409)."""

PLAN_FORBIDDEN = "Only a caseworker or a manager can work on a plan."
PLAN_NOT_EDITABLE = (
    "The plan can be changed only while it is being drafted, the draft is with the family, "
    "or a review has decided to amend it."
)
NO_AMENDMENT_OPEN = "No review has decided to amend this plan, so there is nothing to amend."
NO_AMENDMENTS_PROPOSED = (
    "Send the proposed amendments to the family before issuing the amended plan."
)
AMENDMENT_COMMENTS_UNANSWERED = (
    "The amended plan cannot be issued while {count} of the family's comments on the proposed "
    "amendments {verb} not been answered. Answer every comment first."
)
NO_SETTING_NAMED = (
    "The amended plan must name the school or other institution in section I before it is issued."
)
PLAN_NOT_STARTED = (
    "This case has no plan yet: the plan is started once the panel agrees to issue one."
)
NO_PLAN_TO_ISSUE = "Write the draft plan before issuing it: this case has no plan."
NO_FINAL_PLAN = (
    "The final plan must name the school or other institution in section I before it is issued."
)
COMMENTS_UNANSWERED = (
    "The final plan cannot be issued while {count} of the family's comments on the draft "
    "{verb} not been answered. Answer every comment first."
)
FREQUENCY_NEEDS_UNIT = "Say how often per: a day, a week, a term and so on."
UNIT_NEEDS_FREQUENCY = "Say how many times."
NUMBER_OUT_OF_RANGE = "Enter a whole number from 1 to {most}."
NEED_AREA_REQUIRED = "Choose the area of need."
TEXT_REQUIRED = "Enter the text."
WHAT_REQUIRED = "Describe the provision."
SOURCE_NOT_THIS_CASE = "That advice is not advice for this case."
LINK_NOT_THIS_PLAN = "Link only to outcomes and provision of this plan."
ITEM_NOT_FOUND = "That item is not part of this plan."
NOT_A_DRAFT = "Comments are recorded against an issued draft: this case has none yet."
COMMENT_TEXT_REQUIRED = "Enter what the family said."
COMMENT_SECTION_REQUIRED = "Choose the section of the plan the comment is about."
COMMENT_SOURCE_REQUIRED = "Say how the comment reached you: letter, email or meeting."
COMMENT_RECEIVED_IN_FUTURE = "The date the comment was received cannot be in the future."
ANSWER_REQUIRED = "Choose accepted or not accepted."
NOT_ACCEPTED_NEEDS_REASON = "Give the reason the comment is not accepted."
ALREADY_ANSWERED = "This comment has already been answered."
CONSULTATION_NAME_REQUIRED = "Enter the name of the school or college."
CONSULTATION_NEEDS_DRAFT = (
    "A school or college is consulted with the draft plan: issue the draft first."
)
RESPONSE_ANSWER_REQUIRED = "Choose whether the school or college can meet the needs."
RESPONSE_DATE_REQUIRED = "Enter the date of the response."
RESPONSE_DATE_IN_FUTURE = "The date of the response cannot be in the future."
RESPONSE_DATE_BEFORE_SENT = "The response cannot be dated before the consultation was sent."
CANNOT_MEET_NEEDS_REASONS = "Give the reasons the school or college says it cannot meet the needs."
ALREADY_RESPONDED = "This school or college has already responded."
LETTER_ALREADY_SENT = "This letter has already been marked as sent."
LETTER_SENT_IN_FUTURE = "The date the letter was sent cannot be in the future."
LETTER_SENT_BEFORE_DECISION = (
    "A letter cannot be sent before the decision it tells of ({date:%d %B %Y})."
)
LETTER_METHOD_REQUIRED = "Say how the letter was sent: email, post or by hand."
DATE_IN_FUTURE = "The date cannot be in the future."
COMMENT_WINDOW_CLOSED = (
    "The time to comment on the draft plan ended on {closed}. To tell us something now, "
    "contact your caseworker{contact}."
)
COMMENT_NO_OPEN_DRAFT = "There is no draft plan open for comments on this request."
COMMENT_SOURCE_PORTAL = (
    "Comments made in the family portal are recorded there by the family: choose letter, "
    "email or meeting."
)
