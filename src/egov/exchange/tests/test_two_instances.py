"""The headline test: two egov instances with separate databases exchange documents through
the axis simulator. Instance A is this test process's database (the committee of the
documents tests' province, 000.00.00.T01); instance B is a second egov process (gunicorn and
management commands on its own database: Văn phòng Chính phủ, 000.00.00.G22), driven through
its staff API as an integrator would and through ``manage.py exchange_run`` as its cron would.

A issues a decision with both digital signatures; it arrives in B's "chờ tiếp nhận" list with
the signatures verified by B; B accepts, assigns and completes it and A sees each status.
A recalls a second document and B agrees; a fourth document replaces a third one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from egov.contrib.axis.simulator import AxisSimulator
from egov.contrib.axis.store import AxisStore
from egov.documents.actions import OutgoingAction as A
from egov.documents.models import OutgoingDocument
from egov.documents.selectors import document_type
from egov.documents.services.outgoing import RecipientInput, outgoing_transition
from egov.documents.services.outgoing_drafts import Composition, outgoing_compose
from egov.documents.services.outgoing_signing import (
    outgoing_agency_seal,
    outgoing_issue,
    outgoing_sign,
)
from egov.documents.tests.conftest import Province
from egov.exchange.axis import HttpAxis
from egov.exchange.models import BusinessType, SentPackage, StatusMessage
from egov.exchange.services.inbox import exchange_poll
from egov.exchange.services.outbox import (
    exchange_declare_replacement,
    exchange_recall,
    exchange_send_due,
)
from egov.exchange.tests.flows import issue_to
from egov.exchange.tests.instance import Instance, second_database

pytestmark = pytest.mark.usefixtures("signing_settings")

COMMITTEE, GOVERNMENT = "000.00.00.T01", "000.00.00.G22"
Capture = Callable[..., Any]


@pytest.fixture(scope="module")
def simulator() -> Iterator[AxisSimulator]:
    store = AxisStore()
    store.register(code=COMMITTEE, name="Ủy ban nhân dân tỉnh Thử", secret="secret-a")
    store.register(code=GOVERNMENT, name="Văn phòng Chính phủ", secret="secret-b")
    running = AxisSimulator(store).start()
    yield running
    running.stop()
    store.close()


@pytest.fixture(scope="module")
def instance_b(
    simulator: AxisSimulator,
    tmp_path_factory: pytest.TempPathFactory,
    signing_settings: None,
    django_db_setup: None,
    django_db_blocker: Any,
) -> Iterator[Instance]:
    directory = tmp_path_factory.mktemp("instance-b")
    with django_db_blocker.unblock(), second_database(directory) as url:
        instance = Instance(
            directory=Path(directory),
            code=GOVERNMENT,
            axis_url=simulator.base_url,
            secret="secret-b",
            database_url=url,
        )
        instance.set_up()
        instance.serve()
        try:
            yield instance
        finally:
            instance.stop()


def signed_decision(province: Province) -> OutgoingDocument:
    """A decision drafted in the composer, signed by the leader and sealed by the clerk."""
    kind = document_type(None, "quyet-dinh")
    assert kind is not None
    document = outgoing_compose(
        actor=province.specialist,
        agency=province.agency,
        drafting_unit=province.vx,
        composition=Composition(
            document_type=kind,
            subject="Về việc phê duyệt kế hoạch chuyển đổi số năm 2027",
            signer=province.leader,
            signer_position="Phó Chủ tịch",
            delegation="KT.",
            on_behalf_of="Chủ tịch",
            authority="Chủ tịch Ủy ban nhân dân tỉnh Thử",
            articles=("Phê duyệt kế hoạch.", "Quyết định có hiệu lực từ ngày ký."),
            recipient_lines=("Văn phòng Chính phủ;",),
            recipients=(RecipientInput(name="Văn phòng Chính phủ", organ_id=GOVERNMENT),),
        ),
    )
    for action, actor in (
        (A.SUBMIT, province.specialist),
        (A.APPROVE_CONTENT, province.vx_leader),
        (A.APPROVE_FORMAT, province.clerk),
    ):
        document = outgoing_transition(actor=actor, document=document, action=action)
    document = outgoing_sign(actor=province.leader, document=document, delegation="KT.")
    document = outgoing_transition(actor=province.clerk, document=document, action=A.REGISTER)
    document = outgoing_agency_seal(actor=province.clerk, document=document)
    return outgoing_issue(actor=province.clerk, document=document)


def test_two_instances_exchange_through_the_axis(
    province: Province,
    simulator: AxisSimulator,
    instance_b: Instance,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    b = instance_b
    axis_a = HttpAxis(
        base_url=simulator.base_url, organ_id=COMMITTEE, secret="secret-a", timeout=10
    )

    def a_polls() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            exchange_poll(axis=axis_a)

    def status_at_b(document: OutgoingDocument, kind: int = BusinessType.NEW) -> str:
        return SentPackage.objects.get(outgoing=document, business_type=kind).receiver_status

    with override_settings(
        EGOV_AXIS_URL=simulator.base_url, EGOV_AXIS_ORGAN_ID=COMMITTEE, EGOV_AXIS_SECRET="secret-a"
    ):
        to_b = {GOVERNMENT: "Văn phòng Chính phủ"}
        decision = signed_decision(province)
        recalled = issue_to(province, to_b, subject="Về việc báo cáo sơ kết quý IV")
        earlier = issue_to(province, to_b, subject="Kế hoạch hội nghị (bản cũ)")
        assert exchange_send_due(axis=axis_a).sent == 3

        # B's cron: poll, record, say "đã đến".
        b.manage("exchange_run")
        inbox = b.api("GET", "/incoming-documents?status=received", "b-clerk")["items"]
        by_subject = {item["subject"]: item["id"] for item in inbox}
        assert sorted(by_subject) == sorted([decision.subject, recalled.subject, earlier.subject])
        arrived = b.api("GET", f"/incoming-documents/{by_subject[decision.subject]}", "b-clerk")
        assert (arrived["source"], arrived["status"], arrived["organ_id"]) == (
            "exchange",
            "received",
            COMMITTEE,
        )
        assert (arrived["code_number"], arrived["code_notation"]) == (
            f"{decision.code_number:02d}",
            decision.code_notation,
        )
        verdict = arrived["signature_verdict"]
        assert verdict["verdict"] == "valid"
        assert [s["verdict"] for s in verdict["signatures"]] == ["valid", "valid"]
        assert verdict["signatures"][0]["signer"] == "Lê Văn Dũng"
        a_polls()
        assert {status_at_b(d) for d in (decision, recalled, earlier)} == {"01"}

        # B accepts (registers), assigns to its division, and the division completes it.
        number = by_subject[decision.subject]
        b.api("POST", f"/incoming-documents/{number}/register", "b-clerk", json={})
        distributed = b.api(
            "POST",
            f"/incoming-documents/{number}/distribute",
            "b-leader",
            json={"lead": {"person": b.keys["b-handler:user"]}},
        )
        [assignment] = distributed["assignments"]
        b.api(
            "POST",
            f"/incoming-documents/{number}/assignments/{assignment['id']}/complete",
            "b-handler",
            json={"note": "Đã triển khai"},
        )
        b.manage("exchange_run")
        a_polls()
        assert status_at_b(decision) == "06"
        codes = StatusMessage.objects.filter(direction="in", sent__outgoing=decision).values_list(
            "code", flat=True
        )
        assert list(codes.order_by("id")) == ["01", "03", "04", "06"]

        # A recalls one document and replaces another.
        exchange_recall(actor=province.clerk, document=recalled, reason="Ban hành nhầm")

        def declare(document: OutgoingDocument) -> None:
            exchange_declare_replacement(
                actor=province.clerk,
                document=document,
                replaces=earlier,
                kind=BusinessType.REPLACE,
                reason="Sửa thời gian hội nghị",
            )

        later = issue_to(
            province, to_b, subject="Kế hoạch hội nghị (bản mới)", before_issue=declare
        )
        assert exchange_send_due(axis=axis_a).sent == 2
        b.manage("exchange_run")
        recall_id = SentPackage.objects.get(outgoing=recalled, business_type=0).document_id
        b.manage(
            "exchange_recall_answer", recall_id, "--agency", GOVERNMENT, "--agree", "--as", "b.hoa"
        )
        b.manage("exchange_run")
        a_polls()
        assert status_at_b(recalled, BusinessType.RECALL) == "15"
        assert status_at_b(later, BusinessType.REPLACE) == "01"

    def state_at_b(subject: str) -> str:
        return str(b.api("GET", f"/incoming-documents/{by_subject[subject]}", "b-clerk")["status"])

    assert state_at_b(recalled.subject) == "recalled"
    assert state_at_b(earlier.subject) == "replaced"
    assert state_at_b(decision.subject) == "completed"
    newest = b.api("GET", "/incoming-documents?status=received", "b-clerk")["items"]
    assert [item["subject"] for item in newest] == ["Kế hoạch hội nghị (bản mới)"]
    # Nothing is left pending on the axis for either side.
    assert axis_a.pending() == []
    assert (
        HttpAxis(base_url=simulator.base_url, organ_id=GOVERNMENT, secret="secret-b").pending()
        == []
    )
