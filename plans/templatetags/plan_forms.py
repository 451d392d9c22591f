"""How a plan form's field is drawn (GOV.UK Design System), by its widget."""

from django import forms, template

from cases.forms import GovukDateField

register = template.Library()


@register.filter
def widget_kind(bound_field) -> str:
    field = bound_field.field
    widget = field.widget
    if isinstance(field, GovukDateField):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"
