"""URLs for the benchmarks: the whole site plus a bare view that does one primary-key SELECT
(the reference the public lookup is compared with)."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from egov.dossiers.models import Dossier


def bare(request: HttpRequest, pk: int) -> JsonResponse:
    row = Dossier.objects.filter(pk=pk).values("code", "status").first()
    return JsonResponse(row or {})


urlpatterns = [path("bench/bare/<int:pk>/", bare), path("", include("egov.urls"))]
