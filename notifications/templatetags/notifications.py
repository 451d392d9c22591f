"""Template filters for the inbox."""

from django import template

from notifications.messages import days_phrase

register = template.Library()


@register.filter
def days_from(due_on, today):
    """'3 days', 'due today', '2 days ago', counted from today (the subject's count is from the
    day the alert was recorded)."""
    if not due_on or not today:
        return ""
    return days_phrase(due_on, today)
