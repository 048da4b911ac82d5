import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from egov.core.identity import clean_personal_id, clean_phone, clean_tax_code


def test_personal_id_structure_and_cross_checks():
    # 087 Đồng Tháp, digit 4 = 0 → male born 19xx, "84" → 1984.
    assert (
        clean_personal_id("087 084 000 999", birth_date=dt.date(1984, 5, 1), female=False)
        == "087084000999"
    )
    assert clean_personal_id("022300001234", birth_date=dt.date(2000, 1, 1), female=True)
    for bad in ["12345678901", "0870840009991", "08708400099A", "003084000999"]:
        with pytest.raises(ValidationError):
            clean_personal_id(bad)
    with pytest.raises(ValidationError, match="năm sinh"):
        clean_personal_id("087084000999", birth_date=dt.date(1985, 1, 1))
    with pytest.raises(ValidationError, match="giới tính"):
        clean_personal_id("087084000999", female=True)


def test_tax_code_check_digit():
    assert clean_tax_code("0100233488") == "0100233488"
    assert clean_tax_code("0100233488-001") == "0100233488001"
    assert clean_tax_code("087084000999") == "087084000999"  # a person's ID as tax code
    for bad in ["0100233480", "12345", "0100233488-000"]:
        with pytest.raises(ValidationError):
            clean_tax_code(bad)


def test_phone_numbers():
    assert clean_phone("0912 345 678") == "+84912345678"
    assert clean_phone("+84 87 123 4567") == "+84871234567"
    assert clean_phone("0203 3123 456").startswith("+84203")
    for bad in ["0123", "09123456789", "số điện thoại", "+1 202 555 0100"]:
        with pytest.raises(ValidationError):
            clean_phone(bad)
