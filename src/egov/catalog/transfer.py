"""Catalog export/import as JSON (moving catalogs between environments).

The format is the same one the seed catalog is written in. Export is canonical (stable
ordering, decimals as strings, open validity ends as null), so export → import into an empty
database → export gives the same document. Import validates the whole file first and
reports every error with its line number; with any error nothing is written. Re-importing
an unchanged file changes nothing; a published version is never rewritten (publish a new
version number instead).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from json import decoder as json_decoder
from json import scanner as json_scanner
from typing import Any

from egov.accounts.models import Role
from egov.catalog.models import (
    ApplicantCategory,
    ApplicantType,
    Channel,
    ChannelKind,
    Component,
    FeeKind,
    FeeRule,
    FormTemplate,
    ImplementingLevel,
    OnlineService,
    Procedure,
    ProcedureField,
    ProcedureVersion,
    ProcessStep,
    ServiceLevel,
    SupplementClock,
    TimeKind,
    VersionStatus,
)
from egov.core.validity import OPEN_END, OPEN_START
from egov.org.models import Unit

FORMAT = "egov-catalog"
FORMAT_VERSION = 1


# --- reading JSON with line numbers ----------------------------------------------------
class LineDict(dict[str, Any]):
    line: int = 0


def loads_with_lines(text: str) -> Any:
    """``json.loads`` whose objects are ``LineDict`` carrying the line they start on."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    decoder = json.JSONDecoder()

    def parse_object(
        s_and_end: tuple[str, int], strict: bool, scan_once: Any, object_hook: Any,
        object_pairs_hook: Any, memo: Any = None, _w: Any = json_decoder.WHITESPACE.match,
    ) -> tuple[LineDict, int]:
        start = s_and_end[1]
        obj, end = json_decoder.JSONObject(
            s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo, _w
        )
        result = LineDict(obj)
        result.line = bisect.bisect_left(newlines, start) + 1
        return result, end

    decoder.parse_object = parse_object  # type: ignore[assignment]
    decoder.scan_once = json_scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder.decode(text)


# --- export ----------------------------------------------------------------------------
def _date_out(value: dt.date, sentinel: dt.date) -> str | None:
    return None if value == sentinel else value.isoformat()


def _decimal_out(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def version_to_dict(version: ProcedureVersion) -> dict[str, Any]:
    """Canonical form of one version (used for export, comparison and copying)."""
    return {
        "number": version.number,
        "status": version.status,
        "valid_from": _date_out(version.valid_from, OPEN_START),
        "valid_until": _date_out(version.valid_until, OPEN_END),
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "name": version.name,
        "field": version.field.code,
        "implementing_level": version.implementing_level,
        "competent_unit": version.competent_unit.key if version.competent_unit else None,
        "implementing_units": sorted(u.key for u in version.implementing_units.all()),
        "coordinating_units": sorted(u.key for u in version.coordinating_units.all()),
        "applicant_types": list(version.applicant_types),
        "requirements": version.requirements,
        "results": list(version.results),
        "legal_basis": list(version.legal_basis),
        "steps": list(version.steps),
        "online_service": version.online_service,
        "service_level": version.service_level,
        "supplement_clock": version.supplement_clock,
        "unconfirmed": list(version.unconfirmed),
        "sources": version.sources,
        "change_note": version.change_note,
        "channels": [
            {
                "kind": channel.kind,
                "time_kind": channel.time_kind,
                "time_amount": _decimal_out(channel.time_amount),
                "cutoff": channel.cutoff.strftime("%H:%M") if channel.cutoff else None,
                "time_note": channel.time_note,
                "fees": [_fee_to_dict(fee) for fee in channel.fees.all()],
            }
            for channel in sorted(version.channels.all(), key=lambda c: list(ChannelKind.values).index(c.kind))
        ],
        "components": [
            {
                "order": component.order,
                "name": component.name,
                "originals": component.originals,
                "copies": component.copies,
                "required": component.required,
                "condition": component.condition,
                "note": component.note,
                "forms": [
                    {"key": form.key, "title": form.title, "spec": form.spec}
                    for form in component.forms.all()
                ],
            }
            for component in version.components.all()
        ],
        "process": [
            {
                "order": step.order,
                "name": step.name,
                "role": step.role,
                "unit": step.unit.key if step.unit else None,
                "allowance": _decimal_out(step.allowance),
                "note": step.note,
            }
            for step in version.process_steps.all()
        ],
    }


_FEE_FIELDS = (
    "name", "kind", "amount", "first_pages", "first_page_rate", "later_page_rate",
    "cap_per_copy", "included_copies", "extra_copy_amount", "category_amounts",
    "exempt_categories", "legal_basis", "note",
)


def _fee_to_dict(fee: FeeRule) -> dict[str, Any]:
    return {name: getattr(fee, name) for name in _FEE_FIELDS}


def _versions_queryset() -> Any:
    return ProcedureVersion.objects.select_related(
        "field", "competent_unit", "procedure"
    ).prefetch_related(
        "implementing_units", "coordinating_units", "channels__fees", "components__forms",
        "process_steps__unit",
    )


def export_catalog() -> dict[str, Any]:
    from django.conf import settings

    versions_by_procedure: dict[int, list[ProcedureVersion]] = {}
    for version in _versions_queryset().order_by("procedure_id", "number"):
        versions_by_procedure.setdefault(version.procedure_id, []).append(version)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "province_code": settings.EGOV_PROVINCE_CODE,
        "fields": [
            {"code": f.code, "name": f.name, "order": f.order}
            for f in ProcedureField.objects.order_by("order", "code")
        ],
        "procedures": [
            {
                "key": procedure.key,
                "national_code": procedure.national_code,
                "versions": [version_to_dict(v) for v in versions_by_procedure.get(procedure.pk, [])],
            }
            for procedure in Procedure.objects.order_by("key")
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


# --- validation --------------------------------------------------------------------------
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


def _check_choice(obj: dict[str, Any], key: str, choices: list[Any], path: str,
                  problems: Problems, *, required: bool = True) -> None:
    value = obj.get(key)
    if value is None and not required:
        return
    if value not in choices:
        allowed = ", ".join(str(c) for c in choices)
        problems.add(obj, f"{path}.{key}", f"giá trị {value!r} không hợp lệ (chọn: {allowed})")


def _check_text(obj: dict[str, Any], key: str, path: str, problems: Problems,
                *, required: bool = False, max_length: int | None = None) -> None:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            problems.add(obj, f"{path}.{key}", "bắt buộc, không được để trống")
        return
    if not isinstance(value, str):
        problems.add(obj, f"{path}.{key}", "phải là chuỗi ký tự")
    elif max_length and len(value) > max_length:
        problems.add(obj, f"{path}.{key}", f"dài quá {max_length} ký tự")


def _check_int(obj: dict[str, Any], key: str, path: str, problems: Problems,
               *, required: bool = False) -> None:
    value = obj.get(key)
    if value is None:
        if required:
            problems.add(obj, f"{path}.{key}", "bắt buộc")
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.add(obj, f"{path}.{key}", f"phải là số nguyên không âm, không phải {value!r}")


def _parse_decimal(obj: dict[str, Any], key: str, path: str, problems: Problems,
                   *, required: bool = False, positive: bool = False) -> Decimal | None:
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


def _validate_fee(fee: Any, path: str, problems: Problems) -> None:
    if not _expect_dict(fee, path, problems, fee):
        return
    _check_text(fee, "name", path, problems, required=True, max_length=200)
    _check_choice(fee, "kind", list(FeeKind.values), path, problems)
    for name in ("amount", "first_pages", "first_page_rate", "later_page_rate", "cap_per_copy",
                 "included_copies", "extra_copy_amount"):
        _check_int(fee, name, path, problems)
    kind = fee.get("kind")
    if kind == FeeKind.PER_PAGE and (fee.get("first_pages") is None or fee.get("first_page_rate") is None):
        problems.add(fee, path, "cách tính theo trang cần first_pages và first_page_rate")
    amounts = fee.get("category_amounts", {})
    if not isinstance(amounts, dict) or any(
        c not in ApplicantCategory.values or not isinstance(a, int) or a < 0 for c, a in amounts.items()
    ):
        problems.add(fee, f"{path}.category_amounts", "đối tượng hoặc mức thu không hợp lệ")
    exempt = fee.get("exempt_categories", [])
    if not isinstance(exempt, list) or any(c not in ApplicantCategory.values for c in exempt):
        problems.add(fee, f"{path}.exempt_categories", "đối tượng không hợp lệ")


def _validate_version(version: Any, path: str, problems: Problems, field_codes: set[str],
                      unit_keys: set[str]) -> None:
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
        problems.add(version, f"{path}.field", f"lĩnh vực {version.get('field')!r} không có trong tệp hay cơ sở dữ liệu")
    _check_choice(version, "implementing_level", list(ImplementingLevel.values), path, problems)
    _check_choice(version, "online_service", list(OnlineService.values), path, problems)
    _check_choice(version, "service_level", list(ServiceLevel.values), path, problems)
    _check_choice(version, "supplement_clock", list(SupplementClock.values), path, problems, required=False)
    for key in ["competent_unit"]:
        if version.get(key) is not None and version.get(key) not in unit_keys:
            problems.add(version, f"{path}.{key}", f"đơn vị {version.get(key)!r} không tồn tại")
    for key in ["implementing_units", "coordinating_units"]:
        for unit in _expect_list(version, key, path, problems):
            if unit not in unit_keys:
                problems.add(version, f"{path}.{key}", f"đơn vị {unit!r} không tồn tại")
    for applicant in _expect_list(version, "applicant_types", path, problems):
        if applicant not in ApplicantType.values:
            problems.add(version, f"{path}.applicant_types", f"đối tượng {applicant!r} không hợp lệ")
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
            TimeKind.WORKING_DAYS, TimeKind.WORKING_HOURS, TimeKind.CALENDAR_DAYS
        )
        _parse_decimal(channel, "time_amount", cpath, problems, required=needs_amount, positive=True)
        if channel.get("cutoff") is not None:
            try:
                dt.time.fromisoformat(str(channel["cutoff"]))
            except ValueError:
                problems.add(channel, f"{cpath}.cutoff", "giờ không hợp lệ (HH:MM)")
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
        return [f"tệp không phải danh mục egov (cần \"format\": \"{FORMAT}\")"]
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


# --- import ------------------------------------------------------------------------------
@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    touched_versions: list[int] = field(default_factory=list)


def apply_version_content(version: ProcedureVersion, data: dict[str, Any]) -> None:
    """Writes ``data`` (the canonical dict) into ``version`` and replaces its children."""
    units = {u.key: u for u in Unit.objects.filter(key__in=_unit_keys_of(data))}
    version.name = data["name"]
    version.field = ProcedureField.objects.get(code=data["field"])
    version.implementing_level = data["implementing_level"]
    version.competent_unit = units.get(data.get("competent_unit") or "")
    version.applicant_types = list(data.get("applicant_types", []))
    version.requirements = data.get("requirements", "")
    version.results = list(data.get("results", []))
    version.legal_basis = list(data.get("legal_basis", []))
    version.steps = list(data.get("steps", []))
    version.online_service = data["online_service"]
    version.service_level = data.get("service_level", ServiceLevel.LEVEL_2)
    version.supplement_clock = data.get("supplement_clock") or SupplementClock.UNKNOWN
    version.unconfirmed = list(data.get("unconfirmed", []))
    version.sources = data.get("sources", "")
    version.change_note = data.get("change_note", "")
    version.save()
    version.implementing_units.set([units[k] for k in data.get("implementing_units", [])])
    version.coordinating_units.set([units[k] for k in data.get("coordinating_units", [])])
    version.channels.all().delete()
    version.components.all().delete()
    version.process_steps.all().delete()
    for channel_data in data.get("channels", []):
        channel = Channel.objects.create(
            version=version,
            kind=channel_data["kind"],
            time_kind=channel_data["time_kind"],
            time_amount=(
                Decimal(str(channel_data["time_amount"]))
                if channel_data.get("time_amount") is not None else None
            ),
            cutoff=dt.time.fromisoformat(channel_data["cutoff"]) if channel_data.get("cutoff") else None,
            time_note=channel_data.get("time_note", ""),
        )
        FeeRule.objects.bulk_create(
            FeeRule(
                channel=channel,
                order=order,
                **{name: fee.get(name, _fee_default(name)) for name in _FEE_FIELDS},
            )
            for order, fee in enumerate(channel_data.get("fees", []))
        )
    for component_data in data.get("components", []):
        component = Component.objects.create(
            version=version,
            order=component_data.get("order", 0),
            name=component_data["name"],
            originals=component_data.get("originals"),
            copies=component_data.get("copies"),
            required=bool(component_data.get("required", True)),
            condition=component_data.get("condition", ""),
            note=component_data.get("note", ""),
        )
        FormTemplate.objects.bulk_create(
            FormTemplate(component=component, key=form["key"], title=form["title"], spec=form.get("spec", {}))
            for form in component_data.get("forms", [])
        )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            version=version,
            order=step["order"],
            name=step["name"],
            role=step["role"],
            unit=units.get(step.get("unit") or ""),
            allowance=Decimal(str(step["allowance"])),
            note=step.get("note", ""),
        )
        for step in data.get("process", [])
    )


def _fee_default(name: str) -> Any:
    if name == "category_amounts":
        return {}
    if name == "exempt_categories":
        return []
    if name in ("legal_basis", "note"):
        return ""
    return None


def _unit_keys_of(data: dict[str, Any]) -> set[str]:
    keys = set(data.get("implementing_units", [])) | set(data.get("coordinating_units", []))
    if data.get("competent_unit"):
        keys.add(data["competent_unit"])
    keys |= {step["unit"] for step in data.get("process", []) if step.get("unit")}
    return keys


def _set_lifecycle(version: ProcedureVersion, data: dict[str, Any]) -> None:
    version.status = data.get("status", VersionStatus.DRAFT)
    version.valid_from = dt.date.fromisoformat(data["valid_from"]) if data.get("valid_from") else OPEN_START
    version.valid_until = dt.date.fromisoformat(data["valid_until"]) if data.get("valid_until") else OPEN_END
    version.published_at = (
        dt.datetime.fromisoformat(data["published_at"]) if data.get("published_at") else None
    )


def _plain(value: Any) -> Any:
    """LineDict → dict recursively (for comparisons and JSONField values)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _normalised(version_data: dict[str, Any]) -> dict[str, Any]:
    """The incoming version as the canonical export would write it."""
    data = _plain(version_data)
    for key, default in (("valid_from", None), ("valid_until", None), ("published_at", None),
                         ("competent_unit", None), ("requirements", ""), ("sources", ""),
                         ("change_note", ""), ("supplement_clock", SupplementClock.UNKNOWN),
                         ("status", VersionStatus.DRAFT), ("service_level", ServiceLevel.LEVEL_2)):
        data.setdefault(key, default)
    for key in ("applicant_types", "results", "legal_basis", "steps", "unconfirmed",
                "channels", "components", "process", "implementing_units", "coordinating_units"):
        data.setdefault(key, [])
    data["implementing_units"] = sorted(data["implementing_units"])
    data["coordinating_units"] = sorted(data["coordinating_units"])
    if data["published_at"]:
        data["published_at"] = dt.datetime.fromisoformat(data["published_at"]).isoformat()
    channel_order = list(ChannelKind.values)
    data["channels"] = sorted(data["channels"], key=lambda c: channel_order.index(c["kind"]))
    data["channels"] = [
        {
            "kind": channel["kind"],
            "time_kind": channel["time_kind"],
            "time_amount": (
                _decimal_out(Decimal(str(channel["time_amount"])))
                if channel.get("time_amount") is not None else None
            ),
            "cutoff": channel.get("cutoff"),
            "time_note": channel.get("time_note", ""),
            "fees": [{name: fee.get(name, _fee_default(name)) for name in _FEE_FIELDS}
                     for fee in channel.get("fees", [])],
        }
        for channel in data["channels"]
    ]
    data["components"] = sorted(
        (
            {
                "order": component.get("order", 0),
                "name": component["name"],
                "originals": component.get("originals"),
                "copies": component.get("copies"),
                "required": component.get("required", True),
                "condition": component.get("condition", ""),
                "note": component.get("note", ""),
                "forms": [{"key": f["key"], "title": f["title"], "spec": f.get("spec", {})}
                          for f in component.get("forms", [])],
            }
            for component in data["components"]
        ),
        key=lambda c: c["order"],
    )
    data["process"] = sorted(
        (
            {
                "order": step["order"],
                "name": step["name"],
                "role": step["role"],
                "unit": step.get("unit"),
                "allowance": _decimal_out(Decimal(str(step["allowance"]))),
                "note": step.get("note", ""),
            }
            for step in data["process"]
        ),
        key=lambda s: s["order"],
    )
    ordered = {key: data.get(key) for key in version_to_dict_keys()}
    return ordered


def version_to_dict_keys() -> list[str]:
    return [
        "number", "status", "valid_from", "valid_until", "published_at", "name", "field",
        "implementing_level", "competent_unit", "implementing_units", "coordinating_units",
        "applicant_types", "requirements", "results", "legal_basis", "steps", "online_service",
        "service_level", "supplement_clock", "unconfirmed", "sources", "change_note", "channels",
        "components", "process",
    ]


def import_catalog(data: Any) -> ImportResult:
    """Validate, then write everything in one transaction (callers wrap it with audit)."""
    errors = validate_catalog(data)
    if errors:
        raise CatalogImportError(errors)
    result = ImportResult()
    for item in data.get("fields", []):
        ProcedureField.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "order": item.get("order", 0)}
        )
    for procedure_data in data.get("procedures", []):
        procedure, _created = Procedure.objects.get_or_create(
            key=procedure_data["key"], defaults={"national_code": procedure_data.get("national_code")}
        )
        if procedure.national_code != procedure_data.get("national_code"):
            procedure.national_code = procedure_data.get("national_code")
            procedure.save(update_fields=["national_code"])
        existing = {v.number: v for v in _versions_queryset().filter(procedure=procedure)}
        for version_data in procedure_data.get("versions", []):
            incoming = _normalised(version_data)
            current = existing.get(incoming["number"])
            if current is None:
                version = ProcedureVersion(procedure=procedure, number=incoming["number"])
                _set_lifecycle(version, incoming)
                apply_version_content(version, incoming)
                result.created += 1
                result.touched_versions.append(version.pk)
                continue
            if version_to_dict(current) == incoming:
                result.unchanged += 1
                continue
            if current.status != VersionStatus.DRAFT:
                raise CatalogImportError([
                    f"{procedure.key} phiên bản {current.number}: đã công bố với nội dung khác — "
                    "không ghi đè phiên bản đã công bố; hãy dùng số phiên bản mới"
                ])
            _set_lifecycle(current, incoming)
            apply_version_content(current, incoming)
            result.updated += 1
            result.touched_versions.append(current.pk)
    return result
