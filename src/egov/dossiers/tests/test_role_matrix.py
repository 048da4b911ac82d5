"""Who may take each action on a dossier, tested through the transition service: for every
action, an officer who holds the role where it counts takes it and the dossier moves on; officers
without it (another role at the same unit, the same role at another unit) are refused with the
exact message and the dossier is left as it was.

The dossier: a judicial-record dossier received at the provincial centre (qn.ttpvhcc), handled by
the competent unit (Sở Tư pháp), with UBND phường Hồng Gai as its liên thông partner."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from egov.dossiers.errors import TransitionError
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.state import TRANSITIONS
from egov.dossiers.tests.helpers import reception, user
from egov.org.models import Unit

pytestmark = pytest.mark.django_db

S = DossierStatus


@dataclass(frozen=True)
class Case:
    action: str
    label: str  # as the refusal names it
    status: str  # the dossier's status before the action
    allowed: str
    target: str
    refused: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


CASES = [
    Case(
        "hand_off",
        "Chuyển hồ sơ đến cơ quan giải quyết",
        S.RECEIVED,
        "tinh.tiepnhan",
        S.PROCESSING,
        ("honggai.tiepnhan", "tinh.chuyenvien", "tinh.giamsat"),
    ),
    Case(
        "assign",
        "Phân công chuyên viên xử lý",
        S.PROCESSING,
        "tinh.lanhdaophong",
        S.PROCESSING,
        ("tinh.chuyenvien", "honggai.lanhdao", "tinh.tiepnhan"),
        data={"assignee": "tinh.chuyenvien2"},
    ),
    Case(
        "submit_for_approval",
        "Thẩm định xong, trình lãnh đạo",
        S.PROCESSING,
        "tinh.chuyenvien",
        S.PROCESSING,
        ("tinh.lanhdaophong", "tinh.tiepnhan", "honggai.chuyenvien"),
    ),
    Case(
        "transfer_out",
        "Chuyển liên thông đến cơ quan phối hợp",
        S.PROCESSING,
        "tinh.chuyenvien",
        S.INTERAGENCY,
        ("tinh.tiepnhan", "honggai.chuyenvien", "tinh.vanthu"),
        data={"partner_unit": "qn.x.hong-gai.ubnd"},
        reason="Cần xác minh nơi cư trú tại phường",
    ),
    Case(
        "transfer_back",
        "Cơ quan phối hợp xử lý xong, chuyển trả",
        S.INTERAGENCY,
        "honggai.chuyenvien",
        S.PROCESSING,
        ("tinh.chuyenvien", "tinh.lanhdaophong", "honggai.tiepnhan", "honggai.vanthu"),
    ),
    Case(
        "request_supplement",
        "Yêu cầu bổ sung hồ sơ",
        S.PROCESSING,
        "tinh.chuyenvien",
        S.SUPPLEMENT_REQUESTED,
        ("tinh.lanhdaophong", "tinh.buudien", "honggai.chuyenvien"),
        data={"items": ["Bản sao căn cước có chứng thực"]},
    ),
    Case(
        "request_payment",
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        S.PROCESSING,
        "tinh.chuyenvien",
        S.AWAITING_PAYMENT,
        ("tinh.tiepnhan", "tinh.lanhdaophong"),
        data={"amount": 50_000},
    ),
    Case(
        "paid",
        "Đã thực hiện nghĩa vụ tài chính",
        S.AWAITING_PAYMENT,
        "tinh.tiepnhan",
        S.PROCESSING,
        ("tinh.chuyenvien", "honggai.tiepnhan", "tinh.buudien"),
        data={"amount": 50_000},
    ),
    Case(
        "supplemented",
        "Nhận hồ sơ bổ sung",
        S.SUPPLEMENT_REQUESTED,
        "tinh.tiepnhan",
        S.PROCESSING,
        ("tinh.chuyenvien", "honggai.tiepnhan"),
    ),
    Case(
        "approve",
        "Phê duyệt kết quả",
        S.PROCESSING,
        "tinh.lanhdaophong",
        S.RESULT_READY,
        ("tinh.chuyenvien", "honggai.lanhdao", "tinh.lanhdaotrungtam"),
    ),
    Case(
        "return_result",
        "Trả kết quả",
        S.RESULT_READY,
        "tinh.tiepnhan",
        S.RETURNED,
        ("tinh.buudien", "tinh.lanhdaophong", "honggai.tiepnhan"),
        data={"received_by": "Nguyễn Văn An"},
    ),
    Case(
        "send_by_post",
        "Gửi kết quả qua bưu chính",
        S.RESULT_READY,
        "tinh.buudien",
        S.RESULT_IN_TRANSIT,
        ("honggai.buudien", "tinh.chuyenvien"),
        data={"address": "Tổ 5, phường Hồng Gai"},
    ),
    Case(
        "postal_delivered",
        "Bưu chính đã phát kết quả",
        S.RESULT_IN_TRANSIT,
        "tinh.buudien",
        S.RETURNED,
        ("honggai.buudien", "tinh.lanhdaophong"),
        data={"received_by": "Nguyễn Văn An"},
    ),
    Case(
        "postal_failed",
        "Bưu chính phát không thành công, trả lại",
        S.RESULT_IN_TRANSIT,
        "tinh.tiepnhan",
        S.RESULT_READY,
        ("honggai.buudien", "tinh.chuyenvien"),
        reason="Không có người nhận sau 3 lần phát",
    ),
    Case(
        "withdraw",
        "Rút hồ sơ theo yêu cầu",
        S.PROCESSING,
        "tinh.tiepnhan",
        S.WITHDRAWN,
        ("tinh.chuyenvien", "honggai.tiepnhan", "tinh.lanhdaophong"),
        reason="Người nộp xin rút hồ sơ",
    ),
    Case(
        "stop",
        "Dừng xử lý",
        S.PROCESSING,
        "tinh.lanhdaophong",
        S.STOPPED,
        ("tinh.chuyenvien", "tinh.tiepnhan", "honggai.lanhdao"),
        reason="Hồ sơ không đủ điều kiện giải quyết",
    ),
    Case(
        "accept_online",
        "Tiếp nhận hồ sơ trực tuyến",
        S.AWAITING_ONLINE_RECEPTION,
        "tinh.tiepnhan",
        S.RECEIVED,
        ("tinh.chuyenvien", "honggai.tiepnhan"),
    ),
    Case(
        "refuse",
        "Từ chối tiếp nhận",
        S.AWAITING_ONLINE_RECEPTION,
        "tinh.tiepnhan",
        S.REFUSED,
        ("tinh.lanhdaophong", "honggai.tiepnhan"),
        reason="Thủ tục không thuộc thẩm quyền",
    ),
]
# Only the applicant who submitted the dossier resubmits it (portal/tests/test_online_*).
APPLICANT_ONLY = {"resubmit_online"}


@pytest.fixture
def dossier(quang_ninh):
    received = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    Dossier.objects.filter(pk=received.pk).update(
        handling_unit=received.procedure_version.competent_unit,
        partner_unit=Unit.objects.get(key="qn.x.hong-gai.ubnd"),
    )
    return received


def _at(dossier, status, **changes):
    Dossier.objects.filter(pk=dossier.pk).update(status=status, **changes)
    dossier.refresh_from_db()
    return dossier


@pytest.mark.parametrize("case", CASES, ids=[case.action for case in CASES])
def test_the_role_takes_the_action_and_others_are_refused(dossier, case):
    dossier = _at(dossier, case.status)
    revision = dossier.revision
    for username in case.refused:
        with pytest.raises(TransitionError) as refused:
            dossier_transition(
                actor=user(username),
                dossier=dossier,
                action=case.action,
                data=dict(case.data),
                reason=case.reason,
            )
        assert str(refused.value) == f"Bạn không có quyền “{case.label}” với hồ sơ này.", username
        dossier.refresh_from_db()
        assert (dossier.status, dossier.revision) == (case.status, revision)
    done = dossier_transition(
        actor=user(case.allowed),
        dossier=dossier,
        action=case.action,
        data=dict(case.data),
        reason=case.reason,
    )
    assert done.status == case.target
    assert done.events.order_by("-sequence").values_list("action", "actor__username")[0] == (
        case.action,
        case.allowed,
    )


def test_every_action_has_a_case():
    assert {case.action for case in CASES} | APPLICANT_ONLY == set(TRANSITIONS)


@pytest.mark.parametrize("action", ["request_payment", "submit_for_approval", "transfer_out"])
def test_assigned_dossier_binds_specialists_but_not_the_leader(dossier, action):
    case = next(case for case in CASES if case.action == action)
    dossier = _at(dossier, S.PROCESSING, assignee=user("tinh.chuyenvien2"))
    with pytest.raises(TransitionError) as refused:
        dossier_transition(
            actor=user("tinh.chuyenvien"),
            dossier=dossier,
            action=action,
            data=dict(case.data),
            reason=case.reason,
        )
    assert str(refused.value) == (
        "Hồ sơ đã được phân công cho Đinh Thị Xuân; chỉ người được phân công mới thực hiện "
        f"được “{case.label}”."
    )
    # The specialist given the dossier acts on it.
    done = dossier_transition(
        actor=user("tinh.chuyenvien2"),
        dossier=dossier,
        action=action,
        data=dict(case.data),
        reason=case.reason,
    )
    assert done.status == case.target


def test_the_leader_and_the_desk_still_act_on_an_assigned_dossier(dossier):
    dossier = _at(dossier, S.PROCESSING, assignee=user("tinh.chuyenvien2"))
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"),
        dossier=dossier,
        action="request_supplement",
        data={"items": ["Tờ khai có chữ ký"]},
    )
    assert dossier.status == S.SUPPLEMENT_REQUESTED
    dossier = _at(dossier, S.PROCESSING)
    dossier = dossier_transition(
        actor=user("tinh.lanhdaophong"),
        dossier=dossier,
        action="transfer_out",
        data={"partner_unit": "qn.x.hong-gai.ubnd"},
        reason="Cần xác minh nơi cư trú tại phường",
    )
    assert dossier.status == S.INTERAGENCY
