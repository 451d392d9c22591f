from django import template

from security.uploads import NO_SCANNER, scanner_configured

register = template.Library()


@register.simple_tag
def upload_scanner_warning() -> str:
    """Stated on the admin index when no virus scanner is configured."""
    return "" if scanner_configured() else NO_SCANNER
