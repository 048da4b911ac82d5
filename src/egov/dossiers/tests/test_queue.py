import datetime as dt

import pytest
import time_machine

from egov.dossiers.selectors import QueueCounts, QueueFilters, queue_counts, work_queue
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def test_queue_orders_by_due_colours_and_scopes_by_unit(
    quang_ninh, client, settings, django_assert_max_num_queries
):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    receptionist = user("tinh.tiepnhan")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        late = dossier_receive(actor=receptionist, reception=reception("2.000884"))  # due 2/3 17:00
        soon = dossier_receive(actor=receptionist, reception=reception("1.001612"))  # due 5/3 17:00
        later = dossier_receive(
            actor=receptionist, reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
    with time_machine.travel(at(2026, 3, 5, 9, 0), tick=False):
        rows = work_queue(receptionist)
        assert [r.dossier.pk for r in rows] == [late.pk, soon.pk, later.pk]
        assert [r.urgency for r in rows] == ["overdue", "due_soon", "in_time"]
        assert work_queue(user("honggai.tiepnhan")) == []  # another unit
        assert [r.dossier.pk for r in work_queue(user("tinh.chuyenvien"))] == [
            later.pk
        ]  # Sở Tư pháp
        found = work_queue(receptionist, filters=QueueFilters(search=soon.code))
        assert [r.dossier.pk for r in found] == [soon.pk]
        client.force_login(receptionist)
        with django_assert_max_num_queries(12):
            html = client.get("/staff/ho-so/").content.decode()
        assert html.index(late.code) < html.index(soon.code) < html.index(later.code)
        assert "Quá hạn" in html and "Sắp đến hạn" in html
        for _ in range(5):
            dossier_receive(actor=receptionist, reception=reception("2.000884"))
        with django_assert_max_num_queries(12):
            client.get("/staff/ho-so/")


def test_queue_filters_and_personal_queue_on_the_page(
    quang_ninh, client, settings, django_assert_max_num_queries
):
    from egov.dossiers.services.transitions import dossier_transition

    settings.EGOV_REQUIRE_STAFF_MFA = False
    receptionist = user("tinh.tiepnhan")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        late = dossier_receive(actor=receptionist, reception=reception("2.000884"))
        posted = dossier_receive(
            actor=receptionist, reception=reception("1.001612", channel="online")
        )
        mine = dossier_receive(
            actor=receptionist, reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
        mine = dossier_transition(actor=receptionist, dossier=mine, action="hand_off")
        dossier_transition(
            actor=user("tinh.lanhdaophong"),
            dossier=mine,
            action="assign",
            data={"assignee": "tinh.chuyenvien"},
        )
    with time_machine.travel(at(2026, 3, 5, 9, 0), tick=False):
        client.force_login(receptionist)

        def codes(**params):
            html = client.get("/staff/ho-so/", params).content.decode()
            return {d.code for d in (late, posted, mine) if d.code in html}

        assert codes() == {late.code, posted.code, mine.code}
        assert codes(**{"han": "overdue"}) == {late.code}
        assert codes(**{"han": "due_soon"}) == {posted.code}
        assert codes(**{"han": "in_time"}) == {mine.code}
        assert codes(**{"kenh": "online"}) == {posted.code}
        assert codes(**{"trang-thai": "processing"}) == {mine.code}
        assert codes(**{"trang-thai": "khong-co", "han": "?"}) == codes()  # ignored, not a 500
        assert codes(**{"cua-toi": "1"}) == set()
        client.force_login(user("tinh.chuyenvien"))
        with django_assert_max_num_queries(12):
            page = client.get("/staff/ho-so/", {"cua-toi": "1"}).content.decode()
        assert mine.code in page and "Lê Minh Chi" in page and posted.code not in page
        assert "Hồ sơ được giao cho tôi" in page


def test_the_staff_home_page_counts_what_needs_attention(quang_ninh, client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    receptionist = user("tinh.tiepnhan")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier_receive(actor=receptionist, reception=reception("2.000884"))  # due 2/3 17:00
        dossier_receive(actor=receptionist, reception=reception("1.001612"))  # due 5/3 17:00
    with time_machine.travel(at(2026, 3, 5, 9, 0), tick=False):
        handed = dossier_receive(
            actor=receptionist, reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
        handed = dossier_transition(actor=receptionist, dossier=handed, action="hand_off")
        dossier_transition(
            actor=user("tinh.lanhdaophong"),
            dossier=handed,
            action="assign",
            data={"assignee": "tinh.chuyenvien"},
        )
        assert queue_counts(receptionist) == QueueCounts(
            received_today=1, overdue=1, due_soon=1, mine=0
        )
        assert queue_counts(user("tinh.chuyenvien")) == QueueCounts(
            received_today=1, overdue=0, due_soon=0, mine=1
        )
        assert queue_counts(user("honggai.tiepnhan")) == QueueCounts(0, 0, 0, 0)
        client.force_login(receptionist)
        html = client.get("/staff/").content.decode()
        assert '<a href="/staff/ho-so/?han=overdue"><strong>1</strong> quá hạn</a>' in html
        assert "<li><strong>1</strong> tiếp nhận hôm nay</li>" in html


def test_the_queue_marks_dossiers_whose_quoted_fee_is_not_collected(quang_ninh, client, settings):
    from egov.dossiers.services.payments import dossier_record_fee

    settings.EGOV_REQUIRE_STAFF_MFA = False
    receptionist = user("tinh.tiepnhan")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier = dossier_receive(
            actor=receptionist, reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
    assert dossier.fee_quoted == 200_000
    with time_machine.travel(at(2026, 3, 3, 9, 0), tick=False):
        assert [r.fee_short for r in work_queue(receptionist)] == [True]
        client.force_login(receptionist)
        assert (
            'data-testid="fee-short">chưa thu đủ phí</strong>'
            in client.get("/staff/ho-so/").content.decode()
        )
        dossier_record_fee(actor=receptionist, dossier=dossier, amount=150_000, method="cash")
        assert [r.fee_short for r in work_queue(receptionist)] == [True]
        dossier_record_fee(actor=receptionist, dossier=dossier, amount=50_000, method="cash")
        assert [r.fee_short for r in work_queue(receptionist)] == [False]
        assert 'data-testid="fee-short"' not in client.get("/staff/ho-so/").content.decode()
