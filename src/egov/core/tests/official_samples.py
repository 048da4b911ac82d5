"""One sample of each kind of official document, as a commune People's Committee issues them."""

from __future__ import annotations

import datetime

from egov.core.printing.official import (
    Confidentiality,
    Delegation,
    DocumentKind,
    Heading,
    OfficialDocument,
    Signer,
    Urgency,
)

ISSUER = "Ủy ban nhân dân xã Đoàn Kết"
PARENT = "UBND tỉnh Quảng Ninh"
PLACE = "Đoàn Kết"
CHAIR = Signer(
    position="Chủ tịch",
    full_name="Nguyễn Văn Ánh",
    delegation=Delegation.ON_BEHALF_OF_COLLECTIVE,
    on_behalf_of="Ủy ban nhân dân",
)
DEPUTY = Signer(
    position="Phó Chủ tịch",
    full_name="Trần Thị Hường",
    delegation=Delegation.DEPUTY,
    on_behalf_of="Chủ tịch",
)

LONG_PARAGRAPH = (
    "Trong kỳ báo cáo, Ủy ban nhân dân xã đã tiếp nhận và giải quyết các hồ sơ thủ tục hành chính "
    "đúng quy trình, công khai, minh bạch; tỷ lệ hồ sơ giải quyết đúng hạn đạt trên chín mươi tám "
    "phần trăm, không có hồ sơ quá hạn do lỗi của cán bộ, công chức; việc số hóa hồ sơ, kết quả "
    "giải quyết được thực hiện đầy đủ theo quy định của Chính phủ và hướng dẫn của cấp trên."
)


def samples() -> dict[str, OfficialDocument]:
    day = datetime.date(2026, 3, 9)
    return {
        "cong_van": OfficialDocument(
            kind=DocumentKind.CONG_VAN,
            parent_agency=PARENT,
            issuer=ISSUER,
            number=12,
            symbol="UBND-VP",
            place=PLACE,
            date=day,
            summary="đề nghị cung cấp thông tin hộ kinh doanh trên địa bàn xã",
            addressees=("Sở Tài chính tỉnh Quảng Ninh",),
            body=(
                "Thực hiện Kế hoạch số 05/KH-UBND ngày 02 tháng 01 năm 2026 của Ủy ban nhân dân "
                "xã về rà soát hộ kinh doanh, Ủy ban nhân dân xã Đoàn Kết đề nghị Phòng Kinh tế "
                "cung cấp danh sách hộ kinh doanh đã đăng ký trên địa bàn xã đến hết năm 2025.",
                "Văn bản gửi về Văn phòng Ủy ban nhân dân xã trước ngày 20 tháng 3 năm 2026.",
            ),
            recipients=("Chủ tịch, các PCT UBND xã",),
            archive_units="VP",
            signer=DEPUTY,
            urgency=Urgency.URGENT,
        ),
        "quyet_dinh": OfficialDocument(
            kind=DocumentKind.QUYET_DINH,
            parent_agency=PARENT,
            issuer=ISSUER,
            number=5,
            symbol="QĐ-UBND",
            place=PLACE,
            date=datetime.date(2026, 1, 5),
            summary="Về việc cấp giấy chứng nhận đăng ký hộ kinh doanh",
            authority="Chủ tịch Ủy ban nhân dân xã Đoàn Kết",
            grounds=(
                "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
                "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về "
                "công tác văn thư;",
                "Theo đề nghị của Trưởng phòng Kinh tế.",
            ),
            articles=(
                "Cấp giấy chứng nhận đăng ký hộ kinh doanh cho ông Lê Văn Đức, sinh ngày "
                "12/4/1980, địa chỉ thôn Đông Hải, xã Đoàn Kết.",
                "Quyết định này có hiệu lực kể từ ngày ký.",
                "Chánh Văn phòng, Trưởng phòng Kinh tế và ông Lê Văn Đức chịu trách nhiệm thi "
                "hành Quyết định này.",
            ),
            recipients=("Như Điều 3", "Chủ tịch, các PCT UBND xã"),
            archive_units="VP, KT",
            signer=CHAIR,
        ),
        "to_trinh": OfficialDocument(
            kind=DocumentKind.TO_TRINH,
            issuer=ISSUER,
            parent_agency=PARENT,
            number=None,
            symbol="TTr-UBND",
            place=PLACE,
            date=None,
            summary="Về việc đề nghị phê duyệt kế hoạch chuyển đổi số năm 2026",
            addressees=("Ủy ban nhân dân tỉnh Quảng Ninh", "Sở Khoa học và Công nghệ"),
            body=(LONG_PARAGRAPH, "Kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt."),
            recipients=(),
            archive_units="VP",
            signer=CHAIR,
        ),
        "thong_bao": OfficialDocument(
            kind=DocumentKind.THONG_BAO,
            issuer=ISSUER,
            number=3,
            symbol="TB-UBND",
            place=PLACE,
            date=datetime.date(2026, 2, 28),
            summary="Lịch tiếp công dân tháng 3 năm 2026",
            body=(
                "Ủy ban nhân dân xã thông báo lịch tiếp công dân định kỳ vào thứ Năm hằng tuần "
                "tại Bộ phận Một cửa, trụ sở Ủy ban nhân dân xã.",
            ),
            recipients=("Các thôn, khu dân cư", "Cổng thông tin điện tử xã"),
            archive_units="VP",
            signer=Signer(
                position="Chánh Văn phòng",
                full_name="Phạm Quỳnh Yến",
                delegation=Delegation.BY_ORDER,
                on_behalf_of="Chủ tịch",
            ),
        ),
        "bao_cao": OfficialDocument(
            kind=DocumentKind.BAO_CAO,
            parent_agency=PARENT,
            issuer=ISSUER,
            number=41,
            symbol="BC-UBND",
            place=PLACE,
            date=datetime.date(2026, 12, 15),
            summary="Kết quả giải quyết thủ tục hành chính năm 2026",
            body=tuple(LONG_PARAGRAPH for _ in range(12)),
            recipients=("UBND tỉnh Quảng Ninh (để báo cáo)", "Thường trực Đảng ủy xã"),
            archive_units="VP",
            archive_copies=2,
            signer=DEPUTY,
            confidentiality=Confidentiality.MAT,
        ),
        "ke_hoach": OfficialDocument(
            kind=DocumentKind.KE_HOACH,
            issuer=ISSUER,
            number=7,
            symbol="KH-UBND",
            place=PLACE,
            date=datetime.date(2026, 10, 1),
            summary="Triển khai dịch vụ công trực tuyến toàn trình năm 2027",
            body=(
                Heading("I. MỤC ĐÍCH, YÊU CẦU"),
                "Bảo đảm mọi thủ tục đủ điều kiện được cung cấp trực tuyến toàn trình.",
                Heading("II. NỘI DUNG"),
                "Rà soát, số hóa hồ sơ; tập huấn cán bộ, công chức Bộ phận Một cửa.",
            ),
            recipients=("Các ban, ngành, đoàn thể xã",),
            archive_units="VP",
            signer=Signer(
                position="Chủ tịch", full_name="Đỗ Minh Tuấn", delegation=Delegation.ACTING
            ),
        ),
        "giay_moi": OfficialDocument(
            kind=DocumentKind.GIAY_MOI,
            issuer=ISSUER,
            number=15,
            symbol="GM-UBND",
            place=PLACE,
            date=datetime.date(2026, 11, 2),
            summary="Dự hội nghị tổng kết công tác cải cách hành chính năm 2026",
            body=(
                "Ủy ban nhân dân xã Đoàn Kết trân trọng kính mời ông (bà) Trưởng thôn dự hội nghị.",
                "Thời gian: 08 giờ 00, thứ Hai, ngày 16 tháng 11 năm 2026.",
                "Địa điểm: Hội trường Ủy ban nhân dân xã.",
            ),
            recipients=("Như trên",),
            archive_units="VP",
            signer=Signer(
                position="Giám đốc Trung tâm",
                full_name="Hoàng Thị Ngọc Ánh",
                delegation=Delegation.DELEGATED,
                on_behalf_of="Chủ tịch",
            ),
        ),
    }
