"""Template helpers of the advice pages."""

import uuid

from django import template

register = template.Library()


@register.simple_tag
def one_time_token() -> str:
    """A fresh token for a form that must act once per click (a chase): the service gives back
    the first result for a second submission of the same form."""
    return uuid.uuid4().hex


@register.inclusion_tag("advice_requests/includes/chase_button.html", takes_context=True)
def chase_button(context, advice, next_url=""):
    """The Chase button of one outstanding request, with its one-time token."""
    return {
        "advice": advice,
        "token": uuid.uuid4().hex,
        "next_url": next_url or context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
