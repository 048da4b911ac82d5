"""The input and output of the official-document composer (NĐ 30/2020/NĐ-CP, Phụ lục I).

Pure data: a domain app maps its own models onto ``OfficialDocument`` and gets back a
``RenderedDocument`` with the PDF and the boxes where the signatures, the number and the date
sit, so a signing step can place visible signatures without measuring anything.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass


class DocumentKind(enum.Enum):
    """Administrative document types (NĐ 30/2020/NĐ-CP, Điều 7; abbreviations Phụ lục III, Mục I).

    Value: (tên loại printed in ô 5a, abbreviation used in the ký hiệu). Công văn has neither:
    its trích yếu goes under the number after "V/v" (ô 5b) and its ký hiệu is
    issuer-unit, e.g. "12/UBND-VX" (Phụ lục I, II.3).
    """

    CONG_VAN = ("", "")
    NGHI_QUYET = ("NGHỊ QUYẾT", "NQ")
    QUYET_DINH = ("QUYẾT ĐỊNH", "QĐ")
    TO_TRINH = ("TỜ TRÌNH", "TTr")
    THONG_BAO = ("THÔNG BÁO", "TB")
    BAO_CAO = ("BÁO CÁO", "BC")
    KE_HOACH = ("KẾ HOẠCH", "KH")
    GIAY_MOI = ("GIẤY MỜI", "GM")

    @property
    def title(self) -> str:
        return self.value[0]

    @property
    def abbreviation(self) -> str:
        return self.value[1]


class Delegation(enum.Enum):
    """Signing-authority prefixes (NĐ 30/2020/NĐ-CP, Phụ lục I, II.7.b)."""

    ON_BEHALF_OF_COLLECTIVE = "TM."  # thay mặt tập thể
    DEPUTY = "KT."  # ký thay người đứng đầu
    BY_ORDER = "TL."  # thừa lệnh
    DELEGATED = "TUQ."  # thừa ủy quyền
    ACTING = "Q."  # quyền


class Urgency(enum.Enum):
    """Độ khẩn, ô 10b (NĐ 30/2020/NĐ-CP, Điều 8.3; Phụ lục I, IV)."""

    URGENT = "KHẨN"
    VERY_URGENT = "THƯỢNG KHẨN"
    FLASH = "HỎA TỐC"


class Confidentiality(enum.Enum):
    """Độ mật, ô 10a (NĐ 30/2020/NĐ-CP, Điều 8.3; the marks of Luật Bảo vệ bí mật nhà nước)."""

    MAT = "MẬT"
    TOI_MAT = "TỐI MẬT"
    TUYET_MAT = "TUYỆT MẬT"


@dataclass(frozen=True, slots=True)
class Signer:
    """ô 7a/7b. ``on_behalf_of`` is the line after the prefix for TM./KT./TL./TUQ.
    (e.g. "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "GIÁM ĐỐC"); ``position`` the signer's own position
    ("PHÓ CHỦ TỊCH"). Without a prefix, or with Q., a single position line is printed."""

    position: str
    full_name: str
    delegation: Delegation | None = None
    on_behalf_of: str = ""


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside the body ("I. MỤC ĐÍCH, YÊU CẦU", "1. Phạm vi"), printed bold with the
    body's first-line indent."""

    text: str


@dataclass(frozen=True, slots=True)
class OfficialDocument:
    """Everything printed on an administrative document. Strings are plain text (no markup),
    normalised to NFC by the composer.

    ``number`` is None until the văn thư numbers it (a gap is left after "Số:"); ``symbol`` is
    the ký hiệu without the number, e.g. "QĐ-UBND" or "UBND-VP". ``date`` is None until the
    document is dated (gaps after "ngày", "tháng", "năm"). ``archive_units`` are the drafting
    units' abbreviations after "Lưu: VT," in the last nơi nhận line.

    For quyết định/nghị quyết: ``authority`` (e.g. "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ AN BÌNH"),
    ``grounds`` (the "Căn cứ …"/"Theo đề nghị …" lines) and ``articles`` (numbered "Điều 1.",
    "Điều 2." … by the composer) replace ``body``; ``body`` may still hold text before the
    articles. ``body`` items are paragraphs (justified, first line indented) or ``Heading``s."""

    kind: DocumentKind
    issuer: str
    symbol: str
    place: str
    summary: str
    signer: Signer
    parent_agency: str = ""
    number: int | None = None
    date: datetime.date | None = None
    body: tuple[str | Heading, ...] = ()
    addressees: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    archive_units: str = ""
    archive_copies: int | None = None
    authority: str = ""
    grounds: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    urgency: Urgency | None = None
    confidentiality: Confidentiality | None = None


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on one page: ``page`` counts from 0; x, y (lower-left corner), w, h in PDF
    points with the origin at the page's lower-left corner, as pyHanko's field boxes expect."""

    page: int
    x: float
    y: float
    w: float
    h: float

    @property
    def rect(self) -> tuple[float, float, float, float]:
        """(x1, y1, x2, y2), the form of a PDF /Rect."""
        return (self.x, self.y, self.x + self.w, self.y + self.h)


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    """The PDF and where its variable parts are.

    ``personal_signature``: ô 7c, between the position line and the name.
    ``agency_seal``: ô 8, a real-size seal square overlapping the left third of ô 7c.
    ``number``: the gap after "Số:" (the number digits) in ô 3. ``date``: the whole date line,
    ô 4."""

    pdf: bytes
    page_count: int
    personal_signature: Box
    agency_seal: Box
    number: Box
    date: Box

    @property
    def signature_boxes(self) -> dict[str, Box]:
        return {"personal": self.personal_signature, "agency": self.agency_seal}
