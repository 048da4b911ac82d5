from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor
from egov.accounts.models import User
from egov.audit.services import audit_record
from egov.dossiers.models import Dossier, DossierStatus
from egov.org.models import Unit
from egov.ratings.indices import (
    CITIZEN_QUESTIONS,
    IndexSet,
    citizen_scores,
    index_set_on,
    score_desk_model,
    score_feedback,
    score_publicity,
)
from egov.ratings.models import Rating, RatingChannel, UnitAssessment
from egov.workdays.engine import VIETNAM_TZ

RATEABLE = (DossierStatus.RETURNED, DossierStatus.REFUSED)


def check_matches(dossier: Dossier, check: str) -> bool:
    """The check a counter applicant gives with the dossier code: the last four digits of the
    phone number on the dossier; for a dossier without a phone number, the "Số thứ tự" of its
    entry in the tracking book, printed on the receipt (Mẫu 01) — easier to guess, so only
    where nothing better exists (docs/ratings.md)."""
    check = "".join(ch for ch in check if ch.isdigit())
    if not check:
        return False
    phone = "".join(ch for ch in dossier.applicant_phone if ch.isdigit())
    if len(phone) >= 4:
        return check == phone[-4:]
    return dossier.book_sequence is not None and check.lstrip("0") == str(dossier.book_sequence)


def _checked_answers(index_set: IndexSet, answers: dict[str, str]) -> dict[str, str]:
    missing = []
    for question in CITIZEN_QUESTIONS:
        if answers.get(question.key) not in {value for value, _label in question.choices}:
            missing.append(str(question.label))
    if missing:
        raise ValidationError({"answers": [_("Cần trả lời các câu hỏi: %s.") % "; ".join(missing)]})
    checked = {q.key: answers[q.key] for q in CITIZEN_QUESTIONS}
    for key, _label in index_set.extra_questions:
        value = answers.get(key, "")
        if value:
            if not value.isdigit() or int(value) not in index_set.extra_levels:
                raise ValidationError({"answers": [_("Mức đánh giá không hợp lệ.")]})
            checked[key] = value
    return checked


@transaction.atomic
def rating_submit(
    *,
    actor: Actor,
    dossier: Dossier,
    answers: dict[str, str],
    comment: str = "",
    check: str | None = None,
) -> Rating:
    """The applicant evaluates the handling of ``dossier`` once, after the result (or a
    refusal): the account that submitted it online, or anyone at the desk's kiosk who gives
    the dossier's check (``check_matches``). The answers are facts (TT 01/2018/TT-VPCP
    Điều 13: indices 1, 3, 4 and 7, collected from the applicant under Điều 14 khoản 3
    điểm a); their scores are kept with the rating."""
    is_owner = dossier.owner_id is not None and dossier.owner_id == getattr(actor, "pk", None)
    if check is not None:
        if not check_matches(dossier, check):
            raise ValidationError(_("Không tìm thấy hồ sơ hoặc thông tin kiểm tra không đúng."))
        channel = RatingChannel.KIOSK
    elif is_owner:
        channel = RatingChannel.ONLINE
    else:
        raise ValidationError(_("Chỉ người nộp hồ sơ mới được đánh giá."))
    if dossier.status not in RATEABLE:
        raise ValidationError(_("Hồ sơ chưa có kết quả nên chưa đánh giá được."))
    now = timezone.now()
    index_set = index_set_on(now.astimezone(VIETNAM_TZ).date())
    checked = _checked_answers(index_set, answers)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                unit=dossier.handling_unit or dossier.receiving_unit,
                criteria_version=index_set.key,
                channel=channel,
                answers=checked,
                scores=citizen_scores(index_set, checked),
                overall=int(checked["overall"]) if "overall" in checked else None,
                comment=comment.strip()[:2000],
                created_at=now,
            )
    except IntegrityError:
        raise ValidationError(_("Hồ sơ này đã được đánh giá.")) from None
    officers = set(dossier.events.exclude(actor=None).values_list("actor_id", flat=True).distinct())
    officers.discard(getattr(actor, "pk", None))
    if dossier.owner_id is not None:
        officers.discard(dossier.owner_id)
    rating.officers.set(officers)
    audit_record(
        actor=actor,
        action="rating.submit",
        target=dossier,
        details={"channel": channel},
    )
    return rating


def _share(facts: dict[str, Any], key: str) -> Decimal:
    try:
        value = Decimal(str(facts[key]))
    except (KeyError, InvalidOperation):
        raise ValidationError(_("Thiếu hoặc sai số liệu: %s.") % key) from None
    if not Decimal(0) <= value <= Decimal(1):
        raise ValidationError(_("Tỷ lệ phải từ 0 đến 1: %s.") % key)
    return value


def _count(facts: dict[str, Any], key: str) -> int:
    value = facts.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(_("Thiếu hoặc sai số liệu: %s.") % key)
    return value


def assessment_score(index_set: IndexSet, number: int, facts: dict[str, Any]) -> int:
    """The score of a unit-level index from the facts an inspection or report established."""
    index = index_set.index(number)
    if index.kind == "desk_model":
        level = facts.get("level")
        if level not in index.thresholds["full_handling_min_share"]:
            raise ValidationError(_("Cấp của đơn vị không hợp lệ."))
        return score_desk_model(
            index,
            level=str(level),
            full_handling_share=_share(facts, "full_handling_share"),
            at_desk_share=_share(facts, "at_desk_share"),
        )
    if index.kind == "publicity":
        return score_publicity(
            index, posted=bool(facts.get("posted")), electronic=bool(facts.get("electronic"))
        )
    if index.kind == "feedback":
        total, on_time = _count(facts, "total"), _count(facts, "on_time")
        if on_time > total:
            raise ValidationError(_("Số phản ánh, kiến nghị xử lý đúng hạn vượt quá tổng số."))
        return score_feedback(
            index, total=total, on_time=on_time, prolonged=_count(facts, "prolonged")
        )
    raise ValidationError(_("Chỉ số %s không được chấm theo kết quả kiểm tra.") % number)


@transaction.atomic
def unit_assessment_record(
    *,
    actor: User,
    unit: Unit,
    index: int,
    period_start: dt.date,
    period_end: dt.date,
    facts: dict[str, Any],
    basis: str,
) -> UnitAssessment:
    """Record a unit-level index (5, 6 or 8) for a period, scored from its facts (TT 01/2018/
    TT-VPCP Điều 14 khoản 2 and khoản 3 điểm c)."""
    if period_end < period_start:
        raise ValidationError(_("Ngày kết thúc kỳ đánh giá phải sau ngày bắt đầu."))
    if not basis.strip():
        raise ValidationError(_("Cần ghi căn cứ (biên bản kiểm tra, báo cáo, quyết định)."))
    index_set = index_set_on(period_end)
    if index not in index_set.indices or index_set.index(index).source != "assessment":
        raise ValidationError(_("Chỉ số %s không được chấm theo kết quả kiểm tra.") % index)
    assessment = UnitAssessment.objects.create(
        unit=unit,
        index_set=index_set.key,
        index=index,
        period_start=period_start,
        period_end=period_end,
        facts=facts,
        score=assessment_score(index_set, index, facts),
        basis=basis.strip()[:500],
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor, action="rating.unit_assessment", target=assessment, details={"index": index}
    )
    return assessment
