"""The dossier lifecycle as data: one table of transitions (source statuses, target, roles,
whether a reason is required, the scope where the roles count, whether the assignee is bound).

Actions follow NĐ 61/2018 (NĐ 118/2025 from 01/07/2025) and TT 01/2018/TT-VPCP. Who may take
an action is answered by ``permissions``; applying one by ``state.dossier_transition``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import pgettext_lazy

from egov.accounts.models import Role
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
    "accept_online": Transition(
        frozenset({S.AWAITING_ONLINE_RECEPTION}),
        S.RECEIVED,
        frozenset({Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Tiếp nhận hồ sơ trực tuyến"),
    ),
    "refuse": Transition(
        frozenset({S.AWAITING_ONLINE_RECEPTION}),
        S.REFUSED,
        frozenset({Role.RECEPTIONIST}),
        needs_reason=True,
        label=pgettext_lazy("dossier action", "Từ chối tiếp nhận"),
    ),
    "hand_off": Transition(
        frozenset({S.RECEIVED}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Chuyển hồ sơ đến cơ quan giải quyết"),
    ),
    "assign": Transition(
        frozenset({S.PROCESSING}),
        S.PROCESSING,
        frozenset({Role.DEPARTMENT_LEADER}),
        label=pgettext_lazy("dossier action", "Phân công chuyên viên xử lý"),
        scope=frozenset({HANDLING}),
    ),
    "submit_for_approval": Transition(
        frozenset({S.PROCESSING}),
        S.PROCESSING,
        frozenset({Role.SPECIALIST}),
        label=pgettext_lazy("dossier action", "Thẩm định xong, trình lãnh đạo"),
        assignee_bound=True,
    ),
    "transfer_out": Transition(
        frozenset({S.PROCESSING}),
        S.INTERAGENCY,
        frozenset({Role.SPECIALIST, Role.DEPARTMENT_LEADER}),
        needs_reason=True,
        label=pgettext_lazy("dossier action", "Chuyển liên thông đến cơ quan phối hợp"),
        scope=frozenset({HANDLING, COMPETENT}),
        assignee_bound=True,
    ),
    "transfer_back": Transition(
        frozenset({S.INTERAGENCY}),
        S.PROCESSING,
        frozenset({Role.SPECIALIST, Role.DEPARTMENT_LEADER, Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Cơ quan phối hợp xử lý xong, chuyển trả"),
        scope=frozenset({PARTNER}),
    ),
    "request_supplement": Transition(
        frozenset({S.PROCESSING, S.AWAITING_ONLINE_RECEPTION}),
        S.SUPPLEMENT_REQUESTED,
        frozenset({Role.SPECIALIST, Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Yêu cầu bổ sung hồ sơ"),
        assignee_bound=True,
    ),
    "supplemented": Transition(
        frozenset({S.SUPPLEMENT_REQUESTED}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST, APPLICANT}),
        label=pgettext_lazy("dossier action", "Nhận hồ sơ bổ sung"),
    ),
    "resubmit_online": Transition(
        frozenset({S.SUPPLEMENT_REQUESTED}),
        S.AWAITING_ONLINE_RECEPTION,
        frozenset({APPLICANT}),
        label=pgettext_lazy("dossier action", "Nộp lại hồ sơ đã bổ sung"),
    ),
    "request_payment": Transition(
        frozenset({S.PROCESSING}),
        S.AWAITING_PAYMENT,
        frozenset({Role.SPECIALIST}),
        label=pgettext_lazy("dossier action", "Yêu cầu thực hiện nghĩa vụ tài chính"),
        assignee_bound=True,
    ),
    "paid": Transition(
        frozenset({S.AWAITING_PAYMENT}),
        S.PROCESSING,
        frozenset({Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Đã thực hiện nghĩa vụ tài chính"),
    ),
    "approve": Transition(
        frozenset({S.PROCESSING}),
        S.RESULT_READY,
        frozenset({Role.DEPARTMENT_LEADER}),
        label=pgettext_lazy("dossier action", "Phê duyệt kết quả"),
    ),
    "return_result": Transition(
        frozenset({S.RESULT_READY}),
        S.RETURNED,
        frozenset({Role.RECEPTIONIST}),
        label=pgettext_lazy("dossier action", "Trả kết quả"),
    ),
    "send_by_post": Transition(
        frozenset({S.RESULT_READY}),
        S.RESULT_IN_TRANSIT,
        frozenset({Role.RECEPTIONIST, Role.POSTAL}),
        label=pgettext_lazy("dossier action", "Gửi kết quả qua bưu chính"),
        scope=frozenset({RECEIVING}),
    ),
    "postal_delivered": Transition(
        frozenset({S.RESULT_IN_TRANSIT}),
        S.RETURNED,
        frozenset({Role.RECEPTIONIST, Role.POSTAL}),
        label=pgettext_lazy("dossier action", "Bưu chính đã phát kết quả"),
        scope=frozenset({RECEIVING}),
    ),
    "postal_failed": Transition(
        frozenset({S.RESULT_IN_TRANSIT}),
        S.RESULT_READY,
        frozenset({Role.RECEPTIONIST, Role.POSTAL}),
        needs_reason=True,
        label=pgettext_lazy("dossier action", "Bưu chính phát không thành công, trả lại"),
        scope=frozenset({RECEIVING}),
    ),
    "withdraw": Transition(
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
        needs_reason=True,
        label=pgettext_lazy("dossier action", "Rút hồ sơ theo yêu cầu"),
    ),
    "stop": Transition(
        frozenset({S.PROCESSING, S.SUPPLEMENT_REQUESTED}),
        S.STOPPED,
        frozenset({Role.DEPARTMENT_LEADER}),
        needs_reason=True,
        label=pgettext_lazy("dossier action", "Dừng xử lý"),
    ),
}


# Actions the system may take by itself (an online payment confirmed by the gateway's IPN).
SYSTEM_ACTIONS = frozenset({"paid"})
