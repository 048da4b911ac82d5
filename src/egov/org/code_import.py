"""Official unit codes (mã định danh) from the province's decision, written into a data file.

The organisation data files are the source of truth (``load_org`` loads them idempotently), so
the codes a decision issues go into the file, replacing the placeholders egov invented: the
file then says which decision each code comes from, and loading it again changes nothing.

The decision's table is a UTF-8 CSV with a header row and two columns: ``code`` (the unit
code, QCVN 102:2016) and either ``key`` (the data key of the unit, e.g.
``qn.x.hong-gai.ttpvhcc``) or ``name`` (the unit's name exactly as in the data file).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from egov.org.models import UNIT_CODE_RE, parent_code


@dataclass(frozen=True)
class CodeImport:
    data: dict[str, Any]
    changed: int
    errors: list[str]


def read_code_table(lines: Iterable[str]) -> list[dict[str, str]]:
    """The rows of the decision's table (header ``code`` plus ``key`` or ``name``)."""
    reader = csv.DictReader(lines)
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]


def apply_unit_codes(
    data: dict[str, Any], table: list[dict[str, str]], decision: str
) -> CodeImport:
    """``data`` with the codes of ``table`` set as confirmed codes from ``decision``; every
    problem is listed in ``errors`` (then nothing should be written)."""
    errors: list[str] = []
    if not decision.strip():
        errors.append("Thiếu số, ngày của quyết định cấp mã (--decision).")
    units: list[dict[str, Any]] = [dict(row) for row in data.get("units", [])]
    by_key = {str(u.get("key")): u for u in units}
    by_name: dict[str, list[dict[str, Any]]] = {}
    for candidate in units:
        by_name.setdefault(str(candidate.get("name", "")), []).append(candidate)
    seen: dict[str, str] = {}
    changed = 0
    for number, row in enumerate(table, start=2):
        where = f"dòng {number}"
        code = row.get("code", "")
        if not UNIT_CODE_RE.fullmatch(code):
            errors.append(f"{where}: mã định danh “{code}” sai cấu trúc QCVN 102:2016")
            continue
        if row.get("key"):
            found = by_key.get(row["key"])
            if found is None:
                errors.append(f"{where}: không có đơn vị khóa “{row['key']}” trong tệp dữ liệu")
                continue
            unit = found
        else:
            matches = by_name.get(row.get("name", ""), [])
            if len(matches) != 1:
                problem = "không có" if not matches else "có nhiều"
                errors.append(f"{where}: {problem} đơn vị tên “{row.get('name', '')}”")
                continue
            unit = matches[0]
        if code in seen:
            errors.append(f"{where}: mã {code} đã cấp cho {seen[code]} ở dòng trước")
            continue
        seen[code] = str(unit["key"])
        if unit.get("code") == code and unit.get("code_confirmed"):
            continue
        unit["code"] = code
        unit["code_confirmed"] = True
        unit["code_placeholder"] = False
        unit["source"] = f"Mã định danh theo {decision.strip()}; " + str(unit.get("source", ""))
        changed += 1
    codes = {str(u["key"]): u.get("code") for u in units}
    owners: dict[str, str] = {}
    for unit in units:
        unit_code = unit.get("code")
        if not unit_code:
            continue
        code = str(unit_code)
        if code in owners:
            errors.append(f"mã {code} trùng giữa {owners[code]} và {unit['key']}")
        owners[code] = str(unit["key"])
        parent = codes.get(str(unit.get("parent", "")))
        if parent and parent_code(code) != parent:
            errors.append(
                f"{unit['key']}: mã {code} không lồng trong mã {parent} của đơn vị cấp trên "
                f"“{unit.get('parent')}” (QCVN 102:2016)"
            )
    return CodeImport(data={**data, "units": units}, changed=changed, errors=errors)
