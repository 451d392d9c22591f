"""Template helpers of the intake pages."""

from django import template

from cases.roles import may_change_case

register = template.Library()


@register.simple_tag(takes_context=True)
def may_log_requests(context) -> bool:
    """Caseworkers and managers log requests (section 8)."""
    return may_change_case(None, context.get("user"))
