"""WSGI entry point: `gunicorn egov.wsgi` (see docs/operations.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

application = get_wsgi_application()
