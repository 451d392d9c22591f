"""Filters for the plan document, which is drawn from a version's frozen snapshot (JSON)."""

from django import template

from plans.render import date_in_words

register = template.Library()
register.filter("date_in_words", date_in_words)
