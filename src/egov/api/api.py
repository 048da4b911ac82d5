"""The NinjaAPI instance; each domain app contributes a router."""

from __future__ import annotations

from ninja import NinjaAPI

from egov.api.errors import install_error_handlers
from egov.api.routers import calendar_router, org_router, system_router
from egov.catalog.api import router as catalog_router
from egov.dossiers import staff_api_desk  # noqa: F401 (registers the desk endpoints)
from egov.dossiers.api import public_router
from egov.dossiers.staff_api import staff_router

api = NinjaAPI(
    title="egov API",
    version="1",
    description="API của nền tảng chính quyền điện tử egov (Quảng Ninh).",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/", system_router)
api.add_router("/units", org_router)
api.add_router("/calendar", calendar_router)
api.add_router("/", catalog_router)
api.add_router("/public", public_router)
api.add_router("/staff", staff_router)
