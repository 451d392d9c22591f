"""Issue 18 item 5: the family's request page shows the deadline to appeal (and contact the
mediation adviser) after a decision not to assess, in plain words."""

import datetime

import pytest
from django.urls import reverse

from tests.cases.factories import case_in_status

from .factories import family_account, parent_of

pytestmark = pytest.mark.django_db


def test_a_declined_requests_family_sees_the_appeal_deadline(client, time_machine):
    # Received 5 January 2026, declined on day 40 (14 February), the letter sent that day:
    # appeal until 14 April 2026 (2 months, reg 33).
    time_machine.move_to(datetime.datetime(2026, 2, 20, 12, tzinfo=datetime.UTC))
    case = case_in_status(
        "assessment_declined",
        received_on=datetime.date(2026, 1, 5),
        today=datetime.date(2026, 2, 20),
        family_told=True,
    )
    client.force_login(family_account(carer=parent_of(case.child)).user)
    page = client.get(reverse("families:request", args=[case.reference])).content.decode()
    assert "If you disagree" in page
    assert "You can appeal to the tribunal until 14 April 2026" in page
