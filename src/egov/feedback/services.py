"""Every write on feedback: intake, classification and routing, the answer and its approval,
publication, rating. Each service takes an explicit ``actor``, runs in one transaction, checks
the actor's right (``permissions``) and moves the lifecycle (``state.move``); messages to the
submitter go to the outbox in the same transaction.

Legal basis: NĐ 20/2008/NĐ-CP as amended by NĐ 92/2017/NĐ-CP (docs/feedback.md lists what is
confirmed); deadlines: ``deadlines``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.catalog.models import Procedure, ProcedureField
from egov.core.inputs import CONTROL_RE
from egov.core.numbering import daily, take_number
from egov.core.text import fold
from egov.dossiers.models import Dossier
from egov.feedback.deadlines import intake_deadlines, publish_deadline
from egov.feedback.masking import mask_personal_data
from egov.feedback.models import (
    Feedback,
    FeedbackChannel,
    FeedbackKind,
    FeedbackRating,
    FeedbackState,
    FeedbackTopic,
)
from egov.feedback.permissions import (
    hash_secret,
    may_approve,
    may_classify,
    may_draft,
    may_log_calls,
)
from egov.feedback.state import FeedbackAction, allowed, move
from egov.notifications.services import Recipient, notification_enqueue
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

MAX_TEXT = 10_000


class FeedbackError(ValueError):
    """A refused write, with the reason to show (Vietnamese)."""


@dataclass(frozen=True)
class Submitter:
    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Submission:
    kind: FeedbackKind | str
    title: str
    content: str
    submitter: Submitter
    consent_to_publish: bool = False
    procedure: Procedure | None = None
    field: ProcedureField | None = None
    # The dossier it is about (``dossiers.permissions.referenced_dossier``).
    dossier: Dossier | None = None


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise FeedbackError(message)


def _check_step(feedback: Feedback, action: FeedbackAction) -> None:
    _require(
        allowed(feedback, action),
        _("Không thể thực hiện thao tác này khi phản ánh, kiến nghị đang ở trạng thái “%s”.")
        % feedback.get_state_display(),
    )


def _clean_text(value: str, label: str, *, limit: int = MAX_TEXT) -> str:
    # Control characters (a NUL byte would reach PostgreSQL as an error; badly decoded mail
    # carries C1 characters) are dropped: the feedback must not be lost over them. The
    # portal's forms refuse them in words before they get here.
    text = CONTROL_RE.sub("", value).strip()
    _require(bool(text), _("Hãy nhập %s.") % label)
    _require(
        len(text) <= limit,
        _("%(label)s dài quá %(limit)d ký tự.") % {"label": label, "limit": limit},
    )
    return text


def _due_text(moment: Any) -> str:
    return formats.date_format(moment.astimezone(VIETNAM_TZ), "H:i d/m/Y")


def _recipient(feedback: Feedback) -> Recipient:
    return Recipient(email=feedback.submitter_email, phone=feedback.submitter_phone)


def _notify(feedback: Feedback, event: str, context: dict[str, Any], **kw: Any) -> None:
    recipient = _recipient(feedback)
    if recipient.email or recipient.phone:
        notification_enqueue(
            event=event,
            reference=feedback.code,
            recipient=recipient,
            context={"code": feedback.code, "name": feedback.submitter_name, **context},
            unit=feedback.centre,
            **kw,
        )


def _new_code(centre: Unit, now: Any) -> str:
    day = now.astimezone(VIETNAM_TZ).date()
    number = take_number(daily("feedback-code", "unit", centre.pk, on=day), limit=9999)
    return f"PAKN-{day:%y%m%d}-{centre.pk:03d}-{number:04d}"


@transaction.atomic
def feedback_submit(
    *,
    actor: Actor,
    centre: Unit,
    channel: FeedbackChannel,
    submission: Submission,
    follows: Feedback | None = None,
) -> tuple[Feedback, str]:
    """Receive a feedback at ``centre`` through ``channel``; returns it and the tracking secret
    (shown once; only its hash is kept). From the hotline ``actor`` is the operator who logged
    the call; from the portal a signed-in citizen becomes the submitter's account. ``follows``:
    the answered feedback this one follows up (``feedback_follow_up``), whose account it keeps."""
    user = person(actor)
    logged_by = None
    account = None
    if channel == FeedbackChannel.HOTLINE:
        _require(may_log_calls(actor), _("Chỉ cán bộ Trung tâm hỗ trợ được ghi nhận cuộc gọi."))
        logged_by = user
    elif follows is not None:
        account = follows.submitter_account
    elif user is not None and not user.is_staff:
        account = user
    _require(
        submission.kind in FeedbackKind.values, _("Hãy chọn loại: phản ánh, kiến nghị hay hỏi đáp.")
    )
    submitter = submission.submitter
    name = _clean_text(submitter.name, _("họ tên người gửi"), limit=200)
    _require(
        bool(submitter.phone.strip() or submitter.email.strip()),
        _("Hãy cho biết số điện thoại hoặc thư điện tử để nhận trả lời."),
    )
    procedure, field, dossier = submission.procedure, submission.field, submission.dossier
    if dossier is not None:
        # The dossier's own procedure and field, as received (its version): a field chosen
        # on the form could belong to another procedure.
        procedure = dossier.procedure_version.procedure
        field = dossier.procedure_version.field
    now = timezone.now()
    deadlines = intake_deadlines(centre, now)
    secret = secrets.token_urlsafe(12)
    feedback = Feedback.objects.create(
        code=_new_code(centre, now),
        secret_hash=hash_secret(secret),
        centre=centre,
        kind=submission.kind,
        channel=channel,
        title=_clean_text(submission.title, _("tiêu đề"), limit=300),
        content=_clean_text(submission.content, _("nội dung")),
        procedure=procedure,
        field=field,
        dossier=dossier,
        submitter_name=name,
        submitter_phone=submitter.phone.strip()[:20],
        submitter_email=submitter.email.strip()[:254],
        submitter_account=account,
        consent_to_publish=submission.consent_to_publish,
        logged_by=logged_by,
        follows=follows,
        state=FeedbackState.RECEIVED,
        received_at=now,
        answer_due_at=deadlines.answer_by,
        due_at=deadlines.request_info_by,
    )
    data: dict[str, Any] = {"channel": channel}
    if follows is not None:
        data["follows"] = follows.code
    if dossier is not None:
        data["dossier"] = dossier.code
    move(feedback, FeedbackAction.SUBMIT, actor=actor, created=True, data=data)
    _notify(
        feedback,
        "feedback_received",
        {"title": feedback.title, "due": _due_text(feedback.answer_due_at)},
        sealed={"secret": secret},
    )
    return feedback, secret


def _lock(feedback: Feedback) -> Feedback:
    # "of self": PostgreSQL refuses to lock the nullable side of the outer join to the unit.
    return (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("centre", "unit")
        .get(pk=feedback.pk)
    )


@transaction.atomic
def feedback_request_info(*, actor: Actor, feedback: Feedback, request: str) -> Feedback:
    """Ask the submitter for more information (the clock stops until they answer)."""
    feedback = _lock(feedback)
    _require(
        may_classify(actor, feedback), _("Bạn không có quyền phân loại phản ánh, kiến nghị này.")
    )
    _check_step(feedback, FeedbackAction.REQUEST_INFO)
    feedback.info_request = _clean_text(request, _("thông tin cần bổ sung"), limit=2000)
    feedback.due_at = None
    move(
        feedback,
        FeedbackAction.REQUEST_INFO,
        actor=actor,
        note=feedback.info_request,
        update_fields=("info_request", "due_at"),
    )
    _notify(feedback, "feedback_info_requested", {"request": feedback.info_request})
    return feedback


@transaction.atomic
def feedback_supplement(*, actor: Actor, feedback: Feedback, text: str) -> Feedback:
    """The submitter's additional information (``actor``: whoever opened the tracking page
    with the code and secret). The deadlines run again from now — chưa xác nhận: the national
    system's rule for a restarted clock is not published (docs/feedback.md)."""
    feedback = _lock(feedback)
    _check_step(feedback, FeedbackAction.SUPPLEMENT)
    added = _clean_text(text, _("thông tin bổ sung"), limit=MAX_TEXT)
    now = timezone.now()
    deadlines = intake_deadlines(feedback.centre, now)
    stamp = formats.date_format(now.astimezone(VIETNAM_TZ), "d/m/Y")
    feedback.content = f"{feedback.content}\n\n{_('Bổ sung ngày %s:') % stamp}\n{added}"
    feedback.answer_due_at = deadlines.answer_by
    feedback.due_at = deadlines.request_info_by
    move(
        feedback,
        FeedbackAction.SUPPLEMENT,
        actor=actor,
        note=added,
        update_fields=("content", "answer_due_at", "due_at"),
    )
    return feedback


def _close(feedback: Feedback, now: Any, due: Any) -> None:
    feedback.closed_at = now
    feedback.closed_on_time = now <= due


@transaction.atomic
def feedback_refuse(*, actor: Actor, feedback: Feedback, reason: str) -> Feedback:
    """Refuse the feedback (outside NĐ 20/2008's scope, e.g. a complaint or denunciation under
    the Luật Khiếu nại / Luật Tố cáo), with the reason sent to the submitter."""
    feedback = _lock(feedback)
    _require(
        may_classify(actor, feedback), _("Bạn không có quyền phân loại phản ánh, kiến nghị này.")
    )
    _check_step(feedback, FeedbackAction.REFUSE)
    feedback.refusal_reason = _clean_text(reason, _("lý do từ chối"), limit=2000)
    now = timezone.now()
    refuse_by = intake_deadlines(feedback.centre, feedback.received_at).refuse_by
    _close(feedback, now, refuse_by)
    feedback.due_at = None
    move(
        feedback,
        FeedbackAction.REFUSE,
        actor=actor,
        note=feedback.refusal_reason,
        update_fields=("refusal_reason", "closed_at", "closed_on_time", "due_at"),
    )
    _notify(feedback, "feedback_refused", {"reason": feedback.refusal_reason})
    return feedback


@transaction.atomic
def feedback_route(
    *,
    actor: Actor,
    feedback: Feedback,
    unit: Unit,
    topic: FeedbackTopic | str,
    field: ProcedureField | None = None,
    procedure: Procedure | None = None,
) -> Feedback:
    """Classify the feedback (regulation or conduct, field, procedure) and send it to the unit
    that must answer."""
    feedback = _lock(feedback)
    _require(
        may_classify(actor, feedback), _("Bạn không có quyền phân loại phản ánh, kiến nghị này.")
    )
    _check_step(feedback, FeedbackAction.ROUTE)
    _require(topic in FeedbackTopic.values, _("Hãy chọn phân loại phản ánh, kiến nghị."))
    feedback.unit = unit
    feedback.topic = topic
    if field is not None:
        feedback.field = field
    if procedure is not None:
        feedback.procedure = procedure
    feedback.due_at = feedback.answer_due_at
    move(
        feedback,
        FeedbackAction.ROUTE,
        actor=actor,
        data={"unit": unit.pk, "topic": str(topic)},
        update_fields=("unit", "topic", "field", "procedure", "due_at"),
    )
    return feedback


@transaction.atomic
def feedback_draft(*, actor: Actor, feedback: Feedback, answer: str) -> Feedback:
    """A specialist of the responsible unit writes (or rewrites) the answer for approval."""
    feedback = _lock(feedback)
    _require(
        may_draft(actor, feedback), _("Chỉ chuyên viên của đơn vị xử lý được dự thảo trả lời.")
    )
    _check_step(feedback, FeedbackAction.DRAFT)
    feedback.answer = _clean_text(answer, _("nội dung trả lời"))
    feedback.drafted_by = person(actor)
    move(feedback, FeedbackAction.DRAFT, actor=actor, update_fields=("answer", "drafted_by"))
    return feedback


@transaction.atomic
def feedback_return(*, actor: Actor, feedback: Feedback, reason: str) -> Feedback:
    """The unit's leader sends the draft back to be rewritten."""
    feedback = _lock(feedback)
    _require(may_approve(actor, feedback), _("Chỉ lãnh đạo đơn vị xử lý được duyệt trả lời."))
    _check_step(feedback, FeedbackAction.RETURN)
    note = _clean_text(reason, _("lý do trả lại"), limit=2000)
    move(feedback, FeedbackAction.RETURN, actor=actor, note=note)
    return feedback


@transaction.atomic
def feedback_approve(*, actor: Actor, feedback: Feedback) -> Feedback:
    """The unit's leader approves the answer: it is sent to the submitter, the handling is
    judged against the answer deadline, and publication is due when the submitter agreed."""
    feedback = _lock(feedback)
    _require(may_approve(actor, feedback), _("Chỉ lãnh đạo đơn vị xử lý được duyệt trả lời."))
    _check_step(feedback, FeedbackAction.APPROVE)
    now = timezone.now()
    feedback.approved_by = person(actor)
    feedback.answered_at = now
    _close(feedback, now, feedback.answer_due_at)
    feedback.due_at = (
        publish_deadline(feedback.centre, now) if feedback.consent_to_publish else None
    )
    move(
        feedback,
        FeedbackAction.APPROVE,
        actor=actor,
        update_fields=("approved_by", "answered_at", "closed_at", "closed_on_time", "due_at"),
    )
    assert feedback.unit is not None  # routed before any draft
    _notify(
        feedback,
        "feedback_answered",
        {"title": feedback.title, "answer": feedback.answer, "unit": feedback.unit.name},
    )
    return feedback


def public_copy(feedback: Feedback) -> tuple[str, str, str]:
    """The title, content and answer as they would be published: personal data masked."""
    names = [feedback.submitter_name]
    return (
        mask_personal_data(feedback.title, names=names),
        mask_personal_data(feedback.content, names=names),
        mask_personal_data(feedback.answer, names=names),
    )


@transaction.atomic
def feedback_publish(
    *,
    actor: Actor,
    feedback: Feedback,
    title: str | None = None,
    content: str | None = None,
    answer: str | None = None,
) -> Feedback:
    """Publish the answer on the portal — only when the submitter agreed. The centre may edit
    the public texts (to remove what the automatic masking missed); whatever it sends is masked
    once more."""
    feedback = _lock(feedback)
    _require(may_classify(actor, feedback), _("Chỉ Trung tâm hỗ trợ được công khai trả lời."))
    _require(
        feedback.consent_to_publish,
        _("Người gửi không đồng ý công khai: không được công khai phản ánh, kiến nghị này."),
    )
    _check_step(feedback, FeedbackAction.PUBLISH)
    auto_title, auto_content, auto_answer = public_copy(feedback)
    names = [feedback.submitter_name]
    feedback.public_title = mask_personal_data(
        _clean_text(title, _("tiêu đề"), limit=300) if title else auto_title, names=names
    )
    feedback.public_content = mask_personal_data(
        _clean_text(content, _("nội dung")) if content else auto_content, names=names
    )
    feedback.public_answer = mask_personal_data(
        _clean_text(answer, _("nội dung trả lời")) if answer else auto_answer, names=names
    )
    feedback.public_search = fold(
        f"{feedback.code} {feedback.public_title} {feedback.public_content} "
        f"{feedback.public_answer}"
    )
    feedback.published_at = timezone.now()
    feedback.due_at = None
    move(
        feedback,
        FeedbackAction.PUBLISH,
        actor=actor,
        update_fields=(
            "public_title",
            "public_content",
            "public_answer",
            "public_search",
            "published_at",
            "due_at",
        ),
    )
    return feedback


@transaction.atomic
def feedback_rate(*, actor: Actor, feedback: Feedback, rating: FeedbackRating | str) -> Feedback:
    """The submitter's rating of the answer (once; ``actor``: whoever holds the code and
    secret, or the submitter's account — the caller loaded the feedback through
    ``permissions.get_tracked_feedback``)."""
    feedback = _lock(feedback)
    _require(not feedback.rating, _("Phản ánh, kiến nghị này đã được đánh giá."))
    _check_step(feedback, FeedbackAction.RATE)
    _require(rating in FeedbackRating.values, _("Hãy chọn hài lòng hoặc không hài lòng."))
    feedback.rating = rating
    feedback.rated_at = timezone.now()
    move(
        feedback,
        FeedbackAction.RATE,
        actor=actor,
        data={"rating": str(rating)},
        update_fields=("rating", "rated_at"),
    )
    return feedback


def follow_up_until(feedback: Feedback) -> dt.datetime:
    """The last moment the submitter may follow up the answer of ``feedback``."""
    answered_at = feedback.answered_at or feedback.received_at
    return answered_at + dt.timedelta(days=settings.EGOV_FEEDBACK_FOLLOW_UP_DAYS)


@transaction.atomic
def feedback_follow_up(*, actor: Actor, feedback: Feedback, content: str) -> tuple[Feedback, str]:
    """The submitter does not accept the answer and writes again: a new feedback at the same
    support centre, of the same kind, procedure and field, linked to the answered one (which
    records a ``follow_up`` event), received and routed like any other. Once per answer,
    within ``EGOV_FEEDBACK_FOLLOW_UP_DAYS`` of it. ``actor``: whoever holds the code and
    secret, or the submitter's account (``permissions.get_tracked_feedback``)."""
    feedback = _lock(feedback)
    _check_step(feedback, FeedbackAction.FOLLOW_UP)
    existing = feedback.follow_ups.order_by("pk").first()
    _require(
        existing is None,
        _("Đã gửi phản ánh tiếp cho câu trả lời này (mã %s).")
        % (existing.code if existing else ""),
    )
    _require(
        timezone.now() <= follow_up_until(feedback),
        _("Đã quá %(days)s ngày kể từ khi trả lời; vui lòng gửi phản ánh, kiến nghị mới.")
        % {"days": settings.EGOV_FEEDBACK_FOLLOW_UP_DAYS},
    )
    title = (_("Phản ánh tiếp: %(title)s") % {"title": feedback.title})[:300]
    follow_up, secret = feedback_submit(
        actor=actor,
        centre=feedback.centre,
        channel=FeedbackChannel.PORTAL,
        submission=Submission(
            kind=feedback.kind,
            title=title,
            content=content,
            submitter=Submitter(
                name=feedback.submitter_name,
                phone=feedback.submitter_phone,
                email=feedback.submitter_email,
            ),
            procedure=feedback.procedure,
            field=feedback.field,
            dossier=feedback.dossier,
        ),
        follows=feedback,
    )
    move(feedback, FeedbackAction.FOLLOW_UP, actor=actor, data={"follow_up": follow_up.code})
    return follow_up, secret
