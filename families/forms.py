"""The family portal's forms: accepting an invitation and the emailed sign-in code. Messages in
plain words (GOV.UK content style), never Django's defaults."""

from django import forms

EMAIL_MISSING = "Enter the email address the invitation was sent to"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
PASSWORD_MISSING = "Enter a password"  # noqa: S105 - a message, not a secret
PASSWORDS_DIFFER = "The passwords do not match. Enter the same password twice"
CODE_MISSING = "Enter the code we sent to your email"
CODE_WRONG = "The code is not right or has ended. Check the email, or ask for a new code"
YOUNG_PERSON_EMAIL_MISSING = "Enter the young person's email address"


class AcceptInvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={"required": EMAIL_MISSING, "invalid": EMAIL_INVALID},
    )
    password = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        required=False,
    )
    password_again = forms.CharField(
        label="Enter the password again",
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        required=False,
    )

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in

    def clean(self):
        cleaned = super().clean()
        if self.signed_in:
            return cleaned
        password = cleaned.get("password")
        if not password:
            self.add_error("password", PASSWORD_MISSING)
        elif password != cleaned.get("password_again"):
            self.add_error("password_again", PASSWORDS_DIFFER)
        return cleaned


class SignInCodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=12, strip=True, error_messages={"required": CODE_MISSING}
    )


class YoungPersonInvitationForm(forms.Form):
    email = forms.EmailField(
        label="Young person's email address",
        error_messages={"required": YOUNG_PERSON_EMAIL_MISSING, "invalid": EMAIL_INVALID},
    )


def error_items(form) -> list[dict]:
    """The GOV.UK error summary's links, one per message, to the field it belongs to."""
    items = []
    for name, messages in form.errors.items():
        anchor = f"#{form[name].id_for_label}" if name in form.fields else ""
        items.extend({"text": message, "href": anchor} for message in messages)
    return items


# --- "All about me": the family's own views (issue 16 item 3) ------------------------------

#: The questions, in the order asked: (field, label for a parent, label for the young person,
#: the message when it is left empty). The young person is asked in their own words.
VIEWS_QUESTIONS = (
    (
        "likes_and_good_at",
        "What does your child like, and what are they good at?",
        "What do you like, and what are you good at?",
        "Tell us what your child likes and is good at",
    ),
    (
        "finds_hard",
        "What does your child find hard?",
        "What do you find hard?",
        "Tell us what your child finds hard",
    ),
    (
        "hopes",
        "What does your child hope for, now and when they are older?",
        "What do you hope for, now and in the future?",
        "Tell us what your child hopes for",
    ),
    (
        "what_helps",
        "What helps your child?",
        "What helps you?",
        "Tell us what helps your child",
    ),
)
YOUNG_PERSON_MISSING = {
    "likes_and_good_at": "Tell us what you like and are good at",
    "finds_hard": "Tell us what you find hard",
    "hopes": "Tell us what you hope for",
    "what_helps": "Tell us what helps you",
}
PARENT_VIEWS_LABEL = "Your own views (optional)"
ANSWER_TOO_LONG = "Keep each answer under {limit} characters"
ANSWER_LIMIT = 5000
VIEWS_FIELDS = (*(question[0] for question in VIEWS_QUESTIONS), "parent_views")


class FamilyViewsForm(forms.Form):
    """The questions page. The labels speak to the reader: a parent about their child, the
    young person about themselves (who is then not asked for a parent's views)."""

    def __init__(self, *args, young_person: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.young_person = young_person
        too_long = ANSWER_TOO_LONG.format(limit=ANSWER_LIMIT)
        for name, parent_label, young_label, missing in VIEWS_QUESTIONS:
            self.fields[name] = forms.CharField(
                label=young_label if young_person else parent_label,
                max_length=ANSWER_LIMIT,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    "required": YOUNG_PERSON_MISSING[name] if young_person else missing,
                    "max_length": too_long,
                },
            )
        if not young_person:
            self.fields["parent_views"] = forms.CharField(
                label=PARENT_VIEWS_LABEL,
                required=False,
                max_length=ANSWER_LIMIT,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"max_length": too_long},
            )


class FamilyViewsDocumentForm(forms.Form):
    """The check-your-answers page: an optional document, checked like any advice document
    (advice_requests.documents) when the views are sent."""

    document = forms.FileField(label="Add a document (optional)", required=False)


# --- The draft plan: comments, a meeting, a school (s38; issue 16 item 2) ------------------

COMMENT_NOTHING = (
    "Write a comment on at least one section, ask for a meeting, or name a school or college"
)
COMMENT_TOO_LONG = "Keep each comment under {limit} characters"
SCHOOL_TOO_LONG = "Keep the name of the school or college under 200 characters"
MEETING_LABEL = "I would like a meeting to talk about the draft plan"
MEETING_ABOUT_LABEL = "What would you like to talk about? (optional)"
SCHOOL_LABEL = "The school or college you would like (optional)"
SCHOOL_HINT = "Give its name. We will ask the school or college if it can meet the needs."
#: The section a request for a meeting is filed under: the family's views (decision 0146).
MEETING_SECTION = "A"
#: A school or college asked for belongs to section I, the placement.
SCHOOL_SECTION = "I"


def section_field(section: str) -> str:
    return f"section_{section}"


class DraftCommentsForm(forms.Form):
    """One comment box per section of the draft (A to K), a request for a meeting and the
    school or college the family asks for. Every box is optional; at least one thing is said."""

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        too_long = COMMENT_TOO_LONG.format(limit=ANSWER_LIMIT)
        for section, title in sections:
            self.fields[section_field(section)] = forms.CharField(
                label=f"Your comments on section {title}",
                required=False,
                max_length=ANSWER_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": too_long},
            )
        self.sections = [section for section, _title in sections]
        self.fields["meeting"] = forms.BooleanField(label=MEETING_LABEL, required=False)
        self.fields["meeting_about"] = forms.CharField(
            label=MEETING_ABOUT_LABEL,
            required=False,
            max_length=ANSWER_LIMIT,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"max_length": too_long},
        )
        self.fields["school"] = forms.CharField(
            label=SCHOOL_LABEL,
            required=False,
            max_length=200,
            error_messages={"max_length": SCHOOL_TOO_LONG},
        )

    def section_fields(self):
        return [self[section_field(section)] for section in self.sections]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.comments():
            raise forms.ValidationError(COMMENT_NOTHING)
        return cleaned

    def comments(self) -> list[dict]:
        """What was said, as comments of the plan (plans.services.comment_submit_online)."""
        data = self.cleaned_data
        items = [
            {"section": section, "text": data[section_field(section)].strip(), "kind": "comment"}
            for section in self.sections
            if data.get(section_field(section), "").strip()
        ]
        if data.get("meeting"):
            about = data.get("meeting_about", "").strip()
            items.append(
                {
                    "section": MEETING_SECTION,
                    "text": about or "We would like a meeting to talk about the draft plan.",
                    "kind": "meeting",
                }
            )
        if data.get("school", "").strip():
            items.append(
                {
                    "section": SCHOOL_SECTION,
                    "text": data["school"].strip(),
                    "kind": "preferred_setting",
                }
            )
        return items
