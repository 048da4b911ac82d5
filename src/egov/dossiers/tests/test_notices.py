import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from egov.catalog.selectors import version_by_code
from egov.dossiers.models import CounterNotice, Dossier
from egov.dossiers.services.notices import counter_notice_issue
from egov.dossiers.tests.helpers import user
from egov.org.models import Unit

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_guidance_lists_every_item_and_refusal_needs_reasons(quang_ninh):
    unit = Unit.objects.get(key="qn.ttpvhcc")
    version = version_by_code("1.001612")
    with pytest.raises(ValidationError) as error:
        counter_notice_issue(
            actor=user("tinh.tiepnhan"),
            unit=unit,
            version=version,
            kind="guidance",
            applicant_name="",
            items=["", "  "],
        )
    assert set(error.value.message_dict) == {"applicant_name", "items"}
    with pytest.raises(ValidationError, match="lý do"):
        counter_notice_issue(
            actor=user("tinh.tiepnhan"),
            unit=unit,
            version=version,
            kind="refusal",
            applicant_name="An",
        )
    with pytest.raises(ValidationError, match="vai trò tiếp nhận"):
        counter_notice_issue(
            actor=user("tinh.chuyenvien"),
            unit=unit,
            version=version,
            kind="guidance",
            applicant_name="An",
            items=["x"],
        )
    first = counter_notice_issue(
        actor=user("tinh.tiepnhan"),
        unit=unit,
        version=version,
        kind="guidance",
        applicant_name="An",
        items=["Giấy đề nghị", "Giấy đề nghị", "Bản sao CCCD"],
    )
    second = counter_notice_issue(
        actor=user("tinh.tiepnhan"),
        unit=unit,
        version=version,
        kind="guidance",
        applicant_name="Bình",
        items=["Bản sao CCCD"],
    )
    assert first.items == ["Giấy đề nghị", "Bản sao CCCD"]
    assert (first.number, second.number) == (1, 2)
    assert Dossier.objects.count() == 0  # not received: no dossier, no code


def test_notice_screen_and_pdfs(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    client.force_login(user("tinh.tiepnhan"))
    url = "/staff/tiep-nhan/phieu/?thu-tuc=1.001612"
    page = client.get(url).content.decode()
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in page
    bad = client.post(url, {"kind": "guidance", "applicant_name": "Nguyễn Văn An"})
    assert bad.status_code == 200 and "liệt kê đầy đủ" in bad.content.decode()
    assert 'value="Nguyễn Văn An"' in bad.content.decode()
    done = client.post(
        url,
        {
            "kind": "guidance",
            "applicant_name": "Nguyễn Văn An",
            "items": ["Giấy đề nghị đăng ký hộ kinh doanh"],
            "other_items": "Chữ ký của chủ hộ trên giấy đề nghị",
        },
    )
    notice = CounterNotice.objects.get()
    assert done["Location"] == f"/staff/phieu/{notice.pk}.pdf"
    text = text_of(client.get(done["Location"]).content)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and "Mẫu số 02" in text
    assert "1. Giấy đề nghị đăng ký hộ kinh doanh" in text and "2. Chữ ký của chủ hộ" in text
    refused = client.post(
        url,
        {
            "kind": "refusal",
            "applicant_name": "Trần Thị Bé",
            "reason": "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan",
        },
    )
    text = text_of(client.get(refused["Location"]).content)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and "không thuộc thẩm quyền" in text
    client.force_login(user("honggai.tiepnhan"))
    assert client.get(done["Location"]).status_code == 404
