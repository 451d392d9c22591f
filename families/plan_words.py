"""What changed between two issued versions of a plan, in plain words for the family (section
12: "a family can see what changed between versions and why"). Pure: reads the versions'
frozen snapshots through plans.render.versions_diff, the same comparison the caseworker sees."""

from __future__ import annotations

from plans.models import VersionKind
from plans.render import versions_diff

FIRST_DRAFT = "This is the first draft of the plan."
NOTHING_CHANGED = "No section changed from version {number}."


def _parts(count: int) -> str:
    return "1 part" if count == 1 else f"{count} parts"


def section_change(row: dict) -> str:
    """'Section F, Special educational provision: 1 part added or rewritten, 1 part taken out.'"""
    letter, _colon, title = row["title"].partition(": ")
    said = []
    if row["added"]:
        said.append(f"{_parts(len(row['added']))} added or rewritten")
    if row["removed"] and len(row["removed"]) > len(row["added"]):
        said.append(f"{_parts(len(row['removed']) - len(row['added']))} taken out")
    return f"Section {letter}, {title}: {', '.join(said) or 'changed'}."


def version_summary(version, previous) -> dict:
    """For one version: its headline and the sections that changed since the one before
    (empty for the first), each with the lines added and taken out."""
    if previous is None:
        return {"headline": FIRST_DRAFT, "sections": []}
    rows = [row for row in versions_diff(previous.snapshot, version.snapshot) if row["changed"]]
    if version.kind == VersionKind.FINAL:
        headline = (
            f"The final plan. It names the school or college. Changes from version "
            f"{previous.number}:"
            if rows
            else f"The final plan. {NOTHING_CHANGED.format(number=previous.number)}"
        )
    else:
        headline = (
            f"A new draft. Changes from version {previous.number}:"
            if rows
            else f"A new draft. {NOTHING_CHANGED.format(number=previous.number)}"
        )
    return {
        "headline": headline,
        "sections": [{**row, "words": section_change(row)} for row in rows],
    }


def versions_in_words(versions: list) -> list[dict]:
    """Newest first, each version with its summary of changes."""
    result = []
    previous = None
    for version in versions:
        result.append({"version": version, **version_summary(version, previous)})
        previous = version
    return list(reversed(result))
