from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor
from egov.audit.services import audit_record
from egov.dossiers.models import Dossier, DossierStatus
from egov.ratings.criteria import CRITERIA, CRITERIA_VERSION, LEVELS
from egov.ratings.models import Rating

RATEABLE = (DossierStatus.RETURNED, DossierStatus.REFUSED)


@transaction.atomic
def rating_submit(
    *, actor: Actor, dossier: Dossier, answers: dict[str, int], comment: str = ""
) -> Rating:
    """The applicant rates the service once, after the result (or a refusal)."""
    if dossier.owner_id is None or dossier.owner_id != getattr(actor, "pk", None):
        raise ValidationError(_("Chỉ người nộp hồ sơ mới được đánh giá."))
    if dossier.status not in RATEABLE:
        raise ValidationError(_("Hồ sơ chưa có kết quả nên chưa đánh giá được."))
    missing = [label for key, label in CRITERIA if answers.get(key) not in LEVELS]
    if missing:
        raise ValidationError(
            {"answers": [_("Cần chọn mức đánh giá cho: %s.") % "; ".join(missing)]}
        )
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                unit=dossier.handling_unit or dossier.receiving_unit,
                criteria_version=CRITERIA_VERSION,
                answers={key: int(answers[key]) for key, _label in CRITERIA},
                overall=int(answers["overall"]),
                comment=comment.strip()[:2000],
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(_("Hồ sơ này đã được đánh giá.")) from None
    officers = set(dossier.events.exclude(actor=None).values_list("actor_id", flat=True).distinct())
    officers.discard(actor.pk)
    rating.officers.set(officers)
    audit_record(actor=actor, action="rating.submit", target=dossier)
    return rating
