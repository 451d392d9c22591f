"""The email preferences form: one checkbox per kind that may be switched off."""

from __future__ import annotations

from django import forms

from .kinds import FAMILY_KINDS
from .models import URGENT_KINDS, Kind

#: What each kind is, in the words of the preferences page.
KIND_HINTS = {
    Kind.CASE_AT_RISK: "A case of yours is due within the warning window.",
    Kind.CASE_ASSIGNED: "Someone has given you a case.",
    Kind.ADVICE_DUE_SOON: "Advice your service owes is due within 7 days.",
    Kind.ADVICE_CHASED: "The SEN team is asking about advice your service still owes.",
    Kind.AGENDA_PUBLISHED: "A panel you sit on has published its agenda.",
    Kind.MANAGER_DIGEST: "Monday's summary of open cases and overdue advice (managers).",
    Kind.FAMILY_COMMENTS_DUE: "The family's 15 days to comment on a draft plan end.",
    Kind.FAMILY_RESPONDED: (
        "A family sent comments, asked for a meeting or named a school through the portal."
    ),
    Kind.CONSULTATION_LATE: "A school or college consulted on a draft plan has not answered.",
    Kind.CASE_OVERDUE: "A statutory deadline for a case has passed.",
    Kind.ADVICE_OVERDUE: "Advice your service owes is past its due date.",
    Kind.ADVICE_ESCALATED: "Advice for a case you manage is 14 days overdue.",
    Kind.EXCEPTION_PROPOSED: "A caseworker proposed an exception to a time limit (managers).",
    Kind.REVIEW_AT_RISK: "A plan of yours has a review step or a phase transfer due soon.",
    Kind.REVIEW_OVERDUE: "A review step, annual review or phase transfer of a plan is overdue.",
}
#: Staff choices only: the messages to families (issue 16) are not a member of staff's to choose.
OPTIONAL_KINDS = [kind for kind in Kind if kind not in URGENT_KINDS and kind not in FAMILY_KINDS]
ALWAYS_EMAILED = [kind for kind in Kind if kind in URGENT_KINDS]


class EmailPreferencesForm(forms.Form):
    emailed = forms.MultipleChoiceField(
        choices=[(kind.value, kind.label) for kind in OPTIONAL_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Email me about",
        error_messages={
            "invalid_choice": "Choose what to be emailed about from the list.",
            "invalid_list": "Choose what to be emailed about from the list.",
        },
    )
