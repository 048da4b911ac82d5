"""The site's name for templates rendered without context processors (the error pages)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return str(settings.EGOV_SITE_NAME)
