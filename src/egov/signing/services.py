"""Signing PDFs as PAdES (ETSI EN 319 142): bytes in, bytes out.

Every signature is an approval signature (never a certification / DocMDP one), added as an
incremental update, so the agency's signature after the person's, and later ones, keep the
earlier signatures valid (NĐ 30/2020/NĐ-CP Điều 32.2.d: the agency signs after the competent
person). Levels: B-T (an RFC 3161 signature timestamp) and B-LT (plus the chain's revocation
data in the document security store); B-LTA adds a document timestamp for archives.

These functions keep no records: the documents app that calls them records who signed what.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zoneinfo
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import requests
from asn1crypto import tsp
from django.utils.translation import gettext as _
from PIL import Image
from pkcs11.exceptions import PKCS11Error
from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.stamp import StaticStampStyle
from pyhanko.stamp.base import BaseStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import (
    InvalidCertificateError,
    PathBuildingError,
    PathValidationError,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from egov.core.uploads import not_a_pdf_message
from egov.signing import appearance, evidence, trust
from egov.signing.runner import outside_event_loop

VIETNAM_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Room for the CMS blob in /Contents: the signer's chain, the signature, the signed attributes
# and the timestamp token with its own chain. Reserving it spares pyHanko a dry-run signature
# (and a second TSA call) to size /Contents. pyHanko's ``bytes_reserved`` counts the hex
# digits of the placeholder (DERPlaceholder writes that many "0"s between < and >), two per
# byte of DER, so this is 16 kB of DER. The development PKI's signature (three certificates of
# ~1 kB and a TSA token with its own) already takes 6.8 kB; a Vietnamese CA chain has 3-4
# certificates of ~1.5 kB (roots are embedded too), and with three such extra certificates
# the CMS is 11.1 kB (signing/tests/test_signature_space.py): 8 kB (16,384 digits) was too
# little. Too little room fails the signature; too much only adds zeros to the file.
RESERVED_HEX_DIGITS = 32_768
# Real size of the seal image: 36 mm (chưa xác nhận / unconfirmed: seals vary, 32-42 mm).
SEAL_SIZE_PT = 36 / 25.4 * 72
STAMP_MARGIN_PT = 14.0


class Level(StrEnum):
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"


class SigningError(Exception):
    """A signature could not be made; ``message`` is translated for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Box:
    """A rectangle on a page in PDF points, origin at the bottom left; ``page`` from 1."""

    page: int
    x: float
    y: float
    width: float
    height: float

    def as_rect(self) -> tuple[int, int, int, int]:
        return (
            round(self.x),
            round(self.y),
            round(self.x + self.width),
            round(self.y + self.height),
        )


def seal_box(personal: Box, *, size: float = SEAL_SIZE_PT) -> Box:
    """Where the seal goes: real size, vertically centred on the person's signature, its right
    edge one third into the signature box (NĐ 30/2020/NĐ-CP, Phụ lục I, II.8: "trùm lên
    khoảng 1/3 hình ảnh chữ ký của người có thẩm quyền về bên trái")."""
    x = max(0.0, personal.x + personal.width / 3 - size)
    y = max(0.0, personal.y + personal.height / 2 - size / 2)
    return Box(page=personal.page, x=x, y=y, width=size, height=size)


class _InlineHTTPTimeStamper(RequestsHTTPTimeStamper):
    """pyHanko's requests-based RFC 3161 client, but the request is made on the signing call's
    own event loop rather than in a worker thread: pyHanko starts one loop per signature and
    nothing else runs on it while the token is fetched, and a thread started and joined per
    signature costs more than the request to a nearby TSA when the machine is busy."""

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            answer = requests.post(
                self.url,
                req.dump(),
                headers=self.request_headers(),
                auth=self.auth,
                timeout=self.timeout,
            )
        except OSError as exc:
            raise timestamps.TimestampRequestError(
                "Error in communication with timestamp server"
            ) from exc
        if answer.headers.get("Content-Type") != "application/timestamp-reply":
            raise timestamps.TimestampRequestError("Timestamp server response is malformed.")
        return tsp.TimeStampResp.load(answer.content)


@cache
def _timestamper(url: str) -> RequestsHTTPTimeStamper:
    # requests rather than aiohttp: an aiohttp session is tied to one event loop (pyHanko runs
    # one per call) and builds a fresh TLS context each time (~35 ms).
    return _InlineHTTPTimeStamper(url, timeout=10)  # type: ignore[no-untyped-call]


def _image_style(png: bytes) -> StaticStampStyle:
    image = Image.open(io.BytesIO(png))
    image.load()
    return StaticStampStyle(
        border_width=0,
        background=PdfImage(image),
        background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins.uniform(0),
        ),
    )


@cache
def _stamp_font() -> tuple[str, str]:
    path = appearance.stamp_font_path()
    name = "EgovStamp" + path.stem.replace("[", "").replace("]", "").replace(",", "")
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name, str(path)


class _PdfPageContent(ImportedPdfPage):
    """Page 1 of an in-memory PDF as an appearance (pyHanko's own class reads a file)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(file_name=None)  # type: ignore[no-untyped-call]
        self.data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/Import" + uuid.uuid4().hex
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode("ascii") + b" Do"


def _text_style(text: str, box: Box) -> StaticStampStyle:
    """Black text, stamp font at 10 pt, drawn with reportlab (vector, font embedded)."""
    font, _path = _stamp_font()
    size = appearance.STAMP_FONT_SIZE
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(box.width, box.height), initialFontName=font)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(font, size)
    y = box.height - 3 - size
    for line in text.splitlines():
        canvas.drawString(4, y, line)
        y -= size * 1.25
    canvas.showPage()
    canvas.save()
    return StaticStampStyle(
        border_width=0,
        background=_PdfPageContent(buffer.getvalue()),
        background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins.uniform(0),
        ),
    )


# pyHanko says so (pdf_byterange.PdfByteRangeDigest.fill_reserved_region) with no error class
# of its own when the final CMS does not fit in ``bytes_reserved``.
_PAYLOAD_TOO_LARGE = "payload larger than expected"


PERSONAL_FIELD = "SigNguoiKy"  # the competent person's signature (ô 7c)


def _open(data: bytes) -> IncrementalPdfFileWriter:
    if not data.startswith(b"%PDF-"):
        raise SigningError(not_a_pdf_message())
    try:
        return IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SigningError(_("Tài liệu PDF bị hỏng, không ký được.")) from exc


def sign_pdf(
    data: bytes,
    *,
    signer: signers.Signer,
    field_name: str,
    box: Box | None = None,
    image_png: bytes | None = None,
    text: str | None = None,
    reason: str | None = None,
    location: str | None = None,
    level: Level = Level.B_LT,
    bytes_reserved: int = RESERVED_HEX_DIGITS,
) -> bytes:
    """Add one PAdES approval signature to ``data`` as an incremental update.

    ``signer`` is any pyHanko ``Signer`` (``egov.signing.signers``) with its certificate and
    the chain to embed in ``cert_registry``. With ``box``, the signature is visible there:
    ``image_png`` as its whole appearance, or else ``text`` in the stamp font (10 pt). Without
    ``box`` the signature is invisible. Raises ``SigningError`` (translated) on a non-PDF or
    damaged input, a signer whose certificate is revoked or untrusted, or an unreachable TSA.
    ``bytes_reserved`` is pyHanko's: hex digits, twice the DER size it leaves room for.
    """
    writer = _open(data)
    try:
        filled = list(fields.enumerate_sig_fields(writer, filled_status=True, with_name=field_name))
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SigningError(_("Tài liệu PDF bị hỏng, không ký được.")) from exc
    if filled:
        raise SigningError(_("Ô chữ ký này đã được ký."))
    style: BaseStampStyle | None = None
    if box is not None:
        try:
            page_count = int(writer.root["/Pages"]["/Count"])
        except (KeyError, TypeError, ValueError) as exc:
            raise SigningError(_("Tài liệu PDF bị hỏng, không ký được.")) from exc
        if not 1 <= box.page <= page_count:
            raise SigningError(_("Trang đặt chữ ký không có trong tài liệu."))
        fields.append_signature_field(
            writer,
            fields.SigFieldSpec(field_name, on_page=box.page - 1, box=box.as_rect()),
        )
        if image_png is not None:
            style = _image_style(image_png)
        elif text is not None:
            style = _text_style(text, box)
    embed = level in (Level.B_LT, Level.B_LTA)
    if embed:
        trust.ensure_revocation_services()
    key_usage = _signer_key_usage(signer)
    metadata = signers.PdfSignatureMetadata(
        signer_key_usage=key_usage,
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        embed_validation_info=embed,
        use_pades_lta=level == Level.B_LTA,
        validation_context=_signing_context(signer) if embed else None,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=signer,
        timestamper=_timestamper(trust.tsa_url()),
        stamp_style=style,
    )
    try:
        output = outside_event_loop(
            lambda: pdf_signer.sign_pdf(writer, bytes_reserved=bytes_reserved)
        )
    except PyHankoSigningError as exc:
        if _PAYLOAD_TOO_LARGE in str(exc):
            # The CMS (certificates, revocation data, timestamp) outgrew the reserved room.
            raise SigningError(
                _(
                    "Không ký được: chữ ký số (chứng thư số, chuỗi chứng thư, dữ liệu thu hồi "
                    "và dấu thời gian) lớn hơn chỗ dành cho chữ ký trong tệp. Vui lòng báo "
                    "quản trị hệ thống."
                )
            ) from exc
        raise SigningError(
            _("Không ký được: chứng thư số của người ký không hợp lệ hoặc không kiểm tra được.")
        ) from exc
    except InvalidCertificateError as exc:
        raise SigningError(_key_usage_message()) from exc
    except (PathBuildingError, PathValidationError) as exc:
        # pyHanko wraps the signer's path errors; raw ones come from the TSA's certificate.
        raise SigningError(
            _(
                "Không ký được: chứng thư số của dịch vụ cấp dấu thời gian không do tổ chức "
                "tin cậy cấp hoặc không kiểm tra được."
            )
        ) from exc
    except PKCS11Error as exc:
        raise SigningError(
            _("Không ký được: thiết bị lưu khóa (token, HSM) báo lỗi. Vui lòng thử lại sau.")
        ) from exc
    except (OSError, timestamps.TimestampRequestError) as exc:
        raise SigningError(_("Không lấy được dấu thời gian từ dịch vụ cấp dấu thời gian.")) from exc
    except PdfError as exc:
        # e.g. an encrypted PDF, or one whose structure pyHanko cannot update.
        raise SigningError(_("Tài liệu PDF bị hỏng, không ký được.")) from exc
    result: bytes = output.getvalue()
    return result


def _key_usage_message() -> str:
    return _("Không ký được: chứng thư số của người ký không được cấp cho mục đích ký số.")


def _signer_key_usage(signer: signers.Signer) -> set[str]:
    """The key usage the signer's certificate is checked for: digitalSignature or
    nonRepudiation, whichever it carries (local choice, as in verification.SIGNER_KEY_USAGE:
    Vietnamese CAs set one or the other). Neither: refused before anything is signed."""
    certificate = signer.signing_cert
    extension = certificate.key_usage_value if certificate is not None else None
    usages = set(extension.native) if extension is not None else set()
    for usage in ("non_repudiation", "digital_signature"):
        if usage in usages:
            return {usage}
    raise SigningError(_key_usage_message())


def _signing_context(signer: signers.Signer) -> ValidationContext:
    return evidence.signing_context(list(signer.cert_registry or ()))


def sign_personal(
    data: bytes,
    *,
    signer: signers.Signer,
    box: Box,
    image_png: bytes | None = None,
    field_name: str = PERSONAL_FIELD,
    level: Level = Level.B_LT,
) -> bytes:
    """The competent person's signature at ô 7c with the blue signature image."""
    return sign_pdf(
        data,
        signer=signer,
        field_name=field_name,
        box=box,
        image_png=image_png or appearance.demo_signature_png(),
        level=level,
    )


def sign_agency(
    data: bytes,
    *,
    signer: signers.Signer,
    personal_box: Box,
    image_png: bytes | None = None,
    field_name: str = "SigCoQuan",
    level: Level = Level.B_LT,
) -> bytes:
    """The agency's signature (ô 8) with the red seal over the left third of the person's."""
    return sign_pdf(
        data,
        signer=signer,
        field_name=field_name,
        box=seal_box(personal_box),
        image_png=image_png or appearance.demo_seal_png(),
        level=level,
    )


def stamp_text(heading: str, agency: str, when: dt.datetime, detail: str = "") -> str:
    """The lines of a text stamp: số/ký hiệu (or "SAO Y"…), agency, ``detail`` when given
    (the số/ký hiệu of an electronic copy), ISO 8601 time."""
    local = when.astimezone(VIETNAM_TZ).replace(microsecond=0)
    lines = [heading, agency, *([detail] if detail else []), local.isoformat()]
    return "\n".join(lines)


def stamp_size(text: str) -> tuple[float, float]:
    """Width and height (points) of the box that shows ``text`` as a text stamp."""
    font, _path = _stamp_font()
    size = appearance.STAMP_FONT_SIZE
    width = max(pdfmetrics.stringWidth(line, font, size) for line in text.splitlines()) + 8
    height = len(text.splitlines()) * size * 1.25 + 6
    return width, height


def sign_text_stamp(
    data: bytes,
    *,
    signer: signers.Signer,
    heading: str,
    agency: str,
    when: dt.datetime,
    field_name: str = "SigCoQuan",
    level: Level = Level.B_LT,
    detail: str = "",
) -> bytes:
    """The agency's signature on an attachment in a separate file (heading = số, ký hiệu of the
    main document) or on an electronic copy (heading = "SAO Y", "SAO LỤC", "TRÍCH SAO";
    ``detail`` = the copy's own số, ký hiệu): no image, text at the top right of page 1
    (NĐ 30/2020/NĐ-CP, Phụ lục I, II.8, III.1.d; Phần II.I.3). ``when`` is the signing time
    shown (normally ``timezone.now()``)."""
    text = stamp_text(heading, agency, when, detail)
    width, height = stamp_size(text)
    page_width, page_height = _first_page_size(data)
    box = Box(
        page=1,
        x=page_width - STAMP_MARGIN_PT - width,
        y=page_height - STAMP_MARGIN_PT - height,
        width=width,
        height=height,
    )
    return sign_pdf(data, signer=signer, field_name=field_name, box=box, text=text, level=level)


def _first_page_size(data: bytes) -> tuple[float, float]:
    if not data.startswith(b"%PDF-"):
        raise SigningError(not_a_pdf_message())
    try:
        page = PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Kids"][0]
        page = page.get_object()
        while "/MediaBox" not in page and "/Parent" in page:
            page = page["/Parent"]
        x1, y1, x2, y2 = (float(v) for v in page["/MediaBox"])
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SigningError(_("Tài liệu PDF bị hỏng, không ký được.")) from exc
    return x2 - x1, y2 - y1


def signature_field_box(data: bytes, field_name: str) -> Box | None:
    """Where the signature field ``field_name`` of ``data`` is drawn (its widget's page and
    rectangle), or None when the file has no such visible field."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        for index in range(int(reader.root["/Pages"]["/Count"])):
            page = reader.find_page_for_modification(index)[0].get_object()
            for ref in page.get("/Annots") or ():
                widget = ref.get_object()
                if widget.get("/FT") != "/Sig" or str(widget.get("/T")) != field_name:
                    continue
                x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
                if x2 - x1 <= 0 or y2 - y1 <= 0:
                    return None
                return Box(page=index + 1, x=x1, y=y1, width=x2 - x1, height=y2 - y1)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    return None
