"""The generated cases' disputes (issue 20; ehc-process.md section 14): a share of the
appealable decisions (not to assess, not to issue, the final plan's content) is disputed, from
the decision letter: the family contacts the mediation adviser within the 2 months, some choose
mediation (held within or after its 30 days; an agreement's action due 2 weeks later), the
adviser's certificate follows, and some appeal. The council's response is due 30 working days
after the tribunal registers the appeal (weeks after the family lodges it); hearings come
months later and the decision weeks after them: a tribunal order or a concession to carry out
on reg 44's periods, or a withdrawal or dismissal. Every step stops at
today, and each is audited as disputes.services audits it.

Not generated: an order to assess or to issue on a decline (it would reopen the case, whose
generated row and clock would then be the order's: appeals on declines end withdrawn or
dismissed here), and disputes of review decisions (the generated plans' reviews send none).

Drawn from a random generator of its own (seeded from the same seed), so everything else the
generator writes is unchanged. The disputes sweep is recorded as having run every day up to
yesterday (its alerts recorded, as sent): today's sweep owes the deadlines that came within 7
days today or passed yesterday.
"""

from __future__ import annotations

import datetime
import json
import random

from disputes import deadlines
from disputes.alerts import OBJECT_TYPE, sweep_disputes
from disputes.models import ORDER_KIND_LABELS, Decision
from notifications.models import EmailStatus, Notification

DISPUTE_COLUMNS = (
    "id, case_id, decision, decision_letter_sent_on, appeal_deadline, status, status_changed_on, "
    "created_at, updated_at"
)
MEDIATION_COLUMNS = (
    "id, dispute_id, adviser_contacted_on, mediation_requested_on, mediation_due, held_on, "
    "outcome, certificate_issued_on, status, created_at, updated_at"
)
APPEAL_COLUMNS = (
    "id, dispute_id, registered_on, grounds, response_due, response_sent_on, hearing_on, "
    "outcome, outcome_on, status, created_at, updated_at"
)
ORDER_COLUMNS = "id, dispute_id, source, kind, made_on, terms, reopened_case, created_at"
DEADLINE_COLUMNS = (
    "id, order_id, dispute_id, step, label, regulation, due_on, done_on, not_needed, on_case_clock"
)
#: The case's status after each appealable decision, the decision, and the step that made it.
APPEALABLE = {
    "assessment_declined": (Decision.DECLINE_TO_ASSESS, "decline_to_assess"),
    "plan_declined": (Decision.DECLINE_TO_ISSUE, "decline_to_issue"),
    "final_issued": (Decision.PLAN_CONTENT, "issue_final"),
}
#: Share of each decision the family disputes (records a disagreement with), and of those who
#: then appeal once they hold the certificate: about 8% of these decisions reach the tribunal.
DISPUTED_SHARE = {
    Decision.DECLINE_TO_ASSESS: 0.15,
    Decision.DECLINE_TO_ISSUE: 0.2,
    Decision.PLAN_CONTENT: 0.1,
}
APPEALED_SHARE = 0.5
MEDIATION_CHOSEN_SHARE = 0.35
GROUNDS = {
    Decision.DECLINE_TO_ASSESS: ["refusal_to_assess"],
    Decision.DECLINE_TO_ISSUE: ["refusal_to_issue"],
}
CONTENT_GROUNDS = ["section_b", "section_f", "section_i"]
#: How an appeal ends: on a plan's content (order and concession kinds in brackets) ...
CONTENT_OUTCOMES = [("order", 45), ("conceded", 20), ("withdrawn", 25), ("dismissed", 10)]
CONTENT_ORDER_KINDS = [deadlines.OrderKind.AMEND_PLAN, deadlines.OrderKind.SECTION_I]
#: ... and on a decline (no order to assess or issue: see the module's docstring).
DECLINE_OUTCOMES = [("withdrawn", 50), ("dismissed", 50)]


def _days(start: datetime.date, low: int, high: int, rng: random.Random) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(low, high))


class Disputes:
    """Writes the disputes of one generated case at a time into the generator's COPY batches."""

    def __init__(self, *, seed: int, first_ids: dict[str, int]):
        self.rng = random.Random(f"{seed}:disputes")  # noqa: S311 - synthetic data
        self.ids = dict(first_ids)
        self.counts = {"disputes": 0, "mediations": 0, "appeals": 0, "order_deadlines": 0}

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table] - 1

    def add(self, writer, *, life, case_id, reference, audit, now, today):
        found = APPEALABLE.get(life.status)
        if found is None:
            return
        decision, step = found
        letter = life.met(step)
        if letter is None or self.rng.random() >= DISPUTED_SHARE[decision]:
            return
        dispute = {
            "id": self._next("disputes_dispute"),
            "letter": letter,
            "deadline": deadlines.appeal_deadline(letter),
            "status": "open",
            "changed": letter,
            "label": f"{reference}: {decision.label}",
        }
        self.counts["disputes"] += 1
        audit(
            letter,
            "dispute.opened",
            "disputes.dispute",
            dispute["id"],
            dispute["label"],
            {"decision": decision.value, "appeal_deadline": dispute["deadline"].isoformat()},
            to_state="open",
        )
        certificate = self._mediation(writer, dispute, audit, now, today)
        appealed = False
        if certificate is not None and self.rng.random() < APPEALED_SHARE:
            appealed = self._appeal(writer, dispute, decision, certificate, audit, now, today)
        if not appealed:
            closed_on = _days(dispute["deadline"], 1, 14, self.rng)
            if closed_on <= today:
                dispute["status"], dispute["changed"] = "closed", closed_on
                audit(
                    closed_on,
                    "dispute.close_without_appeal",
                    "disputes.dispute",
                    dispute["id"],
                    dispute["label"],
                    {},
                    from_state="open",
                    to_state="closed",
                )
        writer.add(
            "disputes_dispute",
            DISPUTE_COLUMNS,
            (
                dispute["id"],
                case_id,
                decision.value,
                letter,
                dispute["deadline"],
                dispute["status"],
                dispute["changed"],
                now,
                now,
            ),
        )

    def _mediation(self, writer, dispute, audit, now, today) -> datetime.date | None:
        """Regs 33-39: the adviser contacted within the 2 months; mediation chosen or not; the
        certificate. Returns the certificate's date (None if not issued by today)."""
        rng = self.rng
        contacted = _days(dispute["letter"], 5, 55, rng)
        if contacted > today:
            return None
        mediation_id = self._next("disputes_mediation")
        label = f"Mediation: {dispute['label']}"
        target = ("disputes.mediation", mediation_id, label)
        audit(contacted, "mediation.adviser_contacted", *target, {}, to_state="adviser_contacted")
        status, requested, due, held, outcome, certificate = (
            "adviser_contacted",
            None,
            None,
            None,
            "",
            None,
        )
        if rng.random() < MEDIATION_CHOSEN_SHARE:
            requested = _days(contacted, 1, 7, rng)
            if requested <= today:
                status, due = "mediating", deadlines.mediation_due(requested)
                audit(
                    requested,
                    "mediation.choose_mediation",
                    *target,
                    {},
                    from_state="adviser_contacted",
                    to_state="mediating",
                )
                held_on = _days(requested, 14, 40, rng)  # a third after the 30 days
                if held_on <= today:
                    status, held = "held", held_on
                    outcome = "agreement" if rng.random() < 0.3 else "no_agreement"
                    audit(
                        held,
                        "mediation.record_held",
                        *target,
                        {"outcome": outcome},
                        from_state="mediating",
                        to_state="held",
                    )
                    if outcome == "agreement":
                        self._agreement(writer, dispute, held, audit, now, today)
                    certificate = deadlines.certificate_after_mediation_due(held)
        else:
            certificate = deadlines.certificate_due(contacted)
        if certificate is not None and certificate > today:
            certificate = None
        if certificate is not None:
            dispute["deadline"] = deadlines.appeal_deadline(dispute["letter"], certificate)
            audit(
                certificate,
                "mediation.issue_certificate",
                *target,
                {"appeal_deadline": dispute["deadline"].isoformat()},
                from_state=status,
                to_state="certified",
            )
            status = "certified"
        writer.add(
            "disputes_mediation",
            MEDIATION_COLUMNS,
            (
                mediation_id,
                dispute["id"],
                contacted,
                requested,
                due,
                held,
                outcome,
                certificate,
                status,
                now,
                now,
            ),
        )
        self.counts["mediations"] += 1
        return certificate

    def _agreement(self, writer, dispute, agreed_on, audit, now, today):
        """Reg 42(3): what a mediation agreement asks that cannot be appealed, within 2 weeks."""
        self._order(
            writer,
            dispute,
            "mediation_agreement",
            deadlines.OrderKind.OTHER,
            agreed_on,
            audit,
            now,
            today,
        )

    def _appeal(self, writer, dispute, decision, certificate, audit, now, today) -> bool:
        rng = self.rng
        # Lodged within the window; the tribunal registers it and sends it to the council
        # (which is when the council's 30 working days start) weeks later.
        lodged = min(_days(certificate, 7, 30, rng), dispute["deadline"])
        registered = _days(lodged, 7, 42, rng)
        if registered > today:
            return False
        appeal_id = self._next("disputes_appeal")
        label = f"Appeal: {dispute['label']}"
        target = ("disputes.appeal", appeal_id, label)
        grounds = GROUNDS.get(decision) or sorted(rng.sample(CONTENT_GROUNDS, rng.randint(1, 2)))
        response_due = deadlines.response_due(registered)
        dispute["status"], dispute["changed"] = "appealed", registered
        audit(
            registered,
            "appeal.registered",
            *target,
            {"grounds": grounds, "response_due": response_due.isoformat()},
            from_state="open",
            to_state="appealed",
        )
        status, sent, hearing, outcome, decided = "registered", None, None, "", None
        sent_on = _days(response_due, -12, 6, rng)  # a third sent late
        if sent_on <= today:
            status, sent = "responded", sent_on
            hearing = _days(registered, 120, 220, rng)
            audit(
                sent,
                "appeal.send_response",
                *target,
                {"on_time": sent <= response_due},
                from_state="registered",
                to_state="responded",
            )
            decided_on = _days(hearing, 7, 21, rng)  # the decision follows the hearing
            if decided_on <= today:
                outcome = self._outcome(writer, dispute, decision, decided_on, audit, now, today)
                status, decided = "decided", decided_on
                audit(
                    decided_on,
                    "appeal.outcome_recorded",
                    *target,
                    {"outcome": outcome[0], "order_kind": outcome[1]},
                    from_state="responded",
                    to_state="decided",
                )
                dispute["status"], dispute["changed"] = "closed", decided_on
        writer.add(
            "disputes_appeal",
            APPEAL_COLUMNS,
            (
                appeal_id,
                dispute["id"],
                registered,
                json.dumps(grounds),
                response_due,
                sent,
                hearing,
                outcome[0] if outcome else "",
                decided,
                status,
                now,
                now,
            ),
        )
        self.counts["appeals"] += 1
        return True

    def _outcome(self, writer, dispute, decision, decided, audit, now, today) -> tuple[str, str]:
        rng = self.rng
        outcomes = CONTENT_OUTCOMES if decision == Decision.PLAN_CONTENT else DECLINE_OUTCOMES
        outcome = rng.choices([o for o, _ in outcomes], weights=[w for _, w in outcomes])[0]
        if outcome not in ("order", "conceded"):
            return outcome, ""
        kind = rng.choice(CONTENT_ORDER_KINDS)
        source = "tribunal_order" if outcome == "order" else "concession"
        self._order(writer, dispute, source, kind, decided, audit, now, today)
        return outcome, kind.value

    def _order(self, writer, dispute, source, kind, made_on, audit, now, today):
        """An order (or concession, or agreement) and its steps: each done a little before or
        after its due date, or outstanding if that day is still to come."""
        order_id = self._next("disputes_order")
        label = f"{ORDER_KIND_LABELS[kind]} ({made_on:%d %B %Y})"
        steps = deadlines.order_deadlines(kind, made_on)
        writer.add(
            "disputes_order",
            ORDER_COLUMNS,
            (order_id, dispute["id"], source, kind.value, made_on, "", False, now),
        )
        audit(
            made_on,
            "dispute.order_recorded",
            "disputes.order",
            order_id,
            label,
            {
                "source": source,
                "kind": kind.value,
                "deadlines": {step.code: due.isoformat() for step, due in steps},
                "reopened_case": False,
            },
        )
        for step, due_on in steps:
            deadline_id = self._next("disputes_orderdeadline")
            done = max(made_on, _days(due_on, -10, 7, self.rng))
            done_on = done if done <= today else None
            writer.add(
                "disputes_orderdeadline",
                DEADLINE_COLUMNS,
                (
                    deadline_id,
                    order_id,
                    dispute["id"],
                    step.code,
                    step.label,
                    step.source,
                    due_on,
                    done_on,
                    False,
                    False,
                ),
            )
            if done_on is not None:
                audit(
                    done_on,
                    "dispute.order_step_done",
                    "disputes.orderdeadline",
                    deadline_id,
                    f"{step.label} by {due_on:%d %B %Y}",
                    {"step": step.code, "on_time": done_on <= due_on},
                )
            self.counts["order_deadlines"] += 1


def disputes_alerts_sync(*, today: datetime.date, at) -> int:
    """The disputes sweep ran every day up to yesterday: what it owed by then is recorded (as
    of yesterday's sweep), as sent; what came due today is left for today's sweep."""
    yesterday = today - datetime.timedelta(days=1)
    recorded = sweep_disputes(today=yesterday, now=at(yesterday, 1))
    Notification.objects.filter(object_type=OBJECT_TYPE, email_status=EmailStatus.PENDING).update(
        email_status=EmailStatus.SENT, email_attempts=1, emailed_at=at(yesterday, 1)
    )
    return recorded
