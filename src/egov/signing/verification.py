"""Verifying the signatures of a PDF (NĐ 30/2020/NĐ-CP Điều 21.2.a: the văn thư checks the
authenticity and integrity of every incoming electronic document; Phụ lục VI II.8).

For each signature: integrity (the signed byte ranges hash to the signed digest), the chain to
the configured trust anchors only (never the OS store), the certificate's validity and
revocation status *at signing time*, the signature timestamp, and whether the file was changed
after the signature (pyHanko's difference analysis of the later incremental updates: adding
signatures and revocation data are allowed, and filling the number and date fields of
``egov.signing.fields`` before a later signature; anything else is a modification).

Signing time is the time of a valid, trusted RFC 3161 signature timestamp; without one, the
verification time (the signer's claimed time proves nothing) — so an expired certificate with
no timestamp is expired. Revocation data comes from the PDF's document security store (PAdES
B-LT); fetching OCSP/CRL over the network is off unless ``EGOV_SIGNING_FETCH_REVOCATION``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import io
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.validation import EmbeddedPdfSignature, async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import (
    PdfSignatureStatus,
    SignatureCoverageLevel,
    TimestampSignatureStatus,
)
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
    ValidationError,
)

from egov.core.uploads import not_a_pdf_message
from egov.signing import evidence
from egov.signing.form_changes import FormHistory, unapproved_form_changes
from egov.signing.runner import outside_event_loop

logger = logging.getLogger(__name__)


class Verdict(StrEnum):
    VALID = "valid"
    # The signature is sound but revocation could not be checked (no B-LT data, no fetching).
    INDETERMINATE = "indeterminate"
    MODIFIED = "modified"
    INVALID = "invalid"
    REVOKED = "revoked"
    UNTRUSTED = "untrusted"
    EXPIRED = "expired"
    NO_SIGNATURE = "no_signature"
    NOT_PDF = "not_pdf"
    # Not checked: the file or its number of signatures is over the limits.
    TOO_LARGE = "too_large"


# Worst first: the document's verdict is its worst signature's.
_SEVERITY = [
    Verdict.NOT_PDF,
    Verdict.TOO_LARGE,
    Verdict.INVALID,
    Verdict.MODIFIED,
    Verdict.REVOKED,
    Verdict.UNTRUSTED,
    Verdict.EXPIRED,
    Verdict.INDETERMINATE,
    Verdict.NO_SIGNATURE,
    Verdict.VALID,
]


class Revocation(StrEnum):
    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


def verdict_message(verdict: Verdict) -> str:
    return {
        Verdict.VALID: _("Chữ ký hợp lệ."),
        Verdict.INDETERMINATE: _(
            "Chưa xác định: không kiểm tra được tình trạng thu hồi của chứng thư số."
        ),
        Verdict.MODIFIED: _("Tài liệu đã bị sửa đổi sau khi ký."),
        Verdict.INVALID: _("Chữ ký không hợp lệ: nội dung đã ký bị thay đổi."),
        Verdict.REVOKED: _("Chứng thư số đã bị thu hồi."),
        Verdict.UNTRUSTED: _("Chứng thư số không do tổ chức tin cậy cấp."),
        Verdict.EXPIRED: _("Chứng thư số đã hết hạn khi ký."),
        Verdict.NO_SIGNATURE: _("Tài liệu không có chữ ký số."),
        Verdict.NOT_PDF: not_a_pdf_message(),
        Verdict.TOO_LARGE: _("Tệp quá lớn hoặc có quá nhiều chữ ký số để kiểm tra."),
    }[verdict]


# More signatures than any real document carries (an outgoing document has two); each one
# costs a validation and a difference analysis.
MAX_SIGNATURES = 50


@dataclass(frozen=True)
class Timestamp:
    valid: bool
    time: dt.datetime | None
    authority: str


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer_name: str
    signer_organisation: str
    intact: bool
    trusted: bool
    revocation: Revocation
    timestamp: Timestamp | None
    # The time of an intact, valid and trusted signature timestamp; None when nothing proves it.
    signing_time: dt.datetime | None
    modified_after: bool
    verdict: Verdict
    message: str
    # What the signer's software wrote as the signing time (a claim, never evidence).
    claimed_signing_time: dt.datetime | None = None

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID


@dataclass(frozen=True)
class Verification:
    signatures: tuple[SignatureReport, ...]
    verdict: Verdict
    message: str

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID


def _failed(verdict: Verdict, message: str | None = None) -> Verification:
    return Verification(signatures=(), verdict=verdict, message=message or verdict_message(verdict))


class _TooManySignatures(Exception):
    pass


def verify_pdf(
    data: bytes, *, at: dt.datetime | None = None, fetch_revocation: bool | None = None
) -> Verification:
    """Verify every signature in ``data``. ``at`` is the verification time (default now);
    ``fetch_revocation`` overrides ``EGOV_SIGNING_FETCH_REVOCATION``. Never raises on bad
    input: a non-PDF or damaged file gets the verdict ``NOT_PDF``."""
    when = at or timezone.now()
    fetch = settings.EGOV_SIGNING_FETCH_REVOCATION if fetch_revocation is None else fetch_revocation
    if not data.startswith(b"%PDF-"):
        return _failed(Verdict.NOT_PDF)
    limit_mb: int = settings.EGOV_SIGNING_VERIFY_MAX_MB
    if len(data) > limit_mb * 1024 * 1024:
        return _failed(
            Verdict.TOO_LARGE,
            _("Tệp quá lớn để kiểm tra chữ ký số (tối đa %(mb)d MB).") % {"mb": limit_mb},
        )
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures, unreadable = _signatures(reader)
    except _DAMAGED:
        return _failed(Verdict.NOT_PDF)
    except _TooManySignatures:
        return _failed(
            Verdict.TOO_LARGE,
            _("Tài liệu có quá nhiều chữ ký số để kiểm tra (tối đa %(count)d).")
            % {"count": MAX_SIGNATURES},
        )
    if not signatures and not unreadable:
        return _failed(Verdict.NO_SIGNATURE)
    try:
        in_file = evidence.from_dss(DocumentSecurityStore.read_dss(reader))
    except NoDSSFoundError:
        in_file = evidence.Evidence()
    except _DAMAGED:
        # Unreadable revocation data counts as none: the verdict says what could be checked.
        in_file = evidence.Evidence()

    async def verify_all() -> list[_Checked | None]:
        checked: list[_Checked | None] = []
        for signature in signatures:
            try:
                checking = evidence.Checking(
                    in_file + evidence.from_signature(signature), fetch=fetch
                )
                checked.append(await _verify_one(signature, checking, when))
            except (*_DAMAGED, SignatureValidationError) as exc:
                logger.info("signature could not be read: %s", type(exc).__name__)
                checked.append(None)
        return checked

    checked = outside_event_loop(lambda: asyncio.run(verify_all()))
    history = FormHistory(reader)
    appended = _bytes_after_last_revision(data, reader)
    reports = []
    for index, (signature, result) in enumerate(zip(signatures, checked, strict=True)):
        if result is None:
            reports.append(_broken(signature.field_name))
            continue
        later = [
            other.signed_revision
            for other, done in zip(signatures[index + 1 :], checked[index + 1 :], strict=True)
            if done is not None and _covers_its_revision(done.status)
        ]
        unapproved = appended or unapproved_form_changes(history, signature.signed_revision, later)
        reports.append(
            _report(signature, result.status, result.stamp_time, unapproved, result.chain)
        )
    reports.extend(unreadable)
    # The document's verdict and message are those of its worst signature.
    worst = min(reports, key=lambda r: _SEVERITY.index(r.verdict))
    return Verification(signatures=tuple(reports), verdict=worst.verdict, message=worst.message)


# Key usage a signer's certificate must carry: digitalSignature OR nonRepudiation. A local
# choice (pyHanko's default asks nonRepudiation only): the certificates of Vietnamese CAs vary
# in which of the two they set; both are meant for signing.
SIGNER_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)

# What damaged or hostile input makes the PDF and CMS parsers raise (RecursionError: deeply
# nested arrays; AttributeError: a CMS whose content type is neither data nor TSTInfo).
_DAMAGED = (
    PdfError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    AssertionError,
    RecursionError,
)


def _signatures(
    reader: PdfFileReader,
) -> tuple[list[EmbeddedPdfSignature], list[SignatureReport]]:
    """The filled signature fields (not document timestamps) in signing order, and reports for
    those whose signature cannot be read (unparseable, or a format we do not support)."""
    readable: list[EmbeddedPdfSignature] = []
    unreadable: list[str] = []
    unsupported: list[str] = []
    filled = list(enumerate_sig_fields(reader, filled_status=True))
    if len(filled) > MAX_SIGNATURES:
        raise _TooManySignatures
    seen: set[object] = set()
    for name, _value, field_ref in filled:
        try:
            field = field_ref.get_object()
            # Several fields pointing at one signature value: checked once.
            value_ref = field.raw_get("/V")
            if isinstance(value_ref, generic.IndirectObject):
                if value_ref.reference in seen:
                    continue
                seen.add(value_ref.reference)
            if field["/V"].get("/Type", "/Sig") != "/Sig":
                continue
            subfilter = field["/V"].get("/SubFilter")
            if subfilter not in {f.value for f in SigSeedSubFilter}:
                # e.g. adbe.x509.rsa_sha1: reported, never silently dropped.
                unsupported.append(str(name))
                continue
            signature = EmbeddedPdfSignature(reader, field, str(name))
            signature.signed_revision  # noqa: B018 (parses /ByteRange against the revisions)
        except _DAMAGED as exc:
            logger.info("signature could not be read: %s", type(exc).__name__)
            unreadable.append(str(name))
            continue
        readable.append(signature)
    readable.sort(key=lambda s: s.signed_revision)
    unsupported_message = _("Chữ ký không hợp lệ: định dạng chữ ký số không được hỗ trợ.")
    return readable, [
        *(_broken(name) for name in unreadable),
        *(_broken(name, unsupported_message) for name in unsupported),
    ]


_WHITESPACE = rb"[\x00\t\n\x0c\r ]"
_FILE_END = re.compile(
    rb"startxref" + _WHITESPACE + rb"+(\d+)" + _WHITESPACE + rb"*%%EOF" + _WHITESPACE + rb"*\Z"
)


def _bytes_after_last_revision(data: bytes, reader: PdfFileReader) -> bool:
    """Whether anything but whitespace follows the end of the last revision (its xref section,
    trailer, ``startxref`` and ``%%EOF``): bytes no signature and no revision covers. A fake
    ``startxref``/``%%EOF`` pointing back at an older section does not hide them."""
    start = reader.last_startxref
    if not isinstance(start, int):
        return True
    end = data.find(b"startxref", start)
    found = _FILE_END.match(data, end) if end >= 0 else None
    return found is None or int(found.group(1)) != start


def _claimed_timestamp_time(signature: EmbeddedPdfSignature) -> dt.datetime | None:
    """genTime of the signature timestamp token, as written (validated afterwards)."""
    for signed_data in extract_tst_data_iter(signature.signer_info, signed=False):
        info = signed_data["encap_content_info"]["content"].parsed
        gen_time: dt.datetime = info["gen_time"].native
        return gen_time
    return None


@dataclass(frozen=True)
class _Checked:
    status: PdfSignatureStatus
    stamp_time: dt.datetime | None
    # A chain failure told apart (verdict, message); None when pyHanko's indication suffices.
    chain: tuple[Verdict, str] | None = None


def _covers_its_revision(status: PdfSignatureStatus) -> bool:
    return (
        status.intact
        and status.valid
        and status.coverage is not None
        and status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
    )


async def _verify_one(
    signature: EmbeddedPdfSignature, checking: evidence.Checking, when: dt.datetime
) -> _Checked:
    # The timestamp token is checked at its own time with the revocation data of the file;
    # once it proves that time, the signer's certificate is checked as it was then
    # (point-in-time validation, ETSI EN 319 102-1 §5.6). Otherwise at the verification time.
    claimed = _claimed_timestamp_time(signature)
    stamp_moment = claimed if claimed is not None and claimed < when else when

    def validate(moment: dt.datetime) -> Any:
        return async_validate_pdf_signature(
            signature,
            signer_validation_context=checking.context(moment, "hard-fail"),
            ts_validation_context=checking.context(stamp_moment, "soft-fail"),
            key_usage_settings=SIGNER_KEY_USAGE,
        )

    status: PdfSignatureStatus = await validate(stamp_moment)
    stamp = status.timestamp_validity
    stamp_time = stamp.timestamp if stamp is not None and _stamp_proves_time(stamp) else None
    moment = stamp_moment
    if stamp_time is None and stamp_moment != when:
        moment = when
        status = await validate(when)
    chain = None
    if _problem(status) == "CERTIFICATE_CHAIN_GENERAL_FAILURE":
        chain = await _chain_finding(signature, checking.context(moment, "hard-fail"))
    return _Checked(status, stamp_time, chain)


def _problem(status: PdfSignatureStatus) -> str | None:
    indication = status.trust_problem_indic
    return indication.name if isinstance(indication, enum.Enum) else None


async def _chain_finding(
    signature: EmbeddedPdfSignature, context: ValidationContext
) -> tuple[Verdict, str] | None:
    """What pyHanko reports as a general chain failure, told apart: the certificate or its
    issuing CA not yet valid, expired or revoked at signing time, a broken chain, or (None)
    revocation that could not be checked."""
    validator = CertificateValidator(
        signature.signer_cert,
        intermediate_certs=signature.other_embedded_certs,
        validation_context=context,
    )
    try:
        await validator.async_validate_path()
    except NotYetValidError as exc:
        if exc.is_ee_cert:
            return Verdict.EXPIRED, _("Chứng thư số chưa có hiệu lực khi ký.")
        return Verdict.EXPIRED, _("Chứng thư số của tổ chức cấp chưa có hiệu lực khi ký.")
    except ExpiredError as exc:
        if exc.is_ee_cert:
            return Verdict.EXPIRED, verdict_message(Verdict.EXPIRED)
        return Verdict.EXPIRED, _("Chứng thư số của tổ chức cấp đã hết hạn khi ký.")
    except RevokedError as exc:
        if exc.is_ee_cert:
            return Verdict.REVOKED, verdict_message(Verdict.REVOKED)
        return Verdict.REVOKED, _("Chứng thư số của tổ chức cấp đã bị thu hồi.")
    except InsufficientRevinfoError:
        return None
    except PathValidationError:
        return Verdict.UNTRUSTED, _("Chuỗi chứng thư số không hợp lệ.")
    except PathBuildingError:
        return Verdict.UNTRUSTED, verdict_message(Verdict.UNTRUSTED)
    except ValidationError:
        return None
    return None


def _stamp_proves_time(stamp: TimestampSignatureStatus | None) -> bool:
    return stamp is not None and stamp.intact and stamp.valid and stamp.trusted


def _report(
    signature: EmbeddedPdfSignature,
    status: PdfSignatureStatus,
    stamp_time: dt.datetime | None,
    unapproved_form_changes: bool,
    chain: tuple[Verdict, str] | None = None,
) -> SignatureReport:
    subject = status.signing_cert.subject.native
    stamp = status.timestamp_validity
    timestamp = None
    if stamp is not None:
        timestamp = Timestamp(
            valid=_stamp_proves_time(stamp),
            time=stamp.timestamp,
            authority=str(stamp.signing_cert.subject.native.get("common_name", "")),
        )
    modified = unapproved_form_changes or not (
        status.coverage is not None
        and status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
        and status.docmdp_ok is not False
        and status.modification_level is not None
        and status.modification_level < ModificationLevel.OTHER
    )
    problem = _problem(status)
    if status.revoked:
        revocation = Revocation.REVOKED
    elif status.trusted:
        revocation = Revocation.GOOD
    else:
        revocation = Revocation.UNKNOWN
    message: str | None = None
    if not (status.intact and status.valid):
        verdict = Verdict.INVALID
    elif stamp is not None and not (stamp.intact and stamp.valid):
        verdict = Verdict.INVALID
        message = _("Chữ ký không hợp lệ: dấu thời gian bị hỏng hoặc không khớp với chữ ký.")
    elif modified:
        verdict = Verdict.MODIFIED
    elif status.revoked or problem in {"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"}:
        verdict = Verdict.REVOKED
    elif problem == "NO_CERTIFICATE_CHAIN_FOUND":
        verdict = Verdict.UNTRUSTED
    elif chain is not None:
        verdict, message = chain
    elif problem == "CHAIN_CONSTRAINTS_FAILURE":
        # The certificate's key usage does not allow signing (SIGNER_KEY_USAGE).
        verdict = Verdict.UNTRUSTED
        message = _("Chứng thư số không được cấp cho mục đích ký số.")
    elif stamp is not None and not stamp.trusted:
        # The signature's time then rests on an authority we do not trust: not `valid`, and
        # the certificate was checked at the verification time instead.
        verdict = Verdict.UNTRUSTED
        message = _(
            "Dấu thời gian không do tổ chức cung cấp dịch vụ cấp dấu thời gian tin cậy cấp."
        )
    elif problem in {
        "EXPIRED",
        "OUT_OF_BOUNDS_NO_POE",
        "OUT_OF_BOUNDS_NOT_REVOKED",
        "NOT_YET_VALID",
    }:
        verdict = Verdict.EXPIRED
        if problem == "NOT_YET_VALID":
            message = _("Chứng thư số chưa có hiệu lực khi ký.")
    elif problem is not None:
        verdict = Verdict.INDETERMINATE
    else:
        verdict = Verdict.VALID
    return SignatureReport(
        field_name=signature.field_name,
        signer_name=str(subject.get("common_name", "")),
        signer_organisation=str(subject.get("organization_name", "")),
        intact=status.intact,
        trusted=status.trusted,
        revocation=revocation,
        timestamp=timestamp,
        signing_time=stamp_time,
        modified_after=modified,
        verdict=verdict,
        message=message or verdict_message(verdict),
        claimed_signing_time=status.signer_reported_dt,
    )


def _broken(field_name: str, message: str | None = None) -> SignatureReport:
    return SignatureReport(
        field_name=str(field_name),
        signer_name="",
        signer_organisation="",
        intact=False,
        trusted=False,
        revocation=Revocation.UNKNOWN,
        timestamp=None,
        signing_time=None,
        modified_after=False,
        verdict=Verdict.INVALID,
        message=message or verdict_message(Verdict.INVALID),
    )
