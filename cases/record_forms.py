"""Forms of the everyday record's pages: a note or contact, a document upload."""

from __future__ import annotations

import uuid

from django import forms

from .forms import GovukDateField
from .models import CaseDocumentType, ContactKind

WITH_NOBODY = ""
WITH_SOMEONE_ELSE = "other"
WITH_SOMEONE_ELSE_REQUIRED = "Enter who the contact was with, or choose no one."


def _with_choices(case) -> tuple[list, dict]:
    """The family's people and the case's partner services, as choices, and what each means."""
    choices = [(WITH_NOBODY, "No one (a note)")]
    meaning: dict[str, dict] = {WITH_NOBODY: {}}
    for person in case.child.parent_carers.all():
        key = f"family:{person.pk}"
        label = f"{person.name} ({person.relationship})" if person.relationship else person.name
        choices.append((key, label))
        meaning[key] = {"with_parent_carer": person}
    seen = set()
    for advice in case.advice_requests.filter(service__isnull=False).select_related("service"):
        if advice.service_id in seen:
            continue
        seen.add(advice.service_id)
        key = f"service:{advice.service_id}"
        choices.append((key, advice.service.name))
        meaning[key] = {"with_service": advice.service}
    choices.append((WITH_SOMEONE_ELSE, "Someone else"))
    return choices, meaning


class CaseNoteForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        label="What kind of contact",
        error_messages={"required": "Choose what kind of contact or note this is."},
    )
    occurred_on = GovukDateField(label="Date it happened")
    with_choice = forms.ChoiceField(label="Who was it with", required=False)
    with_whom = forms.CharField(label="Who else", max_length=200, required=False)
    summary = forms.CharField(
        widget=forms.Textarea,
        max_length=10000,
        label="What was said or done",
        error_messages={"required": "Enter what was said or done."},
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("token", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        choices, self._meaning = _with_choices(case)
        self.fields["with_choice"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("with_choice") == WITH_SOMEONE_ELSE and not cleaned.get("with_whom"):
            self.add_error("with_whom", WITH_SOMEONE_ELSE_REQUIRED)
        return cleaned

    def details(self) -> dict:
        """The service's arguments: kind, date, summary, with whom, and the form's token."""
        data = self.cleaned_data
        choice = data.get("with_choice") or WITH_NOBODY
        with_whom = data.get("with_whom", "") if choice == WITH_SOMEONE_ELSE else ""
        return {
            "kind": data["kind"],
            "occurred_on": data["occurred_on"],
            "summary": data["summary"],
            "with_whom": with_whom,
            "submission_token": data.get("token", ""),
            **self._meaning.get(choice, {}),
        }

    @staticmethod
    def initial_from(note) -> dict:
        """A correction starts from the entry it corrects."""
        if note.with_parent_carer_id:
            choice = f"family:{note.with_parent_carer_id}"
        elif note.with_service_id:
            choice = f"service:{note.with_service_id}"
        elif note.with_whom:
            choice = WITH_SOMEONE_ELSE
        else:
            choice = WITH_NOBODY
        return {
            "kind": note.kind,
            "occurred_on": note.occurred_on,
            "with_choice": choice,
            "with_whom": note.with_whom,
            "summary": note.summary,
        }


class CaseDocumentForm(forms.Form):
    document = forms.FileField(
        label="Document",
        required=False,
        widget=forms.ClearableFileInput,
    )
    document_type = forms.ChoiceField(
        choices=CaseDocumentType.choices,
        widget=forms.RadioSelect,
        label="What kind of document",
        error_messages={"required": "Choose what kind of document this is."},
    )
    title = forms.CharField(
        max_length=200,
        label="Title",
        error_messages={"required": "Enter a title for the document."},
    )
    dated_on = GovukDateField(label="Date of the document")
