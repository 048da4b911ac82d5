"""Forms printed at a commune-level service centre name that centre (issue 12, point 13): since
07/2025 a Quảng Ninh commune's dossiers are received by its own Trung tâm Phục vụ hành chính
công, not by a "điểm tiếp nhận" of the provincial centre."""

import datetime as dt

import pytest
import time_machine

from egov.catalog.selectors import version_by_code
from egov.dossiers.printing.notices import render_notice
from egov.dossiers.printing.receipt import render_receipt
from egov.dossiers.services.notices import counter_notice_issue
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.dossiers.tests.test_printed_forms import LOOKUP, text_of
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
CENTRE = "Trung tâm Phục vụ hành chính công phường Hồng Gai"


def test_receipt_names_the_commune_centre_that_received_the_dossier(quang_ninh):
    centre = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=VIETNAM_TZ), tick=False):
        request = reception()
        request.unit = centre
        dossier = dossier_receive(actor=user("honggai.tiepnhan"), reception=request)
    assert dossier.code == "000.02.89.H49-261130-0001"
    text = text_of(render_receipt(dossier, lookup_base_url=LOOKUP))
    # The heading: the provincial centre that manages it, then the commune centre itself.
    assert (
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH QUẢNG NINH TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG "
        "PHƯỜNG HỒNG GAI"
    ) in text
    assert f"{CENTRE} tiếp nhận hồ sơ của:" in text
    assert "Hồng Gai, ngày 30 tháng 11 năm 2026" in text
    assert "Điểm tiếp nhận" not in text and "ĐIỂM TIẾP NHẬN" not in text


def test_counter_notices_name_the_commune_centre(quang_ninh):
    centre = Unit.objects.get(key="qn.x.hong-gai.ttpvhcc")
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=VIETNAM_TZ), tick=False):
        guidance = counter_notice_issue(
            actor=user("honggai.tiepnhan"),
            unit=centre,
            version=version_by_code("1.001612"),
            kind="guidance",
            applicant_name="Nguyễn Văn An",
            items=["Bản sao căn cước của chủ hộ"],
        )
        refusal = counter_notice_issue(
            actor=user("honggai.tiepnhan"),
            unit=centre,
            version=version_by_code("1.001612"),
            kind="refusal",
            applicant_name="Trần Thị Bé",
            reason="Thủ tục không thuộc thẩm quyền",
        )
    for notice, form in ((guidance, "Mẫu số 02"), (refusal, "Mẫu số 03")):
        text = text_of(render_notice(notice))
        assert form in text
        assert f"{CENTRE} tiếp nhận hồ sơ của:" in text
        assert "PHƯỜNG HỒNG GAI" in text and "Điểm tiếp nhận" not in text
