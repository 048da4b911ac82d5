"""What comes from the national portal: the published procedure catalog (as drafts, never
live; a repeated pull changes nothing) and dossiers submitted there (pending online dossiers
with the 8-working-hour clock, acknowledged after commit, once per national id)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from egov.accounts.actors import SYSTEM
from egov.catalog.models import Procedure, ProcedureVersion, VersionStatus
from egov.catalog.selectors import version_by_code
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.services.online import OnlineSubmission, dossier_submit_online
from egov.dossiers.services.reception import Applicant
from egov.dossiers.tests.helpers import user
from egov.national.models import NationalSubmission
from egov.national.services.catalog import national_catalog_pull
from egov.national.services.inbound import national_dossiers_pull
from egov.national.services.push import deliver_due
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def national_record(code, name, days="5", fee="50.000"):
    return {
        "MATTHC": code,
        "TENTTHC": name,
        "LINHVUCTHUCHIEN": [{"MALINHVUC": "G09-TP10", "TENLINHVUC": "Hộ tịch"}],
        "CACHTHUCTHUCHIEN": [
            {
                "KENH": "Trực tiếp",
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": days,
                        "DONVITINH": "Ngày làm việc",
                        "MOTA": "",
                        "PHILEPHI": [{"SOTIEN": fee, "DONVI": "Đồng", "MOTA": "Lệ phí"}],
                    }
                ],
            },
            {
                "KENH": "Trực tuyến",
                "THOIGIAN": [{"THOIGIANGIAIQUYET": days, "DONVITINH": "Ngày làm việc"}],
            },
        ],
        "THANHPHANHOSO": [
            {
                "GIAYTO": [
                    {"MAGIAYTO": "1", "TENGIAYTO": "Tờ khai"},
                    {"TENGIAYTO": "Giấy tờ tùy thân"},
                ]
            }
        ],
        "TRINHTUTHUCHIEN": [{"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "Nộp hồ sơ"}]}],
        "YEUCAU": "Không",
        "KETQUATHUCHIEN": [{"MAKETQUA": "KQ1", "TENKETQUA": "Giấy xác nhận"}],
        "CANCUPHAPLY": [{"SOVANBAN": "60/2014/QH13", "TENVANBAN": "Luật Hộ tịch"}],
    }


def test_catalog_pull_creates_drafts_only_and_is_idempotent(quang_ninh, dvcqg):
    published_before = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).count()
    dvcqg.publish(national_record("9.000001", "Thủ tục mới thứ nhất"), at=at(2026, 12, 1, 8))
    dvcqg.publish(national_record("9.000002", "Thủ tục mới thứ hai"), at=at(2026, 12, 1, 9))
    run = national_catalog_pull()
    assert (run.created, run.changed, run.unchanged) == (2, 0, 0)
    version = ProcedureVersion.objects.get(procedure__national_code="9.000001")
    assert (version.number, version.status) == (1, VersionStatus.DRAFT)
    assert version.name == "Thủ tục mới thứ nhất"
    assert version.field.code == "G09-TP10"
    assert version.legal_basis == [{"document": "60/2014/QH13 Luật Hộ tịch"}]
    channels = {c.kind: c for c in version.channels.all()}
    assert set(channels) == {"counter", "online"}
    assert (channels["counter"].time_kind, channels["counter"].time_amount) == (
        "working_days",
        5,
    )
    fee = channels["counter"].fees.get()
    assert (fee.name, fee.kind, fee.amount) == ("Lệ phí", "flat", 50000)
    assert list(version.components.values_list("name", flat=True)) == [
        "Tờ khai",
        "Giấy tờ tùy thân",
    ]
    assert "implementing_level" in version.unconfirmed
    # Nothing is live: not in force, not found by code.
    assert version_by_code("9.000001") is None
    assert (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == published_before
    )

    again = national_catalog_pull()
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)  # the latest re-read
    assert ProcedureVersion.objects.filter(procedure__national_code__startswith="9.").count() == 2


def test_a_changed_published_procedure_gets_a_new_draft_beside_the_live_version(quang_ninh, dvcqg):
    live = version_by_code("1.001612")
    assert live is not None
    live_name, live_number = live.name, live.number
    dvcqg.publish(national_record("1.001612", "Tên mới theo Cổng quốc gia", days="3"))
    run = national_catalog_pull()
    assert (run.created, run.changed) == (0, 1)
    versions = list(
        ProcedureVersion.objects.filter(procedure=live.procedure)
        .order_by("number")
        .values_list("number", "status", "name")
    )
    assert versions[-1] == (live_number + 1, VersionStatus.DRAFT, "Tên mới theo Cổng quốc gia")
    current = version_by_code("1.001612")
    assert current is not None and (current.pk, current.name) == (live.pk, live_name)

    assert national_catalog_pull().changed == 0
    assert ProcedureVersion.objects.filter(procedure=live.procedure).count() == len(versions)
    assert Procedure.objects.filter(national_code="1.001612").count() == 1


def submitted(national_id="G22.99-261207-0001", **extra):
    return {
        "MaHoSoQG": national_id,
        "MaTTHC": "1.001612",
        "MaDonVi": Unit.objects.get(key="qn.ttpvhcc").code,
        "ChuHoSo": "Trần Thị Hoa",
        "LoaiDoiTuong": "1",
        "SoDinhDanh": "022190000456",
        "SoDienThoai": "0987654321",
        "Email": "",
        "DiaChi": "Hạ Long",
        "NgayNop": "20261207090000",
        **extra,
    }


def test_a_national_dossier_becomes_a_pending_online_dossier_with_its_clock(quang_ninh, dvcqg):
    dvcqg.submit(submitted())
    with time_machine.travel(at(2026, 12, 7, 9, 30), tick=False):
        run = national_dossiers_pull()
    assert (run.received, run.skipped, run.acknowledged) == (1, 0, 1)
    link = NationalSubmission.objects.select_related("dossier").get()
    dossier = link.dossier
    assert dossier.status == DossierStatus.AWAITING_ONLINE_RECEPTION
    assert dossier.channel == "online"
    assert dossier.owner is None
    assert dossier.applicant_name == "Trần Thị Hoa"
    # Submitted Monday 09:00 on the national portal, pulled at 09:30: the clock runs from
    # 09:00 — 2.5 h to 11:30, 3.5 h from 13:30 to 17:00, 2 h from 07:30 on Tuesday.
    assert dossier.submitted_at == at(2026, 12, 7, 9, 0)
    assert dossier.reception_due_at == at(2026, 12, 8, 9, 30)
    assert dossier.events.get().data["files_held_by"] == "Cổng Dịch vụ công quốc gia"
    assert dvcqg.store.submitted["G22.99-261207-0001"].acknowledged is True
    assert link.acknowledged_at is not None

    # Its submission is pushed back with the national id (status 1, "Mới đăng ký").
    assert deliver_due(now=at(2026, 12, 7, 9, 31)).sent == 1
    record = dvcqg.store.dossiers[dossier.code].record
    assert (record["MaHoSoQG"], record["TrangThaiHoSo"]) == ("G22.99-261207-0001", 1)


def test_pulling_again_after_a_lost_acknowledgement_creates_nothing(quang_ninh, dvcqg):
    dvcqg.submit(submitted())
    national_dossiers_pull()
    dvcqg.store.submitted["G22.99-261207-0001"].acknowledged = False  # the answer was lost
    run = national_dossiers_pull()
    assert (run.received, run.acknowledged) == (0, 1)
    assert Dossier.objects.filter(national_submission__isnull=False).count() == 1
    assert dvcqg.store.submitted["G22.99-261207-0001"].acknowledged is True


def test_a_dossier_for_an_unknown_procedure_is_not_taken_nor_acknowledged(quang_ninh, dvcqg):
    dvcqg.submit(submitted("G22.99-261207-0002", MaTTHC="9.999999"))
    run = national_dossiers_pull()
    assert (run.received, run.skipped, run.acknowledged) == (0, 1, 0)
    assert not NationalSubmission.objects.exists()
    assert dvcqg.store.submitted["G22.99-261207-0002"].acknowledged is False


def test_only_the_system_submits_a_dossier_without_an_account(quang_ninh):
    version = version_by_code("1.001612")
    submission = OnlineSubmission(
        owner=None,
        unit=Unit.objects.get(key="qn.ttpvhcc"),
        version=version,
        applicant=Applicant(kind="citizen", name="Trần Thị Hoa"),
        files_held_by="Cổng Dịch vụ công quốc gia",
    )
    with pytest.raises(ValidationError, match="phải do chủ tài khoản nộp"):
        dossier_submit_online(actor=user("tinh.tiepnhan"), submission=submission)
    submission.files_held_by = ""
    with pytest.raises(ValidationError, match="phải do chủ tài khoản nộp"):
        dossier_submit_online(actor=SYSTEM, submission=submission)
    assert not Dossier.objects.filter(applicant_name="Trần Thị Hoa").exists()


def test_the_pull_command(quang_ninh, dvcqg, settings):
    dvcqg.publish(national_record("9.000003", "Thủ tục từ lệnh"))
    dvcqg.submit(submitted())
    out = io.StringIO()
    call_command("national_pull", stdout=out)
    assert out.getvalue().splitlines() == [
        "Thủ tục mới: 1; thay đổi: 0; không đổi: 0.",
        "Hồ sơ nhận về: 1; chưa nhận được: 0.",
    ]
    dvcqg.down = True
    with pytest.raises(CommandError, match="Không kết nối được Cổng Dịch vụ công quốc gia"):
        call_command("national_pull", "--catalog")
    settings.EGOV_NATIONAL_SYNC_ENABLED = False
    with pytest.raises(CommandError, match="Chưa bật đồng bộ"):
        call_command("national_pull")
