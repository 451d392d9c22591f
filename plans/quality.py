"""The quality check before a plan is issued (section 12): a list of findings that never blocks
the caseworker. What tribunals strike out and families complain of: needs without provision,
provision meeting no need, outcomes linked to no need, provision not specified and quantified,
another child's name in the text, a named school in a draft, and section A without the child's
own views."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cases.models import Child

from .models import Plan

#: Section A's child's own views of at least this many characters count as their voice.
CHILD_VOICE_MIN_CHARS = 20
#: Words tribunals strike out of section F (section 12).
VAGUE_PHRASES = ("access to", "regular", "opportunities", "as appropriate", "up to")


@dataclass(frozen=True)
class Finding:
    code: str
    section: str
    message: str


NEED_WITHOUT_PROVISION = "need_without_provision"
PROVISION_WITHOUT_NEED = "provision_without_need"
OUTCOME_WITHOUT_NEED = "outcome_without_need"
PROVISION_NOT_QUANTIFIED = "provision_not_quantified"
PROVISION_VAGUE = "provision_vague"
OTHER_CHILD_NAMED = "other_child_named"
SCHOOL_IN_DRAFT = "school_in_draft"
NO_CHILD_VIEWS = "no_child_views"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else f"{text[:57]}..."


def _plan_texts(plan: Plan, needs, outcomes, provision) -> list[tuple[str, str]]:
    texts = [
        ("A", plan.child_views),
        ("A", plan.family_views),
        ("A", plan.aspirations),
        ("C", plan.health_needs),
        ("D", plan.social_care_needs),
        ("J", plan.personal_budget),
    ]
    texts += [("B", n.text) for n in needs]
    texts += [("E", o.text) for o in outcomes]
    texts += [(p.section, f"{p.what} {p.delivered_by}") for p in provision]
    return texts


def _other_children_named(plan: Plan, texts) -> list[Finding]:
    """Another child's name in the text (the wrong child's details: a common, serious
    complaint): the full name of another child the service knows, or another first name used
    as a possessive ("Sam's"), where it is not this child's. One query for the candidates."""
    child = plan.case.child
    words = set()
    for _section, text in texts:
        words |= set(re.findall(r"[A-Z][a-z'\-]+", text or ""))
    words = {word.removesuffix("'s") for word in words} - {child.first_name}
    if not words:
        return []
    candidates = (
        Child.objects.filter(first_name__in=words)
        .exclude(pk=child.pk)
        .values_list("first_name", "last_name")
        .distinct()[:200]
    )
    findings, seen = [], set()
    for first, last in candidates:
        pattern = re.compile(rf"\b{re.escape(first)}(\s+{re.escape(last)}\b|'s\b)")
        for section, text in texts:
            match = pattern.search(text or "")
            if match and (match.group(0), section) not in seen:
                seen.add((match.group(0), section))
                findings.append(
                    Finding(
                        OTHER_CHILD_NAMED,
                        section,
                        f"Section {section} names {match.group(0).removesuffix(chr(39) + 's')}, "
                        f"not {child.first_name}: check this is the right child's plan.",
                    )
                )
    return findings


SCHOOL_PATTERN = re.compile(
    r"\b(?:[A-Z][\w'-]+\s+){1,4}(?:Primary|Secondary|Infant|Junior|High|School|Academy|College)\b"
)


def _schools_named(plan: Plan, texts) -> list[Finding]:
    """s38: a draft names no school. Section I's name is never printed in a draft, but a school
    named in the text would be: the setting to be named, the child's current setting, or any
    "... School", "... Academy", "... College"."""
    names = {plan.setting_name.strip(), plan.case.child.current_setting.strip()} - {""}
    texts = [*texts, ("I", plan.setting_type)]
    findings, seen = [], set()
    for section, text in texts:
        found = [name for name in names if name and name in (text or "")]
        found += SCHOOL_PATTERN.findall(text or "")
        for name in found:
            if (name, section) not in seen:
                seen.add((name, section))
                findings.append(
                    Finding(
                        SCHOOL_IN_DRAFT,
                        section,
                        f"Section {section} names a school ({name}): "
                        "a draft plan must not name one.",
                    )
                )
    return findings


def quality_check(plan: Plan, *, draft: bool = True) -> list[Finding]:
    needs = list(plan.needs.prefetch_related("outcomes", "provision"))
    outcomes = list(plan.outcomes.all())
    provision = list(plan.provision.all())
    findings: list[Finding] = []
    if not plan.child_views.strip():
        findings.append(
            Finding(NO_CHILD_VIEWS, "A", "Section A does not give the child's own views.")
        )
    linked_outcomes, linked_provision = set(), set()
    for need in needs:
        linked_outcomes |= {o.pk for o in need.outcomes.all()}
        linked_provision |= {p.pk for p in need.provision.all()}
        if not need.provision.all():
            findings.append(
                Finding(
                    NEED_WITHOUT_PROVISION,
                    "B",
                    f'No provision meets the need "{_short(need.text)}".',
                )
            )
    for outcome in outcomes:
        if outcome.pk not in linked_outcomes:
            findings.append(
                Finding(
                    OUTCOME_WITHOUT_NEED,
                    "E",
                    f'The outcome "{_short(outcome.text)}" is linked to no need.',
                )
            )
    for item in provision:
        if item.pk not in linked_provision:
            findings.append(
                Finding(
                    PROVISION_WITHOUT_NEED,
                    item.section,
                    f'The provision "{_short(item.what)}" meets no need.',
                )
            )
        missing = []
        if item.frequency is None:
            missing.append("how often")
        if item.session_minutes is None:
            missing.append("how long")
        if missing:
            findings.append(
                Finding(
                    PROVISION_NOT_QUANTIFIED,
                    item.section,
                    f'The provision "{_short(item.what)}" does not say {" or ".join(missing)}.',
                )
            )
        lowered = f" {item.what.lower()} "
        vague = [
            phrase for phrase in VAGUE_PHRASES if re.search(rf"\b{re.escape(phrase)}\b", lowered)
        ]
        if vague:
            findings.append(
                Finding(
                    PROVISION_VAGUE,
                    item.section,
                    f'The provision "{_short(item.what)}" uses vague words '
                    f"({', '.join(vague)}): say exactly what is provided.",
                )
            )
    if draft:
        findings += _schools_named(plan, _plan_texts(plan, needs, outcomes, provision))
    findings += _other_children_named(plan, _plan_texts(plan, needs, outcomes, provision))
    return findings


def has_child_voice(plan: Plan) -> bool:
    """The outcomes framework's "meaningfully includes the child's voice": section A holds the
    child's own views (our proxy: at least a sentence, 20 characters or more; decision 0103)."""
    return len(plan.child_views.strip()) >= CHILD_VOICE_MIN_CHARS
