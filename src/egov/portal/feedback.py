"""Questions and feedback on the portal (egov.feedback): send one (with or without an account;
rate-limited per client address, no captcha), follow it with its code and secret (or the
account), add requested information, rate the answer; and the public, searchable list of
published answers (personal data masked)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from egov.catalog.models import ProcedureField
from egov.core.inputs import has_control_chars
from egov.core.ratelimit import hit
from egov.feedback.forms import DossierCodeField
from egov.feedback.models import Feedback, FeedbackChannel, FeedbackKind, FeedbackRating
from egov.feedback.permissions import (
    could_be_a_code,
    get_tracked_feedback,
    published_feedback,
)
from egov.feedback.selectors import feedback_centre, published_answers
from egov.feedback.services import (
    FeedbackError,
    Submission,
    Submitter,
    feedback_follow_up,
    feedback_rate,
    feedback_submit,
    feedback_supplement,
    follow_up_until,
)
from egov.feedback.state import ACTION_LABELS, FeedbackAction

PAGE_SIZE = 20


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=FeedbackKind.choices)
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=300)
    content = forms.CharField(
        label=gettext_lazy("Nội dung"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    field = forms.ModelChoiceField(
        label=gettext_lazy("Lĩnh vực (nếu biết)"),
        queryset=ProcedureField.objects.order_by("name"),
        required=False,
    )
    dossier_code = DossierCodeField()
    name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=200)
    phone = forms.CharField(label=gettext_lazy("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False)
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Tôi đồng ý công khai nội dung và câu trả lời trên Cổng (đã ẩn thông tin cá nhân)."
        ),
        required=False,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not (data.get("phone") or data.get("email")):
            raise ValidationError(_("Hãy cho biết số điện thoại hoặc thư điện tử để nhận trả lời."))
        return data


def feedback_home(request: HttpRequest) -> HttpResponse:
    """Published answers, searchable; links to send and to follow a feedback."""
    query = request.GET.get("q", "").strip()[:200]
    answers = list(published_answers(query)[:PAGE_SIZE])
    return render(request, "portal/feedback_home.html", {"query": query, "answers": answers})


def feedback_answer(request: HttpRequest, code: str) -> HttpResponse:
    found = published_feedback().filter(code=code).first() if could_be_a_code(code) else None
    if found is None:
        raise Http404(_("Không có câu trả lời công khai mang mã này."))
    return render(request, "portal/feedback_answer.html", {"item": found})


@never_cache
def feedback_send(request: HttpRequest) -> HttpResponse:
    initial: dict[str, object] = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "email": request.user.email}
    # "Gửi phản ánh, kiến nghị về hồ sơ này" on the citizen's dossier page names the dossier.
    initial["dossier_code"] = request.GET.get("ho-so", "").strip()[:40]
    form = FeedbackForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        centre = feedback_centre()
        if not hit(
            request,
            "feedback-send",
            limit=settings.EGOV_FEEDBACK_RATE_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(
                None, _("Bạn đã gửi quá nhiều phản ánh, kiến nghị. Vui lòng thử lại sau.")
            )
            status = 429
        elif centre is None:
            form.add_error(None, _("Chưa cấu hình Trung tâm hỗ trợ tiếp nhận phản ánh, kiến nghị."))
            status = 503
        elif form.is_valid():
            data = form.cleaned_data
            try:
                feedback, secret = feedback_submit(
                    actor=request.user,
                    centre=centre,
                    channel=FeedbackChannel.PORTAL,
                    submission=Submission(
                        kind=data["kind"],
                        title=data["title"],
                        content=data["content"],
                        field=data["field"],
                        dossier=data["dossier_code"],
                        consent_to_publish=data["consent"],
                        submitter=Submitter(
                            name=data["name"], phone=data["phone"], email=data["email"]
                        ),
                    ),
                )
            except FeedbackError as exc:
                form.add_error(None, str(exc))
            else:
                return render(
                    request, "portal/feedback_sent.html", {"item": feedback, "secret": secret}
                )
        if status == 200:
            status = 400
    return render(request, "portal/feedback_send.html", {"form": form}, status=status)


def _events(feedback: Feedback) -> list[dict[str, object]]:
    return [
        {"at": event.at, "label": ACTION_LABELS[FeedbackAction(event.action)]}
        for event in feedback.events.order_by("sequence")
    ]


@never_cache
def feedback_track(request: HttpRequest) -> HttpResponse:
    """The submitter's page: GET ?ma= (signed in), or POST code + secret; the rating and the
    supplement forms post here too, with the code and secret again."""
    code = (request.POST.get("ma") or request.GET.get("ma", "")).strip()[:30]
    secret = request.POST.get("khoa", "").strip()[:64]
    context: dict[str, object] = {"code": code, "secret": secret}
    status = 200
    if code and (request.method == "POST" or request.user.is_authenticated):
        if not hit(
            request,
            "feedback-track",
            limit=settings.EGOV_FEEDBACK_TRACK_RATE_PER_MINUTE,
            window_seconds=60,
        ):
            context["error"] = _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")
            status = 429
        else:
            found = get_tracked_feedback(request.user, code, secret)
            if found is None:
                if request.method == "POST":
                    context["error"] = _("Mã theo dõi hoặc mã bí mật không đúng.")
                    status = 404
            else:
                action = request.POST.get("thao_tac", "")
                if action == "phan_anh_tiep":
                    return _follow_up(request, found, context)
                try:
                    if action == "danh_gia":
                        found = feedback_rate(
                            actor=request.user,
                            feedback=found,
                            rating=request.POST.get("danh_gia", ""),
                        )
                        context["notice"] = _("Cảm ơn ông/bà đã đánh giá câu trả lời.")
                    elif action == "bo_sung":
                        found = feedback_supplement(
                            actor=request.user,
                            feedback=found,
                            text=request.POST.get("bo_sung", "")[:10_000],
                        )
                        context["notice"] = _("Đã nhận thông tin bổ sung.")
                except FeedbackError as exc:
                    context["error"] = str(exc)
                    status = 400
                context["item"] = found
                context["events"] = _events(found)
                context["ratings"] = FeedbackRating.choices
                context["follow_up"] = found.follow_ups.order_by("pk").first()
                context["follow_up_open"] = timezone.now() <= follow_up_until(found)
    return render(request, "portal/feedback_track.html", context, status=status)


def _follow_up(request: HttpRequest, found: Feedback, context: dict[str, object]) -> HttpResponse:
    """ "Gửi phản ánh tiếp" from the tracking page: the new feedback's code and secret are
    shown once, as after a first submission (and sent by SMS / e-mail)."""
    if not hit(
        request, "feedback-send", limit=settings.EGOV_FEEDBACK_RATE_PER_HOUR, window_seconds=3600
    ):
        error = _("Bạn đã gửi quá nhiều phản ánh, kiến nghị. Vui lòng thử lại sau.")
        status = 429
    elif has_control_chars(request.POST.get("noi_dung", "")):
        error, status = _("Nội dung có ký tự không hợp lệ."), 400
    else:
        try:
            follow_up, secret = feedback_follow_up(
                actor=request.user,
                feedback=found,
                content=request.POST.get("noi_dung", "")[:10_000],
            )
        except FeedbackError as exc:
            error, status = str(exc), 400
        else:
            return render(
                request, "portal/feedback_sent.html", {"item": follow_up, "secret": secret}
            )
    context.update(
        item=found,
        events=_events(found),
        ratings=FeedbackRating.choices,
        follow_up=found.follow_ups.order_by("pk").first(),
        follow_up_open=timezone.now() <= follow_up_until(found),
        error=error,
    )
    return render(request, "portal/feedback_track.html", context, status=status)
