"""The demo borough's plans and letters (wired by demo.borough): before each draft a plan is
written (needs by area, outcomes, quantified provision, the child's views), before each final
plan a school is consulted, the family's comments are recorded and answered and the setting is
named; after each case its older letters are marked sent (recent ones wait in the queue).
All synthetic."""

from __future__ import annotations

import datetime
import random

from .letter_models import Letter
from .letters import letter_mark_sent
from .models import AdviceListed, Plan
from .services import (
    comment_answer,
    comment_record,
    consultation_respond,
    consultation_send,
    need_save,
    outcome_save,
    plan_start,
    plan_update,
    provision_save,
)

SCHOOLS = [
    ("Brookfield Primary School (synthetic)", "Mainstream primary school"),
    ("Riverside Academy (synthetic)", "Mainstream secondary academy"),
    ("Oak Lane Special School (synthetic)", "Special school for complex learning needs"),
    ("Elm Park College (synthetic)", "Further education college"),
]
CHILD_VIEWS = [
    "I like football and drawing. I find it hard when the classroom is noisy. "
    "I want to read on my own.",
    "I like animals and building things. I want help with writing so I can show what I know.",
    "I like music. Talking to new people is hard. I want to have a friend at school.",
]
NEEDS = [
    (
        "communication",
        "Finds it hard to follow instructions with more than two parts.",
        "By the end of the year, follows three-part classroom instructions without prompting.",
        "Individual speech and language therapy",
        "Speech and language therapist",
        "HCPC registered",
        1,
        "week",
        30,
        1,
    ),
    (
        "cognition",
        "Reads about two years below the level expected for their age.",
        "By the end of the year, reads a book at the expected level with support.",
        "Structured phonics and reading programme",
        "Teaching assistant",
        "Trained by the SENCO",
        3,
        "week",
        20,
        3,
    ),
    (
        "semh",
        "Becomes anxious at unstructured times and leaves the classroom.",
        "By the end of the year, stays in class for whole lessons and uses a calm plan.",
        "Check-in with a key adult and a calm plan",
        "Key adult (teaching assistant)",
        "ELSA trained",
        5,
        "week",
        10,
        1,
    ),
    (
        "sensory_physical",
        "Has difficulty with handwriting and fine motor tasks.",
        "By the end of the year, writes a paragraph legibly or types it independently.",
        "Fine motor programme designed by an occupational therapist",
        "Teaching assistant",
        "Trained by the OT",
        2,
        "week",
        15,
        2,
    ),
]


def _list_advice(case, plan, on: datetime.date) -> None:
    """Section K in the demo: the advice is moved along after the case walks its steps, so the
    advice requested is listed here (as it will have been given by the draft)."""
    for advice in case.advice_requests.exclude(status="cancelled").select_related("service"):
        AdviceListed.objects.get_or_create(
            plan=plan,
            description=advice.get_kind_display(),
            defaults={
                "provider": advice.service.name if advice.service_id else "The family",
                "dated": min(advice.requested_on + datetime.timedelta(days=35), on),
            },
        )


def _write_plan(case, actor, rng: random.Random, on: datetime.date) -> Plan:
    plan = plan_start(actor=actor, case=case)
    _list_advice(case, plan, on)
    for (
        area,
        need_text,
        outcome_text,
        what,
        who,
        qualification,
        times,
        unit,
        minutes,
        group,
    ) in rng.sample(NEEDS, 2):
        outcome = outcome_save(actor=actor, plan=plan, text=outcome_text)
        provision = provision_save(
            actor=actor,
            plan=plan,
            what=what,
            delivered_by=who,
            qualification=qualification,
            frequency=times,
            frequency_unit=unit,
            session_minutes=minutes,
            group_size=group,
        )
        need_save(
            actor=actor,
            plan=plan,
            area=area,
            text=need_text,
            outcomes=[outcome.pk],
            provision=[provision.pk],
        )
    school, kind = rng.choice(SCHOOLS)
    return plan_update(
        actor=actor,
        plan=plan,
        data={
            # Most plans include the child's own views; some do not (the dashboard's share).
            "child_views": rng.choice(CHILD_VIEWS) if rng.random() < 0.8 else "",  # noqa: PLR2004
            "family_views": "We want a setting that understands our child and keeps us informed.",
            "aspirations": "To enjoy school, make friends and become more independent.",
            "setting_type": kind,
        },
    )


def _prepare_final(case, actor, on: datetime.date, rng: random.Random) -> None:
    plan = Plan.objects.filter(case=case).first() or _write_plan(case, actor, rng, on)
    school, kind = rng.choice(SCHOOLS)
    draft_on = case.draft_issued_on or on
    sent = min(draft_on + datetime.timedelta(days=1), on)
    consultation = consultation_send(
        actor=actor, plan=plan, setting_name=school, setting_type=kind, sent_on=sent, today=on
    )
    consultation_respond(
        actor=actor,
        consultation=consultation,
        answer="can_meet",
        responded_on=min(sent + datetime.timedelta(days=rng.randint(5, 14)), on),
        evidence="Letter from the head teacher (synthetic).",
        today=on,
    )
    comment = comment_record(
        actor=actor,
        plan=plan,
        section="F",
        text="Please say how often therapy happens in the holidays.",
        source=rng.choice(["letter", "email", "meeting"]),
        received_on=min(draft_on + datetime.timedelta(days=5), on),
        today=on,
    )
    comment_answer(
        actor=actor,
        comment=comment,
        answer="not_accepted",
        answer_text=(
            "Provision in section F is for term time; holiday support is in section H2 "
            "where agreed."
        ),
        answered_on=on,
        today=on,
    )
    plan_update(actor=actor, plan=plan, data={"setting_name": school, "setting_type": kind})


def before_step(case, name: str, on: datetime.date, actor) -> None:
    rng = random.Random(f"plan-{case.reference}")  # noqa: S311 - synthetic demo data
    if name == "issue_draft" and not Plan.objects.filter(case=case).exists():
        _write_plan(case, actor, rng, on)
    elif name == "issue_final":
        _prepare_final(case, actor, on, rng)


def after_case(case, actor, *, today: datetime.date) -> None:
    """Letters older than a week were sent (by post or email, within a few days); recent ones
    wait in the unsent queue."""
    rng = random.Random(f"letters-{case.reference}")  # noqa: S311 - synthetic demo data
    for letter in Letter.objects.filter(case=case, sent_on__isnull=True).select_related("notice"):
        decided = letter.notice.decided_on
        if (today - decided).days < 7:  # noqa: PLR2004
            continue
        sent_on = min(decided + datetime.timedelta(days=rng.randint(0, 8)), today)
        letter_mark_sent(
            actor=actor,
            letter=letter,
            method="email" if letter.recipient_email else "post",
            sent_on=sent_on,
            today=today,
        )
