"""Small helpers for GOV.UK Design System markup."""

import datetime

from django import template

register = template.Library()

RISK_TAGS = {
    "overdue": ("Overdue", "govuk-tag--red"),
    "at_risk": ("At risk", "govuk-tag--orange"),
    "on_track": ("On track", "govuk-tag--green"),
}


@register.simple_tag
def date_parts(field):
    """The day, month and year inputs of a GovukDateField, with their names, ids and values."""
    value = field.value()
    if isinstance(value, datetime.date):
        value = [value.day, value.month, value.year]
    value = list(value or ["", "", ""]) + ["", "", ""]
    return [
        {
            "label": label,
            "name": f"{field.html_name}_{index}",
            "id": f"{field.auto_id}_{index}",
            "value": "" if value[index] is None else value[index],
            "width": width,
        }
        for index, (label, width) in enumerate((("Day", 2), ("Month", 2), ("Year", 4)))
    ]


@register.inclusion_tag("includes/risk_tag.html")
def risk_tag(risk):
    label, css = RISK_TAGS.get(risk or "", ("Closed", "govuk-tag--grey"))
    return {"label": label, "css": css}


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""
