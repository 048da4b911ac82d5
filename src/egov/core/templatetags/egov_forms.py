"""The widget of the shared field include (``templates/forms/field.html``)."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def field_widget(field: BoundField) -> SafeString:
    """The field's widget; a required field also says so with ``aria-required`` (Django adds
    ``aria-invalid`` and ``aria-describedby`` for the error and help text)."""
    attrs: dict[str, str | bool] = {}
    if field.field.required and not field.field.disabled:
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)
