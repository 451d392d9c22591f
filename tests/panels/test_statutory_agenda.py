import datetime

import pytest

from advice_requests.services import advice_request_cancel
from panels.agenda import agenda_build
from panels.models import PanelType
from tests.cases.factories import case_in_status

from .factories import PanelFactory, meeting

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 30)


def all_advice_ended(case):
    for advice in case.advice_requests.all():
        advice_request_cancel(
            actor=case.caseworker, advice=advice, reason="Already held (synthetic).", today=TODAY
        )


def test_statutory_agenda_takes_ready_cases_and_flags_incomplete_ones_falling_due():
    panel = PanelFactory(panel_type=PanelType.STATUTORY)
    first = meeting(panel, D(2026, 12, 1))
    meeting(panel, D(2026, 12, 8))
    ready = case_in_status("assessing", received_on=D(2026, 9, 1), today=TODAY)  # due 22 Dec
    all_advice_ended(ready)
    falling_due = case_in_status("assessing", received_on=D(2026, 8, 10), today=TODAY)  # 30 Nov
    waiting = case_in_status("assessing", received_on=D(2026, 9, 2), today=TODAY)  # 23 Dec
    agenda_build(meeting=first)
    items = {i.case_id: i for i in first.items.all()}
    assert set(items) == {ready.pk, falling_due.pk}
    assert waiting.pk not in items
    assert items[falling_due.pk].advice_incomplete is True
    assert items[ready.pk].advice_incomplete is False
    # Ordered by the statutory decision due date.
    assert items[falling_due.pk].position < items[ready.pk].position
