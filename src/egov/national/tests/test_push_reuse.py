"""A component taken from the data store is flagged in the record sent to the national portal
(TaiLieuNop[].DuocSoHoa; DuocLayTuKhoDMQG stays 0: only the provincial store is used)."""

import datetime as dt

import pytest
import time_machine

from egov.catalog.selectors import version_by_code
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.dossiers.tests.store_samples import stored_document
from egov.national.services.push import deliver_due
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=VIETNAM_TZ), tick=False)
def test_reused_component_is_flagged(quang_ninh, dvcqg):
    desk = user("tinh.tiepnhan")
    stored_document(desk, code="SH-AN-1")
    version = version_by_code("2.000884")
    card = version.components.get(document_kind__code="the-can-cuoc")
    paper = version.components.get(name__startswith="Giấy tờ, văn bản")
    counter = reception("2.000884")
    counter.components.pop(card.pk)
    counter.store_documents = {card.pk: "SH-AN-1"}
    dossier = dossier_receive(actor=desk, reception=counter)
    assert deliver_due().sent == 2  # received, then the reuse event
    record = dvcqg.store.dossiers[dossier.code].record
    assert record["TaiLieuNop"] == [
        {
            "MaThanhPhanHoSo": str(card.pk),
            "TenTepDinhKem": card.name,
            "TepDinhKemId": "SH-AN-1",
            "DuocSoHoa": 1,
            "DuocLayTuKhoDMQG": 0,
        },
        {
            "MaThanhPhanHoSo": str(paper.pk),
            "TenTepDinhKem": paper.name,
            "TepDinhKemId": "",
            "DuocSoHoa": 0,
            "DuocLayTuKhoDMQG": 0,
        },
    ]
