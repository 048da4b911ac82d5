"""Every write of the knowledge base and the call log. Keyword-only, an explicit ``actor``,
one transaction each; rights are checked here too (``permissions``), so that no caller can
skip them. Caller names and phone numbers never go to the audit trail or to logs: the audit
entry names the call by its number only."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.audit.services import audit_record
from egov.catalog.models import Procedure, ProcedureField
from egov.helpdesk.models import HotlineCall, Question, QuestionState
from egov.helpdesk.permissions import (
    call_desk,
    helpdesk_units,
    led_unit_ids,
    may_move,
    published_questions,
)
from egov.helpdesk.search import search_text_of
from egov.helpdesk.state import IllegalTransition, QuestionAction, allowed, move
from egov.org.models import Unit

PHONE_RE = re.compile(r"^\+?[0-9]{8,15}$")
MAX_QUESTIONS_PER_CALL = 20


@dataclass(frozen=True)
class QuestionInput:
    question: str
    answer: str
    procedure: Procedure | None = None
    field: ProcedureField | None = None
    legal_basis: str = ""


@dataclass(frozen=True)
class CallInput:
    topic: str
    answer: str
    caller_name: str = ""
    caller_phone: str = ""
    question_ids: Sequence[int] = ()
    follow_up_needed: bool = False
    follow_up_note: str = ""


def _clean_question(data: QuestionInput) -> QuestionInput:
    question, answer = data.question.strip(), data.answer.strip()
    if not question or not answer:
        raise ValidationError(_("Cần nhập cả câu hỏi và câu trả lời."))
    if len(question) > 500 or len(answer) > 5000 or len(data.legal_basis) > 500:
        raise ValidationError(_("Câu hỏi tối đa 500, câu trả lời tối đa 5.000 ký tự."))
    field = data.field
    if data.procedure is not None and field is None:
        # A question about a procedure is filed under the procedure's field (its latest version).
        version = data.procedure.versions.order_by("-number").select_related("field").first()
        field = version.field if version is not None else None
    return QuestionInput(
        question=question,
        answer=answer,
        procedure=data.procedure,
        field=field,
        legal_basis=data.legal_basis.strip(),
    )


@transaction.atomic
def question_create(*, actor: Actor, unit: Unit, data: QuestionInput) -> Question:
    """A new draft of ``unit``'s knowledge base, written by ``actor`` (an operator or leader
    of that centre)."""
    author = person(actor)
    if author is None or unit not in helpdesk_units(actor):
        raise PermissionDenied(_("Chỉ tổng đài viên, lãnh đạo của trung tâm được soạn hỏi đáp."))
    clean = _clean_question(data)
    question = Question(
        unit=unit,
        question=clean.question,
        answer=clean.answer,
        procedure=clean.procedure,
        field=clean.field,
        legal_basis=clean.legal_basis,
        state=QuestionState.DRAFT,
        author=author,
    )
    question.search_text = search_text_of(question)
    question.save()
    move(question, QuestionAction.CREATE, actor=actor, created=True)
    return question


@transaction.atomic
def question_update(*, actor: Actor, question: Question, data: QuestionInput) -> Question:
    """Edit a draft (a published question is archived, reopened as a draft, then edited)."""
    if question.unit not in helpdesk_units(actor):
        raise PermissionDenied(_("Bạn không sửa được câu hỏi của trung tâm khác."))
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.is_editable:
        raise ValidationError(_("Chỉ sửa được câu hỏi ở trạng thái bản nháp."))
    clean = _clean_question(data)
    question.question = clean.question
    question.answer = clean.answer
    question.procedure = clean.procedure
    question.field = clean.field
    question.legal_basis = clean.legal_basis
    question.search_text = search_text_of(question)
    question.save()
    return question


@transaction.atomic
def question_move(
    *, actor: Actor, question: Question, action: QuestionAction, note: str = ""
) -> Question:
    """Submit, return (with a note), publish, archive or reopen ``question``."""
    if not may_move(actor, question, action):
        raise PermissionDenied(_("Chỉ lãnh đạo trung tâm được duyệt, công bố, lưu trữ hỏi đáp."))
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not allowed(question, action):
        raise ValidationError(
            _("Không thực hiện được thao tác này với câu hỏi ở trạng thái “%s”.")
            % question.get_state_display()
        )
    note = note.strip()
    if action == QuestionAction.RETURN and not note:
        raise ValidationError(_("Cần ghi lý do trả lại để người soạn sửa."))
    try:
        move(question, action, actor=actor, note=note)
    except IllegalTransition as error:  # the row changed between the two reads
        raise ValidationError(_("Câu hỏi vừa được người khác thay đổi; tải lại trang.")) from error
    if action in (QuestionAction.PUBLISH, QuestionAction.ARCHIVE):
        audit_record(actor=person(actor), action=f"helpdesk.question_{action}", target=question)
    return question


def _clean_phone(phone: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", phone)
    if digits and not PHONE_RE.match(digits):
        raise ValidationError(_("Số điện thoại không hợp lệ (8 đến 15 chữ số)."))
    return digits


@transaction.atomic
def call_log(*, actor: Actor, data: CallInput) -> HotlineCall:
    """Record a call ``actor`` answered, at the centre where ``actor`` is an operator."""
    operator = person(actor)
    unit = call_desk(actor)
    if operator is None or unit is None:
        raise PermissionDenied(_("Chỉ tổng đài viên, lãnh đạo trung tâm được ghi cuộc gọi."))
    topic, answer = data.topic.strip(), data.answer.strip()
    if not topic or not answer:
        raise ValidationError(_("Cần nhập nội dung hỏi và nội dung trả lời."))
    if len(topic) > 500 or len(answer) > 5000 or len(data.caller_name) > 150:
        raise ValidationError(_("Nội dung quá dài."))
    note = data.follow_up_note.strip()
    if data.follow_up_needed and not note:
        raise ValidationError(_("Cần ghi việc phải làm tiếp."))
    ids = sorted(set(data.question_ids))
    if len(ids) > MAX_QUESTIONS_PER_CALL:
        raise ValidationError(_("Chọn tối đa 20 câu hỏi."))
    used = list(published_questions().filter(pk__in=ids))
    if len(used) != len(ids):
        raise ValidationError(_("Có câu hỏi đã chọn không còn được công bố; chọn lại."))
    call = HotlineCall.objects.create(
        unit=unit,
        operator=operator,
        received_at=timezone.now(),
        caller_name=data.caller_name.strip(),
        caller_phone=_clean_phone(data.caller_phone),
        topic=topic,
        answer=answer,
        follow_up_needed=data.follow_up_needed,
        follow_up_note=note if data.follow_up_needed else "",
    )
    call.questions.set(used)
    # The call's number only: the caller's name and phone are not copied to the trail.
    audit_record(actor=operator, action="helpdesk.call_logged", target=call)
    return call


@transaction.atomic
def call_follow_up_done(*, actor: Actor, call: HotlineCall, result: str) -> HotlineCall:
    """Close the follow-up of ``call``: by the operator who logged it or a leader of its
    centre."""
    user = person(actor)
    if user is None or (call.operator_id != user.pk and call.unit_id not in led_unit_ids(actor)):
        raise PermissionDenied(_("Bạn không xử lý tiếp được cuộc gọi này."))
    call = HotlineCall.objects.select_for_update().get(pk=call.pk)
    if not call.follow_up_pending:
        raise ValidationError(_("Cuộc gọi này không có việc cần xử lý tiếp, hoặc đã xử lý xong."))
    result = result.strip()
    if not result or len(result) > 500:
        raise ValidationError(_("Cần ghi kết quả xử lý tiếp (tối đa 500 ký tự)."))
    call.follow_up_done_at = timezone.now()
    call.follow_up_done_by = user
    call.follow_up_result = result
    call.save(update_fields=["follow_up_done_at", "follow_up_done_by", "follow_up_result"])
    audit_record(actor=user, action="helpdesk.follow_up_done", target=call)
    return call
