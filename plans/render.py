"""A plan as a snapshot (plain JSON: what a version freezes), its HTML (one template, the same
for the page and the PDF) and its sections as lines (for the diff between versions)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.loader import render_to_string

from advice_requests.models import AdviceKind, AdviceSubmission

from .models import (
    ISSUED_PLAN_KINDS,
    FrequencyUnit,
    Need,
    NeedArea,
    Plan,
    ProvisionSection,
    Section,
    VersionKind,
)

DOCUMENT_TEMPLATE = "plans/plan_document.html"
DRAFT_PLACEMENT = (
    "A draft plan does not name a school or other institution. The type of setting proposed is "
    "shown; the family may ask for a particular school or college."
)


def _source_labels(items) -> dict[int, str]:
    """Where each cited piece of advice came from ("Educational psychology advice, Synthetic EP
    Service, 1 September 2026"), by submission id: one narrow query for the whole plan, and
    none for a plan that cites no advice (a draft is frozen inside the case step)."""
    ids = {item.source_id for item in items if item.source_id}
    if not ids:
        return {}
    rows = AdviceSubmission.objects.filter(pk__in=ids).values_list(
        "pk", "submitted_on", "advice_request__kind", "advice_request__service__name"
    )
    return {
        pk: f"{AdviceKind(kind).label}, {service or 'The family'}, {submitted_on:%-d %B %Y}"
        for pk, submitted_on, kind, service in rows
    }


def _need_links(plan: Plan, needs, outcomes, provision) -> dict[int, tuple[list, list]]:
    """Each need's outcomes and provision (the "golden thread"), in the plan's order of each,
    from the two link tables alone: the plan's outcomes and provision are already read, and a
    prefetch would read them again, at several times the cost inside the step that freezes
    the plan (issue 20, benchmark 5)."""
    links = {need.pk: ([], []) for need in needs}
    if not needs:
        return links
    for kept, items, through, column in (
        (0, outcomes, Need.outcomes.through, "outcome_id"),
        (1, provision, Need.provision.through, "provision_id"),
    ):
        by_pk = {item.pk: item for item in items}
        order = {item.pk: position for position, item in enumerate(items)}
        rows = through.objects.filter(need__plan_id=plan.pk).values_list("need_id", column)
        for need_id, item_id in sorted(rows, key=lambda row: order[row[1]]):
            links[need_id][kept].append(by_pk[item_id])
    return links


def date_in_words(value: str) -> str:
    """A snapshot's ISO date ("2026-09-01") as people write it ("1 September 2026")."""
    if not value:
        return ""
    try:
        return f"{datetime.date.fromisoformat(value):%-d %B %Y}"
    except ValueError:
        return value


def _provision_row(item, label: str, source: str) -> dict:
    return {
        "label": label,
        "section": item.section,
        "what": item.what,
        "delivered_by": item.delivered_by,
        "qualification": item.qualification,
        "frequency": item.frequency,
        "frequency_unit": item.frequency_unit,
        "how_often": item.how_often,
        "session_minutes": item.session_minutes,
        "group_size": item.group_size,
        "starts_on": item.starts_on.isoformat() if item.starts_on else "",
        "source": source,
    }


def plan_snapshot(plan: Plan, *, kind: str, number: int, issued_on: datetime.date | None) -> dict:
    """Everything the plan says, as JSON. A draft never carries a school's name (s38)."""
    case = plan.case
    child = case.child
    outcomes = list(plan.outcomes.all())
    provision = list(plan.provision.all())
    needs = list(plan.needs.all())
    links = _need_links(plan, needs, outcomes, provision)
    sources = _source_labels([*outcomes, *provision, *needs])
    outcome_labels = {item.pk: f"E{n}" for n, item in enumerate(outcomes, 1)}
    provision_labels = {}
    counters: dict[str, int] = {}
    for item in provision:
        counters[item.section] = counters.get(item.section, 0) + 1
        provision_labels[item.pk] = f"{item.section}{counters[item.section]}"
    need_labels = {item.pk: f"B{n}" for n, item in enumerate(needs, 1)}
    areas = []
    for area, area_label in NeedArea.choices:
        rows = [
            {
                "label": need_labels[need.pk],
                "text": need.text,
                "source": sources.get(need.source_id, ""),
                "outcomes": [outcome_labels[o.pk] for o in links[need.pk][0]],
                "provision": [provision_labels[p.pk] for p in links[need.pk][1]],
            }
            for need in needs
            if need.area == area
        ]
        areas.append({"area": area, "label": area_label, "needs": rows})
    needs_by_outcome: dict[int, list[str]] = {}
    needs_by_provision: dict[int, list[str]] = {}
    for need in needs:
        linked_outcomes, linked_provision = links[need.pk]
        for outcome in linked_outcomes:
            needs_by_outcome.setdefault(outcome.pk, []).append(need_labels[need.pk])
        for item in linked_provision:
            needs_by_provision.setdefault(item.pk, []).append(need_labels[need.pk])
    placement = {"type": plan.setting_type}
    if kind in ISSUED_PLAN_KINDS:
        placement["name"] = plan.setting_name
    return {
        "reference": case.reference,
        "authority": settings.EHC_AUTHORITY_NAME,
        "kind": kind,
        "number": number,
        "issued_on": issued_on.isoformat() if issued_on else "",
        "child": {
            "name": child.full_name,
            "first_name": child.first_name,
            "date_of_birth": child.date_of_birth.isoformat(),
            "upn": child.upn,
        },
        "sections": {
            "A": {
                "child_views": plan.child_views,
                "family_views": plan.family_views,
                "aspirations": plan.aspirations,
            },
            "B": areas,
            "C": {"text": plan.health_needs},
            "D": {"text": plan.social_care_needs},
            "E": [
                {
                    "id": item.pk,
                    "label": outcome_labels[item.pk],
                    "text": item.text,
                    "preparing_for_adulthood": item.preparing_for_adulthood,
                    "source": sources.get(item.source_id, ""),
                    "needs": needs_by_outcome.get(item.pk, []),
                }
                for item in outcomes
            ],
            **{
                section: [
                    {
                        **_provision_row(
                            item, provision_labels[item.pk], sources.get(item.source_id, "")
                        ),
                        "needs": needs_by_provision.get(item.pk, []),
                    }
                    for item in provision
                    if item.section == section
                ]
                for section in ProvisionSection.values
            },
            "I": placement,
            "J": {"text": plan.personal_budget},
            "K": [
                {
                    "description": item.description,
                    "provider": item.provider,
                    "dated": item.dated.isoformat() if item.dated else "",
                }
                for item in plan.advice_listed.all()
            ],
        },
    }


def _date(value: str) -> str:
    return f"{datetime.date.fromisoformat(value):%-d %B %Y}" if value else ""


def document_context(snapshot: dict) -> dict:
    sections = snapshot["sections"]
    return {
        "plan": snapshot,
        "section_titles": dict(Section.choices),
        "is_draft": snapshot["kind"] not in ISSUED_PLAN_KINDS,
        "is_amendments": snapshot["kind"] == VersionKind.AMENDMENTS,
        "is_amended": snapshot["kind"] == VersionKind.AMENDED,
        "issued_on": _date(snapshot["issued_on"]),
        "date_of_birth": _date(snapshot["child"]["date_of_birth"]),
        "provision_sections": [
            (section, dict(Section.choices)[section], sections[section])
            for section in ProvisionSection.values
        ],
        "k_rows": [{**row, "dated": _date(row["dated"])} for row in sections["K"]],
        "draft_placement": DRAFT_PLACEMENT,
        "unit_labels": dict(FrequencyUnit.choices),
    }


def plan_html(snapshot: dict) -> str:
    """The plan as a complete HTML document: the page embeds it, the PDF is made from it."""
    return render_to_string(DOCUMENT_TEMPLATE, document_context(snapshot))


def section_lines(snapshot: dict) -> dict[str, list[str]]:
    """Each section (A to K) as lines of text, for comparing two versions."""
    sections = snapshot["sections"]
    lines: dict[str, list[str]] = {}
    a = sections["A"]
    lines["A"] = [
        f"Child's views: {a['child_views']}",
        f"Parents' views: {a['family_views']}",
        f"Interests and aspirations: {a['aspirations']}",
    ]
    lines["B"] = [
        f"{need['label']} ({area['label']}): {need['text']}"
        for area in sections["B"]
        for need in area["needs"]
    ]
    lines["C"] = [sections["C"]["text"]]
    lines["D"] = [sections["D"]["text"]]
    lines["E"] = [f"{item['label']}: {item['text']}" for item in sections["E"]]
    for section in ProvisionSection.values:
        lines[section] = [
            f"{row['label']}: {row['what']}; {row['delivered_by']} {row['qualification']}; "
            f"{row['how_often']}; {row['session_minutes'] or ''} minutes; "
            f"group of {row['group_size'] or ''}; from {date_in_words(row['starts_on'])}"
            for row in sections[section]
        ]
    placement = sections["I"]
    lines["I"] = [f"Type: {placement.get('type', '')}", f"Named: {placement.get('name', '')}"]
    lines["J"] = [sections["J"]["text"]]
    lines["K"] = [
        f"{row['description']}, {row['provider']}, {row['dated']}" for row in sections["K"]
    ]
    return lines


def versions_diff(before: dict, after: dict) -> list[dict]:
    """Section by section: whether it changed, and the lines removed and added."""
    old, new = section_lines(before), section_lines(after)
    result = []
    for section, title in Section.choices:
        removed = [line for line in old[section] if line not in new[section]]
        added = [line for line in new[section] if line not in old[section]]
        result.append(
            {
                "section": section,
                "title": title,
                "changed": bool(removed or added),
                "removed": removed,
                "added": added,
            }
        )
    return result
