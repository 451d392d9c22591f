"""The dashboard summary (issue 20 item 3, decision 0160): a task every 15 minutes stores the
live selectors' results for the dashboard's costliest figures, and the page reads them back in
one query, saying how fresh they are.

Stored, not recomputed differently: the task calls the very selectors the API calls
(`open_case_counts`, `advice_outstanding_by_service`, `panel_conversion`), so the summary equals
the live figures as at the refresh, by construction and by test (tests/reports/test_summary.py).
The API keeps the live selectors (exact to the second); the page says "Counts as at 21:45
today". A summary counted for another day is not used (risk and ageing are relative to the
day): the page then counts live, as before, and says so.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from advice_requests.selectors import ServiceFollowUp, advice_outstanding_by_service

from . import selectors
from .models import DashboardSummary

AS_AT = "as at {time} today (counted every {minutes})"
LIVE = "live at {time}"
SHORT_AS_AT = "As at {time} today"
SHORT_LIVE = "Live at {time}"
#: Which figures the summary gives, and what the rest of the page is, under its heading.
PAGE_SENTENCE = (
    "Open cases by stage and risk, waiting, caseloads, advice overdue and panel decisions are "
    "counted {when}. The case lists and every other figure are live."
)


@dataclasses.dataclass(frozen=True)
class DashboardFigures:
    """The figures the page reads from the summary (or counts live when there is none for
    today), and when they were counted."""

    open_cases: list[dict]
    advice_by_service: list[ServiceFollowUp]
    panel_conversion: dict
    taken_at: datetime.datetime
    from_summary: bool

    def _time(self) -> str:
        return timezone.localtime(self.taken_at).strftime("%H:%M")

    def _when(self) -> str:
        if not self.from_summary:
            return LIVE.format(time=self._time())
        return AS_AT.format(time=self._time(), minutes=_interval_words())

    @property
    def freshness(self) -> str:
        """How fresh the counts are, in words, for a table's caption."""
        return f"Counts {self._when()}."

    @property
    def short_freshness(self) -> str:
        """The same, short enough for a headline figure."""
        return (SHORT_AS_AT if self.from_summary else SHORT_LIVE).format(time=self._time())

    @property
    def page_sentence(self) -> str:
        """Which figures are counted when, and that the rest is live: under the heading."""
        return PAGE_SENTENCE.format(when=self._when())


def _interval_words() -> str:
    minutes = max(settings.EHC_DASHBOARD_SUMMARY_INTERVAL_SECONDS // 60, 1)
    if minutes % 60 == 0:
        hours = minutes // 60
        return "hour" if hours == 1 else f"{hours} hours"
    return "minute" if minutes == 1 else f"{minutes} minutes"


def live_figures(*, today: datetime.date, now: datetime.datetime | None = None) -> DashboardFigures:
    """The figures counted now by the live selectors (four queries)."""
    return DashboardFigures(
        open_cases=selectors.open_case_counts(today=today),
        advice_by_service=advice_outstanding_by_service(today=today),
        panel_conversion=selectors.panel_conversion(year=today.year),
        taken_at=now or timezone.now(),
        from_summary=False,
    )


def _advice_to_json(row: ServiceFollowUp) -> dict:
    data = dataclasses.asdict(row)
    data["measured_from"] = row.measured_from.isoformat()
    data["measured_to"] = row.measured_to.isoformat()
    return data


def _advice_from_json(data: dict) -> ServiceFollowUp:
    return ServiceFollowUp(
        **{
            **data,
            "measured_from": datetime.date.fromisoformat(data["measured_from"]),
            "measured_to": datetime.date.fromisoformat(data["measured_to"]),
        }
    )


#: One statement, no lock: the row is created the first time, replaced after, and never by a
#: run that counted earlier than the stored figures (two runs at once: the later wins).
_UPSERT = """
INSERT INTO reports_dashboardsummary
  (id, day, taken_at, open_cases, advice_by_service, panel_conversion)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (id) DO UPDATE SET day = excluded.day, taken_at = excluded.taken_at,
  open_cases = excluded.open_cases, advice_by_service = excluded.advice_by_service,
  panel_conversion = excluded.panel_conversion
WHERE reports_dashboardsummary.taken_at IS NULL
  OR reports_dashboardsummary.taken_at <= excluded.taken_at
"""


def _json(field: str, value):
    return DashboardSummary._meta.get_field(field).get_db_prep_save(value, connection)


def dashboard_summary_refresh(*, today: datetime.date, now: datetime.datetime) -> int:
    """Count the dashboard's figures for `today` and store them as at `now`
    (five statements: the four counting queries and one upsert). Safe to run twice. Offers no
    alert, so returns 0."""
    figures = live_figures(today=today, now=now)
    taken_at = DashboardSummary._meta.get_field("taken_at")
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT,
            [
                DashboardSummary.SINGLETON,
                DashboardSummary._meta.get_field("day").get_db_prep_save(today, connection),
                taken_at.get_db_prep_save(now, connection),
                _json("open_cases", figures.open_cases),
                _json("advice_by_service", [_advice_to_json(r) for r in figures.advice_by_service]),
                _json("panel_conversion", figures.panel_conversion),
            ],
        )
    return 0


def dashboard_figures(*, today: datetime.date) -> DashboardFigures:
    """The page's figures: the stored summary when it was counted for `today` (one query),
    else counted live (one query more than the live selectors' four)."""
    summary = DashboardSummary.objects.filter(pk=DashboardSummary.SINGLETON, day=today).first()
    if summary is None or summary.taken_at is None:
        return live_figures(today=today)
    return DashboardFigures(
        open_cases=summary.open_cases,
        advice_by_service=[_advice_from_json(row) for row in summary.advice_by_service],
        panel_conversion=summary.panel_conversion,
        taken_at=summary.taken_at,
        from_summary=True,
    )
