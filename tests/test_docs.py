"""The committed state diagram is the one the code generates."""

from pathlib import Path

from cases.diagram import case_state_mermaid

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_committed_state_diagram_matches_the_state_machine():
    committed = (DOCS / "case-states.mmd").read_text()
    assert committed == case_state_mermaid(), "run `make diagram` and commit docs/case-states.mmd"


def test_workflow_doc_embeds_the_generated_diagram():
    workflow = (DOCS / "workflow.md").read_text()
    assert case_state_mermaid() in workflow, "paste docs/case-states.mmd into docs/workflow.md"
