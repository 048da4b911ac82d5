"""Walks the audit chain and reports the first entry that breaks it."""

from __future__ import annotations

from dataclasses import dataclass

from egov.audit.hashing import entry_digest
from egov.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    entry_id: int | None
    reason: str

    def describe(self) -> str:
        where = f"mục #{self.sequence}"
        if self.entry_id is not None:
            where += f" (id={self.entry_id})"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        if entry.sequence != expected_sequence:
            return ChainReport(
                checked,
                ChainProblem(
                    expected_sequence,
                    None,
                    f"mục này bị thiếu (đã bị xóa?); mục kế tiếp còn lại là #{entry.sequence}",
                ),
            )
        if entry.previous_hash != previous_hash:
            return ChainReport(
                checked,
                ChainProblem(entry.sequence, entry.pk, "liên kết tới mục trước không khớp"),
            )
        digest = entry_digest(
            sequence=entry.sequence,
            moment=entry.moment,
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            object_repr=entry.object_repr,
            ip_address=entry.ip_address,
            details=entry.details,
            previous_hash=entry.previous_hash,
        )
        if digest != entry.entry_hash:
            return ChainReport(
                checked,
                ChainProblem(entry.sequence, entry.pk, "nội dung đã bị sửa (mã băm không khớp)"),
            )
        previous_hash = entry.entry_hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    last_sequence = head.last_sequence if head else 0
    last_hash = head.last_hash if head else GENESIS_HASH
    if last_sequence != checked or last_hash != previous_hash:
        return ChainReport(
            checked,
            ChainProblem(
                checked + 1,
                None,
                f"đầu chuỗi ghi #{last_sequence} nhưng chỉ còn {checked} mục liền mạch "
                "(các mục mới nhất đã bị xóa hoặc đầu chuỗi bị sửa)",
            ),
        )
    return ChainReport(checked, None)
