"""Reception of a complete dossier at the one-stop desk (Mẫu 01 receipt follows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.catalog.fees import quote
from egov.catalog.models import ChannelKind, Component, ProcedureVersion
from egov.core.identity import clean_applicant_identity
from egov.core.inputs import clean_text, column_length
from egov.core.models import StoredFile
from egov.core.uploads import discard_stored, discarded_on_failure, store_private
from egov.dossiers.actions import DossierAction
from egov.dossiers.codes import book_entry
from egov.dossiers.events import record_event
from egov.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierPayment,
    DossierStatus,
    PaymentMethod,
    PaymentPurpose,
    ResultDelivery,
)
from egov.dossiers.permissions import can_receive_at
from egov.dossiers.reuse import Reuse, owner_of, record_reuse, resolve_reuse
from egov.dossiers.services.creation import dossier_row_create
from egov.dossiers.services.deadlines import appointment_problem, due_moment
from egov.dossiers.services.digitisation import reception_scans_store
from egov.dossiers.services.payments import payment_record
from egov.org.models import Unit
from egov.workdays.selectors import calendar_for_unit


@dataclass
class Applicant:
    kind: str
    name: str
    personal_id: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    representative_name: str = ""
    representative_personal_id: str = ""
    birth_date: dt.date | None = None


@dataclass
class Reception:
    unit: Unit
    version: ProcedureVersion
    channel: str
    applicant: Applicant
    components: dict[int, tuple[int, int]] = field(default_factory=dict)
    sets: int = 1
    result_delivery: str = ResultDelivery.COUNTER
    # Scans of received components: component id → (file, original name).
    scans: dict[int, tuple[IO[bytes], str]] = field(default_factory=dict)
    # Fee collected at the counter with the dossier (0: nothing collected now).
    fee_paid: int = 0
    fee_method: str = PaymentMethod.CASH
    fee_reference: str = ""
    # Components given by a valid document of the applicant's data store instead of paper:
    # component id → store document code (egov.dossiers.reuse; NĐ 45/2020 Điều 16).
    store_documents: dict[int, str] = field(default_factory=dict)


# Limits of a counter reception, shared by the workspace form, the staff API and this service.
MAX_SETS = 50
MAX_COPIES = 99

# Applicant text fields → the Dossier column each is stored in (its max_length is the limit).
APPLICANT_COLUMNS = {
    "name": "applicant_name",
    "address": "applicant_address",
    "representative_name": "representative_name",
    "email": "applicant_email",
}
# Identity fields are checked by their own cleaners; the raw value is bounded generously.
_IDENTITY_RAW_MAX = 40


def clean_applicant(applicant: Applicant) -> dict[str, Any]:
    """The applicant's details checked as at the counter (also for online applications):
    kind, lengths of the columns they are stored in, no control characters, identity
    numbers, phone and e-mail. ValidationError with every field's problems; the cleaned
    values otherwise (text stripped)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}

    def text(name: str, value: Any, max_length: int) -> str:
        try:
            return clean_text(value, max_length=max_length)
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
            return ""

    for name, column in APPLICANT_COLUMNS.items():
        values[name] = text(name, getattr(applicant, name), column_length(Dossier, column))
    if not values["name"] and "name" not in errors:
        errors["name"] = [_("Cần nhập họ tên hoặc tên tổ chức.")]
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.setdefault("email", []).append(
                _("Địa chỉ thư điện tử không hợp lệ (vd. ten@example.vn).")
            )
    numbers = {
        name: text(name, getattr(applicant, name), _IDENTITY_RAW_MAX)
        for name in ("personal_id", "tax_code", "phone", "representative_personal_id")
    }
    values.update(
        clean_applicant_identity(
            kind=applicant.kind,
            numbers=numbers,
            birth_date=applicant.birth_date,
            require_personal_id=True,
            errors=errors,
        )
    )
    if errors:
        raise ValidationError(errors)
    return values


def missing_components(
    version: ProcedureVersion,
    components: dict[int, tuple[int, int]],
    *,
    reused: Iterable[int] = (),
) -> list[Component]:
    """The components of ``version`` that must be received (not optional, see
    ``Component.is_optional``) and have neither an original nor a copy in ``components`` nor
    a document taken from the data store (``reused``: component ids)."""
    given = {pk for pk, (originals, copies) in components.items() if originals or copies}
    given |= set(reused)
    return [c for c in version.components.all() if not c.is_optional and c.pk not in given]


def clean_reception(reception: Reception) -> dict[str, Any]:
    """Every input of a counter reception checked before anything is stored: the applicant
    (``clean_applicant``), channel, sets, result delivery, the components (each one of this
    procedure version, counts in range) and the fee collected. ValidationError keyed by field
    (applicant fields by their own name); the cleaned applicant values otherwise."""
    errors: dict[str, list[str]] = {}
    try:
        clean = clean_applicant(reception.applicant)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        clean = {}
    if reception.channel not in ChannelKind.values:
        errors["channel"] = [_("Hình thức nộp không hợp lệ.")]
    if isinstance(reception.sets, bool) or not 1 <= reception.sets <= MAX_SETS:
        errors["sets"] = [_("Số bộ hồ sơ phải từ 1 đến %d.") % MAX_SETS]
    if reception.result_delivery not in ResultDelivery.values:
        errors["result_delivery"] = [
            _("Hình thức nhận kết quả không hợp lệ; chọn một trong: %s.")
            % ", ".join(ResultDelivery.values)
        ]
    known = set(reception.version.components.values_list("pk", flat=True))
    unknown = sorted(pk for pk in reception.components if pk not in known)
    if unknown:
        errors.setdefault("components", []).append(
            _("Thành phần hồ sơ %s không thuộc thủ tục này.") % ", ".join(map(str, unknown))
        )
    if any(
        not (0 <= count <= MAX_COPIES) for pair in reception.components.values() for count in pair
    ):
        errors.setdefault("components", []).append(
            _("Số bản chính, bản sao của mỗi thành phần phải từ 0 đến %d.") % MAX_COPIES
        )
    if not 0 <= reception.fee_paid <= 10**12 or reception.fee_method not in PaymentMethod.values:
        errors["fee_paid"] = [_("Khoản phí, lệ phí đã thu không hợp lệ.")]
    try:
        clean["fee_reference"] = clean_text(
            reception.fee_reference, max_length=column_length(DossierPayment, "reference")
        )
    except ValidationError as exc:
        errors["fee_reference"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return clean


def _store_scans(reception: Reception, actor: Actor) -> dict[int, StoredFile]:
    """Check and store every scan first: one bad file stops the reception, with every
    file's problem listed, before anything is saved."""
    stored: dict[int, StoredFile] = {}
    errors: list[str] = []
    received = {pk for pk, (o, c) in reception.components.items() if o or c}
    for pk, (upload, name) in reception.scans.items():
        if pk not in received:
            errors.append(_("Tệp “%s” gắn với thành phần không được đánh dấu đã nhận.") % name)
            continue
        try:
            stored[pk] = store_private(
                upload, original_name=name, prefix="dossiers", uploaded_by=person(actor), scan=True
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        discard_stored(*stored.values())
        raise ValidationError({"scans": errors})
    return stored


def dossier_receive(
    *, actor: Actor, reception: Reception, received_at: dt.datetime | None = None
) -> Dossier:
    """See ``_receive``; scans are stored first and removed again if the reception fails."""
    if not can_receive_at(actor, reception.unit):
        raise ValidationError(_("Bạn không có vai trò tiếp nhận hồ sơ tại đơn vị này."))
    clean = clean_reception(reception)
    stored = _store_scans(reception, actor)
    with discarded_on_failure(*stored.values()):
        return _receive(
            actor=actor, reception=reception, received_at=received_at, stored=stored, clean=clean
        )


@transaction.atomic
def _receive(
    *,
    actor: Actor,
    reception: Reception,
    received_at: dt.datetime | None,
    stored: dict[int, StoredFile],
    clean: dict[str, Any],
) -> Dossier:
    """A receptionist receives a complete, valid dossier at the counter (or by post).

    ``received_at`` records a reception that happened earlier (a dossier entered after a
    network outage, or migrated from the previous system); it defaults to now and may not be
    in the future."""
    channel = reception.version.channels.filter(kind=reception.channel).first()
    problem = appointment_problem(reception.version, channel)
    if problem or channel is None:
        raise ValidationError(problem or "")
    reuses = reception_reuses(reception, clean)
    missing = missing_components(reception.version, reception.components, reused=reuses)
    if missing:
        names = [component.name for component in missing]
        raise ValidationError(_("Hồ sơ chưa đủ thành phần bắt buộc: %s.") % "; ".join(names))
    now = timezone.now()
    if received_at is not None:
        if received_at > now:
            raise ValidationError(_("Thời điểm tiếp nhận không được ở tương lai."))
        now = received_at
    due, rule = due_moment(channel, now, calendar_for_unit(reception.unit))
    book = book_entry(reception.unit, now)
    fee_total = quote(channel.fees.all()).total
    dossier = dossier_row_create(
        unit=reception.unit,
        version=reception.version,
        channel=reception.channel,
        status=DossierStatus.RECEIVED,
        applicant_kind=reception.applicant.kind,
        applicant=clean,
        at=now,
        due_at=due,
        due_rule=rule,
        fee_quoted=fee_total,
        result_delivery=reception.result_delivery,
        sets=reception.sets,
        received_at=now,
        book_year=book["book_year"],
        book_sequence=book["book_sequence"],
    )
    DossierComponent.objects.bulk_create(
        DossierComponent(
            dossier=dossier,
            component_id=pk,
            originals=o,
            copies=c,
            scan=stored.get(pk),
        )
        for pk, (o, c) in reception.components.items()
    )
    # Each scan becomes a pending document of the applicant's data store (TT 01/2023 Điều 8).
    reception_scans_store(actor=actor, dossier=dossier, scans=stored)
    record_event(
        dossier=dossier,
        action=DossierAction.RECEIVE,
        from_status="",
        to_status=DossierStatus.RECEIVED,
        actor=actor,
        at=now,
        data={"due_at": due.isoformat() if due else None, "rule": rule},
    )
    record_reuse(actor=actor, dossier=dossier, reuses=reuses, at=now)
    if reception.fee_paid:
        payment_record(
            actor=actor,
            dossier=dossier,
            purpose=PaymentPurpose.FEE,
            amount=reception.fee_paid,
            method=reception.fee_method,
            reference=clean["fee_reference"],
            paid_at=now,
        )
    return dossier


def reception_reuses(reception: Reception, clean: dict[str, Any]) -> dict[int, Reuse]:
    """The components the desk takes from the applicant's data store, each checked: the
    applicant's own document (by the personal ID or tax code just entered), of the kind the
    component asks for, valid today."""
    if not reception.store_documents:
        return {}
    owner = owner_of(
        applicant_kind=reception.applicant.kind,
        personal_id=clean.get("personal_id", ""),
        tax_code=clean.get("tax_code", ""),
    )
    return resolve_reuse(version=reception.version, owner=owner, codes=reception.store_documents)
