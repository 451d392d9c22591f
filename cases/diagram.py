"""The case state diagram, generated from the django-fsm-2 transitions (so docs cannot drift)."""

from .models import Case, CaseStatus


def case_state_mermaid() -> str:
    """A Mermaid state diagram of Case.status, one line per (source, transition, target)."""
    field = Case._meta.get_field("status")
    edges = {(str(t.source), t.name, str(t.target)) for t in field.get_all_transitions(Case)}
    order = {status.value: index for index, status in enumerate(CaseStatus)}
    lines = ["stateDiagram-v2", f"    [*] --> {CaseStatus.RECEIVED.value}"]
    for source, name, target in sorted(edges, key=lambda e: (order[e[0]], order[e[2]], e[1])):
        lines.append(f"    {source} --> {target}: {name}")
    for terminal in (CaseStatus.FINAL_ISSUED, CaseStatus.WITHDRAWN):
        lines.append(f"    {terminal.value} --> [*]")
    return "\n".join(lines) + "\n"
