"""The measures the service index (QĐ 766/QĐ-TTg) is computed from, of two kinds (sources):

- ``dossiers`` (``MEASURES``): named sets of dossiers received by a unit (or under it) in a
  period, each a condition on ``Dossier``;
- ``feedback`` (``FEEDBACK_MEASURES``): the figures of the feedback (phản ánh, kiến nghị)
  received in the period by the unit or routed to it or a unit below it, read from
  ``feedback.selectors.feedback_figures`` (group 5, indicators 5.2 and 5.3).

An indicator's numerator and denominator are of the same kind (checked when the versioned data
is loaded), so a ratio never mixes dossiers with feedback.

Every measure is a subset of the dossiers received in the period — the national portal counts
a dossier in the period of its ``NgayTiepNhan`` (reports-and-indicators §1.2) — so one query
over an index of (unit, ``received_at``) counts them all, and the same conditions list
the dossiers behind each number (the drill-down). A numerator's condition includes its
denominator's, so "denominator and not numerator" is exactly what is missing (the late
dossiers, the unpaid fees, the unsigned e-results).

Which unit: the one Biểu 06 counts the dossier in (``egov.reports.form06.unit_basis``, the
setting ``EGOV_REPORT_UNIT_BASIS``): by default the unit handling it — the receiving desk until
it is handed off — which is also the unit the national sync names (``DonViXuLy``); with the
units below it. A dossier keeps its units when units are merged later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import CitizenProfile
from egov.catalog.models import ChannelKind, OnlineService, ProcedureVersion
from egov.contrib.vneid.identity import IDENTITY_SOURCE
from egov.datastore.models import StoreDocument, StoreSource, StoreState
from egov.dossiers.models import (
    RESULT_STATUSES,
    Dossier,
    DossierFile,
    FileSource,
    Outcome,
)
from egov.feedback.permissions import feedback_of_units
from egov.feedback.selectors import accepted_feedback_about_dossiers, feedback_figures
from egov.national.models import NationalSync, SyncStatus
from egov.payments.models import OnlinePayment, PaymentStatus
from egov.ratings.models import Rating
from egov.reports.form06 import unit_basis
from egov.signing.verification import Verdict

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The overall rating "Không hài lòng" (level 1 of the scale, ratings.criteria): egov's
# nearest equivalent of the portal's "dislike" (chưa xác nhận).
DISSATISFIED = 1


@dataclass(frozen=True)
class Measure:
    code: str
    label: StrOrPromise
    # The condition on a dossier received in the period, given the period's end.
    condition: Callable[[dt.datetime], Q]


def _only_if(guard: Q, subquery: Exists) -> Q:
    """``guard AND subquery``, the subquery evaluated only for the rows the cheap ``guard``
    keeps: a CASE fixes the order, which PostgreSQL does not promise for AND inside an
    aggregate's FILTER (measured: the EXISTS probed every dossier of the month)."""
    return Q(Case(When(guard, then=subquery), default=Value(False), output_field=BooleanField()))


def _received(end: dt.datetime) -> Q:
    return Q()


def _on_time(end: dt.datetime) -> Q:
    """Processing ended by the period's end, not late (egov.dossiers.completion: the end is
    the first of result approved, returned, stopped, refused, withdrawn; an appointment moved
    by the supplement clock, a lawful extension or the one apology counts as moved); or still
    in processing at the period's end and not past its appointment then (QĐ 766 indicator
    "tỷ lệ hồ sơ xử lý trước hạn, đúng hạn": with no end state, the end is the period's end).
    A dossier without an appointment cannot be late."""
    ended = Q(completed_at__lt=end)
    unfinished = Q(completed_at__isnull=True) | Q(completed_at__gte=end)
    return (ended & ~Q(outcome=Outcome.LATE)) | (
        unfinished & (Q(due_at__isnull=True) | Q(due_at__gte=end))
    )


def _synced(end: dt.datetime) -> Q:
    return Q(Exists(NationalSync.objects.filter(dossier=OuterRef("pk"), status=SyncStatus.SENT)))


def _online(end: dt.datetime) -> Q:
    return Q(channel=ChannelKind.ONLINE)


def _full_online_eligible(end: dt.datetime) -> Q:
    # A subquery over the few procedure versions rather than a join with every dossier row.
    full = ProcedureVersion.objects.filter(online_service=OnlineService.FULL).values("pk")
    return Q(procedure_version_id__in=full)


def _full_online(end: dt.datetime) -> Q:
    return _full_online_eligible(end) & _online(end)


def _fee_due(end: dt.datetime) -> Q:
    return Q(fee_quoted__gt=0) | Q(obligation_amount__gt=0)


def _paid_online(end: dt.datetime) -> Q:
    paid = OnlinePayment.objects.filter(dossier=OuterRef("pk"), status=PaymentStatus.PAID)
    return _only_if(_fee_due(end), Exists(paid))


def _with_result(end: dt.datetime) -> Q:
    return Q(status__in=RESULT_STATUSES)


def _signed_result(end: dt.datetime) -> Q:
    """A legally valid e-result (QĐ 766 indicator 4.1, "có giá trị pháp lý"): a result file
    whose agency signature verified valid when it was signed (dossiers.eresults), or a valid
    result document issued into the applicant's data store from this dossier."""
    signed = DossierFile.objects.filter(
        dossier=OuterRef("pk"), source=FileSource.RESULT, signature_verdict=Verdict.VALID
    )
    issued = StoreDocument.objects.filter(
        source_dossier_id=OuterRef("pk"), source=StoreSource.RESULT, state=StoreState.VALID
    )
    with_result = _with_result(end)
    return _only_if(with_result, Exists(signed)) | _only_if(with_result, Exists(issued))


# Uploads and reused earlier results are files of online dossiers only (dossiers.services
# .online at submission; .applicant for a supplement, from the submitting account): the file
# table is probed for those, not for every dossier of the period.
ONLINE_FILES = Q(channel=ChannelKind.ONLINE)


def _attached_components(end: dt.datetime) -> Q:
    """QĐ 766 indicator 4.2, condition (1): the dossier's components carry files — a scan or
    a data-store document on a component (desk or post intake, TT 01/2023/TT-VPCP Điều 8), an
    online upload, or an earlier result reused. Online uploads count here although TT 03/2025
    /TT-VPCP Điều 5 khoản 2 điểm a spares them the scanning: the index counts attachments,
    not who made them. Kept per dossier by ``dossiers.digitisation_flags``."""
    return Q(digitised_components=True)


def _digitised(end: dt.datetime) -> Q:
    """QĐ 766 indicator 4.2 ("hồ sơ thực hiện số hóa"): components with files and, once the
    dossier has a result, a legally valid e-result. egov's reading (chưa xác nhận): a dossier
    without a result yet (in processing, refused, withdrawn, stopped) is judged on its
    components alone; every procedure is taken to return a paper result, since the catalog
    does not say which do not."""
    return _attached_components(end) & (~_with_result(end) | _signed_result(end))


def _counter_received(end: dt.datetime) -> Q:
    """Received on paper, at the desk or by post: the dossiers the desk must digitise
    (TT 03/2025/TT-VPCP Điều 5 khoản 2 điểm a exempts those submitted electronically)."""
    return ~Q(channel=ChannelKind.ONLINE)


def _counter_digitised(end: dt.datetime) -> Q:
    """Every component handed in on paper has a valid data-store document (checked against
    the original, its "kết quả số hóa" signed: TT 01/2023/TT-VPCP Điều 8). A component with no
    original and no copy handed in was only shown or not given (TT 03/2025/TT-VPCP Điều 5
    khoản 2 điểm b: no scan needed), and a component reused from the store was not handed in:
    neither needs one. Exemptions c (results of checks between agencies) and d (classified
    papers) are not recorded per component in egov and are not deducted. Kept per dossier by
    ``dossiers.digitisation_flags``."""
    return _counter_received(end) & Q(counter_digitised=True)


def _reused(end: dt.datetime) -> Q:
    """QĐ 766 indicator 4.3: at least one component taken from the data store instead of
    asking for it again (``DossierComponent.reused``), or an earlier e-result reused online.
    Kept per dossier by ``dossiers.digitisation_flags``."""
    return Q(reuses_data=True)


def _vneid(end: dt.datetime) -> Q:
    profile = CitizenProfile.objects.filter(
        user_id=OuterRef("owner_id"), identity_source=IDENTITY_SOURCE
    )
    # Only a dossier submitted from an account has an owner.
    return _only_if(Q(owner_id__isnull=False), Exists(profile))


def _satisfied(end: dt.datetime) -> Q:
    disliked = Rating.objects.filter(dossier=OuterRef("pk"), overall=DISSATISFIED)
    # Uncorrelated (never NULL): PostgreSQL hashes it once instead of probing per dossier.
    complained = accepted_feedback_about_dossiers(before=end).values("dossier_id")
    # Only an ended dossier can be rated (ratings.services.rating_submit); feedback can name
    # any dossier received.
    return (
        _on_time(end)
        & ~_only_if(Q(completed_at__isnull=False), Exists(disliked))
        & ~Q(pk__in=complained)
    )


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure("received", _("Hồ sơ tiếp nhận trong kỳ"), _received),
        Measure(
            "on_time", _("Hồ sơ xử lý trước hạn, đúng hạn hoặc đang xử lý trong hạn"), _on_time
        ),
        Measure("synced", _("Hồ sơ đã đồng bộ lên Cổng DVC quốc gia"), _synced),
        Measure("online", _("Hồ sơ nộp trực tuyến"), _online),
        Measure(
            "full_online_eligible",
            _("Hồ sơ của TTHC cung cấp DVCTT toàn trình"),
            _full_online_eligible,
        ),
        Measure("full_online", _("Hồ sơ trực tuyến toàn trình"), _full_online),
        Measure("fee_due", _("Hồ sơ có phí, lệ phí, nghĩa vụ tài chính"), _fee_due),
        Measure("paid_online", _("Hồ sơ đã thanh toán trực tuyến"), _paid_online),
        Measure("with_result", _("Hồ sơ đã có kết quả"), _with_result),
        Measure("signed_result", _("Hồ sơ có kết quả điện tử ký số hợp lệ"), _signed_result),
        Measure("digitised", _("Hồ sơ thực hiện số hóa (thành phần và kết quả)"), _digitised),
        Measure("reused", _("Hồ sơ dùng lại dữ liệu đã số hóa"), _reused),
        Measure(
            "counter_received", _("Hồ sơ tiếp nhận trực tiếp, qua bưu chính"), _counter_received
        ),
        Measure(
            "counter_digitised",
            _("Hồ sơ trực tiếp, bưu chính có mọi thành phần đã số hóa"),
            _counter_digitised,
        ),
        Measure("vneid", _("Hồ sơ nộp từ tài khoản định danh qua VNeID"), _vneid),
        Measure(
            "satisfied",
            _(
                "Hồ sơ không quá hạn, không bị đánh giá không hài lòng, không có phản ánh, kiến "
                "nghị về hồ sơ"
            ),
            _satisfied,
        ),
    )
}


def received_in(unit_ids: set[int], start: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers of ``unit_ids`` received in ``[start, end)``, each in the unit Biểu 06 counts
    it in (``form06.unit_basis``), so that both reports give a unit the same dossiers: the
    indexes ``dossier_counted_received_idx`` (handling) and ``dossier_unit_received_idx``
    (receiving) answer this."""
    dossiers = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    if unit_basis() == "receiving":
        return dossiers.filter(receiving_unit_id__in=unit_ids)
    return dossiers.alias(counted_unit=Coalesce("handling_unit", "receiving_unit")).filter(
        counted_unit__in=unit_ids
    )


def condition(code: str, end: dt.datetime) -> Q:
    return MEASURES[code].condition(end)


# --- feedback (phản ánh, kiến nghị) ---------------------------------------------------------

DOSSIERS, FEEDBACK = "dossiers", "feedback"


@dataclass(frozen=True)
class FeedbackMeasure:
    code: str
    label: StrOrPromise
    # The field of ``feedback.selectors.FeedbackFigures`` this measure is.
    figure: str


FEEDBACK_MEASURES: dict[str, FeedbackMeasure] = {
    m.code: m
    for m in (
        FeedbackMeasure(
            "feedback_received", _("Phản ánh, kiến nghị tiếp nhận trong kỳ"), "received"
        ),
        FeedbackMeasure(
            "feedback_on_time",
            _("Phản ánh, kiến nghị xử lý đúng hạn hoặc đang xử lý trong hạn"),
            "on_time",
        ),
        FeedbackMeasure("feedback_answered", _("Phản ánh, kiến nghị đã trả lời"), "answered"),
        FeedbackMeasure(
            "feedback_satisfied",
            _("Phản ánh, kiến nghị trả lời đúng hạn, không bị đánh giá không hài lòng"),
            "satisfied",
        ),
    )
}

# Every measure the versioned data may name, with its kind.
MEASURE_SOURCES: dict[str, str] = {
    **dict.fromkeys(MEASURES, DOSSIERS),
    **dict.fromkeys(FEEDBACK_MEASURES, FEEDBACK),
}


def measure_label(code: str) -> StrOrPromise:
    found = MEASURES.get(code) or FEEDBACK_MEASURES.get(code)
    return found.label if found else ""


def feedback_counts(
    unit_ids: list[int],
    start: dt.datetime,
    end: dt.datetime,
    *,
    at: dt.datetime,
    codes: set[str],
) -> dict[str, int]:
    """``codes`` (feedback measures) over the feedback received in [start, end) by the units
    ``unit_ids`` (a support centre) or routed to one of them — the scope and the figures of
    ``GET /api/v1/reports/feedback`` — judged at ``at``: one aggregate query."""
    figures = feedback_figures(feedback_of_units(unit_ids), start=start, end=end, at=at)
    return {code: int(getattr(figures, FEEDBACK_MEASURES[code].figure)) for code in codes}
