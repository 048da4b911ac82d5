"""The queue's pages: kiosk → paper ticket → follow-up page; the board's fragment and its
304; the counter screen from opening to a reception prefilled from the number; the leader's
page; who may see what."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from egov.centre.models import Counter, ServiceLine, Ticket
from egov.centre.services import counter_open, ticket_call_next, ticket_issue
from egov.dossiers.tests.helpers import user
from egov.workdays.engine import VIETNAM_TZ

MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM_TZ)
KIOSK = reverse("portal:queue_kiosk", kwargs={"centre": "qn.ttpvhcc"})
BOARD = reverse("portal:queue_board_calls", kwargs={"centre": "qn.ttpvhcc"})


@pytest.fixture
def clock(quang_ninh, settings) -> Iterator[Any]:
    settings.EGOV_REQUIRE_STAFF_MFA = False
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def line(code: str) -> ServiceLine:
    return ServiceLine.objects.get(centre__key="qn.ttpvhcc", code=code)


@pytest.mark.django_db
def test_kiosk_gives_a_printable_ticket_with_a_qr_to_follow_it(client, clock):
    page = client.get(KIOSK)
    assert page.status_code == 200
    assert b'value="U"' in page.content and "Lấy số thứ tự" in page.content.decode()
    taken = client.post(KIOSK, {"line": "A", "phone": "", "name": ""})
    ticket = Ticket.objects.get()
    assert taken.status_code == 302
    assert taken["Location"] == reverse("portal:queue_receipt", kwargs={"key": ticket.track_key})
    receipt = client.get(taken["Location"]).content.decode()
    assert 'data-testid="ticket-number">A001<' in receipt
    assert "data:image/svg+xml;base64," in receipt
    assert f"/xep-hang/luot/{ticket.track_key}/" in receipt
    follow = client.get(reverse("portal:queue_ticket", kwargs={"key": ticket.track_key}))
    assert 'data-testid="track-ahead">Trước ông/bà còn 0 người.' in follow.content.decode()


@pytest.mark.django_db
def test_kiosk_refusals_are_clear(client, clock):
    assert client.post(KIOSK, {"line": "Z"}).status_code == 400
    bad_phone = client.post(KIOSK, {"line": "A", "phone": "123"})
    assert bad_phone.status_code == 400
    assert "không hợp lệ" in bad_phone.content.decode()
    assert not Ticket.objects.exists()
    assert client.get("/xep-hang/khong-co/").status_code == 404
    assert client.get("/xep-hang/luot/khong-co/").status_code == 404


@pytest.mark.django_db
def test_board_fragment_answers_304_until_a_number_is_called(client, clock, settings):
    settings.EGOV_QUEUE_BOARD_CACHE_SECONDS = 0
    ticket_issue(actor=None, line=line("A"))
    first = client.get(BOARD)
    assert first.status_code == 200 and "Chưa gọi số nào" in first.content.decode()
    assert first["Cache-Control"] == "no-cache"
    same = client.get(BOARD, headers={"If-None-Match": first["ETag"]})
    assert same.status_code == 304 and same.content == b""
    session = counter_open(
        actor=user("tinh.tiepnhan"), counter=Counter.objects.get(centre__key="qn.ttpvhcc", number=1)
    )
    clock.shift(5)
    ticket_call_next(actor=user("tinh.tiepnhan"), session=session)
    changed = client.get(BOARD, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    body = changed.content.decode()
    assert '<td class="board-number">A001</td><td class="board-counter">1</td>' in body
    assert 'data-say="Mời số A 0 0 1 đến quầy số 1"' in body
    assert changed["Last-Modified"]
    assert client.get(BOARD, headers={"If-None-Match": changed["ETag"]}).status_code == 304
    since = client.get(BOARD, headers={"If-Modified-Since": changed["Last-Modified"]})
    assert since.status_code == 304


@pytest.mark.django_db
def test_counter_screen_to_a_prefilled_reception(client, clock):
    ticket = ticket_issue(actor=None, line=line("A"), phone="0912345678", name="Nguyễn Văn An")
    client.force_login(user("tinh.tiepnhan"))
    screen = client.get(reverse("workspace:counter_screen"))
    assert 'data-testid="open-counter-1"' in screen.content.decode()
    action = reverse("workspace:counter_action")
    counter = Counter.objects.get(centre__key="qn.ttpvhcc", number=1)
    client.post(action, {"action": "open", "counter": counter.pk})
    client.post(action, {"action": "next"})
    screen = client.get(reverse("workspace:counter_screen")).content.decode()
    assert 'data-testid="counter-current">A001<' in screen
    again = client.post(action, {"action": "next"}, follow=True).content.decode()
    assert "Số A001 vẫn đang ở quầy" in again
    start = client.post(reverse("workspace:counter_reception", kwargs={"pk": ticket.pk}))
    assert start["Location"] == f"{reverse('workspace:reception')}?luot={ticket.pk}"
    assert Ticket.objects.get().state == "serving"
    pick = client.get(start["Location"] + "&q=khai+sinh").content.decode()
    assert "Tiếp nhận từ số thứ tự A001" in pick
    assert f"&amp;luot={ticket.pk}" in pick
    code = pick.split("?thu-tuc=")[1].split("&amp;")[0]
    form = client.get(f"{reverse('workspace:reception')}?thu-tuc={code}&luot={ticket.pk}")
    assert form.context["form"].initial == {
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912 345 678",
    }
    assert "Tiếp nhận từ số thứ tự A001" in form.content.decode()


@pytest.mark.django_db
def test_another_centre_cannot_work_or_probe_the_number(client, clock):
    ticket = ticket_issue(actor=None, line=line("A"), name="Nguyễn Văn An")
    client.force_login(user("honggai.tiepnhan"))
    form = client.get(f"{reverse('workspace:reception')}?luot={ticket.pk}")
    assert form.context["ticket"] is None
    refused = client.post(reverse("workspace:counter_reception", kwargs={"pk": ticket.pk}))
    assert refused.status_code == 404
    skip = {"action": "skip", "ticket": ticket.pk}
    assert client.post(reverse("workspace:counter_action"), skip).status_code == 302
    assert Ticket.objects.get().state == "waiting"


@pytest.mark.django_db
def test_leader_sees_the_queue_of_today(client, clock):
    ticket_issue(actor=None, line=line("A"))
    client.force_login(user("tinh.lanhdaotrungtam"))
    page = client.get(reverse("workspace:queue_today"))
    assert page.status_code == 200
    assert page.context["measures"].issued == 1
    assert "<td>A001</td>" in page.content.decode()
    client.force_login(user("tinh.tiepnhan"))
    assert client.get(reverse("workspace:queue_today")).status_code == 403
    client.force_login(user("tinh.lanhdaotrungtam"))
    assert client.get(reverse("workspace:counter_screen")).status_code == 403


@pytest.mark.django_db
def test_a_ward_administrator_sets_up_only_its_own_centre(client, clock):
    client.force_login(user("honggai.quantri"))
    counters = client.get("/admin/centre/counter/").context["cl"].result_list
    assert {c.centre.key for c in counters} == {"qn.x.hong-gai.ttpvhcc"}
    lines = client.get("/admin/centre/serviceline/").context["cl"].result_list
    assert {line.centre.key for line in lines} == {"qn.x.hong-gai.ttpvhcc"}
    provincial = Counter.objects.get(centre__key="qn.ttpvhcc", number=1)
    assert client.get(f"/admin/centre/counter/{provincial.pk}/change/").status_code == 302
    form = client.get("/admin/centre/counter/add/").context["adminform"].form
    assert {u.key for u in form.fields["centre"].queryset} == {"qn.x.hong-gai.ttpvhcc"}
    client.force_login(user("tinh.quantri"))
    everything = client.get("/admin/centre/counter/").context["cl"]
    assert everything.full_result_count == Counter.objects.count()


@pytest.mark.django_db
def test_a_worker_reuses_the_board_state_for_a_second(client, clock, settings):
    settings.EGOV_QUEUE_BOARD_CACHE_SECONDS = 1
    first = client.get(BOARD)
    session = counter_open(
        actor=user("tinh.tiepnhan"),
        counter=Counter.objects.get(centre__key="qn.ttpvhcc", number=1),
    )
    ticket_issue(actor=None, line=line("A"))
    ticket_call_next(actor=user("tinh.tiepnhan"), session=session)
    # Within the second the poll still answers from the state it had (at most 1 s late).
    assert client.get(BOARD, headers={"If-None-Match": first["ETag"]}).status_code == 304
    time.sleep(1.1)
    assert client.get(BOARD, headers={"If-None-Match": first["ETag"]}).status_code == 200
