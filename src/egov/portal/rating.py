"""The rating kiosk at the one-stop desk (also reached from the public lookup that the
receipt's QR code opens): a counter applicant evaluates the handling of their dossier without
an account, naming it by its code and a check — the last four digits of the phone number on the
dossier, or without one the "Số thứ tự" printed on the receipt (TT 01/2018/TT-VPCP Điều 12
khoản 2–3; NĐ 61/2018/NĐ-CP Điều 29 khoản 1 điểm b). Each client address is limited per minute
and each dossier code to a few wrong checks per hour, so the check cannot be guessed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.inputs import has_control_chars
from egov.core.ratelimit import hit, over_limit, record
from egov.ratings.indices import CITIZEN_QUESTIONS, IndexSet, index_set_on
from egov.ratings.selectors import dossier_for_kiosk, rating_for
from egov.ratings.services import RATEABLE, rating_submit

WRONG_CHECKS = "rating-kiosk-wrong"
WRONG_WINDOW = 3600


def rating_form_context(index_set: IndexSet) -> dict[str, object]:
    """The questions of the rating form: the applicant's indices and the extra questions."""
    return {
        "questions": CITIZEN_QUESTIONS,
        "extra_questions": index_set.extra_questions,
        "extra_levels": sorted(index_set.extra_levels.items(), reverse=True),
        "index_set": index_set,
    }


def posted_answers(request: HttpRequest, index_set: IndexSet) -> dict[str, str]:
    keys = [q.key for q in CITIZEN_QUESTIONS] + [key for key, _label in index_set.extra_questions]
    return {key: request.POST.get(key, "")[:10] for key in keys}


def rating_kiosk(request: HttpRequest) -> HttpResponse:
    index_set = index_set_on(timezone.localdate())
    code = (request.POST.get("ma") or request.GET.get("ma") or "").strip()[:40]
    check = request.POST.get("kiem_tra", "").strip()[:12]
    context: dict[str, object] = {"code": code, "check": check, **rating_form_context(index_set)}
    if request.method != "POST":
        return render(request, "portal/rating_kiosk.html", context)
    if has_control_chars(code) or has_control_chars(check):
        context["error"] = _("Mã hồ sơ hoặc thông tin kiểm tra không hợp lệ.")
        return render(request, "portal/rating_kiosk.html", context, status=400)
    if not hit(
        request, "rating-kiosk", limit=settings.EGOV_RATING_KIOSK_RATE_PER_MINUTE, window_seconds=60
    ) or over_limit(
        WRONG_CHECKS,
        code.upper(),
        limit=settings.EGOV_RATING_KIOSK_WRONG_CHECKS_PER_HOUR,
        window_seconds=WRONG_WINDOW,
    ):
        context["error"] = _(
            "Bạn thử quá nhiều lần. Vui lòng thử lại sau hoặc hỏi cán bộ tại quầy."
        )
        return render(request, "portal/rating_kiosk.html", context, status=429)
    dossier = dossier_for_kiosk(code, check)
    if dossier is None:
        record(WRONG_CHECKS, code.upper(), window_seconds=WRONG_WINDOW)
        context["error"] = _("Không tìm thấy hồ sơ hoặc thông tin kiểm tra không đúng.")
        return render(request, "portal/rating_kiosk.html", context, status=404)
    context["dossier"] = dossier
    if rating_for(dossier) is not None:
        context["error"] = _("Hồ sơ này đã được đánh giá.")
        return render(request, "portal/rating_kiosk.html", context, status=409)
    if dossier.status not in RATEABLE:
        context["error"] = _("Hồ sơ chưa có kết quả nên chưa đánh giá được.")
        return render(request, "portal/rating_kiosk.html", context, status=409)
    if request.POST.get("step") != "submit":
        return render(request, "portal/rating_kiosk.html", context)
    try:
        rating_submit(
            actor=request.user,
            dossier=dossier,
            answers=posted_answers(request, index_set),
            comment=request.POST.get("comment", "")[:2000],
            check=check,
        )
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return render(request, "portal/rating_kiosk.html", context, status=400)
    return render(request, "portal/rating_kiosk.html", {"done": True, "code": dossier.code})
