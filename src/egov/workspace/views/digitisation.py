"""Tỷ lệ số hóa (issue 16 §7), for leaders and supervisors: one unit and each unit below it
with something to count, one calendar period (?ky=YYYY-MM, YYYY-Qn or YYYY; ?don_vi=<unit>),
each figure with its numerator, denominator and ratio, the components reused and the data-store
documents digitised; from each number, the dossiers behind it. Same scope rule as the service
index (``reports.scope.report_units`` for leaders, supervisors and administrators)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.core.inputs import ParamError
from egov.reports.digitisation import (
    FIGURES,
    FIGURES_BY_CODE,
    DigitisationRow,
    digitisation_dossiers,
    digitisation_report,
)
from egov.reports.periods import PeriodError
from egov.reports.service_index import (
    parse_index_period,
    period_code,
)
from egov.reports.service_index_measures import MEASURES
from egov.workspace.views.service_index import (
    PART_LABELS,
    _percent,
    _period_text,
    _scope,
    _scope_units,
    _unit,
    drill_down,
)


def _drill(link: dict[str, str], figure: str, part: str) -> str:
    query = urlencode({**link, "so_lieu": figure, "tap": part})
    return f"{reverse('workspace:digitisation_dossiers')}?{query}"


def _row(row: DigitisationRow, period_text: str) -> dict[str, Any]:
    link = {"ky": period_text, "don_vi": str(row.unit_id)}
    cells = []
    for figure in row.counts.figures():
        cells.append(
            {
                "figure": figure,
                "percent": _percent(figure.ratio),
                "numerator_url": _drill(link, figure.code, "tu_so"),
                "denominator_url": _drill(link, figure.code, "mau_so"),
                "missing_url": _drill(link, figure.code, "chua_dat"),
            }
        )
    return {"row": row, "cells": cells, "indent": "— " * row.depth}


@login_required
def digitisation_page(request: HttpRequest) -> HttpResponse:
    unit_ids = _scope(request)
    units = _scope_units(unit_ids)
    context: dict[str, Any] = {
        "units": units,
        "period_text": _period_text(request),
        "figures": FIGURES,
    }
    try:
        unit = _unit(request, unit_ids, units)
        period = parse_index_period(context["period_text"])
    except (ParamError, PeriodError) as exc:
        context["error"] = str(exc)
        return render(request, "workspace/digitisation.html", context, status=400)
    report = digitisation_report(period=period, unit=unit)
    code = period_code(period)
    context.update(
        report=report,
        unit=unit,
        period_text=code,
        rows=[_row(row, code) for row in report.rows],
    )
    return render(request, "workspace/digitisation.html", context)


@login_required
def digitisation_dossiers_page(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one number (?so_lieu=<figure>&tap=tu_so|mau_so|chua_dat, ?sau=<id>
    for the next page)."""
    context: dict[str, Any] = {}
    try:
        asked = drill_down(request, context)
        unit, period, part = asked.unit, asked.period, asked.part
        code = request.GET.get("so_lieu", "")
        definition = FIGURES_BY_CODE.get(code)
        if definition is None:
            raise ParamError(_("Không có số liệu này."))
        page = digitisation_dossiers(
            unit=unit, period=period, figure=code, part=part, after=asked.after
        )
    except (ParamError, PeriodError) as exc:
        context["error"] = str(exc)
        return render(request, "workspace/digitisation_dossiers.html", context, status=400)
    link = asked.link
    next_url = ""
    if page.next_after is not None:
        query = {**link, "so_lieu": code, "tap": request.GET["tap"], "sau": page.next_after}
        next_url = f"{reverse('workspace:digitisation_dossiers')}?{urlencode(query)}"
    context.update(
        unit=unit,
        period_text=period_code(period),
        definition=definition,
        numerator_label=MEASURES[definition.numerator].label,
        denominator_label=MEASURES[definition.denominator].label,
        part_label=PART_LABELS[part],
        page=page,
        next_url=next_url,
        back_url=f"{reverse('workspace:digitisation')}?{urlencode(link)}",
    )
    return render(request, "workspace/digitisation_dossiers.html", context)
