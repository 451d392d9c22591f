"""Letters (section 11): one per recipient per decision; the sent date is the family-notified
date; the appeal deadline and the mediation adviser in every letter with appeal rights."""

import datetime
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case, ParentCarer
from plans import deadlines, documents, errors
from plans.letter_checks import UNKNOWN_VARIABLE, check_template
from plans.letter_models import DecisionNotice, Letter, LetterTemplate
from plans.letters import letter_mark_sent, mediation_adviser, print_batch_pdf
from plans.pdf import PDF_MAGIC
from tests.cases.factories import TODAY, ChildFactory, case_in_status, caseworker

pytestmark = pytest.mark.django_db


def _parents(child, *names, responsibility=True):
    for name in names:
        ParentCarer.objects.create(
            child=child,
            name=name,
            address="1 Synthetic Road\nExampletown",
            preferred_contact_method="post",
            has_parental_responsibility=responsibility,
        )


def test_two_parents_with_parental_responsibility_get_two_letters():
    child = ChildFactory()
    _parents(child, "Alex Example", "Sam Example")
    _parents(child, "Step Parent", responsibility=False)
    case = case_in_status("assessment_declined", actor=caseworker(), child=child)
    letters = Letter.objects.filter(case=case)
    assert sorted(letters.values_list("recipient_name", flat=True)) == [
        "Alex Example",
        "Sam Example",
    ]
    assert {letter.notice.kind for letter in letters} == {"decline_to_assess"}


def test_a_young_person_gets_the_letter_alone_unless_they_consent():
    child = ChildFactory(date_of_birth=datetime.date(2008, 3, 1))  # a young person in 2026
    _parents(child, "Alex Example")
    case = case_in_status("assessment_declined", actor=caseworker(), child=child)
    letters = list(Letter.objects.filter(case=case))
    assert [(letter.recipient_name, letter.to_young_person) for letter in letters] == [
        (child.full_name, True)
    ]
    consenting = ChildFactory(
        date_of_birth=datetime.date(2008, 3, 1), young_person_consents_to_parents=True
    )
    _parents(consenting, "Jo Example")
    case = case_in_status("assessment_declined", actor=caseworker(), child=consenting)
    assert sorted(
        Letter.objects.filter(case=case).values_list("recipient_name", flat=True)
    ) == sorted([consenting.full_name, "Jo Example"])


def test_the_sent_date_is_the_family_notified_date():
    child = ChildFactory()
    _parents(child, "Alex Example", "Sam Example")
    actor = caseworker()
    case = case_in_status("assessment_declined", actor=actor, child=child)
    decided = case.assessment_decided_on
    first, second = Letter.objects.filter(case=case).order_by("id")
    letter_mark_sent(
        actor=actor,
        letter=first,
        method="post",
        sent_on=decided + datetime.timedelta(days=1),
        today=TODAY,
    )
    assert Case.objects.get(pk=case.pk).appeal_rights_sent_on is None  # one parent still waits
    letter_mark_sent(
        actor=actor,
        letter=second,
        method="email",
        sent_on=decided + datetime.timedelta(days=2),
        today=TODAY,
    )
    assert Case.objects.get(pk=case.pk).appeal_rights_sent_on == decided + datetime.timedelta(
        days=2
    )
    assert DecisionNotice.objects.get(case=case).family_notified_on == decided + datetime.timedelta(
        days=2
    )
    with pytest.raises(ValidationError) as excinfo:
        letter_mark_sent(actor=actor, letter=second, method="post", sent_on=decided, today=TODAY)
    assert excinfo.value.message_dict == {"sent_on": [errors.LETTER_ALREADY_SENT]}


def test_an_unsent_letter_puts_the_case_at_risk_after_five_working_days():
    actor = caseworker()
    case = case_in_status("assessing", actor=actor)
    notice = DecisionNotice.objects.get(case=case)
    assert notice.letter_due_on == deadlines.add_working_days(notice.decided_on, 5)
    due = notice.letter_due_on
    on_time = Case.objects.filter(pk=case.pk).with_risk(due, warning_days=0).get()
    late = (
        Case.objects.filter(pk=case.pk)
        .with_risk(due + datetime.timedelta(days=1), warning_days=0)
        .get()
    )
    assert (on_time.risk, late.risk) == ("on_track", "at_risk")


def test_working_days_skip_the_weekend():
    friday = datetime.date(2026, 11, 27)
    assert deadlines.add_working_days(friday, 5) == datetime.date(2026, 12, 4)
    assert deadlines.letter_due(datetime.date(2026, 11, 29)) == datetime.date(2026, 12, 4)


def test_a_letters_working_days_skip_bank_holidays():
    # Christmas Day, Boxing Day (a Saturday: its day in lieu is Monday 28th), New Year's Day.
    assert deadlines.letter_due(datetime.date(2026, 12, 23)) == datetime.date(2027, 1, 4)
    # Good Friday (3 April 2026) and Easter Monday (6 April).
    assert deadlines.letter_due(datetime.date(2026, 4, 1)) == datetime.date(2026, 4, 10)


def test_the_letters_and_the_dispute_clock_count_the_same_working_days():
    from disputes import deadlines as dispute_deadlines  # noqa: PLC0415

    start = datetime.date(2026, 12, 18)
    assert deadlines.letter_due(start) == dispute_deadlines.add_working_days(start, 5)


def test_letters_with_appeal_rights_hold_the_deadline_and_the_mediation_adviser():
    child = ChildFactory()
    _parents(child, "Alex Example")
    case = case_in_status("plan_declined", actor=caseworker(), child=child)
    letter = Letter.objects.get(case=case, notice__kind="decline_to_issue")
    deadline = deadlines.appeal_deadline(case.plan_decided_on)
    assert f"{deadline:%-d %B %Y}" in letter.html
    assert mediation_adviser() in letter.html
    assert "Synthetic reason." in letter.html or "Why:" in letter.html
    data = documents.letter_pdf(letter)
    assert data.startswith(PDF_MAGIC)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # the words themselves, where poppler is installed
        text = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
            [pdftotext, "-", "-"],
            input=data,
            capture_output=True,
            check=True,  # noqa: S607
        ).stdout.decode()
        flat = " ".join(text.split())
        assert f"{deadline:%-d %B %Y}" in flat
        assert "Synthetic Mediation Service" in flat


def test_posted_letters_print_as_one_pdf():
    child = ChildFactory()
    _parents(child, "Alex Example", "Sam Example")
    case = case_in_status("assessment_declined", actor=caseworker(), child=child)
    data = print_batch_pdf(list(Letter.objects.filter(case=case)))
    assert data.startswith(PDF_MAGIC)
    assert data.count(b"/Type /Page\n") + data.count(b"/Type/Page\n") >= 0


def test_a_template_naming_an_unknown_variable_is_refused_naming_it():
    with pytest.raises(ValidationError) as excinfo:
        check_template(subject="Our decision", body="Dear {{ recipient_name }}, {{ childs_nmae }}")
    assert excinfo.value.message_dict["body"][0].startswith(
        UNKNOWN_VARIABLE.format(name="childs_nmae", known="").split(" Use")[0]
    )
    template = LetterTemplate.objects.get(kind="agree_to_assess")
    template.body = "{% if appeal_deadlin %}x{% endif %}"
    with pytest.raises(ValidationError, match="appeal_deadlin"):
        template.full_clean()
    template.body = "{% include 'secrets.html' %}"
    with pytest.raises(ValidationError, match="include"):
        template.full_clean()
