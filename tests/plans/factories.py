"""Plans for tests: a plan good enough to issue, written through the services."""

from __future__ import annotations

from plans import services
from plans.models import Plan

GOOD_CHILD_VIEWS = "I like building with Lego and I want to read books about space."


def write_plan(case, actor, *, setting_name: str = "") -> Plan:
    """A plan with one need in each of two areas, each with its outcome and quantified
    provision, the child's views in section A: the quality check finds nothing in it."""
    plan = services.plan_start(actor=actor, case=case)
    talk = services.outcome_save(
        actor=actor, plan=plan, text="By July, asks for help in class using a sentence."
    )
    read = services.outcome_save(
        actor=actor, plan=plan, text="By July, reads a book at book band 6 with support."
    )
    therapy = services.provision_save(
        actor=actor,
        plan=plan,
        what="Individual speech and language therapy sessions",
        delivered_by="Speech and language therapist",
        qualification="HCPC registered",
        frequency=1,
        frequency_unit="week",
        session_minutes=30,
        group_size=1,
    )
    phonics = services.provision_save(
        actor=actor,
        plan=plan,
        what="Structured phonics programme",
        delivered_by="Teaching assistant",
        qualification="Trained by the SENCO",
        frequency=3,
        frequency_unit="week",
        session_minutes=20,
        group_size=3,
    )
    services.need_save(
        actor=actor,
        plan=plan,
        area="communication",
        text="Finds it hard to put words into sentences.",
        outcomes=[talk.pk],
        provision=[therapy.pk],
    )
    services.need_save(
        actor=actor,
        plan=plan,
        area="cognition",
        text="Reads two years below the level expected.",
        outcomes=[read.pk],
        provision=[phonics.pk],
    )
    return services.plan_update(
        actor=actor,
        plan=plan,
        data={
            "child_views": GOOD_CHILD_VIEWS,
            "family_views": "We want a school that understands how he communicates.",
            "setting_type": "Mainstream primary school",
            "setting_name": setting_name,
        },
    )


def prepare_step(case, transition: str, actor) -> None:
    """What a case needs before a step the plans app guards: a plan before the draft, the
    setting named before the final plan."""
    if case.imported:
        return
    if transition == "issue_draft" and not Plan.objects.filter(case=case).exists():
        write_plan(case, actor)
    if transition == "issue_final":
        plan = Plan.objects.filter(case=case).first() or write_plan(case, actor)
        if not plan.setting_name:
            services.plan_update(
                actor=actor, plan=plan, data={"setting_name": "Oakfield Primary (synthetic)"}
            )


def send_letters(case, actor) -> None:
    """Mark every letter of the case sent by post on its decision day (the family told on
    time, so unsent letters put nothing at risk)."""
    from plans.letters import letter_mark_sent  # noqa: PLC0415

    for letter in case.letters.select_related("notice").filter(sent_on__isnull=True):
        letter_mark_sent(
            actor=actor,
            letter=letter,
            method="post",
            sent_on=letter.notice.decided_on,
            today=letter.notice.decided_on,
        )
