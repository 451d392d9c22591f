"""What a letter template may say: the variables a letter is given, and the check (run when a
template is saved) that refuses any other, naming it."""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import VariableNode

#: name -> what it holds (shown to the council beside the template in the admin).
VARIABLES = {
    "recipient_name": "Who the letter is to",
    "child_name": "The child's or young person's full name",
    "child_first_name": "The child's or young person's first name",
    "reference": "The case reference",
    "decision": "The decision, in words",
    "decision_date": "The date of the decision",
    "letter_date": "The date of the letter",
    "reason": "The reason for the decision, as recorded",
    "comments_due": "Draft plans: the last day for the family's comments",
    "final_plan_due": "The date the final plan is due (20 weeks)",
    "setting_name": "Final plans: the school or setting named",
    "appeal_deadline": "The last day to appeal to the Tribunal",
    "mediation_adviser": "The mediation adviser's details",
    "iass_contact": "The information, advice and support service's details",
    "authority_name": "The council's name",
    "caseworker_name": "The caseworker's name",
    "to_young_person": "True when the letter is to the young person",
}
ALLOWED_TAGS = {"if", "elif", "else", "endif"}

UNKNOWN_VARIABLE = (
    "The template refers to {name}, which is not a letter variable. Use one of: {known}."
)
TAG_NOT_ALLOWED = "The template uses the tag {tag}: only if, elif, else and endif are allowed."
SYNTAX_ERROR = "The template cannot be read: {error}"

_ENGINE = Engine(autoescape=True)


def _nodes(nodelist):
    for node in nodelist:
        yield node
        for attr in getattr(node, "child_nodelists", ()):
            yield from _nodes(getattr(node, attr, None) or [])
        for _condition, inner in getattr(node, "conditions_nodelists", ()):
            yield from _nodes(inner)


def _names_in(text: str) -> set[str]:
    try:
        template = _ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        raise ValidationError({"body": SYNTAX_ERROR.format(error=exc)}) from exc
    names = set()
    for node in _nodes(template.nodelist):
        if isinstance(node, VariableNode):
            var = node.filter_expression.var
            lookups = getattr(var, "lookups", None)
            if lookups:
                names.add(lookups[0])
        for condition, _inner in getattr(node, "conditions_nodelists", ()):
            names |= _condition_names(condition)
    return names


def _condition_names(condition) -> set[str]:
    if condition is None:
        return set()
    names = set()
    value = getattr(condition, "value", None)
    var = getattr(getattr(value, "var", None), "lookups", None)
    if var:
        names.add(var[0])
    for side in ("first", "second"):
        names |= _condition_names(getattr(condition, side, None))
    return names


def _tags_in(text: str) -> set[str]:
    import re  # noqa: PLC0415

    return {match.group(1) for match in re.finditer(r"{%\s*(\w+)", text)}


def check_template(*, subject: str, body: str) -> None:
    """Refuse a template naming a variable a letter is not given, or using any tag beyond
    if/else (no includes, no loads: the council edits words, not code)."""
    for field, text in (("subject", subject), ("body", body)):
        for tag in sorted(_tags_in(text) - ALLOWED_TAGS):
            raise ValidationError({field: TAG_NOT_ALLOWED.format(tag=tag)})
        unknown = sorted(_names_in(text) - set(VARIABLES))
        if unknown:
            raise ValidationError(
                {field: UNKNOWN_VARIABLE.format(name=unknown[0], known=", ".join(VARIABLES))}
            )


@lru_cache(maxsize=64)
def _compiled(text: str) -> Template:
    """A template's text compiled once per process (each decision's letters render the same
    few texts; a council's edit is new text, compiled when first used)."""
    return _ENGINE.from_string(text)


def render_text(text: str, context: dict) -> str:
    """A template's text rendered (autoescaped) with a letter's variables."""
    return _compiled(text).render(Context(context, autoescape=True))
