"""The catalog as of 01/12/2026 (issue 12, points 8–12): dated versions at the law's effective
dates — 01/07/2025 (two-tier local government), 01/07/2026 (lý lịch tư pháp to the police,
building permits at commune level, NĐ 224/2026 online classes) and 01/03/2027 (Luật Hộ tịch
03/2026/QH16) — fee exemptions as data, and identity papers under Luật Căn cước 2023."""

import copy
import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine

from egov.catalog.fees import exemptions, quote
from egov.catalog.models import ImplementingLevel, OnlineService, ProcedureVersion, TimeKind
from egov.catalog.selectors import version_by_code
from egov.catalog.services import CatalogImportError, catalog_import
from egov.catalog.transfer import dumps, export_catalog
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db

TWO_TIER, JULY_2026, TODAY, CIVIL_STATUS_LAW = (
    dt.date(2025, 7, 1),
    dt.date(2026, 7, 1),
    dt.date(2026, 12, 1),
    dt.date(2027, 3, 1),
)


def _on(key, day):
    return (
        ProcedureVersion.objects.valid_on(day)
        .filter(procedure__key=key, status__in=["published", "superseded"])
        .get()
    )


def _versions_from(day):
    """Every version in force on ``day`` or later."""
    return ProcedureVersion.objects.filter(
        status__in=["published", "superseded"], valid_until__gt=day
    ).select_related("procedure")


# --- point 8: no district level from 01/07/2025; authority apart from the receiving unit ---
def test_no_version_in_force_from_1_july_2025_is_at_district_level(catalog):
    district = [
        (v.procedure.key, v.number)
        for v in _versions_from(TWO_TIER)
        if v.implementing_level == ImplementingLevel.DISTRICT
    ]
    assert district == []
    # The district-level data stays as the version before the reform (history is kept).
    old = _on("qn-dang-ky-thanh-lap-ho-kinh-doanh", TWO_TIER - dt.timedelta(days=1))
    assert old.implementing_level == ImplementingLevel.DISTRICT
    assert old.valid_until == TWO_TIER


def test_household_business_under_decree_168_2025_without_the_lease_contract(catalog):
    before = _on("qn-dang-ky-thanh-lap-ho-kinh-doanh", TWO_TIER - dt.timedelta(days=1))
    after = _on("qn-dang-ky-thanh-lap-ho-kinh-doanh", TWO_TIER)
    assert "Bản sao hợp đồng thuê, mượn địa điểm kinh doanh" in [
        c.name for c in before.components.all()
    ]
    assert [c.name for c in after.components.all()] == [
        "Giấy đề nghị đăng ký hộ kinh doanh",
        "Bản sao giấy tờ pháp lý của cá nhân (chủ hộ, thành viên hộ gia đình)",
        "Biên bản họp thành viên hộ gia đình và văn bản ủy quyền",
    ]
    documents = [b["document"] for b in after.legal_basis]
    assert "NĐ 168/2025/NĐ-CP" in documents and "NĐ 01/2021/NĐ-CP" not in documents
    assert after.implementing_level == ImplementingLevel.COMMUNE
    assert after.competent_authority == "Cơ quan đăng ký kinh doanh thuộc Ủy ban nhân dân cấp xã"


def test_marriage_with_a_foreign_element_at_commune_level_in_5_working_days(catalog):
    version = _on("qn-dang-ky-ket-hon-yeu-to-nuoc-ngoai", TWO_TIER)
    counter = version.channels.get(kind="counter")
    assert (version.implementing_level, counter.time_kind, counter.time_amount) == (
        ImplementingLevel.COMMUNE,
        TimeKind.WORKING_DAYS,
        Decimal(5),
    )
    assert {"document": "NĐ 120/2025/NĐ-CP", "article": "Phụ lục, mục I"} in version.legal_basis


def test_land_and_building_permit_versions_from_1_july_2025_are_at_commune_level(catalog):
    for key in (
        "qn-dang-ky-dat-dai-lan-dau",
        "qn-chuyen-muc-dich-su-dung-dat",
        "qn-cap-gpxd-nha-o-rieng-le",
    ):
        version = _on(key, TWO_TIER)
        assert version.implementing_level == ImplementingLevel.COMMUNE, key
    land = _on("qn-dang-ky-dat-dai-lan-dau", TWO_TIER)
    assert {"document": "NĐ 151/2025/NĐ-CP"} in land.legal_basis
    assert "cơ quan có thẩm quyền theo NĐ 151/2025/NĐ-CP" in land.unconfirmed


def test_page_shows_the_competent_authority_apart_from_the_receiving_centre(catalog, client):
    page = client.get("/thu-tuc/1.001193/").content.decode()
    assert (
        '<dd data-testid="competent-authority">Ủy ban nhân dân cấp xã <span class="muted">'
        "(Căn cứ: Luật Hộ tịch 60/2014/QH13 Điều 7 khoản 2)</span></dd>"
    ) in page
    assert (
        '<dd data-testid="receiving-units"><ul class="plain"><li>'
        "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh"
    ) in page
    detail = client.get("/api/v1/procedures/2.000884").json()
    assert detail["competent_authority"] == "Ủy ban nhân dân cấp xã"
    assert detail["competent_authority_basis"] == (
        "NĐ 23/2015/NĐ-CP Điều 5 (sửa đổi bởi NĐ 07/2025/NĐ-CP)"
    )
    assert [u["key"] for u in detail["implementing_units"]] == ["qn.ttpvhcc"]


# --- point 9: from 01/07/2026 ---------------------------------------------------------------
def test_criminal_record_moves_to_the_police_on_1_july_2026(catalog):
    before = _on("qn-cap-phieu-ly-lich-tu-phap", JULY_2026 - dt.timedelta(days=1))
    after = _on("qn-cap-phieu-ly-lich-tu-phap", JULY_2026)
    assert before.competent_unit.key == "qn.so-tu-phap"
    assert after.competent_unit.key == "qn.cong-an-tinh"
    assert after.competent_authority == (
        "Cơ quan có thẩm quyền cấp Phiếu lý lịch tư pháp thuộc Bộ Công an"
    )
    assert after.competent_authority_basis == (
        "Luật 107/2025/QH15 sửa đổi Luật Lý lịch tư pháp; NĐ 216/2026/NĐ-CP"
    )
    assert after.implementing_level == ImplementingLevel.SECTOR
    assert [unit.key for unit in after.implementing_units.all()] == ["qn.cong-an-tinh"]
    assert "nơi tiếp nhận hồ sơ trực tiếp sau 01/07/2026 (Công an tỉnh)" in after.unconfirmed


def test_house_building_permit_at_commune_in_7_working_days_from_1_july_2026(catalog):
    before = _on("qn-cap-gpxd-nha-o-rieng-le", JULY_2026 - dt.timedelta(days=1))
    after = _on("qn-cap-gpxd-nha-o-rieng-le", JULY_2026)
    assert before.channels.get().time_amount == Decimal(15)
    assert after.channels.get().time_amount == Decimal(7)
    assert after.competent_authority_basis == "NĐ 217/2026/NĐ-CP Điều 53 khoản 1"
    assert (after.supplement_request_days, after.supplement_applicant_days) == (3, 2)
    assert after.online_service == OnlineService.FULL
    assert after.online_service_basis == "NĐ 217/2026/NĐ-CP Điều 54; NĐ 224/2026/NĐ-CP Điều 14"


def test_every_version_from_1_july_2026_is_classified_and_partial_ones_give_a_reason(catalog):
    versions = [v for v in _versions_from(JULY_2026) if v.valid_from >= JULY_2026]
    assert len({v.procedure_id for v in versions}) == 31
    assert {v.online_service for v in versions} == {OnlineService.FULL, OnlineService.PARTIAL}
    partial = sorted(
        {v.procedure.key for v in versions if v.online_service == OnlineService.PARTIAL}
    )
    assert partial == [
        "qn-chung-thuc-ban-sao-tu-ban-chinh",
        "qn-chung-thuc-chu-ky",
        "qn-chung-thuc-hop-dong-dong-san",
    ]
    assert all(
        v.online_partial_reason and v.online_service_basis.startswith("NĐ 224/2026/NĐ-CP Điều 14")
        for v in versions
        if v.online_service == OnlineService.PARTIAL
    )


def test_page_shows_the_class_and_reason_and_no_repealed_level(catalog, client):
    page = client.get("/thu-tuc/2.000884/").content.decode()
    assert "Mức độ" not in page and "43/2011" not in page
    assert (
        '<dd data-testid="online-service">Một phần <span class="muted">(Căn cứ: NĐ 224/2026/NĐ-CP'
        " Điều 14; NĐ 23/2015/NĐ-CP Điều 24)</span><br>Lý do chỉ cung cấp một phần: Người yêu cầu"
        " phải ký trước mặt người thực hiện chứng thực (chưa đối chiếu lý do công khai trên Cổng"
        " DVCQG)</dd>"
    ) in page
    detail = client.get("/api/v1/procedures/2.000884").json()
    assert detail["online_service"] == "mot_phan"
    assert detail["online_partial_reason"].startswith("Người yêu cầu phải ký trước mặt")


def _file_with(key, **changes):
    data = export_catalog()
    procedure = next(p for p in data["procedures"] if p["key"] == key)
    version = copy.deepcopy(procedure["versions"][-1])
    version.update(number=99, status="draft", valid_from="2027-06-01", **changes)
    procedure["versions"].append(version)
    return json.loads(dumps(data))


def test_a_partial_service_without_a_reason_or_a_district_version_is_refused(catalog):
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(
            actor=None,
            data=_file_with("qn-chung-thuc-chu-ky", online_partial_reason="   "),
        )
    assert caught.value.errors == [
        "procedures[6].versions[3].online_partial_reason: bắt buộc với dịch vụ một phần từ "
        "01/07/2026 (NĐ 224/2026/NĐ-CP Điều 14)"
    ]
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(
            actor=None, data=_file_with("qn-dang-ky-tam-tru", implementing_level="huyen")
        )
    assert caught.value.errors == [
        "procedures[21].versions[2].implementing_level: không còn cấp huyện từ 01/07/2025 "
        "(chính quyền địa phương hai cấp)"
    ]


# --- point 10: fees and exemptions ------------------------------------------------------------
EXEMPT_WORDS = (
    "Người cư trú tại các xã đặc biệt khó khăn, đồng bào dân tộc thiểu số ở các xã có điều kiện"
    " kinh tế - xã hội đặc biệt khó khăn, xã biên giới, xã an toàn khu theo quy định của pháp"
    " luật"
)


def test_criminal_record_fee_exemptions_quote_the_circular(catalog, client):
    fee = _on("qn-cap-phieu-ly-lich-tu-phap", TODAY).channels.get().fees.get()
    assert [(e.key, e.condition, e.basis, e.confirmed) for e in exemptions(fee)] == [
        (
            "tre-em",
            "Trẻ em theo quy định tại Luật bảo vệ, chăm sóc và giáo dục trẻ em",
            "TT 244/2016/TT-BTC Điều 5",
            True,
        ),
        (
            "nguoi-cao-tuoi",
            "Người cao tuổi theo quy định tại Luật người cao tuổi",
            "TT 244/2016/TT-BTC Điều 5",
            True,
        ),
        (
            "nguoi-khuyet-tat",
            "Người khuyết tật theo quy định tại Luật người khuyết tật",
            "TT 244/2016/TT-BTC Điều 5",
            True,
        ),
        (
            "ho-ngheo",
            "Người thuộc hộ nghèo theo quy định của pháp luật",
            "TT 244/2016/TT-BTC Điều 5",
            True,
        ),
        ("xa-kho-khan-bien-gioi-atk", EXEMPT_WORDS, "TT 244/2016/TT-BTC Điều 5", True),
    ]
    # A resident of a border commune (many in Quảng Ninh) pays nothing; others pay 200.000 đ.
    border = quote([fee], category="border_commune")
    assert (border.total, border.lines[0].explanation) == (
        0,
        f"Miễn: {EXEMPT_WORDS} (TT 244/2016/TT-BTC Điều 5).",
    )
    assert quote([fee]).total == 200000
    assert quote([fee], category="student").total == 100000
    api = client.get(
        "/api/v1/procedures/qn-cap-phieu-ly-lich-tu-phap/fee", {"category": "poor"}
    ).json()
    assert (api["amount"], api["lines"][0]["explanation"]) == (
        0,
        "Miễn: Người thuộc hộ nghèo theo quy định của pháp luật (TT 244/2016/TT-BTC Điều 5).",
    )
    page = client.get("/thu-tuc/qn-cap-phieu-ly-lich-tu-phap/").content.decode()
    quoted = (
        f'<li>{EXEMPT_WORDS} <span class="muted">(Căn cứ: TT 244/2016/TT-BTC Điều 5)</span></li>'
    )
    assert quoted in page
    # Before 01/07/2026 the version as entered (no exemptions) stays the record.
    old_fee = _on("qn-cap-phieu-ly-lich-tu-phap", JULY_2026 - dt.timedelta(days=1))
    assert exemptions(old_fee.channels.get().fees.get()) == []


def test_fixed_fees_the_review_lists(catalog, client):
    extract = client.get("/api/v1/procedures/2.000635/fee", {"copies": 2}).json()
    assert (extract["amount"], extract["lines"][0]["name"]) == (
        16000,
        "Phí cấp bản sao trích lục hộ tịch",
    )
    contract = client.get("/api/v1/procedures/qn-chung-thuc-hop-dong-dong-san/fee").json()
    assert contract["amount"] == 50000
    assert quote(version_by_code("2.000884").channels.get().fees.all()).total == 10000
    guardianship = version_by_code("1.004837").channels.get().fees.get()
    assert (guardianship.kind, guardianship.legal_basis) == (
        "free",
        "Luật Hộ tịch 60/2014/QH13 Điều 11 khoản 1 điểm b",
    )


def test_residence_exemptions_stay_marked_unconfirmed(catalog, client):
    fee = version_by_code("1.004222").channels.get(kind="counter").fees.get()
    rows = exemptions(fee)
    assert [e.categories for e in rows] == [
        ("child",),
        ("elderly",),
        ("disabled",),
        ("merit",),
        ("ethnic_hardship",),
        ("orphan",),
    ]
    assert {(e.basis, e.confirmed) for e in rows} == {("TT 75/2022/TT-BTC Điều 4", False)}
    page = client.get("/thu-tuc/1.004222/").content.decode()
    assert (
        '<li>Trẻ em <span class="muted">(Căn cứ: TT 75/2022/TT-BTC Điều 4; chưa đối chiếu)'
        "</span></li>"
    ) in page
    assert quote([fee], category="elderly").total == 0
    assert quote([fee], category="border_commune").total == 20000  # not entered: unverified


def test_bad_exemption_is_refused_with_its_problems(catalog):
    data = export_catalog()
    version = data["procedures"][0]["versions"][-1]
    version.update(number=99, status="draft")
    version["channels"][0]["fees"][0]["exemptions"] = [
        {"key": "X", "condition": "", "categories": ["martian"], "basis": "", "extra": 1}
    ]
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(actor=None, data=json.loads(dumps(data)))
    text = "\n".join(caught.value.errors)
    for part in ("key:", "condition:", "categories:", "basis:", "trường không hỗ trợ: extra"):
        assert part in text


# --- point 11: identity papers ----------------------------------------------------------------
def test_new_versions_name_the_citizen_identity_card_and_never_the_old_id(catalog):
    old_ids = [
        (v.procedure.key, c.name)
        for v in _versions_from(JULY_2026)
        if v.valid_from >= JULY_2026
        for c in v.components.all()
        if "CMND" in c.name or "chứng minh nhân dân" in c.name.lower()
    ]
    assert old_ids == []
    signature = version_by_code("2.000884").components.order_by("order").first()
    assert signature.name == (
        "Thẻ căn cước, thẻ căn cước công dân còn thời hạn, căn cước điện tử hoặc hộ chiếu"
        " còn giá trị sử dụng"
    )
    assert signature.condition.startswith("Luật Căn cước 26/2023/QH15")
    # The version of 2025 keeps what it said.
    old = _on("qn-chung-thuc-chu-ky", TWO_TIER).components.order_by("order").first()
    assert old.name == "CCCD/CMND/hộ chiếu còn giá trị sử dụng"


# --- point 12: Luật Hộ tịch 03/2026/QH16 from 01/03/2027 ---------------------------------------
def test_civil_status_procedures_hold_the_next_version_marked_unconfirmed(catalog):
    for version in ProcedureVersion.objects.filter(
        field__code="ho-tich", valid_from=CIVIL_STATUS_LAW
    ):
        assert version.status == "published"
        assert version.legal_basis[0] == {"document": "Luật Hộ tịch 03/2026/QH16"}
        assert (
            "Luật Hộ tịch 03/2026/QH16: thẩm quyền, thời hạn, thành phần hồ sơ và lệ phí chưa"
            " đối chiếu (giữ như trước 01/03/2027)"
        ) in version.unconfirmed
        assert all(not e["confirmed"] for e in version.lawful_extensions)
    assert (
        ProcedureVersion.objects.filter(field__code="ho-tich", valid_from=CIVIL_STATUS_LAW)
        .values("procedure")
        .count()
        == 11
    )


def test_dossiers_received_either_side_of_1_march_2027_keep_different_versions(catalog):
    desk = user("tinh.tiepnhan")
    with time_machine.travel(dt.datetime(2027, 2, 28, 9, 0, tzinfo=VIETNAM_TZ), tick=False):
        before = dossier_receive(actor=desk, reception=reception("1.001193"))
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=VIETNAM_TZ), tick=False):
        after = dossier_receive(actor=desk, reception=reception("1.001193"))
    old, new = before.procedure_version, after.procedure_version
    assert old.pk != new.pk and (old.number, new.number) == (3, 4)
    assert (old.valid_from, old.valid_until, new.valid_from) == (
        TODAY,
        CIVIL_STATUS_LAW,
        CIVIL_STATUS_LAW,
    )
    assert {"document": "Luật Hộ tịch 60/2014/QH13"} in old.legal_basis
    assert new.legal_basis[0] == {"document": "Luật Hộ tịch 03/2026/QH16"}
    # Each dossier keeps its version when the catalog moves on.
    before.refresh_from_db()
    assert before.procedure_version_id == old.pk


def test_page_shows_the_version_in_force_on_a_given_day(catalog, client):
    today = client.get("/thu-tuc/1.001193/").content.decode()
    assert (
        '<dd data-testid="version-period">01/12/2026 đến trước ngày 01/03/2027 (phiên bản 3)</dd>'
        in today
    )
    later = client.get("/thu-tuc/1.001193/", {"ngay": "01/03/2027"}).content.decode()
    assert '<dd data-testid="version-period">01/03/2027 (phiên bản 4)</dd>' in later
    assert "Luật Hộ tịch 03/2026/QH16" in later and "Luật Hộ tịch 03/2026/QH16" not in today
    bad = client.get("/thu-tuc/1.001193/", {"ngay": "31/02/2027"})
    assert bad.status_code == 200
    assert "Ngày “31/02/2027” không hợp lệ (dạng ngày/tháng/năm, vd. 01/03/2027)." in (
        bad.content.decode()
    )
