"""The feedback lifecycle as data, and the one function that moves a feedback and appends its
event (``FeedbackEvent``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from egov.accounts.actors import Actor, person
from egov.core.lifecycle import IllegalTransition as IllegalTransition
from egov.core.lifecycle import append_event, next_state
from egov.feedback.models import Feedback, FeedbackEvent, FeedbackState


class FeedbackAction(StrEnum):
    SUBMIT = "submit"
    REQUEST_INFO = "request_info"
    SUPPLEMENT = "supplement"
    REFUSE = "refuse"
    ROUTE = "route"
    DRAFT = "draft"
    RETURN = "return"
    APPROVE = "approve"
    PUBLISH = "publish"
    RATE = "rate"
    FOLLOW_UP = "follow_up"  # the submitter sends a follow-up (a new feedback) on the answer


ACTION_LABELS = {
    FeedbackAction.SUBMIT: _("Tiếp nhận"),
    FeedbackAction.REQUEST_INFO: _("Yêu cầu bổ sung thông tin"),
    FeedbackAction.SUPPLEMENT: _("Người gửi bổ sung thông tin"),
    FeedbackAction.REFUSE: _("Từ chối tiếp nhận"),
    FeedbackAction.ROUTE: _("Phân loại, chuyển đơn vị xử lý"),
    FeedbackAction.DRAFT: _("Dự thảo trả lời"),
    FeedbackAction.RETURN: _("Lãnh đạo trả lại dự thảo"),
    FeedbackAction.APPROVE: _("Lãnh đạo duyệt, gửi trả lời"),
    FeedbackAction.PUBLISH: _("Công khai trả lời"),
    FeedbackAction.RATE: _("Người gửi đánh giá"),
    FeedbackAction.FOLLOW_UP: _("Người gửi phản ánh tiếp"),
}

S = FeedbackState
# "" is the feedback's creation.
FEEDBACK_TRANSITIONS: dict[tuple[str, str], str] = {
    ("", FeedbackAction.SUBMIT): S.RECEIVED,
    (S.RECEIVED, FeedbackAction.REQUEST_INFO): S.INFO_REQUESTED,
    (S.INFO_REQUESTED, FeedbackAction.SUPPLEMENT): S.RECEIVED,
    (S.RECEIVED, FeedbackAction.REFUSE): S.REFUSED,
    (S.RECEIVED, FeedbackAction.ROUTE): S.ROUTED,
    (S.ROUTED, FeedbackAction.DRAFT): S.DRAFTED,
    (S.DRAFTED, FeedbackAction.DRAFT): S.DRAFTED,
    (S.DRAFTED, FeedbackAction.RETURN): S.ROUTED,
    (S.DRAFTED, FeedbackAction.APPROVE): S.ANSWERED,
    (S.ANSWERED, FeedbackAction.PUBLISH): S.PUBLISHED,
    (S.ANSWERED, FeedbackAction.RATE): S.ANSWERED,
    (S.PUBLISHED, FeedbackAction.RATE): S.PUBLISHED,
    (S.ANSWERED, FeedbackAction.FOLLOW_UP): S.ANSWERED,
    (S.PUBLISHED, FeedbackAction.FOLLOW_UP): S.PUBLISHED,
}


def allowed(feedback: Feedback, action: FeedbackAction) -> bool:
    return (feedback.state, action) in FEEDBACK_TRANSITIONS


def move(
    feedback: Feedback,
    action: FeedbackAction,
    *,
    actor: Actor | None,
    created: bool = False,
    note: str = "",
    data: dict[str, Any] | None = None,
    update_fields: tuple[str, ...] = (),
) -> FeedbackEvent:
    """Apply ``action`` to ``feedback`` after checking the table, save the state with
    ``update_fields`` (the caller's changes), and append the event. ``created``: the row was
    just saved in the target state."""
    from_state, target = next_state(FEEDBACK_TRANSITIONS, feedback.state, action, created=created)
    if not created:
        feedback.state = target
        feedback.save(update_fields=["state", *update_fields])
    return append_event(
        FeedbackEvent,
        "feedback",
        feedback,
        action=action,
        from_state=from_state,
        to_state=target,
        by=person(actor) if actor is not None else None,
        note=note,
        data=data or {},
    )
