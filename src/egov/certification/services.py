"""Certifying an electronic copy from its original (chứng thực bản sao điện tử từ bản chính).

``certified_copy_issue``: the officer has compared the copy with the original shown at the
desk (NĐ 23/2015/NĐ-CP Điều 20: the certifier checks the original and certifies that the copy
matches it) and says so explicitly; the system builds the copy (the scanned original followed
by the certification page, ``rendering``), numbers it in the unit's register (from 1 each
year, ``core.numbering``), signs it with the certifying unit's agency certificate at PAdES
B-LT (``signing``), verifies the signature, stores the file, records the fee computed from the
catalog (``fees``) and issues the copy into the requester's data store (source
``certified_copy``). Electronic copies from originals: NĐ 23/2015 as amended by NĐ 07/2025/
NĐ-CP — chưa xác nhận điều khoản.

The number is printed in the signed PDF, so it is taken, printed and signed inside one
transaction: a signature that cannot be made rolls the number back (the register stays
gap-free) and stores nothing. The counter row stays locked while the time-stamping authority
answers (a few hundred milliseconds): certifications of one unit queue for that long.
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.accounts.models import Role, User
from egov.audit.services import audit_record
from egov.certification.fees import copy_fee
from egov.certification.models import CertificationEntry
from egov.certification.permissions import CERTIFIER_ROLES, certification_refusal, certifying_unit
from egov.certification.rendering import Certification, certified_copy_pdf, original_as_pdf
from egov.certification.state import EntryAction, allowed, move
from egov.core.identity import ApplicantKind
from egov.core.numbering import take_number, yearly
from egov.core.uploads import (
    ACCEPTED_LABEL,
    discarded_on_failure,
    max_upload_bytes,
    open_private,
    sniff,
    store_private,
)
from egov.datastore.models import OwnerKind, StoreSource
from egov.datastore.services import Owner, Paper, store_document_issue, store_document_revoke
from egov.dossiers.models import Dossier, DossierComponent
from egov.dossiers.permissions import roles_at
from egov.org.models import Unit
from egov.signing.services import Level, SigningError, sign_pdf, stamp_text
from egov.signing.signers import agency_signer_for
from egov.signing.verification import Verdict, verify_pdf

SERIES = "certified-copy"
SIGNATURE_FIELD = "SigChungThuc"
MAX_PAGES = 10_000
MAX_COPIES = 100
# Title order when the certifier holds several roles at the unit.
_TITLE_ORDER = (Role.DEPARTMENT_LEADER, Role.SPECIALIST, Role.RECEPTIONIST)


class CertificationUnavailable(Exception):
    """The copy could not be signed now (signing service, time-stamping authority, missing
    key): nothing was numbered or stored; ``message`` is translated, for a 503 answer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def register_number(sequence: int, year: int) -> str:
    """ "15/2026/SCT/BS": the printed format and symbol are chưa xác nhận (setting)."""
    return f"{sequence}/{year}/{settings.EGOV_CERTIFICATION_SYMBOL}"


def register_book(year: int) -> str:
    """One book per unit and year (chưa xác nhận: a unit may open several books a year)."""
    return f"01/{year}"


def requester_of(dossier: Dossier) -> Owner:
    """Whose copy it is: the applicant of the dossier, by personal ID or tax code."""
    if dossier.applicant_kind == ApplicantKind.ORGANISATION:
        owner = Owner(
            OwnerKind.ORGANISATION, dossier.applicant_tax_code, dossier.applicant_name, None
        )
    else:
        owner = Owner(
            OwnerKind.PERSON, dossier.applicant_personal_id, dossier.applicant_name, dossier.owner
        )
    if not owner.identifier.strip():
        raise ValidationError(
            _("Hồ sơ chưa có số định danh cá nhân hoặc mã số thuế của người yêu cầu chứng thực.")
        )
    return owner.clean()


def _certifier_title(actor: User, unit: Unit) -> str:
    roles = roles_at(actor, unit) & CERTIFIER_ROLES
    role = next(r for r in _TITLE_ORDER if r in roles)
    return str(Role(role).label)


def _original(
    dossier: Dossier,
    component: DossierComponent | None,
    upload: IO[bytes] | None,
    original_name: str,
) -> tuple[bytes, str]:
    """The scanned original's bytes and type: a dossier component's scan or an upload."""
    if component is not None:
        if component.dossier_id != dossier.pk:
            raise ValidationError(_("Thành phần không thuộc hồ sơ này."))
        if component.scan is None:
            raise ValidationError(_("Thành phần này chưa có bản số hóa."))
        with open_private(component.scan.key) as stream:
            return stream.read(), component.scan.content_type
    if upload is None:
        raise ValidationError(_("Cần chọn bản quét bản chính (hoặc thành phần đã số hóa)."))
    label = original_name[:255] or _("tệp")
    upload.seek(0)
    data = upload.read(max_upload_bytes() + 1)
    sniffed = sniff(data[:16]) if data else None
    if not data:
        raise ValidationError(_("Tệp “%s” rỗng.") % label)
    if sniffed is None:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng cho phép (%(types)s).")
            % {"name": label, "types": ACCEPTED_LABEL}
        )
    if len(data) > max_upload_bytes():
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn %(mb)d MB.")
            % {"name": label, "mb": settings.EGOV_UPLOAD_MAX_MB}
        )
    return data, sniffed[0]


def _check_input(title: str, pages: int, copies: int) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValidationError(_("Nhập tên giấy tờ, văn bản được chứng thực."))
    if len(title) > 500:
        raise ValidationError(_("Tên giấy tờ, văn bản tối đa 500 ký tự."))
    if not 1 <= pages <= MAX_PAGES:
        raise ValidationError(_("Số trang của bản chính phải từ 1 đến %d.") % MAX_PAGES)
    if not 1 <= copies <= MAX_COPIES:
        raise ValidationError(_("Số bản sao phải từ 1 đến %d.") % MAX_COPIES)
    return title


def certified_copy_issue(
    *,
    actor: Actor,
    dossier: Dossier,
    original_confirmed: bool,
    pages: int,
    copies: int,
    title: str,
    component: DossierComponent | None = None,
    upload: IO[bytes] | None = None,
    original_name: str = "",
) -> CertificationEntry:
    """Certify, sign, number, store and issue one electronic copy (module docstring).
    ValidationError (Vietnamese) for refused input or rights; CertificationUnavailable when
    the signature cannot be made now — in both cases nothing is numbered or stored."""
    refusal = certification_refusal(actor, dossier)
    if refusal is not None:
        raise ValidationError(refusal)
    if not original_confirmed:
        raise ValidationError(
            _("Hãy xác nhận đã đối chiếu bản sao với bản chính trước khi chứng thực.")
        )
    certifier = person(actor)
    assert certifier is not None  # certification_refusal refuses anyone else
    title = _check_input(title, pages, copies)
    owner = requester_of(dossier)
    fee = copy_fee(dossier, pages=pages, copies=copies)
    data, content_type = _original(dossier, component, upload, original_name)
    original = original_as_pdf(data, content_type, title=title)
    unit = certifying_unit(dossier)
    certifier_title = _certifier_title(certifier, unit)
    try:
        signer = agency_signer_for(unit)
    except ImproperlyConfigured:
        raise CertificationUnavailable(
            _(
                "Chưa cấu hình chứng thư số của %s nên chưa chứng thực được bản sao điện tử; "
                "chưa cấp số chứng thực. Báo quản trị hệ thống."
            )
            % unit.name
        ) from None
    with discarded_on_failure() as kept, transaction.atomic():
        now = timezone.now()
        day = timezone.localdate(now)
        sequence = take_number(yearly(SERIES, "unit", unit.pk, on=day))
        number = register_number(sequence, day.year)
        book = register_book(day.year)
        copy = certified_copy_pdf(
            original,
            Certification(
                unit_name=unit.name,
                number=number,
                book=book,
                day=day,
                title=title,
                requester_name=owner.name,
                pages=pages,
                copies=copies,
                fee_text=fee.text,
                certifier_name=certifier.display_name,
                certifier_title=certifier_title,
            ),
        )
        try:
            signed = sign_pdf(
                copy.data,
                signer=signer,
                field_name=SIGNATURE_FIELD,
                box=copy.signature_box,
                text=stamp_text("BẢN SAO CHỨNG THỰC", unit.name, now, number),
                level=Level.B_LT,
            )
        except SigningError as exc:
            raise CertificationUnavailable(
                _(
                    "Chưa ký số được bản sao nên chưa chứng thực: %s Chưa cấp số chứng thực, "
                    "chưa lưu gì. Vui lòng thử lại sau."
                )
                % exc.message
            ) from None
        verification = verify_pdf(signed)
        if verification.verdict != Verdict.VALID or not verification.signatures:
            raise CertificationUnavailable(
                _("Chữ ký số trên bản sao không hợp lệ nên chưa chứng thực. Báo quản trị hệ thống.")
            )
        last = verification.signatures[-1]
        signer_name = last.signer_organisation or last.signer_name
        stored = store_private(
            ContentFile(signed),
            original_name=f"ban-sao-chung-thuc-{sequence}-{day.year}.pdf",
            prefix="certified-copies",
            uploaded_by=certifier,
        )
        kept.append(stored)
        document = store_document_issue(
            actor=actor,
            code=f"SCT-{unit.code}-{day.year}-{sequence}",
            owner=owner,
            paper=Paper(title=title, number=number, issuer=unit.name, issued_on=day),
            source=StoreSource.CERTIFIED_COPY,
            file=stored,
            unit=unit,
            signature_verdict=str(verification.verdict),
            signature_signer=signer_name,
            dossier_code=dossier.code,
            dossier_id=dossier.pk,
            pages=copy.scanned_pages,
        )
        entry = CertificationEntry.objects.create(
            unit=unit,
            year=day.year,
            sequence=sequence,
            number=number,
            book=book,
            certified_on=day,
            certified_at=now,
            requester_name=owner.name,
            requester_identifier=owner.identifier,
            title=title,
            pages=pages,
            copies=copies,
            fee=fee.amount,
            fee_explanation=" ".join(fee.breakdown)[:500],
            certifier=certifier,
            certifier_title=certifier_title,
            dossier_code=dossier.code,
            dossier_id=dossier.pk,
            store_document=document,
            file=stored,
        )
        move(entry, EntryAction.ISSUE, actor=actor, created=True, data={"fee": fee.amount})
        audit_record(
            actor=actor,
            action="certification.issue",
            target=entry,
            details={
                "number": number,
                "dossier": dossier.code,
                "pages": pages,
                "copies": copies,
                "fee": fee.amount,
                "sha256": stored.sha256,
            },
        )
    return entry


@transaction.atomic
def certified_copy_revoke(
    *, actor: Actor, entry: CertificationEntry, reason: str
) -> CertificationEntry:
    """Withdraw a certification (e.g. certified on a wrong original): the entry and the copy
    in the requester's store are revoked; the number stays used in the register."""
    locked = CertificationEntry.objects.select_for_update().get(pk=entry.pk)
    if not reason.strip():
        raise ValidationError(_("Nêu lý do thu hồi bản sao chứng thực."))
    if not allowed(locked, EntryAction.REVOKE):
        raise ValidationError(_("Bản sao chứng thực này đã bị thu hồi."))
    if not roles_at(actor, locked.unit) & CERTIFIER_ROLES:
        raise ValidationError(_("Bạn không có quyền thu hồi bản sao chứng thực của đơn vị này."))
    move(locked, EntryAction.REVOKE, actor=actor, data={"reason": reason.strip()[:500]})
    store_document_revoke(actor=actor, document=locked.store_document, reason=reason)
    audit_record(actor=actor, action="certification.revoke", target=locked)
    return locked
