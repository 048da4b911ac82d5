"""The template filters that write amounts and phone numbers as people read them."""

from __future__ import annotations

from django.template import Context, Template


def render(source: str, **context: object) -> str:
    return Template("{% load egov_format %}" + source).render(Context(context))


def test_amounts() -> None:
    assert render("{{ a|vnd }}", a=200_000) == "200.000 đ"
    assert render("{{ a|vnd }}", a=0) == "0 đ"
    assert render("{{ a|vnd }}", a=-1_250_000) == "-1.250.000 đ"
    assert render("{{ a|vnd }}", a=None) == "—"


def test_phone_numbers() -> None:
    assert render("{{ p|phone }}", p="+84987654321") == "0987 654 321"
    assert render("{{ p|phone }}", p="0912345678") == "0912 345 678"
    assert render("{{ p|phone }}", p="") == "—"
    assert render("{{ p|phone }}", p="không rõ") == "không rõ"
