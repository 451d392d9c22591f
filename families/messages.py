"""Messages to families (issue 16 item 4, ehc-process.md section 11): an email at each point the
family must know, through the one notification outbox (so each is recorded once per event and
recipient, and delivered once even if a worker dies mid-send, as staff alerts are).

Who: everyone who may see the request in the portal (families.selectors.link_gives_access),
and, until the child is a young person, each person with parental responsibility who has an
email address but no account yet. A young person without an account, and anyone without an
email, gets the letters by post (nothing is lost for them).

What: what happened in general terms, its date, the request's reference and a link to the
portal. Never the child's name, needs or the decision's reasons."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone

from advice_requests.models import AdviceRequest, AdviceStatus
from cases.models import PARENTS_READ_FOR_STEP, Case, CaseStatus, ParentCarer
from notifications.kinds import Kind
from notifications.selectors import Joined, Recipient, as_text, recorded
from notifications.services import Alert, alerts_record
from notifications.texts import mobile_number, texts_on

from .models import FamilyLink
from .selectors import link_gives_access
from .status import comment_deadline

LEVEL = "family"
#: The case transitions the family hears about, and what each message is.
TRANSITION_KINDS = {
    "agree_to_assess": Kind.FAMILY_DECISION,
    "decline_to_assess": Kind.FAMILY_DECISION,
    "agree_to_issue": Kind.FAMILY_DECISION,
    "decline_to_issue": Kind.FAMILY_DECISION,
    "issue_draft": Kind.FAMILY_DRAFT_READY,
    "issue_final": Kind.FAMILY_FINAL_PLAN,
}
#: Remind the family this many days before the last day to comment on the draft.
COMMENT_REMINDER_DAYS = 3


def family_recipients(*, case: Case, today: datetime.date) -> list[Recipient]:
    """Who is told about this request (see the module docstring); two queries."""
    return family_recipients_by_child([case.child], today=today)[case.child_id]


def family_recipients_by_child(children, *, today: datetime.date) -> dict[int, list[Recipient]]:
    """`family_recipients` for many children at once (the sweep's): two queries however many."""
    children = {child.pk: child for child in children}
    recipients: dict[int, dict[str, Recipient]] = {pk: {} for pk in children}
    linked_carers = set()
    links = (
        FamilyLink.objects.active()
        .filter(child_id__in=list(children))
        .select_related("member__user", "parent_carer")
    )
    for link in links:
        link.child = children[link.child_id]  # the caller's, not read again
        if link.parent_carer_id:
            linked_carers.add(link.parent_carer_id)
        user = link.member.user
        if user.is_active and user.email and link_gives_access(link, today=today):
            key = f"user:{user.pk}"
            carer = link.parent_carer
            recipients[link.child_id][key] = Recipient(
                key=key,
                user_id=user.pk,
                email=user.email,
                name=link.member.name,
                mobile=mobile_number(carer.phone) if carer is not None else "",
            )
    not_young = [child for child in children.values() if not child.is_young_person(today)]
    for carer in _reachable_carers_of(not_young):
        if carer.pk in linked_carers:
            continue
        mobile = mobile_number(carer.phone)
        if carer.email:
            key = f"mailbox:{carer.email.lower()}"
        elif mobile:
            key = f"mobile:{mobile}"
        else:
            continue  # a landline only: letters by post
        recipients[carer.child_id].setdefault(
            key,
            Recipient(key=key, user_id=None, email=carer.email, name=carer.name, mobile=mobile),
        )
    return {pk: sorted(found.values(), key=lambda r: r.key) for pk, found in recipients.items()}


def _reachable_carers() -> Q:
    """Carers a message can reach: with an email; with texts on, also with a phone number."""
    reachable = ~Q(email="")
    return reachable | ~Q(phone="") if texts_on() else reachable


def _is_reachable(carer: ParentCarer) -> bool:
    """`_reachable_carers` for a carer already read."""
    return carer.email != "" or (texts_on() and carer.phone != "")


def _reachable_carers_of(children) -> list[ParentCarer]:
    """The reachable carers with parental responsibility of these children, by id: from the
    parents a case step read with its child (cases.services, for its letters too), else in one
    query."""
    read = [getattr(child, PARENTS_READ_FOR_STEP, None) for child in children]
    if None not in read:
        carers = [carer for parents in read for carer in parents if _is_reachable(carer)]
        return sorted(carers, key=lambda carer: carer.pk)
    return list(
        ParentCarer.objects.with_parental_responsibility()
        .filter(child_id__in=[child.pk for child in children])
        .filter(_reachable_carers())
        .order_by("pk")
    )


def _context(case: Case, *, on: datetime.date, due_on: datetime.date | None = None) -> dict:
    context = {
        "reference": case.reference,
        "today": on,
        "link": reverse("families:request", args=[case.reference]),
    }
    if due_on is not None:
        context["due_on"] = due_on
    return context


def family_message(
    *, case: Case, kind: str, on: datetime.date, today: datetime.date, due_on=None, event: str = ""
) -> int:
    """Record one message about `case` for each family recipient (once per event: the
    notification's unique key includes the event and its date)."""
    recipients = family_recipients(case=case, today=today)
    return alerts_record(alerts=_alerts(case, kind, on, recipients, due_on=due_on, event=event))


def _told(kind: str, on_field: str) -> Exists:
    """The family's message about this event already recorded: `_alerts`' milestone key
    (kind@date of the event), built in SQL."""
    milestone = Joined(Value(f"{kind}@"), as_text(OuterRef(on_field)))
    return recorded(kind=kind, object_type="case", milestone=milestone, level=LEVEL)


def _alerts(case, kind, on, recipients, *, due_on=None, event="") -> list[Alert]:
    if not recipients:
        return []
    context = _context(case, on=on, due_on=due_on)
    return [
        Alert(
            kind=kind,
            object_type="case",
            object_id=str(case.pk),
            milestone=f"{event or kind}@{on.isoformat()}",
            level=LEVEL,
            recipient=recipient,
            context=context,
            case_id=case.pk,
            due_on=due_on,
        )
        for recipient in recipients
    ]


def request_received(*, case: Case, actor) -> None:
    """Creation hook: "we received your request", after the request (and the family's
    details logged with it) is committed."""
    case_id = case.pk

    def send():
        logged = Case.objects.select_related("child").filter(pk=case_id).first()
        if logged is not None:
            family_message(
                case=logged,
                kind=Kind.FAMILY_REQUEST_RECEIVED,
                on=logged.received_on,
                today=timezone.localdate(),
            )

    transaction.on_commit(send, robust=True)


def decision_hook(transition: str):
    """The transition hook for one decision: a message about the decision, the draft plan
    (with the last day to comment) or the final plan."""
    kind = TRANSITION_KINDS[transition]

    def decision_made(*, case: Case, actor, effective_date, reason, details) -> None:
        due_on = comment_deadline(effective_date) if kind == Kind.FAMILY_DRAFT_READY else None
        family_message(
            case=case,
            kind=kind,
            on=effective_date,
            today=timezone.localdate(),
            due_on=due_on,
            event=transition,
        )

    decision_made.__name__ = f"family_message_on_{transition}"
    return decision_made


def family_owing(today: datetime.date) -> tuple[list[Case], list[Case]]:
    """The sweep's two lists: requests whose advice is all in, and drafts at their comment
    reminder, each not yet told (two queries; the benchmark's hand SQL is the same)."""
    week_ago = today - datetime.timedelta(days=7)
    # Only cases with someone to tell: a portal account or a parent with an email on record.
    someone_to_tell = Exists(FamilyLink.objects.active().filter(child=OuterRef("child"))) | Exists(
        ParentCarer.objects.with_parental_responsibility()
        .filter(child=OuterRef("child"))
        .filter(_reachable_carers())
    )
    submitted = AdviceRequest.objects.filter(case=OuterRef("pk"), status=AdviceStatus.SUBMITTED)
    # From the advice submitted this week (a partial index), not from every assessing case;
    # "none outstanding" is the case's stored input (decision 0190), not a probe per case.
    submitted_this_week = AdviceRequest.objects.filter(
        status=AdviceStatus.SUBMITTED, submitted_on__gte=week_ago
    ).values("case_id")
    recently_complete = list(
        Case.objects.filter(
            pk__in=submitted_this_week,
            status=CaseStatus.ASSESSING,
            outstanding_advice_due__isnull=True,
            child__restricted_on__isnull=True,
        )
        .filter(someone_to_tell)
        .annotate(
            last_submitted_on=Subquery(
                submitted.order_by("-submitted_on").values("submitted_on")[:1]
            )
        )
        .filter(~_told(Kind.FAMILY_ADVICE_RECEIVED, "last_submitted_on"))
        .select_related("child")
        .order_by("pk")
    )
    first_day = today - datetime.timedelta(days=14)
    reminder_from = today - datetime.timedelta(days=14 - COMMENT_REMINDER_DAYS)
    comment_closing = list(
        # The drafts issued on these days: a partial index (case_draft_issued_on_idx).
        Case.objects.filter(
            status=CaseStatus.DRAFT_ISSUED,
            draft_issued_on__gte=first_day,
            draft_issued_on__lte=reminder_from,
            child__restricted_on__isnull=True,
        )
        .filter(someone_to_tell)
        .filter(~_told(Kind.FAMILY_COMMENT_REMINDER, "draft_issued_on"))
        .select_related("child")
        .order_by("pk")
    )
    return recently_complete, comment_closing


def sweep_family(*, today: datetime.date, now) -> int:
    """The daily sweep's family source: "all the advice is in" once it is (for advice
    submitted in the last week, so a missed day catches up), and the reminder before the last
    day to comment on a draft. Idempotent: the outbox's unique key records each once.

    Set-based, as the other sweep sources are: the two lists of cases, their recipients (two
    queries) and one insert, however many cases (it ran ~5 queries per case, 87 s at 100,000).
    Each list leaves out the cases whose message is already recorded (for anyone), so a sweep
    with nothing new reads two short lists and writes nothing (decision 0197): a carer added
    after the family was told is not told again by the sweep."""
    recently_complete, comment_closing = family_owing(today)
    if not recently_complete and not comment_closing:
        return 0
    recipients = family_recipients_by_child(
        [case.child for case in recently_complete + comment_closing], today=today
    )
    alerts = []
    for case in recently_complete:
        alerts += _alerts(
            case, Kind.FAMILY_ADVICE_RECEIVED, case.last_submitted_on, recipients[case.child_id]
        )
    for case in comment_closing:
        alerts += _alerts(
            case,
            Kind.FAMILY_COMMENT_REMINDER,
            case.draft_issued_on,
            recipients[case.child_id],
            due_on=comment_deadline(case.draft_issued_on),
        )
    return alerts_record(alerts=alerts, now=now)
