"""Code lists of edXML packages, kept as versioned data (``data/codes.json``, or the file
named by ``EGOV_EXCHANGE_CODES_FILE``) rather than in code.

The meaning of each code is ours (the enums below); the wire value of each meaning comes from
the data file, with its source. None of the lists is confirmed against the text of QCVN
102:2016/BTTTT and its SĐ1:2022 amendment (research notes documents-and-signatures.md §2.2,
§2.3 and open question 1): business types and statuses come from third-party implementations
[S], Priority and SteeringType are unconfirmed [U].
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "codes.json"


class BusinessDocType(enum.StrEnum):
    """TraceHeaderList/Bussiness/BussinessDocType (notes §2.2): what the package does."""

    NEW = "new"  # văn bản mới
    RECALL = "recall"  # thu hồi
    UPDATE = "update"  # cập nhật
    REPLACE = "replace"  # thay thế


class StatusKind(enum.StrEnum):
    """Status/StatusCode (notes §2.3); the legal basis of each step is NĐ 30/2020/NĐ-CP:
    receipt notice the same day (Điều 21.2.c), return to the sender (Điều 21.2.b), the sender
    sees the processing status (Phụ lục VI III.1.o), recall (Điều 18.4; Phụ lục VI III.8)."""

    ARRIVED = "arrived"  # 01 đã đến
    REJECTED = "rejected"  # 02 từ chối tiếp nhận (a reason is required)
    ACCEPTED = "accepted"  # 03 đã tiếp nhận
    ASSIGNED = "assigned"  # 04 phân công
    IN_PROGRESS = "in_progress"  # 05 đang xử lý
    COMPLETED = "completed"  # 06 hoàn thành
    RECALL_REQUESTED = "recall_requested"  # 13 lấy lại / thu hồi
    RECALL_AGREED = "recall_agreed"  # 15 đồng ý cập nhật / lấy lại / thu hồi
    RECALL_REFUSED = "recall_refused"  # 16 từ chối cập nhật / lấy lại / thu hồi


class Priority(enum.StrEnum):
    """OtherInfo/Priority: độ khẩn (NĐ 30/2020, Điều 8.3; Phụ lục I ô 10b)."""

    NORMAL = "normal"
    URGENT = "urgent"  # khẩn
    VERY_URGENT = "very_urgent"  # thượng khẩn
    FLASH = "flash"  # hỏa tốc


class SteeringType(enum.StrEnum):
    """SteeringType: 0 or 1 in the samples; read as chỉ đạo / không chỉ đạo [U]."""

    NORMAL = "normal"
    STEERING = "steering"


@dataclass(frozen=True)
class CodeList:
    """One list: meaning → wire code, both ways."""

    name: str
    source: str
    confirmed: bool
    codes: dict[str, str]

    def wire(self, meaning: str) -> str:
        return self.codes[meaning]

    def meaning(self, wire: str) -> str | None:
        for meaning, code in self.codes.items():
            if code == wire:
                return meaning
        return None


@dataclass(frozen=True)
class CodeTables:
    version: str
    business_doc_type: CodeList
    status: CodeList
    priority: CodeList
    steering_type: CodeList
    # DocumentType/Type by our document type key (egov.documents), with a default [U].
    document_types: dict[str, str]
    document_type_default: str

    def document_type_code(self, key: str) -> str:
        return self.document_types.get(key, self.document_type_default)


_REQUIRED: dict[str, type[enum.StrEnum]] = {
    "business_doc_type": BusinessDocType,
    "status": StatusKind,
    "priority": Priority,
    "steering_type": SteeringType,
}


@lru_cache(maxsize=4)
def _load(path: str) -> CodeTables:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"edXML code list {path} cannot be read: {exc}") from None
    lists: dict[str, CodeList] = {}
    for name, meanings in _REQUIRED.items():
        entry = raw.get(name) or {}
        codes = {str(k): str(v) for k, v in (entry.get("codes") or {}).items()}
        missing = sorted(set(meanings) - set(codes))
        if missing:
            raise ImproperlyConfigured(f"edXML code list {path}: {name} lacks {missing}")
        if len(set(codes.values())) != len(codes):
            raise ImproperlyConfigured(f"edXML code list {path}: {name} repeats a code")
        lists[name] = CodeList(
            name=name,
            source=str(entry.get("source", "")),
            confirmed=bool(entry.get("confirmed", False)),
            codes=codes,
        )
    types = raw.get("document_type") or {}
    return CodeTables(
        version=str(raw.get("version", "")),
        document_types={str(k): str(v) for k, v in (types.get("codes") or {}).items()},
        document_type_default=str(types.get("default", "1")),
        **lists,
    )


def code_tables() -> CodeTables:
    """The code lists in force (``EGOV_EXCHANGE_CODES_FILE``, else the shipped file)."""
    path = getattr(settings, "EGOV_EXCHANGE_CODES_FILE", "") or str(DEFAULT_FILE)
    return _load(path)
