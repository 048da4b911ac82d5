"""How forms are rendered: every field through one include (``templates/forms/field.html``)
with its label, a visible required mark, its help text and its own error, and the widget
carrying ``aria-required``, ``aria-invalid`` and ``aria-describedby`` (WCAG 2.2: 1.3.1, 3.3.1,
3.3.2). Forms rendered whole (``{{ form }}``, ``form.as_p``) start with an error summary."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting

FORM_TEMPLATE = "forms/form.html"
FIELD_TEMPLATE = "forms/field.html"


class FormRenderer(TemplatesSetting):
    """The project's templates (so forms can use the shared include), Django's for the rest."""

    form_template_name = FORM_TEMPLATE
    field_template_name = FIELD_TEMPLATE


class AccessibleFormMixin:
    """For forms rendered by code we do not own (django-allauth's sign-up calls
    ``form.as_p()``): render them with the shared templates too."""

    template_name = FORM_TEMPLATE
    template_name_div = FORM_TEMPLATE
    template_name_p = FORM_TEMPLATE
