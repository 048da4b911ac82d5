"""A counter applicant rates the handling of their dossier at the desk's kiosk (no account):
the dossier code plus a check, the official indices' questions, one rating per dossier, and
the limits that keep the four-digit check from being guessed."""

import pytest
import time_machine

from egov.ratings.models import Rating, RatingChannel
from egov.ratings.tests.helpers import at, handled

pytestmark = pytest.mark.django_db

ANSWERS = {
    "timing": "early",
    "contacts": "0",
    "agencies": "1",
    "complaint": "no",
    "overall": "3",
}


def returned_dossier():
    return handled(
        received=at(2026, 3, 2, 9),
        hand_off=at(2026, 3, 2, 10),
        approve=at(2026, 3, 5, 10),
        returned=at(2026, 3, 6, 9),
    )


def test_a_counter_applicant_rates_at_the_kiosk(quang_ninh, client):
    dossier = returned_dossier()
    assert dossier.owner_id is None and dossier.channel == "counter"
    with time_machine.travel(at(2026, 3, 6, 9, 30), tick=False):
        page = client.get(f"/danh-gia/?ma={dossier.code}")
        assert page.status_code == 200 and f'value="{dossier.code}"' in page.content.decode()
        found = client.post("/danh-gia/", {"ma": dossier.code, "kiem_tra": "5678"})
        text = found.content.decode()
        assert found.status_code == 200
        assert "Số lần ông/bà phải liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ" in text
        assert 'data-index="7"' in text and "Đánh giá tổng thể dịch vụ" in text
        missing = client.post(
            "/danh-gia/",
            {"ma": dossier.code, "kiem_tra": "5678", "step": "submit", "timing": "early"},
        )
        assert missing.status_code == 400
        assert "Cần trả lời các câu hỏi" in missing.content.decode()
        assert not Rating.objects.exists()
        done = client.post(
            "/danh-gia/",
            {"ma": dossier.code, "kiem_tra": "5678", "step": "submit", **ANSWERS},
        )
    assert done.status_code == 200 and "Cảm ơn ông/bà đã đánh giá." in done.content.decode()
    rating = Rating.objects.get(dossier=dossier)
    assert rating.channel == RatingChannel.KIOSK
    assert rating.criteria_version == "tt01-2018"
    assert rating.scores == {"1": 2, "3": 2, "4": 1, "7": 2}
    assert rating.answers == ANSWERS
    assert rating.overall == 3
    assert rating.unit.key == "qn.so-tu-phap"
    assert set(rating.officers.values_list("username", flat=True)) == {
        "tinh.tiepnhan",
        "tinh.lanhdaophong",
        "tinh.chuyenvien",
    }


def test_without_a_phone_the_receipt_sequence_number_is_the_check(quang_ninh, client):
    from egov.dossiers.services.reception import Applicant

    with_phone = returned_dossier()
    without = handled(
        received=at(2026, 3, 2, 9, 30),
        hand_off=at(2026, 3, 2, 10),
        approve=at(2026, 3, 5, 10),
        returned=at(2026, 3, 6, 9),
        applicant=Applicant(kind="citizen", name="Trần Thị Bình", personal_id="022184000456"),
    )
    assert (with_phone.book_sequence, without.book_sequence) == (1, 2)
    assert without.applicant_phone == ""
    with time_machine.travel(at(2026, 3, 6, 9, 30), tick=False):
        page = client.post("/danh-gia/", {"ma": without.code.lower(), "kiem_tra": "0002"})
        # A dossier with a phone number is checked by the phone only.
        refused = client.post("/danh-gia/", {"ma": with_phone.code, "kiem_tra": "0001"})
    assert page.status_code == 200 and 'name="step" value="submit"' in page.content.decode()
    assert refused.status_code == 404


def test_refusals_in_vietnamese(quang_ninh, client):
    dossier = returned_dossier()
    with time_machine.travel(at(2026, 3, 6, 9, 30), tick=False):
        wrong = client.post("/danh-gia/", {"ma": dossier.code, "kiem_tra": "1234"})
        assert wrong.status_code == 404
        assert "Không tìm thấy hồ sơ hoặc thông tin kiểm tra không đúng." in wrong.content.decode()
        unknown = client.post("/danh-gia/", {"ma": "000.00.89.H49-260302-9999", "kiem_tra": "5678"})
        assert unknown.status_code == 404
        # A submit with a wrong check is refused the same way, and nothing is stored.
        forged = client.post(
            "/danh-gia/", {"ma": dossier.code, "kiem_tra": "0000", "step": "submit", **ANSWERS}
        )
        assert forged.status_code == 404 and not Rating.objects.exists()
        client.post(
            "/danh-gia/", {"ma": dossier.code, "kiem_tra": "5678", "step": "submit", **ANSWERS}
        )
        again = client.post(
            "/danh-gia/", {"ma": dossier.code, "kiem_tra": "5678", "step": "submit", **ANSWERS}
        )
    assert again.status_code == 409
    assert "Hồ sơ này đã được đánh giá." in again.content.decode()
    assert Rating.objects.count() == 1


def test_no_rating_before_the_result(quang_ninh, client):
    from egov.dossiers.services.reception import dossier_receive
    from egov.dossiers.tests.helpers import reception, user

    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        dossier = dossier_receive(
            actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
        )
        page = client.post(
            "/danh-gia/", {"ma": dossier.code, "kiem_tra": "5678", "step": "submit", **ANSWERS}
        )
    assert page.status_code == 409
    assert "Hồ sơ chưa có kết quả nên chưa đánh giá được." in page.content.decode()
    assert not Rating.objects.exists()


def test_wrong_checks_per_code_are_limited(quang_ninh, client, settings):
    settings.EGOV_RATING_KIOSK_WRONG_CHECKS_PER_HOUR = 2
    dossier = returned_dossier()
    with time_machine.travel(at(2026, 3, 6, 9, 30), tick=False):
        for check in ("1111", "2222"):
            assert (
                client.post("/danh-gia/", {"ma": dossier.code, "kiem_tra": check}).status_code
                == 404
            )
        # Even the right check is refused now: guessing four digits is not possible.
        blocked = client.post("/danh-gia/", {"ma": dossier.code, "kiem_tra": "5678"})
    assert blocked.status_code == 429
    assert "Bạn thử quá nhiều lần" in blocked.content.decode()


def test_attempts_per_client_address_are_limited(quang_ninh, client, settings):
    settings.EGOV_RATING_KIOSK_RATE_PER_MINUTE = 3
    dossier = returned_dossier()
    with time_machine.travel(at(2026, 3, 6, 9, 30), tick=False):
        codes = [
            client.post("/danh-gia/", {"ma": dossier.code, "kiem_tra": "5678"}).status_code
            for _ in range(4)
        ]
    assert codes == [200, 200, 200, 429]


def test_the_public_lookup_links_to_the_rating(quang_ninh, client):
    dossier = returned_dossier()
    page = client.get(f"/tra-cuu-ho-so/?ma={dossier.code}").content.decode()
    assert f"/danh-gia/?ma={dossier.code}" in page
