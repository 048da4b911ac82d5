"""The văn thư's pages: exchanged documents waiting in "chờ tiếp nhận" with accept and refuse,
recalls to answer, the per-recipient axis status on the outgoing document's page; and the
indicator's count of documents exchanged electronically."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from egov.contrib.axis.headers import read_header
from egov.documents.models import IncomingDocument, IncomingSource, IncomingStatus
from egov.documents.tests.conftest import Province
from egov.exchange.models import BusinessType, ReceivedPackage, SentPackage
from egov.exchange.packaging import document_package
from egov.exchange.selectors import ExchangedCount, exchanged_documents
from egov.exchange.services.inbox import exchange_poll
from egov.exchange.services.outbox import exchange_recall
from egov.exchange.tests.conftest import COMMITTEE, DEPARTMENT, MINISTRY, World
from egov.exchange.tests.flows import issue_to
from egov.exchange.tests.test_exchange import TAMPERED, cycle

Capture = Callable[..., Any]
pytestmark = pytest.mark.usefixtures("signing_settings")


@pytest.fixture(autouse=True)
def _no_mfa(settings: Any) -> None:
    settings.EGOV_REQUIRE_STAFF_MFA = False


def test_clerk_accepts_from_the_exchange_inbox(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    document = issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    cycle(world, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(province.other_clerk)
    page = client.get(reverse("workspace:exchange_inbox"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Văn bản liên thông chờ tiếp nhận" in html
    assert document.subject in html
    incoming = IncomingDocument.objects.get(source=IncomingSource.EXCHANGE)
    answer = client.post(
        reverse("workspace:incoming_action", args=[incoming.pk]),
        {"action": "register", "revision": incoming.revision},
    )
    assert answer.status_code == 302
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.REGISTERED
    assert document.subject not in client.get(reverse("workspace:exchange_inbox")).content.decode()
    # The sender's page shows what the receiver said, once the status came back.
    cycle(world, django_capture_on_commit_callbacks)
    sender = Client()
    sender.force_login(province.clerk)
    detail = sender.get(reverse("workspace:outgoing", args=[document.pk])).content.decode()
    assert "Trục liên thông" in detail
    assert "Đã tiếp nhận" in detail
    assert "(000.00.00.T02)" in detail


def test_invalid_packages_are_listed_for_the_receiving_clerk_only(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    document = issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"}, subject="Bản gốc")
    package = document_package(SentPackage.objects.get(outgoing=document))
    tampered = package.replace("Bản gốc".encode(), "Bản sửa".encode())
    world.simulator.store.store(read_header(tampered, "edoc"), tampered, sent_by=COMMITTEE)
    with django_capture_on_commit_callbacks(execute=True):
        exchange_poll(axis=world.axis)
    row = ReceivedPackage.objects.get(state="invalid")
    client = Client()
    client.force_login(province.other_clerk)
    html = client.get(reverse("workspace:exchange_inbox")).content.decode()
    # The table is in the page's body, once; the title is the page's name only.
    assert html.count('data-testid="exchange-invalid"') == 1
    title = html[html.index("<title>") + len("<title>") : html.index("</title>")]
    assert title.startswith("Văn bản liên thông chờ tiếp nhận — ")
    assert "<" not in title
    assert html.index('data-testid="exchange-invalid"') > html.index("</head>")
    table = html[html.index('data-testid="exchange-invalid"') :]
    assert f"<td>{COMMITTEE}</td>" in table
    assert row.document_id in table
    assert timezone.localtime(row.received_at).strftime("%H:%M %d/%m/%Y") in table
    assert TAMPERED in table
    assert "Bản sửa" not in html  # the package's content is not shown
    other = Client()
    other.force_login(province.clerk)  # the sender agency's clerk
    html = other.get(reverse("workspace:exchange_inbox")).content.decode()
    table = html[html.index('data-testid="exchange-invalid"') :]
    assert row.document_id not in table
    assert "Không có gói tin không hợp lệ nào." in table


def test_clerk_answers_a_recall_and_others_cannot(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    document = issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    cycle(world, django_capture_on_commit_callbacks)
    exchange_recall(actor=province.clerk, document=document, reason="Ban hành nhầm")
    cycle(world, django_capture_on_commit_callbacks)
    request = ReceivedPackage.objects.get(business_type=BusinessType.RECALL)
    url = reverse("workspace:exchange_recall_answer", args=[request.pk])
    outsider = Client()
    outsider.force_login(province.clerk)  # the sender's clerk, not the receiver's
    assert outsider.post(url, {"answer": "agree"}).status_code == 404
    client = Client()
    client.force_login(province.other_clerk)
    assert "Ban hành nhầm" in client.get(reverse("workspace:exchange_inbox")).content.decode()
    refused = client.post(url, {"answer": "refuse", "reason": ""}, follow=True)
    assert "Cần ghi rõ lý do từ chối thu hồi." in refused.content.decode()
    client.post(url, {"answer": "agree"})
    request.refresh_from_db()
    assert request.state == "recall_agreed"
    assert IncomingDocument.objects.get(source="exchange").status == IncomingStatus.RECALLED


@pytest.mark.parametrize("agree", [True, False])
def test_sender_recalls_once_and_sees_each_answer(
    province: Province,
    world: World,
    django_capture_on_commit_callbacks: Capture,
    agree: bool,
) -> None:
    document = issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"})
    cycle(world, django_capture_on_commit_callbacks)
    sender = Client()
    sender.force_login(province.clerk)
    page = reverse("workspace:outgoing", args=[document.pk])
    url = reverse("workspace:exchange_recall_send", args=[document.pk])
    assert 'data-testid="axis-recall-form"' in sender.get(page).content.decode()
    outsider = Client()
    outsider.force_login(province.other_clerk)  # the receiver's clerk cannot see the document
    assert outsider.post(url, {"reason": "Ban hành nhầm"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        answer = sender.post(url, {"reason": "Ban hành nhầm"}, follow=True)
    html = answer.content.decode()
    assert "Đã gửi đề nghị thu hồi tới 1 nơi nhận." in html
    assert 'data-answer="pending"' in html
    assert "Chờ nơi nhận trả lời" in html
    assert 'data-testid="axis-recall-form"' not in html
    # A second recall while the first waits is refused with a clear message.
    again = sender.post(url, {"reason": "Lần nữa"}, follow=True).content.decode()
    assert (
        "Văn bản đang có đề nghị thu hồi chờ nơi nhận trả lời; không gửi đề nghị thu hồi lần nữa."
    ) in again
    assert SentPackage.objects.filter(outgoing=document, business_type=1).count() == 1
    cycle(world, django_capture_on_commit_callbacks)
    request = ReceivedPackage.objects.get(business_type=BusinessType.RECALL)
    receiver = Client()
    receiver.force_login(province.other_clerk)
    receiver.post(
        reverse("workspace:exchange_recall_answer", args=[request.pk]),
        {"answer": "agree"} if agree else {"answer": "refuse", "reason": "Đã thực hiện"},
    )
    cycle(world, django_capture_on_commit_callbacks)
    html = sender.get(page).content.decode()
    table = html[html.index('data-testid="axis-recalls"') :]
    if agree:
        assert 'data-answer="agreed"' in table
        assert "Nơi nhận đồng ý thu hồi" in table
    else:
        assert 'data-answer="refused"' in table
        assert "Nơi nhận từ chối thu hồi" in table
        assert "Đã thực hiện" in table
    assert "Ban hành nhầm" in table
    assert 'data-testid="axis-recall-form"' not in html
    # The recipient answered: one recall per recipient and DocumentId.
    last = sender.post(url, {"reason": "Lần nữa"}, follow=True).content.decode()
    assert "Mọi nơi nhận đã trả lời đề nghị thu hồi văn bản này." in last


def test_exchanged_documents_are_counted_per_agency(
    province: Province, world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử", MINISTRY: "Văn phòng Chính phủ"})
    issue_to(province, {DEPARTMENT: "Sở Nội vụ tỉnh Thử"}, subject="Văn bản thứ hai")
    cycle(world, django_capture_on_commit_callbacks)
    now = timezone.now()
    counts = exchanged_documents(start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=1))
    assert counts == [
        ExchangedCount(agency_id=province.agency.pk, sent=3, received=0),
        ExchangedCount(agency_id=province.other.pk, sent=0, received=2),
    ]
    assert counts[0].total == 3
    only = exchanged_documents(
        start=now - dt.timedelta(hours=1),
        end=now + dt.timedelta(hours=1),
        agencies=[province.other],
    )
    assert only == [ExchangedCount(agency_id=province.other.pk, sent=0, received=2)]
    assert (
        exchanged_documents(start=now + dt.timedelta(hours=1), end=now + dt.timedelta(hours=2))
        == []
    )
