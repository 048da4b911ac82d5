"""Scans with known Vietnamese text for the OCR tests and bench/ocr_bench.py: a text rendered
with the project's Noto Sans at a chosen resolution, optionally turned a few degrees and
speckled with noise, plus the character accuracy of a recognised text against the truth."""

from __future__ import annotations

import importlib.resources
import io
import random
import shutil
import subprocess
import unicodedata

import pytest
from PIL import Image, ImageDraw, ImageFont

from egov.env import env_bool

# Lines of an ordinary administrative page (what a citizen's scan shows), diacritics of every
# tone and the letter đ included.
PAGES: tuple[tuple[str, ...], ...] = (
    (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Ủy ban nhân dân phường Bến Nghé",
        "Giấy xác nhận đăng ký thường trú",
        "Họ và tên: Nguyễn Thị Hồng Nhung",
        "Ngày sinh: 12 tháng 5 năm 1990",
        "Nơi ở hiện tại: số 18 đường Lê Duẩn",
    ),
    (
        "Đơn đề nghị cấp bản sao trích lục hộ tịch",
        "Kính gửi: Ủy ban nhân dân xã Tân Phước",
        "Người yêu cầu: Trần Văn Đức",
        "Quan hệ với người được cấp: con đẻ",
        "Số lượng bản sao đề nghị cấp: hai bản",
        "Tôi cam đoan những nội dung trên là đúng sự thật",
        "và chịu trách nhiệm trước pháp luật.",
    ),
    (
        "Tờ khai đăng ký khai sinh cho trẻ em",
        "Họ, chữ đệm, tên: Lê Hoàng Minh Khuê",
        "Giới tính: Nữ. Dân tộc: Kinh. Quốc tịch: Việt Nam",
        "Nơi sinh: Bệnh viện Phụ sản tỉnh Quảng Ngãi",
        "Họ tên người mẹ: Phạm Thị Thủy",
        "Họ tên người cha: Lê Quốc Việt",
        "Ngày đăng ký: mười lăm tháng bảy năm hai nghìn",
    ),
)

POINT_SIZE = 12  # body text of a printed form


def font(pixel_size: int) -> ImageFont.FreeTypeFont:
    path = importlib.resources.files("fontpkg_noto_sans") / "files" / "NotoSans[wdth,wght].ttf"
    return ImageFont.truetype(str(path), pixel_size)


def render(
    lines: tuple[str, ...],
    *,
    dpi: int = 300,
    degrees: float = 0.0,
    noise: float = 0.0,
    seed: int = 1,
) -> Image.Image:
    """An A4 greyscale page at ``dpi`` with ``lines`` in 12 pt, turned ``degrees`` (counter-
    clockwise) and with a share ``noise`` of its pixels flipped to random grey."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    face = font(round(POINT_SIZE * dpi / 72))
    margin = dpi  # one inch
    step = round(POINT_SIZE * 1.8 * dpi / 72)
    for index, line in enumerate(lines):
        draw.text((margin, margin + index * step), line, font=face, fill=0)
    if degrees:
        page = page.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if noise:
        generator = random.Random(seed)
        pixels = page.load()
        assert pixels is not None
        for _ in range(round(width * height * noise)):
            pixels[generator.randrange(width), generator.randrange(height)] = generator.randrange(
                256
            )
    return page


def png(image: Image.Image, *, dpi: int = 300) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def normalise(text: str) -> str:
    """NFC, every run of white space one space: layout is not what OCR accuracy measures."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def character_accuracy(truth: str, recognised: str) -> float:
    """1 − edit distance / length of the truth, after normalise(); never below 0."""
    expected, got = normalise(truth), normalise(recognised)
    return max(0.0, 1 - levenshtein(expected, got) / len(expected))


def _tesseract_missing() -> str | None:
    if shutil.which("tesseract") is None:
        return "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)"
    languages = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
    ).stdout.split()
    if "vie" not in languages:
        return "tesseract has no Vietnamese data (apt-get install tesseract-ocr-vie)"
    return None


def require_tesseract() -> None:
    """Skip a test that runs Tesseract when it is missing — or fail it when
    EGOV_REQUIRE_OCR_TESTS=1 (CI) says the OCR tests must run."""
    reason = _tesseract_missing()
    if reason is None:
        return
    if env_bool("EGOV_REQUIRE_OCR_TESTS", False):
        pytest.fail(f"{reason} (EGOV_REQUIRE_OCR_TESTS=1 requires the OCR tests)")
    pytest.skip(reason)
