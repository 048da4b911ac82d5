"""The dossier lifecycle as data: which action leads from which status to which, for whom.
(``permissions`` answers who may take one; ``services/transitions.py`` applies it.)

Actions follow NĐ 61/2018 (NĐ 118/2025 from 01/07/2025) and TT 01/2018/TT-VPCP: reception at
the one-stop desk, hand-off to the competent unit, supplement requests through the desk,
financial obligations, approval by the competent leader, return of the result; refusal,
withdrawal on request and stopping with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from egov.accounts.models import Role
from egov.dossiers.actions import DossierAction as A
from egov.dossiers.models import DossierStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = DossierStatus


RECEIVING, HANDLING, COMPETENT, PARTNER = "receiving", "handling", "competent", "partner"
# Not a staff role: the citizen account that submitted the dossier online.
APPLICANT = "applicant"
OWN_UNITS = frozenset({RECEIVING, HANDLING, COMPETENT})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    needs_reason: bool = False
    label: StrOrPromise = ""
    # Where the actor's roles count: the receiving desk, the unit the dossier was handed to,
    # the procedure's competent unit, or the agency it was sent to for liên thông.
    scope: frozenset[str] = OWN_UNITS
    # Once a dossier is assigned, a specialist acts only on the dossiers given to them.
    assignee_bound: bool = False


TRANSITIONS: dict[str, Transition] = {
    A.ACCEPT_ONLINE: Transition(
        frozenset({S.AWAITING_ONLINE_RECEPTION}),
        S.RECEIVED,
        frozenset({Role.RECEPTIONIST}),
        label=A.ACCEPT_ONLINE.label,
    ),
    A.REFUSE: Transition(
        frozenset({S.AWAITING_ONLINE_RECEPTION}),
        S.REFUSED,
        frozenset({Role.RECEPTIONIST}),
        label=A.REFUSE.label,
        needs_reason=True,
    ),
    A.HAND_OFF: Transition(
        frozenset({S.RECEIVED}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST}),
        label=A.HAND_OFF.label,
    ),
    A.ASSIGN: Transition(
        frozenset({S.PROCESSING}),
        S.PROCESSING,
        frozenset({Role.DEPARTMENT_LEADER}),
        label=A.ASSIGN.label,
        scope=frozenset({HANDLING}),
    ),
    A.SUBMIT_FOR_APPROVAL: Transition(
        frozenset({S.PROCESSING}),
        S.PROCESSING,
        frozenset({Role.SPECIALIST}),
        label=A.SUBMIT_FOR_APPROVAL.label,
        assignee_bound=True,
    ),
    A.TRANSFER_OUT: Transition(
        frozenset({S.PROCESSING}),
        S.INTERAGENCY,
        frozenset({Role.SPECIALIST, Role.DEPARTMENT_LEADER}),
        label=A.TRANSFER_OUT.label,
        needs_reason=True,
        scope=frozenset({HANDLING, COMPETENT}),
        assignee_bound=True,
    ),
    A.TRANSFER_BACK: Transition(
        frozenset({S.INTERAGENCY}),
        S.PROCESSING,
        frozenset({Role.SPECIALIST, Role.DEPARTMENT_LEADER, Role.RECEPTIONIST}),
        label=A.TRANSFER_BACK.label,
        scope=frozenset({PARTNER}),
    ),
    A.REQUEST_SUPPLEMENT: Transition(
        frozenset({S.PROCESSING, S.AWAITING_ONLINE_RECEPTION}),
        S.SUPPLEMENT_REQUESTED,
        frozenset({Role.SPECIALIST, Role.RECEPTIONIST}),
        label=A.REQUEST_SUPPLEMENT.label,
        assignee_bound=True,
    ),
    A.SUPPLEMENTED: Transition(
        frozenset({S.SUPPLEMENT_REQUESTED}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST, APPLICANT}),
        label=A.SUPPLEMENTED.label,
    ),
    A.RESUBMIT_ONLINE: Transition(
        frozenset({S.SUPPLEMENT_REQUESTED}),
        S.AWAITING_ONLINE_RECEPTION,
        frozenset({APPLICANT}),
        label=A.RESUBMIT_ONLINE.label,
    ),
    A.REQUEST_PAYMENT: Transition(
        frozenset({S.PROCESSING}),
        S.AWAITING_PAYMENT,
        frozenset({Role.SPECIALIST}),
        label=A.REQUEST_PAYMENT.label,
        assignee_bound=True,
    ),
    A.PAID: Transition(
        frozenset({S.AWAITING_PAYMENT}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST}),
        label=A.PAID.label,
    ),
    A.APPROVE: Transition(
        frozenset({S.PROCESSING}),
        S.RESULT_READY,
        frozenset({Role.DEPARTMENT_LEADER}),
        label=A.APPROVE.label,
    ),
    A.RETURN_RESULT: Transition(
        frozenset({S.RESULT_READY}),
        S.RETURNED,
        frozenset({Role.RECEPTIONIST}),
        label=A.RETURN_RESULT.label,
    ),
    A.SEND_BY_POST: Transition(
        frozenset({S.RESULT_READY}),
        S.RESULT_IN_TRANSIT,
        frozenset({Role.RECEPTIONIST, Role.POSTAL}),
        label=A.SEND_BY_POST.label,
        scope=frozenset({RECEIVING}),
    ),
    A.POSTAL_DELIVERED: Transition(
        frozenset({S.RESULT_IN_TRANSIT}),
        S.RETURNED,
        frozenset({Role.RECEPTIONIST, Role.POSTAL}),
        label=A.POSTAL_DELIVERED.label,
        scope=frozenset({RECEIVING}),
    ),
    A.POSTAL_FAILED: Transition(
        frozenset({S.RESULT_IN_TRANSIT}),
        S.RESULT_READY,
        frozenset({Role.RECEPTIONIST, Role.POSTAL}),
        label=A.POSTAL_FAILED.label,
        needs_reason=True,
        scope=frozenset({RECEIVING}),
    ),
    A.WITHDRAW: Transition(
        frozenset(
            {
                S.AWAITING_ONLINE_RECEPTION,
                S.RECEIVED,
                S.PROCESSING,
                S.INTERAGENCY,
                S.SUPPLEMENT_REQUESTED,
                S.AWAITING_PAYMENT,
            }
        ),
        S.WITHDRAWN,
        frozenset({Role.RECEPTIONIST, APPLICANT}),
        label=A.WITHDRAW.label,
        needs_reason=True,
    ),
    A.STOP: Transition(
        frozenset({S.PROCESSING, S.SUPPLEMENT_REQUESTED}),
        S.STOPPED,
        frozenset({Role.DEPARTMENT_LEADER}),
        label=A.STOP.label,
        needs_reason=True,
    ),
}


# Actions the system may take by itself (an online payment confirmed by the gateway's IPN).
SYSTEM_ACTIONS = frozenset({A.PAID})
