"""Writes to the organisation registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from egov.audit.services import audit_record
from egov.core.validity import OPEN_END, OPEN_START
from egov.org.models import (
    DATA_KEY_RE,
    GSO_CODE_RE,
    UNIT_CODE_RE,
    AdministrativeArea,
    AreaKind,
    AreaLevel,
    Unit,
    UnitKind,
    parent_code,
)


class DatasetError(Exception):
    """A data file has errors; every one of them is listed, nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    created_keys: set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _parse_date(value: Any, default: dt.date, where: str, errors: list[str]) -> dt.date:
    if value in (None, ""):
        return default
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.append(f"{where}: ngày không hợp lệ {value!r} (cần YYYY-MM-DD)")
        return default


def _check_required(
    row: dict[str, Any], names: tuple[str, ...], where: str, errors: list[str]
) -> None:
    for name in names:
        if not row.get(name):
            errors.append(f"{where}: thiếu trường bắt buộc “{name}”")


def _check_key(row: dict[str, Any], where: str, errors: list[str]) -> None:
    if row.get("key") and not DATA_KEY_RE.fullmatch(str(row["key"])):
        errors.append(f"{where}: khóa “{row['key']}” chỉ được gồm a-z, 0-9, dấu chấm, gạch nối")


def _area_fields(row: dict[str, Any], where: str, errors: list[str]) -> dict[str, Any]:
    _check_required(row, ("key", "name", "kind", "level"), where, errors)
    _check_key(row, where, errors)
    if row.get("kind") and row["kind"] not in AreaKind.values:
        errors.append(f"{where}: loại “{row['kind']}” không hợp lệ")
    if row.get("level") and row["level"] not in AreaLevel.values:
        errors.append(f"{where}: cấp “{row['level']}” không hợp lệ")
    values: dict[str, Any] = {
        "name": str(row.get("name", "")),
        "kind": str(row.get("kind", "")),
        "level": str(row.get("level", "")),
        "valid_from": _parse_date(row.get("valid_from"), OPEN_START, where, errors),
        "valid_until": _parse_date(row.get("valid_until"), OPEN_END, where, errors),
        "confirmed": bool(row.get("confirmed", True)),
        "gso_code": str(row.get("gso_code") or ""),
        "source": str(row.get("source", "")),
        "notes": str(row.get("notes", "")),
    }
    gso = values["gso_code"]
    if gso and not GSO_CODE_RE.fullmatch(gso):
        errors.append(f"{where}: mã thống kê “{gso}” phải gồm 2, 3 hoặc 5 chữ số")
    if values["valid_until"] <= values["valid_from"]:
        errors.append(f"{where}: ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực")
    return values


def _unit_fields(row: dict[str, Any], where: str, errors: list[str]) -> dict[str, Any]:
    _check_required(row, ("key", "name", "kind"), where, errors)
    _check_key(row, where, errors)
    if row.get("kind") and row["kind"] not in UnitKind.values:
        errors.append(f"{where}: loại đơn vị “{row['kind']}” không hợp lệ")
    code = row.get("code") or None
    if code is not None and not UNIT_CODE_RE.fullmatch(str(code)):
        errors.append(f"{where}: mã định danh “{code}” sai cấu trúc QCVN 102:2016")
    values: dict[str, Any] = {
        "code": code,
        "code_confirmed": bool(row.get("code_confirmed", False)),
        "code_placeholder": bool(row.get("code_placeholder", False)),
        "name": str(row.get("name", "")),
        "short_name": str(row.get("short_name", "")),
        "kind": str(row.get("kind", "")),
        "valid_from": _parse_date(row.get("valid_from"), OPEN_START, where, errors),
        "valid_until": _parse_date(row.get("valid_until"), OPEN_END, where, errors),
        "address": str(row.get("address", "")),
        "phone": str(row.get("phone", "")),
        "email": str(row.get("email", "")),
        "source": str(row.get("source", "")),
        "notes": str(row.get("notes", "")),
    }
    if values["code_placeholder"] and values["code_confirmed"]:
        errors.append(f"{where}: mã tạm (code_placeholder) không thể là mã đã xác nhận")
    if values["valid_until"] <= values["valid_from"]:
        errors.append(f"{where}: ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực")
    return values


def _previous_keys(row: dict[str, Any], where: str, errors: list[str]) -> list[str]:
    """The keys the row had before (``previous_keys``): a row found under one of them is
    renamed, so it keeps its identity — dossiers, roles and counters that point to it."""
    keys = row.get("previous_keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
        errors.append(f"{where}: “previous_keys” phải là danh sách khóa")
        return []
    return keys


def _upsert(
    model: type[Any],
    key: str,
    values: dict[str, Any],
    result: LoadResult,
    previous: list[str] | None = None,
) -> Any:
    obj = model.objects.filter(key=key).first()
    if obj is None and previous:
        obj = model.objects.filter(key__in=previous).first()
        if obj is not None:
            values = {**values, "key": key}
    if obj is None:
        obj = model(key=key, **values)
        obj.save()
        result.created += 1
        result.created_keys.add(f"{model.__name__}:{key}")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return obj


def org_load_dataset(
    *, data: dict[str, Any], actor: AbstractBaseUser | None, source_name: str = ""
) -> LoadResult:
    """Create or update areas and units from one versioned data file (idempotent).

    The whole file is validated first; with any error nothing is written and every
    error is reported (``DatasetError``).
    """
    errors: list[str] = []
    areas = data.get("areas", [])
    units = data.get("units", [])
    if not isinstance(areas, list) or not isinstance(units, list):
        raise DatasetError(["“areas” và “units” phải là danh sách"])
    area_rows: list[tuple[str, str | None, dict[str, Any]]] = []
    unit_rows: list[tuple[str, str | None, str | None, dict[str, Any]]] = []
    renamed: dict[str, list[str]] = {}
    file_area_keys: set[str] = set()
    file_unit_keys: set[str] = set()
    for index, row in enumerate(areas):
        where = f"areas[{index}] ({row.get('key', '?')})"
        values = _area_fields(row, where, errors)
        key = str(row.get("key", ""))
        if key in file_area_keys:
            errors.append(f"{where}: khóa bị trùng trong tệp")
        file_area_keys.add(key)
        area_rows.append((key, row.get("parent"), values))
    codes_in_file: dict[str, str] = {}
    for index, row in enumerate(units):
        where = f"units[{index}] ({row.get('key', '?')})"
        values = _unit_fields(row, where, errors)
        key = str(row.get("key", ""))
        if key in file_unit_keys:
            errors.append(f"{where}: khóa bị trùng trong tệp")
        file_unit_keys.add(key)
        previous = _previous_keys(row, where, errors)
        if previous:
            renamed[key] = previous
        if values["code"]:
            if values["code"] in codes_in_file:
                owner = codes_in_file[values["code"]]
                errors.append(f"{where}: mã định danh {values['code']} đã dùng cho {owner}")
            codes_in_file[values["code"]] = key
        unit_rows.append((key, row.get("parent"), row.get("area"), values))
    known_areas = file_area_keys | set(AdministrativeArea.objects.values_list("key", flat=True))
    known_units = file_unit_keys | set(Unit.objects.values_list("key", flat=True))
    for key, parent, _values in area_rows:
        if parent and parent not in known_areas:
            errors.append(f"areas ({key}): đơn vị hành chính cấp trên “{parent}” không tồn tại")
    for key, parent, area, _values in unit_rows:
        if parent and parent not in known_units:
            errors.append(f"units ({key}): đơn vị cấp trên “{parent}” không tồn tại")
        if area and area not in known_areas:
            errors.append(f"units ({key}): địa bàn “{area}” không tồn tại")
    existing_keys = set(Unit.objects.values_list("key", flat=True))
    for key, previous in renamed.items():
        found = [old for old in previous if old in existing_keys]
        if (key in existing_keys and found) or len(found) > 1:
            names = ", ".join([key, *found] if key in existing_keys else found)
            errors.append(f"units ({key}): nhiều đơn vị cùng ứng với khóa mới và khóa cũ: {names}")
    taken = dict(Unit.objects.exclude(code=None).values_list("code", "key"))
    for code, key in codes_in_file.items():
        owner = taken.get(code, key)
        if owner != key and owner not in renamed.get(key, []):
            errors.append(f"units ({key}): mã định danh {code} đã thuộc đơn vị {taken[code]}")
    errors += _nesting_errors(unit_rows)
    if errors:
        raise DatasetError(errors)

    result = LoadResult()
    with transaction.atomic():
        area_objs: dict[str, AdministrativeArea] = {}
        for key, _parent, values in area_rows:
            area_objs[key] = _upsert(AdministrativeArea, key, values, result)
        for key, parent, _values in area_rows:
            parent_obj = _resolve(AdministrativeArea, area_objs, parent)
            _set_link(area_objs[key], "parent", parent_obj, result)
        unit_objs: dict[str, Unit] = {}
        for key, _parent, _area, values in unit_rows:
            unit_objs[key] = _upsert(Unit, key, values, result, renamed.get(key))
        for key, parent, area, _values in unit_rows:
            _set_link(unit_objs[key], "parent", _resolve(Unit, unit_objs, parent), result)
            _set_link(unit_objs[key], "area", _resolve(AdministrativeArea, area_objs, area), result)
        loaded: list[Any] = [*area_objs.values(), *unit_objs.values()]
        for obj in loaded:
            try:
                obj.full_clean(validate_unique=False)
            except ValidationError as exc:
                raise DatasetError([f"{obj.key}: {exc}"]) from None
        if result.changed:
            audit_record(
                actor=actor,
                action="org.dataset_loaded",
                object_type="org.dataset",
                object_id=str(data.get("dataset", ""))[:64],
                object_repr=str(data.get("title", source_name))[:255],
                details={"created": result.created, "updated": result.updated},
            )
    return result


def _nesting_errors(
    unit_rows: list[tuple[str, str | None, str | None, dict[str, Any]]],
) -> list[str]:
    """A unit code nests in its parent unit's code (QCVN 102:2016/BTTTT): the code of a unit
    with a coded parent must be one level below that parent's code."""
    codes = dict(Unit.objects.values_list("key", "code"))
    for key, _parent, _area, values in unit_rows:
        codes[key] = values["code"]
    errors: list[str] = []
    for key, parent, _area, values in unit_rows:
        code = values["code"]
        parent_unit_code = codes.get(parent) if parent else None
        if code and parent_unit_code and parent_code(code) != parent_unit_code:
            errors.append(
                f"units ({key}): mã định danh {code} thuộc mã cấp trên {parent_code(code)}, "
                f"không khớp mã {parent_unit_code} của đơn vị cấp trên “{parent}” "
                "(QCVN 102:2016: mã cấp dưới lồng trong mã cấp trên)"
            )
    return errors


def _resolve(model: type[Any], loaded: dict[str, Any], key: str | None) -> Any:
    if not key:
        return None
    return loaded.get(key) or model.objects.get(key=key)


def _set_link(obj: Any, name: str, target: Any, result: LoadResult) -> None:
    current_id = getattr(obj, f"{name}_id")
    target_id = target.pk if target is not None else None
    if current_id != target_id:
        setattr(obj, name, target)
        obj.save(update_fields=[name])
        # A link set right after creation belongs to the same "created" row.
        if f"{type(obj).__name__}:{obj.key}" not in result.created_keys:
            result.updated += 1
