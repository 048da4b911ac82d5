"""The work queue in pages (keyset on due time then id), its count, and its search: codes by
their beginning, names without diacritics (issue 13, point 5)."""

import base64
import datetime as dt
import re

import pytest
import time_machine

from egov.dossiers.selectors import QueueCursor, QueueFilters, work_queue, work_queue_page
from egov.dossiers.services.payments import dossier_record_fee
from egov.dossiers.services.reception import Applicant, dossier_receive
from egov.dossiers.tests.helpers import PROVINCIAL, reception, user
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db

BINH = Applicant(kind="citizen", name="Trần Thị Bình", personal_id="022084000456")
DUNG = Applicant(kind="citizen", name="Đặng Văn Dũng", personal_id="022084000789")


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def receive(code="2.000884", applicant=None, count=1):
    receptionist = user("tinh.tiepnhan")
    kwargs = {"applicant": applicant} if applicant else {}
    return [
        dossier_receive(actor=receptionist, reception=reception(code, **kwargs))
        for _ in range(count)
    ]


def test_pages_follow_the_due_time_then_the_id_with_a_cursor(quang_ninh):
    receptionist = user("tinh.tiepnhan")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        later = receive("1.001612")  # due 5/3 17:00
        same_due = receive("2.000884", count=4)  # all due 2/3 17:00: in the order of their ids
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        first = work_queue_page(receptionist, per_page=2)
        assert [r.dossier.pk for r in first.rows] == [same_due[0].pk, same_due[1].pk]
        assert (first.total, first.first, first.last) == (5, 1, 2)
        cursor = QueueCursor.decode(first.next_cursor)
        assert cursor == QueueCursor(same_due[1].due_at, same_due[1].pk, 2)
        second = work_queue_page(receptionist, per_page=2, cursor=cursor)
        assert [r.dossier.pk for r in second.rows] == [same_due[2].pk, same_due[3].pk]
        assert (second.total, second.first, second.last) == (5, 3, 4)
        third = work_queue_page(
            receptionist, per_page=2, cursor=QueueCursor.decode(second.next_cursor)
        )
        assert [r.dossier.pk for r in third.rows] == [later[0].pk]
        assert (third.first, third.next_cursor) == (5, "")
        # A filter applies to every page and to the count.
        overdue = QueueFilters(urgency="overdue")
        page = work_queue_page(receptionist, filters=overdue, per_page=3)
        assert (page.total, len(page.rows)) == (4, 3)
        rest = work_queue_page(
            receptionist, filters=overdue, per_page=3, cursor=QueueCursor.decode(page.next_cursor)
        )
        assert [r.dossier.pk for r in rest.rows] == [same_due[3].pk] and rest.next_cursor == ""


def test_the_cursor_is_an_opaque_checked_token():
    due = dt.datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=dt.UTC)
    token = QueueCursor(due, 42, 50).encode()
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert QueueCursor.decode(token) == QueueCursor(due, 42, 50)
    assert QueueCursor.decode(QueueCursor(None, 7, 100).encode()) == QueueCursor(None, 7, 100)

    def token_of(raw):
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    for bad in (
        "",
        "abc",
        "!!!",
        "x" * 81,
        token_of("1.2"),
        token_of("a.1.2"),
        token_of("1.-2.0"),
        token_of("99999999999999999999.1.0"),  # past year 9999
        token_of("1.2.3 "),
    ):
        assert QueueCursor.decode(bad) is None, bad


def test_name_search_ignores_diacritics_and_codes_are_found_by_their_beginning(quang_ninh):
    receptionist = user("tinh.tiepnhan")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        (an,) = receive()
        (binh,) = receive(applicant=BINH)
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        (dung,) = receive("1.001612", applicant=DUNG)  # …-260303-0001

    def found(text):
        return [r.dossier.pk for r in work_queue(receptionist, filters=QueueFilters(search=text))]

    with time_machine.travel(at(2026, 3, 4, 9, 0), tick=False):
        for text in ("binh", "Bình", "BÌNH", "bin", "thi binh", "binh tran", "  trần  "):
            assert found(text) == [binh.pk], text
        assert found("dang dung") == [dung.pk]  # đ is d
        assert found("inh") == found("thi binh x") == found("binh an") == []
        assert found("nguyen van an") == [an.pk]
        # Codes: whole, their beginning, in any case; the receiving unit's prefix finds all.
        assert found(dung.code) == [dung.pk]
        assert dung.code.endswith("-260303-0001")
        assert found(dung.code.lower()) == found(dung.code[:-5].lower()) == [dung.pk]
        assert found(dung.code[:-7]) == [an.pk, binh.pk, dung.pk]  # …-2603
        assert found("000.00.89.h49-") == [an.pk, binh.pk, dung.pk]
        assert found("000.00.89.H48") == []
        assert found("022084000456") == [binh.pk]  # personal ID, exact
        assert found("02208400045") == []
        assert found("\x00binh") == [binh.pk]
        page = work_queue_page(receptionist, filters=QueueFilters(search="binh"))
        assert (page.total, page.next_cursor) == (1, "")


def test_the_queue_page_counts_pages_keeps_filters_and_marks_fees(
    quang_ninh, client, settings, django_assert_max_num_queries
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    receptionist = user("tinh.tiepnhan")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        overdue = receive(count=52)  # due 2/3 17:00
        (fee,) = receive(PROVINCIAL)  # the latest due; 200.000 đồng not collected
        paid = overdue[51]
        dossier_record_fee(actor=receptionist, dossier=paid, amount=paid.fee_quoted, method="cash")
    with time_machine.travel(at(2026, 3, 5, 9, 0), tick=False):
        client.force_login(receptionist)
        with django_assert_max_num_queries(12):
            html = client.get("/staff/ho-so/").content.decode()
        assert "<strong>53 hồ sơ</strong> · đang hiện 1–50" in html
        assert all(d.code in html for d in overdue[:50])
        assert overdue[50].code not in html and fee.code not in html
        assert "Trang đầu" not in html
        link = re.search(r'<a href="\?sau=([A-Za-z0-9_-]+)" rel="next">Trang sau →</a>', html)
        assert link and QueueCursor.decode(link.group(1)) == QueueCursor(
            overdue[49].due_at, overdue[49].pk, 50
        )
        with django_assert_max_num_queries(12):
            html = client.get("/staff/ho-so/", {"sau": link.group(1)}).content.decode()
        assert "<strong>53 hồ sơ</strong> · đang hiện 51–53" in html
        assert html.index(overdue[50].code) < html.index(overdue[51].code) < html.index(fee.code)
        assert overdue[49].code not in html and 'rel="next"' not in html
        # The "chưa thu đủ phí" mark, on the rows of the second page whose fee is not paid.
        rows = html.split('<tr class="urgency-')[1:]
        marked = [d.code for d in (overdue[50], paid, fee) for row in rows if d.code in row]
        assert marked == [overdue[50].code, paid.code, fee.code]
        assert ['data-testid="fee-short"' in row for row in rows] == [True, False, True]
        assert '<a href="?" rel="first">← Trang đầu</a>' in html

        # The filters travel with the next link, and apply to the count.
        html = client.get("/staff/ho-so/", {"han": "overdue"}).content.decode()
        assert "<strong>52 hồ sơ</strong> · đang hiện 1–50" in html
        link = re.search(r'<a href="\?han=overdue&amp;sau=([A-Za-z0-9_-]+)" rel="next">', html)
        assert link
        html = client.get("/staff/ho-so/", {"han": "overdue", "sau": link.group(1)}).content
        html = html.decode()
        assert "đang hiện 51–52" in html and fee.code not in html
        assert '<a href="?han=overdue" rel="first">' in html

        # A broken or made-up cursor: the first page and a message, never an error.
        for bad in ("xyz", "%00", "A" * 200, "MS4yLg"):
            response = client.get("/staff/ho-so/", {"sau": bad})
            assert response.status_code == 200
            html = response.content.decode()
            assert "Liên kết trang không hợp lệ hoặc đã cũ; đang hiện trang đầu." in html
            assert "đang hiện 1–50" in html

        html = client.get("/staff/ho-so/", {"q": "khong co ai"}).content.decode()
        assert "<strong>0 hồ sơ</strong>" in html and "Không có hồ sơ nào cần xử lý." in html


def test_count_text_past_the_cap():
    from egov.workspace.views.queue import _count_text

    assert _count_text(0) == "0 hồ sơ"
    assert _count_text(151) == "151 hồ sơ"
    assert _count_text(1000) == "1.000 hồ sơ"
    assert _count_text(1001) == "Hơn 1.000 hồ sơ"
