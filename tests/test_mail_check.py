"""The suite's email check finds a message naming a child (so it can fail)."""

import pytest
from django.core import mail
from django.core.mail import send_mail

from tests.cases.factories import ChildFactory
from tests.mail_check import emails_naming_a_child


@pytest.mark.django_db
def test_an_email_naming_a_child_is_found():
    child = ChildFactory(first_name="Oona", last_name="Vesey")
    send_mail("Case EHC-2026-00001", "No names here.", None, ["someone@example.invalid"])
    assert emails_naming_a_child() == []
    send_mail("Update", f"About {child.full_name}.", None, ["someone@example.invalid"])
    assert emails_naming_a_child() == ["'Update' names Oona Vesey"]
    mail.outbox.clear()  # so this test's own teardown check passes
