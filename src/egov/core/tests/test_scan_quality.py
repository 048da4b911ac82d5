"""Scan quality rules (egov.core.scan_quality) on generated scans: resolution, colour mode,
sharpness, images and PDFs, born-digital PDFs."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from egov.core.scan_quality import check_scan, colour_mode, image_dpi, sharpness_score
from egov.core.tests.scan_samples import (
    document_pdf,
    jpeg,
    page_image,
    png,
    scanned_pdf,
    tiff,
)

A4 = (210 / 25.4, 297 / 25.4)
LOW = "có độ phân giải 150 dpi, thấp hơn mức tối thiểu 200 dpi; hãy quét lại ở 200 dpi trở lên."
BILEVEL = "chỉ có hai màu đen và trắng; hãy quét lại ở chế độ màu hoặc thang xám."


def messages(data: bytes, content_type: str) -> list[str]:
    return [problem.message for problem in check_scan(data, content_type).problems]


def test_laplacian_variance_of_a_single_bright_pixel_by_hand():
    # 5×5 grey 100 with 200 in the middle, at 100 dpi (not resized). Laplacian + 128 on the
    # inner 3×3: centre 400 − 800 + 128 → clipped to 0; its four neighbours 300 − 400 + 128 =
    # 228; the four corners 128. Mean 1424/9; variance 273472/9 − (1424/9)² = 5351.48.
    image = Image.new("L", (5, 5), 100)
    image.putpixel((2, 2), 200)
    assert sharpness_score(image, 100) == 5351.5
    # A uniform page is blank: not judged.
    assert sharpness_score(Image.new("L", (50, 50), 240), 100) is None


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("RGB", "colour"), ("L", "greyscale"), ("1", "bilevel")],
)
def test_colour_modes(mode, expected):
    assert colour_mode(page_image(100, mode=mode)) == expected
    # A grey image holding only black and white is bilevel whatever its storage mode.
    two_values = Image.new("L", (4, 4), 255)
    two_values.putpixel((0, 0), 0)
    assert colour_mode(two_values) == "bilevel"


def test_image_resolution_is_its_tag_or_its_pixels_against_a4():
    # A4 = 8.27 × 11.69 in: 1654 × 2339 px untagged is 200 dpi; a 72 dpi tag (a camera's
    # display default) does not lower it; a 300 dpi tag on a small image is trusted.
    assert image_dpi(Image.new("L", (1654, 2339))) == 200
    assert image_dpi(Image.new("L", (2339, 1654))) == 200  # landscape
    tagged_72 = Image.new("L", (1654, 2339))
    tagged_72.info["dpi"] = (72, 72)
    assert image_dpi(tagged_72) == 200
    small = Image.new("L", (620, 875))
    small.info["dpi"] = (300, 300)
    assert image_dpi(small) == 300
    assert image_dpi(Image.new("L", (620, 875))) == 75


@pytest.mark.parametrize("dpi", [300, 200])
@pytest.mark.parametrize(("mode", "colour"), [("RGB", "colour"), ("L", "greyscale")])
def test_sharp_colour_and_grey_scans_at_200_dpi_and_more_pass(dpi, mode, colour):
    image = page_image(dpi, mode=mode)
    for data, content_type, page in [
        (png(image, dpi), "image/png", None),
        (jpeg(image, dpi), "image/jpeg", None),
        (tiff(image, dpi), "image/tiff", None),
        (scanned_pdf((image, dpi)), "application/pdf", 1),
    ]:
        quality = check_scan(data, content_type)
        assert quality.ok and quality.is_scan, (content_type, quality.problems)
        assert [(p.dpi, p.colour, p.page) for p in quality.pages] == [(dpi, colour, page)]
        assert quality.sharpness is not None and quality.sharpness > 1000


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_a_150_dpi_scan_is_refused_with_what_to_do(mode):
    image = page_image(150, mode=mode)
    assert messages(png(image, 150), "image/png") == [f"Ảnh quét {LOW}"]
    assert messages(scanned_pdf((image, 150)), "application/pdf") == [f"Ảnh quét ở trang 1 {LOW}"]
    # Untagged and A4-sized: 1240 × 1754 px is 150 dpi.
    assert messages(png(page_image(150, inches=A4)), "image/png") == [f"Ảnh quét {LOW}"]


def test_an_untagged_a4_scan_or_photo_at_200_dpi_passes():
    image = page_image(200, inches=A4)
    assert image.size == (1654, 2339)
    assert check_scan(png(image), "image/png").dpi == 200
    assert messages(png(image), "image/png") == []
    assert messages(jpeg(image, 72), "image/jpeg") == []


def test_bilevel_scans_are_refused_unless_allowed(settings):
    image = page_image(300, mode="1")
    assert messages(png(image, 300), "image/png") == [f"Ảnh quét {BILEVEL}"]
    assert messages(scanned_pdf((image, 300)), "application/pdf") == [
        f"Ảnh quét ở trang 1 {BILEVEL}"
    ]
    both = page_image(150, mode="1")
    assert messages(png(both, 150), "image/png") == [f"Ảnh quét {LOW}", f"Ảnh quét {BILEVEL}"]
    settings.EGOV_SCAN_ALLOW_BILEVEL = True
    assert messages(png(image, 300), "image/png") == []


@pytest.mark.parametrize("blur", [1.5, 2.0])
def test_blurred_scans_are_refused(blur):
    # Gaussian blur of 1.5 or 2 points (0.53 or 0.71 mm on paper) at 200 dpi.
    image = page_image(200, blur=blur)
    for data, content_type, where in [
        (png(image, 200), "image/png", "Ảnh quét"),
        (scanned_pdf((image, 200)), "application/pdf", "Ảnh quét ở trang 1"),
    ]:
        quality = check_scan(data, content_type)
        assert quality.sharpness is not None and quality.sharpness < 25
        assert [p.code for p in quality.problems] == ["blurred"]
        assert quality.problems[0].message == (
            f"{where} bị mờ (độ nét {round(quality.sharpness)}, cần từ 100 trở lên); "
            "hãy quét hoặc chụp lại cho rõ nét."
        )


def test_thresholds_are_settings(settings):
    image = page_image(200)
    settings.EGOV_SCAN_MIN_DPI = 300
    assert messages(png(image, 200), "image/png") == [
        "Ảnh quét có độ phân giải 200 dpi, thấp hơn mức tối thiểu 300 dpi; "
        "hãy quét lại ở 300 dpi trở lên."
    ]
    settings.EGOV_SCAN_MIN_DPI = 200
    settings.EGOV_SCAN_MIN_SHARPNESS = 10
    assert messages(png(page_image(200, blur=1.5), 200), "image/png") == []


def test_the_worst_page_of_a_pdf_is_named():
    pdf = scanned_pdf((page_image(200), 200), (page_image(200, blur=2), 200))
    quality = check_scan(pdf, "application/pdf")
    assert [(p.page, p.dpi) for p in quality.pages] == [(1, 200), (2, 200)]
    assert [p.code for p in quality.problems] == ["blurred"]
    assert quality.problems[0].message.startswith("Ảnh quét ở trang 2 bị mờ")


def test_a_blank_page_is_not_judged_for_sharpness():
    assert messages(png(page_image(200, blank=True), 200), "image/png") == []


def _reportlab_pdf(*, text: str, image: Image.Image | None, full_page: bool) -> bytes:
    out = io.BytesIO()
    width, height = 595.0, 842.0
    pdf = canvas.Canvas(out, pagesize=(width, height))
    if image is not None:
        if full_page:
            pdf.drawImage(ImageReader(image), 0, 0, width, height)
        else:
            pdf.drawImage(ImageReader(image), 40, 760, 60, 60)
    if text:
        pdf.drawString(120, 780, text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_born_digital_pdfs_are_not_scans_and_pass():
    assert check_scan(document_pdf(), "application/pdf").is_scan is False
    text_only = _reportlab_pdf(text="Quyet dinh so 12", image=None, full_page=False)
    assert check_scan(text_only, "application/pdf").ok
    # A letterhead logo (60 × 60 px on A4: 0.83 in, would be 72 dpi) beside the text.
    logo = Image.new("RGB", (60, 60), (200, 30, 30))
    with_logo = check_scan(
        _reportlab_pdf(text="Quyet dinh so 12", image=logo, full_page=False), "application/pdf"
    )
    assert with_logo.ok and not with_logo.is_scan


def test_an_ocred_scan_with_a_text_layer_is_still_checked():
    # A4 page filled by a 150 dpi image (1240 × 1754 px) under a text layer.
    ocred = _reportlab_pdf(text="Giay khai sinh", image=page_image(150, inches=A4), full_page=True)
    assert messages(ocred, "application/pdf") == [f"Ảnh quét ở trang 1 {LOW}"]


def test_damaged_files_are_refused():
    assert messages(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png") == [
        "Không đọc được ảnh trong tệp (tệp hỏng); hãy quét lại và lưu thành tệp PDF."
    ]
    assert messages(b"%PDF-1.4\n% egov\n%%EOF\n", "application/pdf") == [
        "Không đọc được tệp PDF (tệp hỏng); hãy quét lại và lưu thành tệp PDF."
    ]
