"""Endpoints of the API itself (not of a domain app): the service's health."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

system_router = Router(tags=["system"])


class HealthOut(Schema):
    status: str


@system_router.get("/health", response=HealthOut, summary="Tình trạng dịch vụ")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
