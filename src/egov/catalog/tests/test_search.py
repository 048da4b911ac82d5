import pytest

from egov.catalog.selectors import CatalogFilters, search_procedures, version_by_code

pytestmark = pytest.mark.django_db


def names(query="", **filters):
    return [v.name for v in search_procedures(CatalogFilters(query=query, **filters)).versions]


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("dang ky ho kinh doanh", "Đăng ký thành lập hộ kinh doanh"),
        ("ĐĂNG KÝ HỘ KINH DOANH", "Đăng ký thành lập hộ kinh doanh"),
        ("kinh doa", "Đăng ký thành lập hộ kinh doanh"),  # prefix while typing
        ("khai sinh", "Đăng ký khai sinh"),
        ("dang ky thuong tru", "Đăng ký thường trú"),
        ("chung thuc ban sao", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"),
        ("ly lich tu phap", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam cư trú trong nước"),
        ("giay phep xay dung", "Cấp giấy phép xây dựng nhà ở riêng lẻ"),
    ],
)
def test_search_ignores_diacritics_case_and_ranks_best_first(catalog, query, expected_first):
    assert names(query)[0] == expected_first


def test_every_word_must_be_in_the_name_and_matches_are_counted(catalog):
    """Issue 13: "ho chieu" used to list every "hộ …" procedure (OR of the words)."""
    result = search_procedures(CatalogFilters(query="ho chieu"))
    assert (result.versions, result.total, result.near) == ([], 0, [])
    assert names("ho tich") == ["Cấp bản sao trích lục hộ tịch"]
    found = search_procedures(CatalogFilters(query="dang ky ket hon"))
    assert [v.name for v in found.versions] == [
        "Đăng ký kết hôn",
        "Đăng ký lại kết hôn",
        "Đăng ký kết hôn có yếu tố nước ngoài",
    ]
    assert (found.total, found.has_next, found.near) == (3, False, [])
    paged = search_procedures(CatalogFilters(query="dang ky"), per_page=5)
    second = search_procedures(CatalogFilters(query="dang ky"), page=2, per_page=5)
    assert paged.total == second.total == 17 and paged.has_next
    assert len(paged.versions) == len(second.versions) == 5
    assert not {v.pk for v in paged.versions} & {v.pk for v in second.versions}
    assert search_procedures(CatalogFilters()).total == 31


def test_names_holding_most_words_are_set_apart_when_none_holds_all(catalog):
    # 7 words, "cá thể" in no name: 5 of 7 words (at least two thirds) are "near" matches.
    result = search_procedures(CatalogFilters(query="dang ky ho kinh doanh ca the"))
    assert (result.versions, result.total) == ([], 0)
    assert [v.name for v in result.near] == [
        "Đăng ký thành lập hộ kinh doanh",
        "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
    ]
    # Three words, two in a name: near; two words, one in a name: nothing (queries of fewer
    # than three words get no "near" list).
    near = search_procedures(CatalogFilters(query="ket hon xyz")).near
    assert [v.name for v in near] == [
        "Đăng ký kết hôn",
        "Đăng ký lại kết hôn",
        "Đăng ký kết hôn có yếu tố nước ngoài",
    ]
    assert search_procedures(CatalogFilters(query="ket xyz")).near == []


def test_code_search_and_lookup(catalog):
    assert names("1.001612") == ["Đăng ký thành lập hộ kinh doanh"]
    assert names("1.001612.000.00.00.H49") == ["Đăng ký thành lập hộ kinh doanh"]
    assert version_by_code("1.001612.000.00.00.H38") is None  # another province's code
    assert version_by_code("qn-cap-phieu-ly-lich-tu-phap").procedure.national_code is None
    assert names("zzzz qqqq") == []


def test_filters(catalog):
    civil = names(field="ho-tich")
    assert civil and "Đăng ký khai sinh" in civil and "Đăng ký thường trú" not in civil
    # No procedure is at district level since 01/07/2025; lý lịch tư pháp is with the police
    # (a sector agency) since 01/07/2026 (Luật 107/2025/QH15, NĐ 216/2026/NĐ-CP).
    assert names(level="huyen") == []
    police = names(level="nganh_doc")
    assert police == ["Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam cư trú trong nước"]
    assert names(level="tinh") == []
    assert names("ly lich", unit="qn.so-tu-phap") == []
    assert "Đăng ký thành lập hộ kinh doanh" in names(unit="qn.ttpvhcc")
    assert "Đăng ký khai sinh" not in names("khai sinh", field="cu-tru")
    assert "Chứng thực chữ ký trong giấy tờ, văn bản" in names(online="mot_phan")


def test_pages_without_count(catalog):
    first = search_procedures(CatalogFilters(), per_page=10)
    second = search_procedures(CatalogFilters(), page=2, per_page=10)
    assert first.has_next and len(first.versions) == 10
    assert not {v.pk for v in first.versions} & {v.pk for v in second.versions}
    last = search_procedures(CatalogFilters(), page=4, per_page=10)
    assert not last.has_next and 0 < len(last.versions) <= 10


def test_seed_catalog_has_30_procedures_in_8_fields(catalog):
    fields = {v.field.code for v in search_procedures(CatalogFilters(), per_page=100).versions}
    assert len(search_procedures(CatalogFilters(), per_page=100).versions) >= 30
    assert {
        "ho-tich",
        "chung-thuc",
        "ho-kinh-doanh",
        "cu-tru",
        "xay-dung",
        "dat-dai",
        "ly-lich-tu-phap",
        "bao-tro-xa-hoi",
    } <= fields
