"""The support centre's hotline (issue 17 §7): the operator's screen — search the knowledge
base during a call, log the call, their own calls and the follow-ups to do (a centre's
leaders see every call of their centre) — and the editing and publishing of the knowledge
base. Rights: ``helpdesk.permissions``; the work: ``helpdesk.services``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.catalog.models import Procedure, ProcedureField
from egov.helpdesk.models import Question, QuestionState
from egov.helpdesk.permissions import (
    call_desk,
    editable_questions,
    get_call_for_actor,
    get_question_for_editor,
    helpdesk_units,
    is_helpdesk_staff,
    led_unit_ids,
    may_move,
    published_questions,
    visible_calls,
)
from egov.helpdesk.selectors import (
    InvalidCursor,
    KeysetPage,
    call_page,
    editor_page,
    pending_follow_ups,
    procedure_by_code,
    search_faq,
)
from egov.helpdesk.services import (
    CallInput,
    QuestionInput,
    call_follow_up_done,
    call_log,
    question_create,
    question_move,
    question_update,
)
from egov.helpdesk.state import QUESTION_TRANSITIONS, QuestionAction
from egov.workspace.views.common import staff_only

KB_RESULTS = 10


def _helpdesk_only(request: HttpRequest) -> None:
    staff_only(request)
    if not is_helpdesk_staff(request.user):
        raise PermissionDenied(_("Trang này dành cho tổng đài viên và lãnh đạo trung tâm hỗ trợ."))


class CallForm(forms.Form):
    caller_name = forms.CharField(
        label=gettext_lazy("Họ tên người gọi"), max_length=150, required=False
    )
    caller_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"), max_length=20, required=False
    )
    topic = forms.CharField(label=gettext_lazy("Nội dung hỏi"), max_length=500)
    answer = forms.CharField(
        label=gettext_lazy("Nội dung đã trả lời"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    follow_up_needed = forms.BooleanField(label=gettext_lazy("Cần xử lý tiếp"), required=False)
    follow_up_note = forms.CharField(
        label=gettext_lazy("Việc cần làm tiếp"), max_length=500, required=False
    )


def _chosen_ids(request: HttpRequest) -> list[int]:
    source = request.POST if request.method == "POST" else request.GET
    ids = []
    for value in source.getlist("cau_hoi")[:20]:
        if value.isdigit() and 0 < int(value) < 2**62:
            ids.append(int(value))
    return ids


def _kb_context(request: HttpRequest) -> dict[str, object]:
    """The knowledge-base search of the operator's screen: the questions already chosen for
    this call (kept across searches), then the matches of ``q`` not among them."""
    query = request.GET.get("q", "").strip()[:200]
    chosen_ids = _chosen_ids(request)
    chosen = list(published_questions().filter(pk__in=chosen_ids).select_related("procedure"))
    found: list[Question] = []
    if query:
        page = search_faq(query=query, limit=KB_RESULTS + len(chosen))
        found = [q for q in page.items if q.pk not in chosen_ids][:KB_RESULTS]
    return {"query": query, "chosen": chosen, "found": found}


@login_required
def hotline(request: HttpRequest) -> HttpResponse:
    """GET: the operator's screen (``?q=`` searches the knowledge base; htmx asks only for the
    results). POST: log the call."""
    _helpdesk_only(request)
    if request.method == "GET" and getattr(request, "htmx", False):
        return render(request, "workspace/_hotline_kb.html", _kb_context(request))
    form = CallForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                call = call_log(
                    actor=request.user,
                    data=CallInput(
                        caller_name=data["caller_name"],
                        caller_phone=data["caller_phone"],
                        topic=data["topic"],
                        answer=data["answer"],
                        question_ids=_chosen_ids(request),
                        follow_up_needed=data["follow_up_needed"],
                        follow_up_note=data["follow_up_note"],
                    ),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã ghi cuộc gọi số %(number)s.") % {"number": call.pk})
                return redirect("workspace:hotline")
        status = 400
    calls = visible_calls(request.user)
    try:
        page = call_page(calls, cursor=request.GET.get("sau", "")[:120])
    except InvalidCursor:
        page = call_page(calls)
    context = {
        **_kb_context(request),
        "form": form,
        "desk": call_desk(request.user),
        "page": page,
        "follow_ups": pending_follow_ups(calls),
        "leads": bool(led_unit_ids(request.user)),
    }
    return render(request, "workspace/hotline.html", context, status=status)


class FollowUpForm(forms.Form):
    result = forms.CharField(label=gettext_lazy("Kết quả xử lý tiếp"), max_length=500)


@login_required
def hotline_call(request: HttpRequest, pk: int) -> HttpResponse:
    """One call (404 unless logged by this user or in a centre they lead). POST: the
    follow-up is done."""
    staff_only(request)
    call = get_call_for_actor(request.user, pk)
    if call is None:
        raise Http404(_("Không có cuộc gọi này trong phạm vi bạn được xem."))
    form = FollowUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                call_follow_up_done(
                    actor=request.user, call=call, result=form.cleaned_data["result"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã ghi nhận việc xử lý tiếp."))
                return redirect("workspace:hotline_call", pk=call.pk)
        status = 400
    return render(
        request, "workspace/hotline_call.html", {"call": call, "form": form}, status=status
    )


class QuestionForm(forms.Form):
    question = forms.CharField(label=gettext_lazy("Câu hỏi"), max_length=500)
    answer = forms.CharField(
        label=gettext_lazy("Câu trả lời"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Văn bản thuần; để một dòng trống giữa các đoạn."),
    )
    procedure = forms.CharField(
        label=gettext_lazy("Mã thủ tục (nếu có)"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("Mã quốc gia, vd. 1.000894"),
    )
    field = forms.ModelChoiceField(
        label=gettext_lazy("Lĩnh vực"),
        queryset=ProcedureField.objects.order_by("order", "name"),
        required=False,
        to_field_name="code",
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Căn cứ pháp lý"), max_length=500, required=False
    )

    def clean_procedure(self) -> Procedure | None:
        code = self.cleaned_data.get("procedure", "").strip()
        if not code:
            return None
        procedure = procedure_by_code(code)
        if procedure is None:
            raise ValidationError(_("Không có thủ tục với mã “%s”.") % code)
        return procedure

    def input(self) -> QuestionInput:
        data = self.cleaned_data
        return QuestionInput(
            question=data["question"],
            answer=data["answer"],
            procedure=data["procedure"],
            field=data["field"],
            legal_basis=data["legal_basis"],
        )


def _initial(question: Question) -> dict[str, object]:
    return {
        "question": question.question,
        "answer": question.answer,
        "procedure": question.procedure.public_code if question.procedure else "",
        "field": question.field.code if question.field else "",
        "legal_basis": question.legal_basis,
    }


@login_required
def faq_manage(request: HttpRequest) -> HttpResponse:
    """The knowledge base of the user's centres, by state; POST: a new draft."""
    _helpdesk_only(request)
    units = helpdesk_units(request.user)
    form = QuestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                question = question_create(actor=request.user, unit=units[0], data=form.input())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã lưu bản nháp."))
                return redirect("workspace:faq_edit", pk=question.pk)
        status = 400
    state = request.GET.get("trang_thai", "")
    questions = editable_questions(request.user)
    if state in QuestionState.values:
        questions = questions.filter(state=state)
    page: KeysetPage[Question]
    try:
        page = editor_page(questions, cursor=request.GET.get("sau", "")[:120])
    except InvalidCursor:
        page = editor_page(questions)
    return render(
        request,
        "workspace/faq_manage.html",
        {"form": form, "page": page, "state": state, "states": QuestionState.choices},
        status=status,
    )


ACTION_LABELS = {
    QuestionAction.SUBMIT: gettext_lazy("Gửi duyệt"),
    QuestionAction.RETURN: gettext_lazy("Trả lại để sửa"),
    QuestionAction.PUBLISH: gettext_lazy("Công bố"),
    QuestionAction.ARCHIVE: gettext_lazy("Lưu trữ (thôi công bố)"),
    QuestionAction.REOPEN: gettext_lazy("Mở lại để sửa"),
}


@login_required
def faq_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One question of the user's centres: edit the draft (``thao_tac=luu``) or move it
    (``thao_tac=<action>``, with ``ghi_chu``)."""
    staff_only(request)
    question = get_question_for_editor(request.user, pk)
    if question is None:
        raise Http404(_("Không có câu hỏi này trong phạm vi bạn được xem."))
    form = QuestionForm(
        request.POST if request.method == "POST" else None, initial=_initial(question)
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("thao_tac", "")
        try:
            if action == "luu":
                if form.is_valid():
                    question_update(actor=request.user, question=question, data=form.input())
                    messages.success(request, _("Đã lưu."))
                    return redirect("workspace:faq_edit", pk=question.pk)
            elif action in ACTION_LABELS:
                question_move(
                    actor=request.user,
                    question=question,
                    action=QuestionAction(action),
                    note=request.POST.get("ghi_chu", "")[:500],
                )
                messages.success(request, _("Đã cập nhật trạng thái câu hỏi."))
                return redirect("workspace:faq_edit", pk=question.pk)
            else:
                form.add_error(None, _("Thao tác không hợp lệ."))
        except ValidationError as error:
            form.add_error(None, error)
        status = 400
    actions = [
        (action, label)
        for action, label in ACTION_LABELS.items()
        if (question.state, action) in QUESTION_TRANSITIONS
        and may_move(request.user, question, action)
    ]
    return render(
        request,
        "workspace/faq_edit.html",
        {
            "question": question,
            "form": form,
            "actions": actions,
            "events": question.events.select_related("actor").order_by("sequence"),
        },
        status=status,
    )
