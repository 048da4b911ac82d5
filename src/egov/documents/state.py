"""The outgoing-document lifecycle as data (NĐ 30/2020/NĐ-CP, Điều 10-19).

draft → unit_review (head of the drafting unit: content, Điều 12.1) → format_check (the
office: thể thức, Điều 12.2) → approval (the signer, Điều 11, 13) → signed (personal digital
signature, Điều 13.7) → registered (số, ngày, sổ by the clerk, Điều 15-16) → agency_signed
(the agency's certificate, by the clerk, Điều 17; only after the person signed, Điều 32.2.d)
→ issued (Điều 18). Review, format check and approval may return the draft with comments.

``permissions`` answers who may take an action; ``services.outgoing`` applies it. The
smaller lifecycle of electronic copies is ``COPY_TRANSITIONS`` (``services.copies``).
"""

from __future__ import annotations

from dataclasses import dataclass

from egov.accounts.models import Role
from egov.documents.actions import CopyAction
from egov.documents.actions import OutgoingAction as A
from egov.documents.copies import CopyStatus
from egov.documents.models import OutgoingStatus as S
from egov.documents.models import RemoteSigningState

# Where the actor's roles count: the drafting unit, or the issuing agency.
DRAFTING, AGENCY = "drafting", "agency"
# Not a role: the person who created the draft, or the signer named on the document.
DRAFTER, SIGNER = "drafter", "signer"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    scope: str = DRAFTING
    needs_reason: bool = False
    # The action writes a file version of this kind (``VersionKind``), required.
    needs_file: str = ""


TRANSITIONS: dict[str, Transition] = {
    A.SUBMIT: Transition(
        frozenset({S.DRAFT}),
        S.UNIT_REVIEW,
        frozenset({DRAFTER, Role.SPECIALIST, Role.DEPARTMENT_LEADER}),
    ),
    A.APPROVE_CONTENT: Transition(
        frozenset({S.UNIT_REVIEW}), S.FORMAT_CHECK, frozenset({Role.DEPARTMENT_LEADER})
    ),
    A.APPROVE_FORMAT: Transition(
        frozenset({S.FORMAT_CHECK}), S.APPROVAL, frozenset({Role.CLERK}), scope=AGENCY
    ),
    A.RETURN: Transition(
        frozenset({S.UNIT_REVIEW, S.FORMAT_CHECK, S.APPROVAL}),
        S.DRAFT,
        # Who may return depends on the step; see RETURN_ROLES.
        frozenset({Role.DEPARTMENT_LEADER, Role.CLERK, SIGNER}),
        needs_reason=True,
    ),
    A.SIGN: Transition(
        frozenset({S.APPROVAL}),
        S.SIGNED,
        frozenset({SIGNER}),
        scope=AGENCY,
        needs_file="personal_signed",
    ),
    A.REGISTER: Transition(
        frozenset({S.SIGNED}), S.REGISTERED, frozenset({Role.CLERK}), scope=AGENCY
    ),
    A.AGENCY_SIGN: Transition(
        frozenset({S.REGISTERED}),
        S.AGENCY_SIGNED,
        frozenset({Role.CLERK}),
        scope=AGENCY,
        needs_file="agency_signed",
    ),
    A.ISSUE: Transition(
        frozenset({S.AGENCY_SIGNED}), S.ISSUED, frozenset({Role.CLERK}), scope=AGENCY
    ),
}

# Returning a draft: by whoever holds the step it is at.
RETURN_ROLES: dict[str, tuple[frozenset[str], str]] = {
    S.UNIT_REVIEW: (frozenset({Role.DEPARTMENT_LEADER}), DRAFTING),
    S.FORMAT_CHECK: (frozenset({Role.CLERK}), AGENCY),
    S.APPROVAL: (frozenset({SIGNER}), AGENCY),
}

# Who may draft (create) an outgoing document in a unit.
DRAFTING_ROLES = frozenset({Role.SPECIALIST, Role.DEPARTMENT_LEADER, Role.CLERK})


# Electronic copies (NĐ 30/2020, Điều 25-27, 32.2): the văn thư of the agency numbers the copy
# (``make``: no status → numbered) and applies the agency's signature (numbered → signed);
# a signature that failed is made again from ``numbered``.
COPY_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    CopyAction.MAKE: (frozenset({""}), CopyStatus.NUMBERED),
    CopyAction.AGENCY_SIGN: (frozenset({CopyStatus.NUMBERED}), CopyStatus.SIGNED),
}
# Who makes and signs copies of an agency: its văn thư (Điều 32.2.c; Điều 27.1 lets the head
# of the agency name who signs copies — the agency's digital signature stays with the văn thư).
COPY_ROLES = frozenset({Role.CLERK})
# A remote signing request (ký số từ xa, ``signing_requests``): created waiting, ended once by
# the background task (or, when nothing answered well past its deadline, by whoever reads it).
REMOTE_SIGNING_TRANSITIONS: dict[str, frozenset[str]] = {
    RemoteSigningState.WAITING: frozenset(
        {
            RemoteSigningState.SIGNED,
            RemoteSigningState.DECLINED,
            RemoteSigningState.EXPIRED,
            RemoteSigningState.FAILED,
        }
    ),
}
