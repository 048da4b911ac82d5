"""Feedback in the staff workspace (egov.feedback): the list of what the user may see (with the
overdue ones), the hotline operator's form, and one feedback with the actions the user's roles
allow. Rights: ``feedback.permissions``; the work: ``feedback.services``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.catalog.models import ProcedureField
from egov.dossiers.permissions import get_dossier_for_actor
from egov.feedback.forms import DossierCodeField
from egov.feedback.models import FeedbackChannel, FeedbackKind, FeedbackTopic
from egov.feedback.permissions import (
    get_feedback_for_actor,
    may_approve,
    may_classify,
    may_draft,
    may_log_calls,
    visible_feedback,
)
from egov.feedback.selectors import feedback_centre, overdue
from egov.feedback.services import (
    FeedbackError,
    Submission,
    Submitter,
    feedback_approve,
    feedback_draft,
    feedback_publish,
    feedback_refuse,
    feedback_request_info,
    feedback_return,
    feedback_route,
    feedback_submit,
    public_copy,
)
from egov.feedback.state import ACTION_LABELS, FeedbackAction, allowed
from egov.org.models import Unit
from egov.workspace.views.common import staff_user


class CallForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=FeedbackKind.choices)
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=300)
    content = forms.CharField(
        label=gettext_lazy("Nội dung cuộc gọi"), widget=forms.Textarea(attrs={"rows": 5})
    )
    dossier_code = DossierCodeField()
    name = forms.CharField(label=gettext_lazy("Họ tên người gọi"), max_length=200)
    phone = forms.CharField(label=gettext_lazy("Số điện thoại"), max_length=20)
    email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False)
    consent = forms.BooleanField(
        label=gettext_lazy("Người gọi đồng ý công khai (đã ẩn thông tin cá nhân)"), required=False
    )


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    visible = visible_feedback(user)
    only_overdue = request.GET.get("loc") == "qua-han"
    shown = overdue(visible) if only_overdue else visible
    return render(
        request,
        "workspace/feedback_list.html",
        {
            "items": list(shown.order_by("due_at", "-received_at")[:200]),
            "only_overdue": only_overdue,
            "overdue_count": overdue(visible).count(),
            "may_log": may_log_calls(user),
        },
    )


@login_required
def feedback_call(request: HttpRequest) -> HttpResponseBase:
    """The hotline operator records a call as a feedback."""
    user = staff_user(request)
    if not may_log_calls(user):
        raise PermissionDenied(_("Chỉ cán bộ Trung tâm hỗ trợ được ghi nhận cuộc gọi."))
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        centre = feedback_centre()
        data = form.cleaned_data
        if centre is None:
            form.add_error(None, _("Chưa cấu hình Trung tâm hỗ trợ tiếp nhận phản ánh, kiến nghị."))
        else:
            try:
                feedback, _secret = feedback_submit(
                    actor=user,
                    centre=centre,
                    channel=FeedbackChannel.HOTLINE,
                    submission=Submission(
                        kind=data["kind"],
                        title=data["title"],
                        content=data["content"],
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
                messages.success(request, _("Đã ghi nhận %s.") % feedback.code)
                return redirect("workspace:feedback", code=feedback.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "workspace/feedback_call.html", {"form": form}, status=status)


def _units() -> list[Unit]:
    return list(Unit.objects.order_by("name")[:500])


@login_required
def feedback_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user(request)
    item = get_feedback_for_actor(user, code)
    if item is None:
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị."))
    classify = may_classify(user, item)
    preview = public_copy(item) if classify and allowed(item, FeedbackAction.PUBLISH) else None
    dossier = item.dossier
    # The unit to route to, when none is set yet: the one handling the dossier it is about, or
    # before it has been forwarded, the competent unit of the procedure it was received under.
    suggested_unit = item.unit or (
        (dossier.handling_unit or dossier.procedure_version.competent_unit)
        if dossier is not None
        else None
    )
    units = _units() if classify else []
    if classify and suggested_unit is not None and suggested_unit not in units:
        units.append(suggested_unit)  # beyond the list's first 500
    return render(
        request,
        "workspace/feedback_detail.html",
        {
            "item": item,
            "events": [
                (event, ACTION_LABELS[FeedbackAction(event.action)])
                for event in item.events.select_related("actor").order_by("sequence")
            ],
            "can_classify": classify and allowed(item, FeedbackAction.ROUTE),
            "can_draft": may_draft(user, item) and allowed(item, FeedbackAction.DRAFT),
            "can_approve": may_approve(user, item) and allowed(item, FeedbackAction.APPROVE),
            "can_publish": preview is not None and item.consent_to_publish,
            "preview": preview,
            "units": units,
            "fields": list(ProcedureField.objects.order_by("name")) if classify else [],
            "topics": FeedbackTopic.choices,
            "suggested_unit": suggested_unit,
            # The dossier's page only for those who may open it; the code for everyone.
            "dossier_visible": dossier is not None
            and get_dossier_for_actor(user, dossier.code) is not None,
            # Anyone holding a code can name a dossier: say whether the sender is its applicant
            # as far as egov knows (the account that submitted it online).
            "sender_is_owner": dossier is not None
            and dossier.owner_id is not None
            and item.submitter_account_id == dossier.owner_id,
        },
    )


@login_required
def feedback_action(request: HttpRequest, code: str) -> HttpResponseBase:
    user = staff_user(request)
    if request.method != "POST":
        return redirect("workspace:feedback", code=code)
    item = get_feedback_for_actor(user, code)
    if item is None:
        raise Http404(_("Không tìm thấy phản ánh, kiến nghị."))
    action = request.POST.get("thao_tac", "")
    text = request.POST.get("noi_dung", "")[:10_000]
    try:
        if action == "chuyen":
            unit = Unit.objects.filter(pk=_int(request.POST.get("don_vi"))).first()
            if unit is None:
                raise FeedbackError(_("Hãy chọn đơn vị xử lý."))
            field = ProcedureField.objects.filter(pk=_int(request.POST.get("linh_vuc"))).first()
            feedback_route(
                actor=user,
                feedback=item,
                unit=unit,
                topic=request.POST.get("phan_loai", ""),
                field=field,
            )
        elif action == "tu_choi":
            feedback_refuse(actor=user, feedback=item, reason=text)
        elif action == "yeu_cau_bo_sung":
            feedback_request_info(actor=user, feedback=item, request=text)
        elif action == "du_thao":
            feedback_draft(actor=user, feedback=item, answer=text)
        elif action == "tra_lai":
            feedback_return(actor=user, feedback=item, reason=text)
        elif action == "duyet":
            feedback_approve(actor=user, feedback=item)
        elif action == "cong_khai":
            feedback_publish(
                actor=user,
                feedback=item,
                title=request.POST.get("tieu_de_cong_khai", "")[:300],
                content=request.POST.get("noi_dung_cong_khai", "")[:10_000],
                answer=request.POST.get("tra_loi_cong_khai", "")[:10_000],
            )
        else:
            raise FeedbackError(_("Thao tác không hợp lệ."))
    except FeedbackError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã cập nhật %s.") % item.code)
    return redirect("workspace:feedback", code=item.code)


def _int(value: str | None) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return 0
    return number if 0 < number < 2**62 else 0
