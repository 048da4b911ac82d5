"""Validation of catalog files: every error, with the line it was found on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from egov.accounts.models import Role
from egov.catalog.fees import exemption_problems
from egov.catalog.models import (
    ApplicantCategory,
    ApplicantType,
    ChannelKind,
    FeeKind,
    ImplementingLevel,
    OnlineService,
    ProcedureField,
    ServiceLevel,
    SupplementClock,
    TimeKind,
    VersionStatus,
)
from egov.catalog.time_rules import extension_problems
from egov.org.models import Unit

FORMAT = "egov-catalog"
FORMAT_VERSION = 1


# --------------------------------------------------------------------------
@dataclass
class Problems:
    errors: list[str] = field(default_factory=list)

    def add(self, obj: Any, path: str, message: str) -> None:
        line = getattr(obj, "line", 0)
        where = f"dòng {line}: " if line else ""
        self.errors.append(f"{where}{path}: {message}")


class CatalogImportError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _expect_dict(value: Any, path: str, problems: Problems, parent: Any) -> bool:
    if not isinstance(value, dict):
        problems.add(parent, path, "phải là một đối tượng JSON")
        return False
    return True


def _expect_list(obj: dict[str, Any], key: str, path: str, problems: Problems) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        problems.add(obj, f"{path}.{key}", "phải là một danh sách")
        return []
    return value


def _check_choice(
    obj: dict[str, Any],
    key: str,
    choices: list[Any],
    path: str,
    problems: Problems,
    *,
    required: bool = True,
) -> None:
    value = obj.get(key)
    if value is None and not required:
        return
    if value not in choices:
        allowed = ", ".join(str(c) for c in choices)
        problems.add(obj, f"{path}.{key}", f"giá trị {value!r} không hợp lệ (chọn: {allowed})")


def _check_text(
    obj: dict[str, Any],
    key: str,
    path: str,
    problems: Problems,
    *,
    required: bool = False,
    max_length: int | None = None,
) -> None:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            problems.add(obj, f"{path}.{key}", "bắt buộc, không được để trống")
        return
    if not isinstance(value, str):
        problems.add(obj, f"{path}.{key}", "phải là chuỗi ký tự")
    elif max_length and len(value) > max_length:
        problems.add(obj, f"{path}.{key}", f"dài quá {max_length} ký tự")


def _check_int(
    obj: dict[str, Any], key: str, path: str, problems: Problems, *, required: bool = False
) -> None:
    value = obj.get(key)
    if value is None:
        if required:
            problems.add(obj, f"{path}.{key}", "bắt buộc")
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.add(obj, f"{path}.{key}", f"phải là số nguyên không âm, không phải {value!r}")


def _parse_decimal(
    obj: dict[str, Any],
    key: str,
    path: str,
    problems: Problems,
    *,
    required: bool = False,
    positive: bool = False,
) -> Decimal | None:
    value = obj.get(key)
    if value is None:
        if required:
            problems.add(obj, f"{path}.{key}", "bắt buộc")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.add(obj, f"{path}.{key}", f"phải là số, không phải {value!r}")
        return None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        problems.add(obj, f"{path}.{key}", "phải là số dương")
        return None
    return number


def _parse_date(obj: dict[str, Any], key: str, path: str, problems: Problems) -> dt.date | None:
    value = obj.get(key)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.add(obj, f"{path}.{key}", f"ngày không hợp lệ {value!r} (cần YYYY-MM-DD)")
        return None


# The fee columns that are whole numbers (amounts in đồng, page and copy counts).
FEE_WHOLE_NUMBERS = (
    "amount",
    "first_pages",
    "first_page_rate",
    "later_page_rate",
    "cap_per_copy",
    "included_copies",
    "extra_copy_amount",
)


def _validate_fee(fee: Any, path: str, problems: Problems) -> None:
    if not _expect_dict(fee, path, problems, fee):
        return
    _check_text(fee, "name", path, problems, required=True, max_length=200)
    _check_choice(fee, "kind", list(FeeKind.values), path, problems)
    for name in FEE_WHOLE_NUMBERS:
        _check_int(fee, name, path, problems)
    kind = fee.get("kind")
    if kind == FeeKind.PER_PAGE and (
        fee.get("first_pages") is None or fee.get("first_page_rate") is None
    ):
        problems.add(fee, path, "cách tính theo trang cần first_pages và first_page_rate")
    amounts = fee.get("category_amounts", {})
    if not isinstance(amounts, dict) or any(
        c not in ApplicantCategory.values or not isinstance(a, int) or a < 0
        for c, a in amounts.items()
    ):
        problems.add(fee, f"{path}.category_amounts", "đối tượng hoặc mức thu không hợp lệ")
    exempt = fee.get("exempt_categories", [])
    if not isinstance(exempt, list) or any(c not in ApplicantCategory.values for c in exempt):
        problems.add(fee, f"{path}.exempt_categories", "đối tượng không hợp lệ")
    keys: set[str] = set()
    for index, item in enumerate(_expect_list(fee, "exemptions", path, problems)):
        epath = f"{path}.exemptions[{index}]"
        for message in exemption_problems(item):
            problems.add(item, epath, message)
        if isinstance(item, dict):
            if item.get("key") in keys:
                problems.add(item, f"{epath}.key", "bị lặp")
            keys.add(str(item.get("key")))


# NĐ 224/2026/NĐ-CP (in force 01/07/2026, repeals NĐ 42/2022): "một phần" only with a public
# reason (Điều 14). Two-tier local government from 01/07/2025: no district level.
PARTIAL_REASON_FROM = dt.date(2026, 7, 1)
NO_DISTRICT_FROM = dt.date(2025, 7, 1)


def _validate_dated_rules(
    version: dict[str, Any], path: str, problems: Problems, valid_from: dt.date | None
) -> None:
    if valid_from is None:
        return
    if (
        valid_from >= PARTIAL_REASON_FROM
        and version.get("online_service") == OnlineService.PARTIAL
        and not str(version.get("online_partial_reason") or "").strip()
    ):
        problems.add(
            version,
            f"{path}.online_partial_reason",
            "bắt buộc với dịch vụ một phần từ 01/07/2026 (NĐ 224/2026/NĐ-CP Điều 14)",
        )
    if valid_from >= NO_DISTRICT_FROM and version.get("implementing_level") == (
        ImplementingLevel.DISTRICT
    ):
        problems.add(
            version,
            f"{path}.implementing_level",
            "không còn cấp huyện từ 01/07/2025 (chính quyền địa phương hai cấp)",
        )


def _validate_version(
    version: Any, path: str, problems: Problems, field_codes: set[str], unit_keys: set[str]
) -> None:
    if not _expect_dict(version, path, problems, version):
        return
    _check_int(version, "number", path, problems, required=True)
    _check_choice(version, "status", list(VersionStatus.values), path, problems)
    valid_from = _parse_date(version, "valid_from", path, problems)
    valid_until = _parse_date(version, "valid_until", path, problems)
    if valid_from and valid_until and valid_until <= valid_from:
        problems.add(version, f"{path}.valid_until", "phải sau valid_from")
    if version.get("published_at") is not None:
        try:
            dt.datetime.fromisoformat(str(version["published_at"]))
        except ValueError:
            problems.add(version, f"{path}.published_at", "thời điểm không hợp lệ")
    _check_text(version, "name", path, problems, required=True, max_length=500)
    if version.get("field") not in field_codes:
        problems.add(
            version,
            f"{path}.field",
            f"lĩnh vực {version.get('field')!r} không có trong tệp hay cơ sở dữ liệu",
        )
    _check_choice(version, "implementing_level", list(ImplementingLevel.values), path, problems)
    _check_choice(version, "online_service", list(OnlineService.values), path, problems)
    for key, limit in (
        ("competent_authority", 300),
        ("competent_authority_basis", 300),
        ("online_service_basis", 300),
        ("online_partial_reason", 500),
    ):
        _check_text(version, key, path, problems, max_length=limit)
    if version.get("status") != VersionStatus.SUPERSEDED:
        _validate_dated_rules(version, path, problems, valid_from)
    _check_choice(version, "service_level", list(ServiceLevel.values), path, problems)
    _check_choice(
        version, "supplement_clock", list(SupplementClock.values), path, problems, required=False
    )
    for key in ["supplement_request_days", "supplement_applicant_days"]:
        _check_int(version, key, path, problems)
    _check_text(version, "supplement_basis", path, problems, max_length=300)
    keys: set[str] = set()
    for index, item in enumerate(_expect_list(version, "lawful_extensions", path, problems)):
        epath = f"{path}.lawful_extensions[{index}]"
        if not _expect_dict(item, epath, problems, version):
            continue
        for message in extension_problems(item):
            problems.add(item, epath, message)
        if item.get("key") in keys:
            problems.add(item, f"{epath}.key", "bị lặp")
        keys.add(str(item.get("key")))
    for key in ["competent_unit"]:
        if version.get(key) is not None and version.get(key) not in unit_keys:
            problems.add(version, f"{path}.{key}", f"đơn vị {version.get(key)!r} không tồn tại")
    for key in ["implementing_units", "coordinating_units"]:
        for unit in _expect_list(version, key, path, problems):
            if unit not in unit_keys:
                problems.add(version, f"{path}.{key}", f"đơn vị {unit!r} không tồn tại")
    for applicant in _expect_list(version, "applicant_types", path, problems):
        if applicant not in ApplicantType.values:
            problems.add(
                version, f"{path}.applicant_types", f"đối tượng {applicant!r} không hợp lệ"
            )
    for key in ["results", "steps", "unconfirmed"]:
        if any(not isinstance(item, str) for item in _expect_list(version, key, path, problems)):
            problems.add(version, f"{path}.{key}", "phải là danh sách chuỗi")
    for index, basis in enumerate(_expect_list(version, "legal_basis", path, problems)):
        if not isinstance(basis, dict) or not basis.get("document"):
            problems.add(version, f"{path}.legal_basis[{index}]", "cần có trường “document”")
    kinds: set[str] = set()
    for index, channel in enumerate(_expect_list(version, "channels", path, problems)):
        cpath = f"{path}.channels[{index}]"
        if not _expect_dict(channel, cpath, problems, version):
            continue
        _check_choice(channel, "kind", list(ChannelKind.values), cpath, problems)
        if channel.get("kind") in kinds:
            problems.add(channel, f"{cpath}.kind", "hình thức nộp bị lặp")
        kinds.add(channel.get("kind", ""))
        _check_choice(channel, "time_kind", list(TimeKind.values), cpath, problems)
        needs_amount = channel.get("time_kind") in (
            TimeKind.WORKING_DAYS,
            TimeKind.WORKING_HOURS,
            TimeKind.CALENDAR_DAYS,
        )
        _parse_decimal(
            channel, "time_amount", cpath, problems, required=needs_amount, positive=True
        )
        if channel.get("cutoff") is not None:
            try:
                dt.time.fromisoformat(str(channel["cutoff"]))
            except ValueError:
                problems.add(channel, f"{cpath}.cutoff", "giờ không hợp lệ (HH:MM)")
        _check_text(channel, "cutoff_basis", cpath, problems, max_length=300)
        for fee_index, fee in enumerate(_expect_list(channel, "fees", cpath, problems)):
            _validate_fee(fee, f"{cpath}.fees[{fee_index}]", problems)
    for index, component in enumerate(_expect_list(version, "components", path, problems)):
        cpath = f"{path}.components[{index}]"
        if not _expect_dict(component, cpath, problems, version):
            continue
        _check_text(component, "name", cpath, problems, required=True, max_length=500)
        _check_int(component, "order", cpath, problems)
        _check_int(component, "originals", cpath, problems)
        _check_int(component, "copies", cpath, problems)
        for form_index, form in enumerate(_expect_list(component, "forms", cpath, problems)):
            fpath = f"{cpath}.forms[{form_index}]"
            if _expect_dict(form, fpath, problems, component):
                _check_text(form, "key", fpath, problems, required=True, max_length=80)
                _check_text(form, "title", fpath, problems, required=True, max_length=300)
    orders: set[int] = set()
    for index, step in enumerate(_expect_list(version, "process", path, problems)):
        spath = f"{path}.process[{index}]"
        if not _expect_dict(step, spath, problems, version):
            continue
        _check_int(step, "order", spath, problems, required=True)
        if step.get("order") in orders:
            problems.add(step, f"{spath}.order", "thứ tự bước bị lặp")
        orders.add(step.get("order", -1))
        _check_text(step, "name", spath, problems, required=True)
        _check_choice(step, "role", list(Role.values), spath, problems)
        if step.get("unit") is not None and step["unit"] not in unit_keys:
            problems.add(step, f"{spath}.unit", f"đơn vị {step['unit']!r} không tồn tại")
        _parse_decimal(step, "allowance", spath, problems, required=True, positive=True)


def validate_catalog(data: Any) -> list[str]:
    problems = Problems()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return [f'tệp không phải danh mục egov (cần "format": "{FORMAT}")']
    if data.get("format_version") != FORMAT_VERSION:
        return [f"phiên bản định dạng {data.get('format_version')!r} không được hỗ trợ"]
    field_codes = set(ProcedureField.objects.values_list("code", flat=True))
    for index, item in enumerate(_expect_list(data, "fields", "", problems)):
        path = f"fields[{index}]"
        if _expect_dict(item, path, problems, data):
            _check_text(item, "code", path, problems, required=True, max_length=60)
            _check_text(item, "name", path, problems, required=True, max_length=200)
            field_codes.add(item.get("code", ""))
    unit_keys = set(Unit.objects.values_list("key", flat=True))
    from egov.catalog.models import Procedure

    key_of_code = dict(
        Procedure.objects.exclude(national_code=None).values_list("national_code", "key")
    )
    keys: set[str] = set()
    codes: set[str] = set()
    for index, procedure in enumerate(_expect_list(data, "procedures", "", problems)):
        path = f"procedures[{index}]"
        if not _expect_dict(procedure, path, problems, data):
            continue
        _check_text(procedure, "key", path, problems, required=True, max_length=80)
        if procedure.get("key") in keys:
            problems.add(procedure, f"{path}.key", "khóa bị lặp trong tệp")
        keys.add(procedure.get("key", ""))
        code = procedure.get("national_code")
        if code is not None:
            _check_text(procedure, "national_code", path, problems, max_length=20)
            if code in codes:
                problems.add(procedure, f"{path}.national_code", "mã thủ tục bị lặp trong tệp")
            if key_of_code.get(code, procedure.get("key")) != procedure.get("key"):
                problems.add(
                    procedure,
                    f"{path}.national_code",
                    f"mã {code} đã thuộc thủ tục “{key_of_code[code]}” trong cơ sở dữ liệu",
                )
            codes.add(code)
        numbers: set[int] = set()
        drafts = 0
        for v_index, version in enumerate(_expect_list(procedure, "versions", path, problems)):
            vpath = f"{path}.versions[{v_index}]"
            _validate_version(version, vpath, problems, field_codes, unit_keys)
            if isinstance(version, dict):
                if version.get("number") in numbers:
                    problems.add(version, f"{vpath}.number", "số phiên bản bị lặp")
                numbers.add(version.get("number", -1))
                drafts += version.get("status") == VersionStatus.DRAFT
        if drafts > 1:
            problems.add(procedure, path, "chỉ được có một bản nháp")
    return problems.errors
