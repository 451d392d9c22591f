"""The generated cases' draft plans and school consultations (issue 20): every open case that
has had a draft issued (status draft_issued, or drafting again after the family asked for
changes) gets its plan, one draft version per `issue_draft` step of its audit trail, and, for
most, a school or college consulted with the latest draft (s39: 15 days to answer), answered
or not as far as today allows. Each version and consultation is audited as the plans services
audit it. Closed cases' plans are not written (no sweep reads them).

Drawn from a random generator of its own (seeded from the same seed), so the cases and
everything else the generator writes are the rows they were before. Then the plans sweep is
recorded as having run every day up to yesterday (its alerts recorded, as sent): today's sweep
owes what came due today, the drafts whose family's last day for comments is today and the
consultations whose 15 days ended yesterday, as a running service's first sweep of the day.
"""

from __future__ import annotations

import datetime
import json
import random

from cases.models import Case, Child
from notifications.models import EmailStatus, Notification
from plans import deadlines
from plans.alerts import sweep_plans
from plans.models import Plan, VersionKind
from plans.render import plan_html, plan_snapshot

PLAN_COLUMNS = (
    "id, case_id, child_views, family_views, aspirations, health_needs, social_care_needs, "
    "setting_type, setting_name, personal_budget, created_at, updated_at"
)
VERSION_COLUMNS = "id, plan_id, number, kind, issued_on, issued_by_id, snapshot, html, created_at"
CONSULTATION_COLUMNS = (
    "id, plan_id, setting_name, setting_type, contact_email, sent_on, due_on, sent_by_id, "
    "times_chased, answer, reasons, evidence, responded_on, recorded_by_id"
)
#: Share of drafts sent to a school or college for its view (the rest not consulted yet).
CONSULTED_SHARE = 0.7
SCHOOLS = [
    ("Brookfield Primary School (synthetic)", "Mainstream primary school"),
    ("Riverside Academy (synthetic)", "Mainstream secondary academy"),
    ("Oak Lane Special School (synthetic)", "Special school for complex learning needs"),
    ("Elm Park College (synthetic)", "Further education college"),
]
#: Stand-ins rendered once into the version template, replaced per version (rendering the
#: document per version would cost minutes at 1,000,000 cases).
_REFERENCE, _FIRST, _LAST, _NUMBER = "XREFERENCEX", "XFIRSTX", "XLASTX", 876_543_219
_ISSUED, _BORN = datetime.date(1901, 2, 3), datetime.date(1902, 4, 5)


def _long(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


class Drafts:
    """Writes the plans-app rows of one generated case at a time into the generator's COPY
    batches."""

    def __init__(self, *, seed: int, first_ids: dict[str, int]):
        self.rng = random.Random(f"{seed}:drafts")  # noqa: S311 - synthetic data
        self.plan_id = first_ids["plans_plan"]
        self.version_id = first_ids["plans_planversion"]
        self.consultation_id = first_ids["plans_consultation"]
        self.counts = {"plans": 0, "draft_versions": 0, "consultations": 0}
        self._template = None

    def _version_template(self) -> tuple[str, str]:
        """The snapshot and HTML of an empty plan's draft, rendered once by the app's own
        functions, with stand-ins for what differs per version."""
        if self._template is None:
            child = Child(first_name=_FIRST, last_name=_LAST, date_of_birth=_BORN, upn="")
            plan = Plan(pk=0, case=Case(reference=_REFERENCE, child=child))
            snapshot = plan_snapshot(
                plan, kind=VersionKind.DRAFT, number=_NUMBER, issued_on=_ISSUED
            )
            self._template = (json.dumps(snapshot), plan_html(snapshot))
        return self._template

    def add(self, writer, *, life, case_id, reference, child, caseworker, audit, now, today):
        drafts = [step.on for step in life.steps if step.transition == "issue_draft"]
        if life.status not in ("drafting", "draft_issued") or not drafts:
            return
        plan_id = self.plan_id
        self.plan_id += 1
        started = life.met("agree_to_issue") or drafts[0]
        writer.add(
            "plans_plan",
            PLAN_COLUMNS,
            (plan_id, case_id, "", "", "", "", "", "", "", "", now, now),
        )
        audit(started, "plan.started", "plans.plan", plan_id, f"Plan for {reference}", {})
        snapshot, html = self._version_template()
        first, last, born = child
        for number, issued_on in enumerate(drafts, 1):
            label = f"{reference} version {number} (Draft plan)"
            replaced = {
                _REFERENCE: reference,
                _FIRST: first,
                _LAST: last,
                str(_NUMBER): str(number),
                _ISSUED.isoformat(): issued_on.isoformat(),
                _BORN.isoformat(): born.isoformat(),
                _long(_ISSUED): _long(issued_on),
                _long(_BORN): _long(born),
            }
            version_snapshot, version_html = snapshot, html
            for stand_in, value in replaced.items():
                version_snapshot = version_snapshot.replace(stand_in, value)
                version_html = version_html.replace(stand_in, value)
            writer.add(
                "plans_planversion",
                VERSION_COLUMNS,
                (
                    self.version_id,
                    plan_id,
                    number,
                    VersionKind.DRAFT.value,
                    issued_on,
                    caseworker,
                    version_snapshot,
                    version_html,
                    now,
                ),
            )
            audit(
                issued_on,
                "plan.draft_issued",
                "plans.planversion",
                self.version_id,
                label,
                {"version": number},
            )
            self.version_id += 1
        self.counts["plans"] += 1
        self.counts["draft_versions"] += len(drafts)
        self._consult(writer, plan_id, reference, drafts[-1], caseworker, audit, today)

    def _consult(self, writer, plan_id, reference, drafted_on, caseworker, audit, today):
        """s39: a school consulted with the latest draft within days of it; each answers 3 to 25
        days after (most within its 15), or has not yet if that day is still to come."""
        rng = self.rng
        if rng.random() >= CONSULTED_SHARE:
            return
        sent_on = drafted_on + datetime.timedelta(days=rng.randint(0, 4))
        if sent_on > today:
            return
        name, kind = rng.choice(SCHOOLS)
        answer_on = sent_on + datetime.timedelta(days=rng.randint(3, 25))
        answered = answer_on <= today
        answer = ("can_meet" if rng.random() < 0.8 else "cannot_meet") if answered else ""
        reasons = "Cannot meet the needs set out in section B (synthetic)."
        writer.add(
            "plans_consultation",
            CONSULTATION_COLUMNS,
            (
                self.consultation_id,
                plan_id,
                name,
                kind,
                "",
                sent_on,
                deadlines.consultation_due(sent_on),
                caseworker,
                0,
                answer,
                reasons if answer == "cannot_meet" else "",
                "",
                answer_on if answered else None,
                caseworker if answered else None,
            ),
        )
        label = f"{name} ({reference})"
        target = ("plans.consultation", self.consultation_id, label)
        audit(sent_on, "plan.consultation_sent", *target, {})
        if answered:
            audit(
                answer_on,
                "plan.consultation_answered",
                *target,
                {},
                to_state=answer,
                reason=reasons if answer == "cannot_meet" else "",
            )
        self.consultation_id += 1
        self.counts["consultations"] += 1


def plans_alerts_sync(*, today: datetime.date, at) -> int:
    """The plans sweep ran every day up to yesterday: what it owed by then is recorded (as of
    yesterday's sweep), as sent; what came due today is left for today's sweep."""
    yesterday = today - datetime.timedelta(days=1)
    recorded = sweep_plans(today=yesterday, now=at(yesterday, 1))
    Notification.objects.filter(
        object_type__in=("plan_version", "consultation"), email_status=EmailStatus.PENDING
    ).update(email_status=EmailStatus.SENT, email_attempts=1, emailed_at=at(yesterday, 1))
    return recorded
