"""A case's history as a caseworker would write it (issue 14): sentences and people's names,
never verbs, status codes or usernames. Pure functions over audit rows, plus one query that
turns the usernames an old payload holds into names."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import CaseStatus, ExceptionGround

#: What each step of a case reads as in its history.
CASE_STEPS = {
    "case.agree_to_assess": "Agreed to assess",
    "case.decline_to_assess": "Declined to assess",
    "case.agree_to_issue": "Agreed to issue a plan",
    "case.decline_to_issue": "Declined to issue a plan",
    "case.issue_draft": "Draft plan issued to the family",
    "case.issue_final": "Final plan issued",
    "case.revise_draft": "Draft plan taken back for revision",
    "case.withdraw": "Request withdrawn",
    "case.reopen_on_appeal": "Reopened on appeal",
}

#: Other apps' entries on a case's history, where the verb alone says it all.
OTHER_STEPS = {
    "child.created": "Child's record created",
    "panel.item_added": "Added to a panel agenda",
    "panel.item_removed": "Taken off a panel agenda",
    "advice.exception_proposed": "Exception to an advice time limit proposed",
    "advice.exception_agreed": "Exception to an advice time limit agreed",
    "case.exception_agreed": "Exception agreed",
    "child.updated": "Child's details changed",
    "parent_carer.created": "Parent or carer added to the family's details",
    "parent_carer.updated": "Family's contact details changed",
    "case_document.add": "Document added to the case's papers",
    "case_document.share": "Document shared with an advice provider",
    "case_document.unshare": "Document no longer shared with an advice provider",
    # The plan and its letters (plans): what a caseworker would write.
    "letters.written": "Decision letters written",
    "letter.sent": "Decision letter sent to the family",
    "plan.started": "Plan started",
    "plan.updated": "Plan edited",
    "plan.need_saved": "Plan edited: a need",
    "plan.outcome_saved": "Plan edited: an outcome",
    "plan.provision_saved": "Plan edited: provision",
    "plan.advice_listed_saved": "Plan edited: the advice listed in section K",
    "plan.draft_issued": "Draft plan version frozen and its PDF made",
    "plan.final_issued": "Final plan version frozen and its PDF made",
    "plan.comment_recorded": "Family's comment on the draft recorded",
    "plan.comment_answered": "Family's comment on the draft answered",
    "plan.consultation_sent": "School or college consulted on the draft",
    "plan.consultation_chased": "School or college consultation chased",
    "plan.consultation_answered": "School or college answered the consultation",
    "family.invite": "Invited to the family portal",
    "family.revoke": "Family portal access removed",
    "family.views_given": "The family gave their views in the portal",
    "family.invitation_accept": "Family portal invitation accepted",
    "plan.need_deleted": "Plan edited: a need removed",
    "plan.outcome_deleted": "Plan edited: an outcome removed",
    "plan.provision_deleted": "Plan edited: provision removed",
    # Disagreement (disputes): the family's right of appeal and what followed.
    "dispute.opened": "Appeal window opened: the family may appeal this decision",
    "dispute.close_without_appeal": "Appeal window closed without an appeal",
    "dispute.order_recorded": "Tribunal order recorded",
    "dispute.order_step_done": "A step the tribunal ordered was carried out",
    "dispute.order_steps_by_case": "The tribunal's order carried out through the case",
    "mediation.adviser_contacted": "The family contacted a mediation adviser",
    "mediation.choose_mediation": "The family chose mediation",
    "mediation.record_held": "Mediation held",
    "mediation.issue_certificate": "Mediation certificate issued",
    "appeal.registered": "Appeal registered with the tribunal",
    "appeal.send_response": "Council's response sent to the tribunal",
    "appeal.hearing_set": "Tribunal hearing date set",
    "appeal.outcome_recorded": "Tribunal's decision recorded",
    # After the plan (reviews).
    "active_plan.created": "Plan now maintained: reviewed at least every 12 months",
    "review.scheduled": "Annual review scheduled",
    "review.send_invitations": "Annual review invitations sent",
    "review.hold_meeting": "Annual review meeting held",
    "review.receive_report": "Annual review report received",
    "review.decide_maintain": "Review decision: keep the plan as it is",
    "review.decide_amend": "Review decision: amend the plan",
    "review.decide_cease": "Review decision: propose to stop the plan",
    "review.propose_amendments": "Proposed amendments sent to the family",
    "review.issue_amended_plan": "Amended plan issued",
    "review.record_cease_consultation": "Family consulted on stopping the plan",
    "review.cease_plan": "Plan stopped (ceased)",
    "review.keep_plan": "Decided to keep the plan after consulting on stopping it",
    "review.progress_recorded": "Progress towards the plan's outcomes recorded at the review",
}

ADVICE_STEPS = {
    "advice.requested": "{kind} requested from {service}",
    "advice.accept": "{kind} request accepted by {service}",
    "advice.decline": "{kind} request declined by {service}",
    "advice.cancel": "{kind} request cancelled",
    "advice.return_for_quality": "{kind} returned to {service} for quality",
    "advice.submit": "{kind} submitted",
    "advice.reused": "Existing {kind_lower} reused",
}

PANEL_OUTCOMES = {
    "agree_to_assess": "agreed to assess",
    "decline_to_assess": "declined to assess",
    "agree_to_issue": "agreed to issue a plan",
    "decline_to_issue": "declined to issue a plan",
    "defer": "deferred for more information",
}

FIELD_WORDS = {
    "primary_need": "primary need",
    "secondary_needs": "secondary needs",
    "request_source": "who the request came from",
    "evidence_deadline": "evidence deadline",
    "received_on": "date received",
}


@dataclass(frozen=True)
class HistoryLine:
    happened_on: datetime.date
    recorded_at: datetime.datetime
    who: str
    what: str
    why: str


def _humanise(code: str) -> str:
    words = code.rsplit(".", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _advice_words(kind: str | None) -> str:
    if not kind:
        return "Advice"
    if kind == "parent_views":
        return "Parent and child views"
    return f"{_humanise(kind)} advice"


def _name(username: str | None, names: dict[str, str]) -> str:
    if not username:
        return "nobody"
    return names.get(username, username)


def describe(entry, names: dict[str, str]) -> str:
    """One audit row as a sentence."""
    verb, payload = entry.verb, entry.payload or {}
    if verb == "case.created":
        return "Request imported from the tracker" if payload.get("imported") else "Request logged"
    if verb in CASE_STEPS:
        sentence = CASE_STEPS[verb]
        confirmed = payload.get("confirmed_outstanding_advice")
        if confirmed:
            sentence += f", confirmed with advice still outstanding: {'; '.join(confirmed)}"
        return sentence
    if verb == "case.assigned":
        to = payload.get("to_name") or _name(payload.get("to"), names)
        if payload.get("from"):
            before = payload.get("from_name") or _name(payload.get("from"), names)
            return f"Reassigned from {before} to {to}"
        return f"Assigned to {to}"
    if verb == "case.updated":
        fields = [
            FIELD_WORDS.get(name, _humanise(name).lower()) for name in payload.get("changes", {})
        ]
        return f"Details corrected: {', '.join(fields)}" if fields else "Details corrected"
    if verb in ("case.exception_proposed", "case.exception_refused"):
        ground = dict(ExceptionGround.choices).get(payload.get("ground"), "")
        done = "proposed" if verb.endswith("proposed") else "refused"
        return f"Exception {done}: {ground.lower()}" if ground else f"Exception {done}"
    if verb in ADVICE_STEPS:
        kind = _advice_words(payload.get("kind"))
        return ADVICE_STEPS[verb].format(
            kind=kind, kind_lower=kind.lower(), service=payload.get("service") or "the family"
        )
    if verb == "panel.outcome_recorded":
        outcome = PANEL_OUTCOMES.get(payload.get("outcome"), "")
        return f"Panel {outcome}" if outcome else "Panel decision recorded"
    if verb in OTHER_STEPS:
        return OTHER_STEPS[verb]
    if entry.to_state:
        status = dict(CaseStatus.choices).get(entry.to_state, _humanise(entry.to_state))
        return f"Moved to {status.lower()}"
    return _humanise(verb)


def _person(entry) -> str:
    actor = entry.actor
    if actor is not None:
        return actor.get_full_name() or actor.get_username()
    return entry.actor_username or "The system"


def _usernames_in(entries) -> set[str]:
    found = set()
    for entry in entries:
        if entry.verb == "case.assigned":
            found.update(v for v in (entry.payload.get("from"), entry.payload.get("to")) if v)
    return found


def history_lines(entries) -> list[HistoryLine]:
    """The entries (with `actor` loaded) as lines, ordered by the date it happened, then when
    it was recorded. One query at most, for the names behind usernames in old payloads."""
    entries = list(entries)
    usernames = _usernames_in(entries)
    names = {}
    if usernames:
        for username, first, last in (
            get_user_model()
            .objects.filter(username__in=usernames)
            .values_list("username", "first_name", "last_name")
        ):
            names[username] = f"{first} {last}".strip() or username
    lines = [
        HistoryLine(
            happened_on=entry.effective_date or timezone.localdate(entry.occurred_at),
            recorded_at=entry.occurred_at,
            who=_person(entry),
            what=describe(entry, names),
            why=entry.reason,
        )
        for entry in entries
    ]
    return sorted(lines, key=lambda line: (line.happened_on, line.recorded_at))
