"""Quality rules for scanned dossier components: resolution, colour mode and sharpness.

TT 01/2023/TT-VPCP, Điều 8 khoản 2 điểm f, requires scans to follow the technical parameters
of TT 02/2019/TT-BNV [confirmed reference]. The values applied here — at least 200 dpi, colour
or greyscale (not bilevel), PDF — come from issue 16 §6 and are **unconfirmed** against the
text of TT 02/2019/TT-BNV, so each one is a setting (EGOV_SCAN_MIN_DPI,
EGOV_SCAN_ALLOW_BILEVEL, EGOV_SCAN_MIN_SHARPNESS; docs/scan-quality.md).

What is measured:
- resolution: for an image, the larger of its own dpi tag and its pixel size against an A4
  page (a photo's 72 dpi tag is a display default, not a scan resolution; a document no larger
  than A4 has at least that many pixels per inch); for a PDF, each scanned page's largest image
  against the page size (a scanned page is filled by its image);
- colour mode: bilevel when the image is stored as such or holds exactly two values;
- sharpness: the variance of a 3×3 Laplacian over a greyscale copy at
  ``SHARPNESS_DPI``; nearly uniform (blank) pages are not judged.

A PDF page is a scanned page when it carries an image and either has no text layer or its
largest image has the page's proportions (an OCR'd scan); a born-digital PDF (text, logos) is
not a scan and passes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageFilter, ImageStat

ColourMode = Literal["colour", "greyscale", "bilevel"]

A4_INCHES = (210 / 25.4, 297 / 25.4)
# Resolution of the copy the sharpness is measured on: the score then depends on the blur on
# paper, not on the scan's pixel count or page size (and stays cheap).
SHARPNESS_DPI = 100
# Standard deviation of grey levels under which a page is taken as blank (no sharpness test).
BLANK_PAGE_STDDEV = 8.0
# A page image whose width/height ratio is within this of the page's fills the page.
PAGE_PROPORTION_TOLERANCE = 0.05


@dataclass(frozen=True)
class ScanProblem:
    code: Literal["unreadable", "low_resolution", "bilevel", "blurred"]
    message: str


@dataclass
class PageMeasure:
    dpi: int
    colour: ColourMode
    sharpness: float | None  # None: blank page, not judged
    page: int | None = None  # 1-based page of a PDF


@dataclass
class ScanQuality:
    is_scan: bool
    pages: list[PageMeasure] = field(default_factory=list)
    problems: list[ScanProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def dpi(self) -> int | None:
        return min((p.dpi for p in self.pages), default=None)

    @property
    def sharpness(self) -> float | None:
        return min((p.sharpness for p in self.pages if p.sharpness is not None), default=None)


def colour_mode(image: Image.Image) -> ColourMode:
    values = image.getcolors(2)  # None when the image holds more than two values
    if image.mode == "1" or (values is not None and len(values) == 2):
        return "bilevel"
    if image.mode in {"L", "LA", "I", "I;16", "F"}:
        return "greyscale"
    return "colour"


def sharpness_score(image: Image.Image, dpi: int) -> float | None:
    """Variance of the Laplacian of a greyscale copy at ``SHARPNESS_DPI``; None for a blank
    page."""
    grey = image.convert("L")
    if dpi > SHARPNESS_DPI:
        scale = SHARPNESS_DPI / dpi
        size = (max(3, round(grey.width * scale)), max(3, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BOX)
    if ImageStat.Stat(grey).stddev[0] < BLANK_PAGE_STDDEV:
        return None
    # Offset 128 keeps negative responses; the strongest edges clip, which only lowers the
    # score of very sharp scans (they stay far above the threshold).
    laplacian = grey.filter(ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], 1, 128))
    # The outermost pixels repeat the border; leave them out.
    inner = laplacian.crop((1, 1, laplacian.width - 1, laplacian.height - 1))
    return round(float(ImageStat.Stat(inner).var[0]), 1)


def image_dpi(image: Image.Image) -> int:
    """The larger of the image's dpi tag and its pixels against an A4 page."""
    short, long = sorted(image.size)
    against_a4 = min(short / A4_INCHES[0], long / A4_INCHES[1])
    tagged = image.info.get("dpi")
    tag = 0.0
    if isinstance(tagged, tuple) and len(tagged) == 2:
        try:
            tag = min(float(tagged[0]), float(tagged[1]))
        except (TypeError, ValueError):
            tag = 0.0
    return round(max(tag, against_a4))


def _measure(image: Image.Image, dpi: int, page: int | None = None) -> PageMeasure:
    return PageMeasure(
        dpi=dpi, colour=colour_mode(image), sharpness=sharpness_score(image, dpi), page=page
    )


def _image_measures(data: bytes) -> list[PageMeasure]:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return [_measure(image, image_dpi(image))]


def _pdf_measures(data: bytes) -> list[PageMeasure]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    measures = []
    for number, page in enumerate(reader.pages, start=1):
        images = [item.image for item in page.images if item.image is not None]
        if not images:
            continue
        largest = max(images, key=lambda im: im.width * im.height)
        width_in = float(page.mediabox.width) / 72
        height_in = float(page.mediabox.height) / 72
        if page.rotation % 180:
            width_in, height_in = height_in, width_in
        if width_in <= 0 or height_in <= 0:
            continue
        page_ratio = width_in / height_in
        fills_page = abs(largest.width / largest.height - page_ratio) <= (
            PAGE_PROPORTION_TOLERANCE * page_ratio
        )
        if not fills_page and page.extract_text().strip():
            continue  # born-digital page with a picture on it
        dpi = round(min(largest.width / width_in, largest.height / height_in))
        measures.append(_measure(largest, dpi, page=number))
    return measures


def _where(measure: PageMeasure) -> str:
    if measure.page is None:
        return _("Ảnh quét")
    return _("Ảnh quét ở trang %d") % measure.page


def check_scan(data: bytes, content_type: str) -> ScanQuality:
    """Measure a scan (PDF, PNG, JPEG, TIFF) and list what breaks the rules, with messages
    that say what to do. A PDF without scanned pages is not a scan and passes."""
    try:
        if content_type == "application/pdf":
            measures = _pdf_measures(data)
        else:
            measures = _image_measures(data)
    except Exception:  # any decoder failure (Pillow, pypdf) means the file cannot be read
        if content_type == "application/pdf":
            message = _("Không đọc được tệp PDF (tệp hỏng); hãy quét lại và lưu thành tệp PDF.")
        else:
            message = _(
                "Không đọc được ảnh trong tệp (tệp hỏng); hãy quét lại và lưu thành tệp PDF."
            )
        return ScanQuality(is_scan=True, problems=[ScanProblem("unreadable", message)])
    quality = ScanQuality(is_scan=bool(measures), pages=measures)
    if not measures:
        return quality
    minimum_dpi = int(settings.EGOV_SCAN_MIN_DPI)
    lowest = min(measures, key=lambda m: m.dpi)
    if lowest.dpi < minimum_dpi:
        quality.problems.append(
            ScanProblem(
                "low_resolution",
                _(
                    "%(where)s có độ phân giải %(dpi)d dpi, thấp hơn mức tối thiểu %(min)d dpi; "
                    "hãy quét lại ở %(min)d dpi trở lên."
                )
                % {"where": _where(lowest), "dpi": lowest.dpi, "min": minimum_dpi},
            )
        )
    bilevel = next((m for m in measures if m.colour == "bilevel"), None)
    if bilevel is not None and not settings.EGOV_SCAN_ALLOW_BILEVEL:
        quality.problems.append(
            ScanProblem(
                "bilevel",
                _(
                    "%(where)s chỉ có hai màu đen và trắng; hãy quét lại ở chế độ màu "
                    "hoặc thang xám."
                )
                % {"where": _where(bilevel)},
            )
        )
    minimum_sharpness = int(settings.EGOV_SCAN_MIN_SHARPNESS)
    judged = [m for m in measures if m.sharpness is not None]
    blurred = min(judged, key=lambda m: m.sharpness or 0.0, default=None)
    if blurred is not None and (blurred.sharpness or 0.0) < minimum_sharpness:
        quality.problems.append(
            ScanProblem(
                "blurred",
                _(
                    "%(where)s bị mờ (độ nét %(score)d, cần từ %(min)d trở lên); hãy quét "
                    "hoặc chụp lại cho rõ nét."
                )
                % {
                    "where": _where(blurred),
                    "score": round(blurred.sharpness or 0.0),
                    "min": minimum_sharpness,
                },
            )
        )
    return quality
