"""Work files (hồ sơ công việc): the yearly list, opening and closing, documents by reference.

NĐ 30/2020/NĐ-CP, Điều 28 (Danh mục hồ sơ), Điều 29 (lập hồ sơ: open, collect, close),
Phụ lục VI Phần II.III (the file's fields) and the "Quản lý hồ sơ" requirements of Phụ lục VI
(a code per file, automatic document order, one document in several files without copies).

Lifecycle (``FILE_TRANSITIONS``): planned → open (StartDate) → closed (EndDate); a closed
file is reopened only by a leader of its unit, with a reason (the EndDate is cleared and set
again when it is closed). Every step appends a ``WorkFileEvent``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.actors import Actor, person
from egov.accounts.models import User
from egov.documents.errors import StaleRevision, TransitionRefused
from egov.documents.events import record_event
from egov.documents.models import (
    FileCatalogue,
    IncomingDocument,
    OutgoingDocument,
    WorkFile,
    WorkFileDocument,
    WorkFileEvent,
)
from egov.documents.permissions import (
    may_keep_files,
    may_manage_file,
    may_reopen_file,
    may_see_document,
)
from egov.documents.workfiles import WorkFileAction as A
from egov.documents.workfiles import WorkFileStatus as S
from egov.org.models import Unit

# FileNotation: at most 20 characters (Phụ lục VI Phần II.III), no spaces, e.g. "01.VX".
NOTATION_RE = re.compile(r"^[0-9A-Za-zĐđ./-]{1,20}$")


@dataclass(frozen=True)
class FileTransition:
    sources: frozenset[str]
    target: str
    needs_reason: bool = False
    leader_only: bool = False


FILE_TRANSITIONS: dict[str, FileTransition] = {
    A.OPEN: FileTransition(frozenset({S.PLANNED}), S.OPEN),
    A.CLOSE: FileTransition(frozenset({S.OPEN}), S.CLOSED),
    A.REOPEN: FileTransition(frozenset({S.CLOSED}), S.OPEN, needs_reason=True, leader_only=True),
}


def maintenance_label(years: int | None) -> str:
    """Thời hạn bảo quản as written in the Danh mục hồ sơ: "Vĩnh viễn" or "10 năm"."""
    return "Vĩnh viễn" if years is None else f"{years} năm"


def organ_id_for(unit: Unit) -> str:
    """The mã định danh of the unit keeping the list, or of the nearest unit above it."""
    for candidate in [unit, *unit.ancestors()]:
        if candidate.code:
            return candidate.code[:13]
    raise TransitionRefused(_("Đơn vị và các đơn vị cấp trên chưa có mã định danh."))


@transaction.atomic
def work_file_plan(
    *,
    actor: Actor,
    unit: Unit,
    year: int,
    notation: str,
    title: str,
    maintenance_years: int | None,
    owner: User | None = None,
    rights: str = "",
    language: str = "Tiếng Việt",
    description: str = "",
    construction: bool = False,
) -> WorkFile:
    """Add a file to ``unit``'s Danh mục hồ sơ of ``year`` (created on first use, Điều 28).
    ``maintenance_years`` None means permanent; ``owner`` (người lập) defaults to the actor."""
    if not may_keep_files(actor, unit):
        raise TransitionRefused(_("Bạn không có quyền lập hồ sơ của đơn vị này."))
    notation = notation.strip()
    if not NOTATION_RE.match(notation):
        raise TransitionRefused(
            _("Số và ký hiệu hồ sơ gồm tối đa 20 ký tự, không có khoảng trắng (ví dụ 01.VX).")
        )
    if not title.strip():
        raise TransitionRefused(_("Cần nhập tiêu đề hồ sơ."))
    if not 2000 <= year <= 9999:
        raise TransitionRefused(_("Năm của danh mục hồ sơ không hợp lệ."))
    if maintenance_years is not None and not 1 <= maintenance_years <= 999:
        raise TransitionRefused(_("Thời hạn bảo quản không hợp lệ."))
    keeper = owner or person(actor)
    if keeper is None:
        raise TransitionRefused(_("Cần người lập hồ sơ."))
    now = timezone.now()
    catalogue, _created = FileCatalogue.objects.get_or_create(
        unit=unit, year=year, defaults={"created_by": person(actor), "created_at": now}
    )
    if catalogue.files.filter(notation=notation).exists():
        raise TransitionRefused(_("Số và ký hiệu hồ sơ này đã có trong danh mục của năm."))
    file = WorkFile.objects.create(
        catalogue=catalogue,
        organ_id=organ_id_for(unit),
        notation=notation,
        title=title.strip()[:500],
        maintenance=maintenance_label(maintenance_years),
        maintenance_years=maintenance_years,
        rights=rights.strip()[:30],
        language=language.strip()[:50] or "Tiếng Việt",
        description=description.strip()[:500],
        construction=construction,
        owner=keeper,
        created_at=now,
    )
    record_event(
        WorkFileEvent,
        of=file,
        action=A.PLAN,
        from_status="",
        to_status=file.status,
        actor=actor,
        data={"code": file.file_code},
    )
    return file


def work_file_refusal(actor: Actor, file: WorkFile, action: str) -> str | None:
    """Why ``actor`` may not take ``action`` on ``file`` now (None: they may)."""
    transition = FILE_TRANSITIONS.get(action)
    if transition is None:
        return _("Thao tác không tồn tại.")
    if file.status not in transition.sources:
        return _("Không thể “%(action)s” khi hồ sơ “%(status)s”.") % {
            "action": A(action).label,
            "status": file.get_status_display(),
        }
    if transition.leader_only:
        allowed = may_reopen_file(actor, file)
    else:
        allowed = may_manage_file(actor, file)
    if not allowed:
        return _("Bạn không có quyền “%s” với hồ sơ này.") % A(action).label
    return None


def work_file_allowed_actions(actor: Actor, file: WorkFile) -> list[str]:
    return [name for name in FILE_TRANSITIONS if work_file_refusal(actor, file, name) is None]


@transaction.atomic
def work_file_transition(
    *,
    actor: Actor,
    file: WorkFile,
    action: str,
    reason: str = "",
    on: dt.date | None = None,
    expected_revision: int | None = None,
) -> WorkFile:
    """Open (StartDate = ``on``, today by default), close (EndDate) or reopen ``file``."""
    refused = work_file_refusal(actor, file, action)
    if refused is not None:
        raise TransitionRefused(refused)
    transition = FILE_TRANSITIONS[action]
    if transition.needs_reason and not reason.strip():
        raise TransitionRefused(_("Cần ghi rõ lý do mở lại hồ sơ."))
    if expected_revision is not None and expected_revision != file.revision:
        raise StaleRevision(_("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang."))
    day = on or timezone.localdate()
    changes: dict[str, object] = {}
    if action == A.OPEN:
        changes["start_date"] = day
    elif action == A.CLOSE:
        if file.start_date is not None and day < file.start_date:
            raise TransitionRefused(_("Ngày kết thúc không được trước ngày bắt đầu."))
        changes["end_date"] = day
    elif action == A.REOPEN:
        changes["end_date"] = None
    updated = WorkFile.objects.filter(
        pk=file.pk, revision=file.revision, status=file.status
    ).update(**changes, status=transition.target, revision=F("revision") + 1)
    if not updated:
        raise StaleRevision(_("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang."))
    from_status = file.status
    file.refresh_from_db()
    record_event(
        WorkFileEvent,
        of=file,
        action=A(action),
        from_status=from_status,
        to_status=file.status,
        actor=actor,
        reason=reason.strip(),
        data={"date": day.isoformat()},
    )
    return file


@transaction.atomic
def work_file_add_document(
    *, actor: Actor, file: WorkFile, document: IncomingDocument | OutgoingDocument
) -> WorkFileDocument:
    """Put ``document`` into the open ``file`` by reference, with the next DocOrdinal. The
    same document may be in files of other people or units; never twice in one file."""
    if not may_manage_file(actor, file):
        raise TransitionRefused(_("Bạn không có quyền cập nhật hồ sơ này."))
    if not may_see_document(actor, document):
        raise TransitionRefused(_("Bạn không có quyền với văn bản này."))
    # The file's row lock serialises the DocOrdinal of concurrent additions.
    locked = WorkFile.objects.select_for_update().get(pk=file.pk)
    if locked.status != S.OPEN:
        raise TransitionRefused(_("Chỉ được thêm văn bản vào hồ sơ đang mở."))
    incoming = document if isinstance(document, IncomingDocument) else None
    outgoing = document if isinstance(document, OutgoingDocument) else None
    is_incoming = incoming is not None
    links = locked.links.all()
    if incoming is not None:
        existing = links.filter(incoming=incoming)
    else:
        existing = links.filter(outgoing=outgoing)
    if existing.exists():
        raise TransitionRefused(_("Văn bản đã có trong hồ sơ này."))
    ordinal = (links.aggregate(last=Max("doc_ordinal"))["last"] or 0) + 1
    if ordinal > 999:  # DocOrdinal: Number, 3 digits (Phụ lục VI Phần II)
        raise TransitionRefused(_("Hồ sơ đã đủ 999 văn bản; hãy lập hồ sơ mới."))
    try:
        with transaction.atomic():
            link = WorkFileDocument.objects.create(
                file=locked,
                incoming=incoming,
                outgoing=outgoing,
                doc_ordinal=ordinal,
                added_by=person(actor),
                added_at=timezone.now(),
            )
    except IntegrityError:
        raise TransitionRefused(_("Văn bản đã có trong hồ sơ này.")) from None
    record_event(
        WorkFileEvent,
        of=locked,
        action=A.ADD_DOCUMENT,
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        data={
            "direction": "in" if is_incoming else "out",
            "document": document.pk,
            "doc_ordinal": ordinal,
        },
    )
    return link
