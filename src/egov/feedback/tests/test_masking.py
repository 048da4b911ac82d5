"""Personal data masked before publication (NĐ 13/2023/NĐ-CP Điều 2: name, phone, e-mail,
identification number, address)."""

from __future__ import annotations

from egov.feedback.masking import mask_personal_data
from egov.feedback.tests.helpers import CONTENT


def test_everything_personal_is_masked():
    assert mask_personal_data(CONTENT, names=["Nguyễn Văn An"]) == (
        "Tôi là [họ tên đã ẩn], số điện thoại [số điện thoại đã ẩn], thư [thư điện tử đã ẩn], "
        "CCCD [số định danh đã ẩn], trú tại [địa chỉ đã ẩn]. Bộ phận một cửa yêu cầu nộp thêm "
        "giấy xác nhận không có trong quy định."
    )


def test_phone_and_id_forms():
    assert mask_personal_data(
        "Gọi +84 912 345 678, 0203.3835.123 hoặc 84912345678; CMND 123456789; "
        "số định danh 001 090 012345."
    ) == (
        "Gọi [số điện thoại đã ẩn], [số điện thoại đã ẩn] hoặc [số điện thoại đã ẩn]; CMND "
        "[số định danh đã ẩn]; số định danh [số định danh đã ẩn]."
    )


def test_street_addresses_and_names_by_title():
    text = "Bà Lan ở 12/3 đường Lê Lợi, phường 1. Ông An (nguyễn văn an) đến hỏi; Anh Tuấn đi cùng."
    assert mask_personal_data(text, names=["Nguyễn Văn An", "Trần Thị Lan"]) == (
        "Bà [họ tên đã ẩn] ở [địa chỉ đã ẩn], phường 1. Ông [họ tên đã ẩn] ([họ tên đã ẩn]) "
        "đến hỏi; Anh Tuấn đi cùng."
    )


def test_text_without_personal_data_is_unchanged():
    text = "Thời hạn giải quyết là 15 ngày làm việc theo Điều 10, lệ phí 50.000 đồng năm 2026."
    assert mask_personal_data(text, names=["Nguyễn Văn An"]) == text
