"""Citizen accounts and the online application: sign-up with a checked profile, a resumable
draft with uploads, one dossier per submission, the desk's 8-working-hour answer, online
supplements, withdrawal, e-results with their hash, reuse of results and the rating."""

import datetime as dt
import hashlib
import io
import re
from collections import Counter

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from egov.accounts.citizens import ProfileInput, citizen_profile_save
from egov.accounts.models import User
from egov.core.tests.scan_samples import document_pdf
from egov.dossiers.models import Dossier, DossierFile, DossierStatus
from egov.dossiers.selectors import work_queue
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import user
from egov.notifications.delivery import delivery_text
from egov.notifications.models import Message
from egov.portal.models import ApplicationDraft
from egov.ratings.models import Rating
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db

# A real (born-digital, image-free) PDF: scans are now read and checked for quality.
PDF = document_pdf()
PROCEDURE = "1.001612"  # đăng ký thành lập hộ kinh doanh: offered online


def pdf(name="giay-to.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def citizen(username="an.nguyen", personal_id="022084000123", phone="0912345678"):
    account = User.objects.create_user(username, email=f"{username}@example.vn", password="x" * 12)
    citizen_profile_save(
        actor=account,
        user=account,
        data=ProfileInput(
            full_name="Nguyễn Văn An",
            personal_id=personal_id,
            phone=phone,
            address="Tổ 1, phường Hồng Gai",
        ),
    )
    return account


def apply_online(client, account):
    """Start, fill and upload as the citizen would; returns the draft."""
    from egov.catalog.selectors import version_by_code
    from egov.org.models import Unit

    client.force_login(account)
    start = client.post(f"/thu-tuc/{PROCEDURE}/nop-truc-tuyen/")
    draft = ApplicationDraft.objects.get(owner=account, dossier=None)
    assert start["Location"] == f"/ho-so-nhap/{draft.pk}/"
    centre = Unit.objects.get(key="qn.ttpvhcc")
    values = dict(draft.applicant, receiving_unit=centre.pk, result_delivery="online")
    assert client.post(f"/ho-so-nhap/{draft.pk}/", values).status_code == 302
    for component in version_by_code(PROCEDURE).components.filter(required=True):
        client.post(f"/ho-so-nhap/{draft.pk}/giay-to/", {f"files-{component.pk}": [pdf()]})
    draft.refresh_from_db()
    return draft


def signup(client, **fields):
    data = {
        "password1": "Mat-khau-rat-manh-2026",
        "password2": "Mat-khau-rat-manh-2026",
        "full_name": "Nguyễn Văn An",
        "kind": "citizen",
        "personal_id": "022084000123",
        **fields,
    }
    return client.post("/accounts/signup/", data)


def sms_code(phone):
    """What the citizen's phone receives (the outbox itself keeps the code masked)."""
    message = Message.objects.filter(event="phone_code", recipient=phone).latest("id")
    assert "******" in message.body
    return re.search(r"\b(\d{6})\b", delivery_text(message)).group(1)


def test_sign_up_checks_the_profile_and_phone_signs_in_once_verified(quang_ninh, client):
    bad = signup(client, email="an@example.vn", personal_id="12345", phone="0912345678")
    assert bad.status_code == 200 and "12 chữ số" in bad.content.decode()
    neither = signup(client)
    assert "Cần nhập thư điện tử hoặc số điện thoại" in neither.content.decode()
    assert not User.objects.filter(citizen_profile__isnull=False).exists()
    good = signup(client, phone="0912 345 678")  # a mobile number is enough
    assert good.status_code == 302 and good["Location"] == "/tai-khoan/xac-minh-dien-thoai/"
    account = User.objects.get(citizen_profile__phone="+84912345678")
    assert account.full_name == "Nguyễn Văn An" and account.email == ""
    client.logout()
    password = {"login": "0912345678", "password": "Mat-khau-rat-manh-2026"}
    assert client.post("/accounts/login/", password).status_code == 200  # not verified yet
    client.force_login(account)
    client.post("/tai-khoan/xac-minh-dien-thoai/", {"send": "1"})
    wrong = client.post("/tai-khoan/xac-minh-dien-thoai/", {"code": "000000"}, follow=True)
    assert "Mã xác minh không đúng." in wrong.content.decode()
    done = client.post("/tai-khoan/xac-minh-dien-thoai/", {"code": sms_code("+84912345678")})
    assert done["Location"] == "/ho-so-cua-toi/"
    assert account.citizen_profile.__class__.objects.get(user=account).phone_verified_at
    client.logout()
    signed_in = client.post("/accounts/login/", password)
    assert signed_in.status_code == 302 and signed_in["Location"] == "/ho-so-cua-toi/"
    # Someone else typing the same number at sign-up cannot take it over.
    client.logout()
    signup(client, email="mao@example.vn", phone="0912345678", personal_id="022190000456")
    other = User.objects.get(email="mao@example.vn")
    client.force_login(other)
    client.post("/tai-khoan/xac-minh-dien-thoai/", {"send": "1"})
    taken = client.post(
        "/tai-khoan/xac-minh-dien-thoai/", {"code": sms_code("+84912345678")}, follow=True
    )
    assert "đã được xác minh cho một tài khoản khác" in taken.content.decode()


def test_profile_page_updates_what_applications_prefill(quang_ninh, client):
    account = citizen()
    client.force_login(account)
    page = client.post(
        "/tai-khoan/", {"full_name": "Nguyễn Văn An", "kind": "citizen", "personal_id": "1"}
    )
    assert page.status_code == 200 and "12 chữ số" in page.content.decode()
    client.post(
        "/tai-khoan/",
        {
            "full_name": "Nguyễn Văn An",
            "kind": "citizen",
            "personal_id": "022084000123",
            "phone": "0987654321",
            "address": "Tổ 9, phường Bãi Cháy",
        },
    )
    profile = account.citizen_profile.__class__.objects.get(user=account)
    assert profile.phone == "+84987654321" and profile.address == "Tổ 9, phường Bãi Cháy"
    assert profile.phone_verified_at is None  # a new number is verified again


def test_draft_resumes_keeps_what_was_typed_and_checks_uploads(quang_ninh, client):
    account = citizen()
    client.force_login(account)
    client.post(f"/thu-tuc/{PROCEDURE}/nop-truc-tuyen/")
    client.post(f"/thu-tuc/{PROCEDURE}/nop-truc-tuyen/")
    draft = ApplicationDraft.objects.get(owner=account)  # resumed, not duplicated
    assert draft.applicant["personal_id"] == "022084000123"  # prefilled from the profile
    page = client.post(f"/ho-so-nhap/{draft.pk}/", {**draft.applicant, "phone": "12"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Cần chọn nơi nhận hồ sơ." in html and 'value="12"' in html
    draft.refresh_from_db()
    assert draft.applicant["phone"] == "12"  # kept, not lost
    component = draft.version.components.first()
    bad = client.post(
        f"/ho-so-nhap/{draft.pk}/giay-to/",
        {f"files-{component.pk}": [pdf("x.pdf", b"MZ this is a program")]},
    )
    assert "không đúng định dạng cho phép" in bad.content.decode()
    client.post(f"/ho-so-nhap/{draft.pk}/giay-to/", {f"files-{component.pk}": [pdf()]})
    assert draft.files.count() == 1
    other = citizen("binh.tran", personal_id="022190000456", phone="0987654321")
    client.force_login(other)
    assert client.get(f"/ho-so-nhap/{draft.pk}/").status_code == 404


def test_submission_once_then_desk_answers_within_eight_working_hours(quang_ninh, client):
    account = citizen()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ), tick=False):
        draft = apply_online(client, account)
        first = client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
        second = client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")  # double click
        dossier = Dossier.objects.get(owner=account)
        assert first["Location"] == second["Location"] == f"/ho-so-cua-toi/{dossier.code}/"
        assert dossier.status == DossierStatus.AWAITING_ONLINE_RECEPTION
        assert dossier.code.startswith("000.00.89.H49-260302-")
        # 8 working hours from Monday 09:00 (office 07:30–11:30, 13:30–17:00 on weekdays).
        assert dossier.reception_due_at.astimezone(VIETNAM_TZ) == dt.datetime(
            2026, 3, 3, 9, 30, tzinfo=VIETNAM_TZ
        )
        assert Message.objects.filter(event="submitted", reference=dossier.code).exists()
        # Not received yet: the lookup shows the submission and the desk's deadline, no
        # appointment for the result.
        lookup = client.get(f"/api/v1/public/dossiers/{dossier.code}").json()
        assert (lookup["due_kind"], lookup["received_at"], lookup["overdue"]) == (
            "reception_answer",
            None,
            False,
        )
        mine = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
        assert (
            "Bộ phận Một cửa (Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh) kiểm tra hồ sơ "
            "và trả lời trước 09:30 03/03/2026"
        ) in mine
        assert "<details><summary>Rút hồ sơ theo yêu cầu</summary>" in mine
        html = client.get("/tra-cuu-ho-so/", {"ma": dossier.code}).content.decode()
        assert "<dt>Nộp trực tuyến lúc</dt><dd>09:00 02/03/2026</dd>" in html
        assert "<dt>Hạn Bộ phận Một cửa trả lời</dt><dd>09:30 03/03/2026</dd>" in html
        assert "Hẹn trả kết quả" not in html and "Tiếp nhận lúc" not in html
        assert dossier.files.count() == draft.files.count() >= 1
        rows = work_queue(user("tinh.tiepnhan"))
        assert [r.dossier.pk for r in rows] == [dossier.pk]
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, 0, tzinfo=VIETNAM_TZ), tick=False):
        assert work_queue(user("tinh.tiepnhan"))[0].urgency == "overdue"
        dossier = dossier_transition(
            actor=user("tinh.tiepnhan"), dossier=dossier, action="accept_online"
        )
        assert dossier.status == DossierStatus.RECEIVED and dossier.received_at is not None
        # Received now: its entry in the desk's tracking book of the year (Mẫu 01, Mẫu 06).
        assert (dossier.book_year, dossier.book_sequence) == (2026, 1)
        email = Message.objects.get(event="received", channel="email", reference=dossier.code)
        assert f"/ho-so-cua-toi/{dossier.code}/giay-tiep-nhan.pdf" in email.body
        assert dossier.due_at > dossier.reception_due_at  # the legal time runs from now
    client.force_login(account)  # the session of March has expired
    receipt = client.get(f"/ho-so-cua-toi/{dossier.code}/giay-tiep-nhan.pdf")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    # Each component lists the files sent online, never an empty "()" (no paper was given).
    reader = PdfReader(io.BytesIO(receipt.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "()" not in text
    sent = Counter(dossier.files.values_list("component", flat=True))
    for item in dossier.components.select_related("component"):
        files = sent[item.component_id]
        described = f" ({files} tệp điện tử)" if files else ""
        assert f"- {' '.join(item.component.name.split())}{described}" in text


def test_no_receipt_before_the_desk_accepts_an_online_dossier(quang_ninh, client, settings):
    from django.test import Client

    from egov.dossiers.tests.test_staff_api import make_key

    settings.EGOV_REQUIRE_STAFF_MFA = False
    account = citizen()
    draft = apply_online(client, account)
    client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
    dossier = Dossier.objects.get(owner=account)
    receipt_url = f"/staff/ho-so/{dossier.code}/giay-tiep-nhan.pdf"
    staff = Client()
    staff.force_login(user("tinh.tiepnhan"))
    refused = staff.get(receipt_url)
    assert refused.status_code == 404
    assert "Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận." in refused.content.decode()
    assert receipt_url not in staff.get("/staff/ho-so/").content.decode()
    assert "Giấy tiếp nhận (PDF)" not in staff.get(f"/staff/ho-so/{dossier.code}/").content.decode()
    key = make_key()
    api = staff.get(
        f"/api/v1/staff/dossiers/{dossier.code}/receipt.pdf", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert (api.status_code, api.json()["error"]["code"]) == (404, "receipt_not_issued")
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"), dossier=dossier, action="accept_online"
    )
    assert staff.get(receipt_url).content.startswith(b"%PDF")
    assert receipt_url in staff.get("/staff/ho-so/").content.decode()


def test_supplements_online_before_and_during_processing(quang_ninh, client):
    account = citizen()
    draft = apply_online(client, account)
    client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
    dossier = Dossier.objects.get(owner=account)
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"),
        dossier=dossier,
        action="request_supplement",
        data={"items": ["Bản chụp CCCD rõ nét"]},
    )
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Bản chụp CCCD rõ nét" in page and "Nộp lại hồ sơ đã bổ sung" in page
    nothing = client.post(
        f"/ho-so-cua-toi/{dossier.code}/thao-tac/", {"action": "resubmit_online"}, follow=True
    )
    assert "Cần tải lên giấy tờ bổ sung." in nothing.content.decode()
    client.post(
        f"/ho-so-cua-toi/{dossier.code}/thao-tac/",
        {"action": "resubmit_online", "files": [pdf("cccd.pdf")]},
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.AWAITING_ONLINE_RECEPTION
    assert dossier.files.filter(file__name="cccd.pdf").exists()
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"), dossier=dossier, action="accept_online"
    )
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"),
        dossier=dossier,
        action="hand_off",
        data={"handling_unit": "qn.x.hong-gai.ubnd"},
    )
    dossier = dossier_transition(
        actor=user("honggai.chuyenvien"),
        dossier=dossier,
        action="request_supplement",
        data={"items": ["Hợp đồng thuê mặt bằng"]},
    )
    client.post(
        f"/ho-so-cua-toi/{dossier.code}/thao-tac/",
        {"action": "supplemented", "files": [pdf("hop-dong.pdf")]},
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.events.last().actor == account


def test_applicant_withdraws_and_strangers_see_nothing(quang_ninh, client):
    account = citizen()
    draft = apply_online(client, account)
    client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
    dossier = Dossier.objects.get(owner=account)
    upload = dossier.files.first()
    other = citizen("binh.tran", personal_id="022190000456", phone="0987654321")
    client.force_login(other)
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/").status_code == 404
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/tep/{upload.pk}/").status_code == 404
    forced = client.post(
        f"/ho-so-cua-toi/{dossier.code}/thao-tac/", {"action": "withdraw", "reason": "x"}
    )
    assert forced.status_code == 404
    client.force_login(account)
    no_reason = client.post(
        f"/ho-so-cua-toi/{dossier.code}/thao-tac/", {"action": "withdraw"}, follow=True
    )
    assert "Cần ghi rõ lý do." in no_reason.content.decode()
    client.post(
        f"/ho-so-cua-toi/{dossier.code}/thao-tac/",
        {"action": "withdraw", "reason": "Đã nộp nhầm thủ tục"},
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN
    staff = client.get(f"/ho-so-cua-toi/{dossier.code}/tep/{upload.pk}/")
    assert b"".join(staff.streaming_content) == PDF


def test_e_result_with_hash_reuse_and_rating(quang_ninh, client, settings, signing_settings):
    from egov.signing.tests.fixtures import make_pdf

    settings.EGOV_REQUIRE_STAFF_MFA = False
    account = citizen()
    draft = apply_online(client, account)
    client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
    dossier = Dossier.objects.get(owner=account)
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"), dossier=dossier, action="accept_online"
    )
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"),
        dossier=dossier,
        action="hand_off",
        data={"handling_unit": "qn.x.hong-gai.ubnd"},
    )
    result_pdf = make_pdf(text="GIẤY CHỨNG NHẬN")
    client.force_login(user("honggai.lanhdao"))
    bad = client.post(
        f"/staff/ho-so/{dossier.code}/thao-tac/",
        {"action": "approve", "revision": dossier.revision, "result_file": pdf("kq.pdf", b"x")},
        follow=True,
    )
    assert "không đúng định dạng" in bad.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING  # nothing half-done
    client.post(
        f"/staff/ho-so/{dossier.code}/thao-tac/",
        {
            "action": "approve",
            "revision": dossier.revision,
            "result_file": pdf("kq.pdf", result_pdf),
        },
    )
    dossier.refresh_from_db()
    result = DossierFile.objects.get(dossier=dossier, source="result")
    assert result.code == f"{dossier.code}-KQ1"
    assert result.file.uploaded_by == user("honggai.lanhdao")
    client.force_login(account)
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert result.file.sha256 in page and f"{dossier.code}-KQ1" in page
    download = client.get(f"/ho-so-cua-toi/{dossier.code}/tep/{result.pk}/")
    downloaded = b"".join(download.streaming_content)
    assert hashlib.sha256(downloaded).hexdigest() == result.file.sha256
    # The agency's signature is an incremental update: the upload is kept, byte for byte.
    assert downloaded.startswith(result_pdf) and len(downloaded) > len(result_pdf)
    assert client.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", {}).status_code == 302
    assert not Rating.objects.exists()  # not before the result is returned
    dossier = dossier_transition(
        actor=user("tinh.tiepnhan"),
        dossier=dossier,
        action="return_result",
        data={"received_by": "Nguyễn Văn An", "delivery": "online"},
    )
    answers = {"timing": "on_time", "overall": "3"}
    missing = client.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", answers, follow=True)
    assert "Cần trả lời các câu hỏi" in missing.content.decode()
    answers.update({"contacts": "0", "agencies": "0", "complaint": "no"})
    client.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", {**answers, "comment": "Nhanh"})
    rating = Rating.objects.get(dossier=dossier)
    assert rating.overall == 3 and rating.unit.key == "qn.x.hong-gai.ubnd"
    assert rating.channel == "online" and rating.scores == {"1": 1, "3": 2, "4": 2, "7": 1}
    assert set(rating.officers.values_list("username", flat=True)) == {
        "tinh.tiepnhan",
        "honggai.lanhdao",
    }
    again = client.post(f"/ho-so-cua-toi/{dossier.code}/danh-gia/", answers, follow=True)
    assert "đã được đánh giá" in again.content.decode()
    # The result can be reused in the next application instead of an upload.
    next_draft = apply_online(client, account)
    component = next_draft.version.components.filter(required=True).first()
    next_draft.files.filter(component=component).delete()
    client.post(
        f"/ho-so-nhap/{next_draft.pk}/giay-to/",
        {"reuse_component": component.pk, f"reuse-{component.pk}": [result.pk]},
    )
    client.post(f"/ho-so-nhap/{next_draft.pk}/xem-lai/")
    second = Dossier.objects.filter(owner=account).exclude(pk=dossier.pk).get()
    reused = second.files.get(source="reused")
    assert reused.file == result.file and reused.code == result.code  # the same stored file


def test_applicant_input_errors_are_listed_on_review(quang_ninh, client):
    account = citizen()
    draft = apply_online(client, account)
    draft.applicant["personal_id"] = "022084000"
    draft.save()
    page = client.get(f"/ho-so-nhap/{draft.pk}/xem-lai/").content.decode()
    assert "Thông tin người nộp chưa hợp lệ" in page
    refused = client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/", follow=True)
    assert "12 chữ số" in refused.content.decode()
    assert not Dossier.objects.exists()


def test_forgotten_password_is_reset_with_a_code_sent_to_the_verified_number(quang_ninh, client):
    from django.utils import timezone

    from egov.accounts.models import CitizenProfile

    account = citizen()
    unknown = client.post("/tai-khoan/quen-mat-khau/", {"phone": "0900000000", "send": "1"})
    assert "Nếu số điện thoại đã được xác minh" in unknown.content.decode()
    assert not Message.objects.filter(event="phone_code").exists()  # unverified: nothing sent
    client.post("/tai-khoan/quen-mat-khau/", {"phone": "0912345678", "send": "1"})
    assert not Message.objects.filter(event="phone_code").exists()
    CitizenProfile.objects.filter(user=account).update(phone_verified_at=timezone.now())
    client.post("/tai-khoan/quen-mat-khau/", {"phone": "0912 345 678", "send": "1"})
    code = sms_code("+84912345678")
    weak = client.post(
        "/tai-khoan/quen-mat-khau/", {"phone": "0912345678", "code": code, "password": "123"}
    )
    assert "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 10 ký tự." in weak.content.decode()
    done = client.post(
        "/tai-khoan/quen-mat-khau/",
        {"phone": "0912345678", "code": code, "password": "Mat-khau-moi-2026!"},
    )
    assert done["Location"] == "/accounts/login/"
    account.refresh_from_db()
    assert account.check_password("Mat-khau-moi-2026!")
    reused = client.post(
        "/tai-khoan/quen-mat-khau/",
        {"phone": "0912345678", "code": code, "password": "Mat-khau-khac-2026!"},
    )
    assert "Hãy bấm “Gửi mã”" in reused.content.decode()  # a code works once


def test_payments_and_receipts_stay_on_my_dossier_and_the_staff_page(quang_ninh, client, settings):
    from django.test import Client

    from egov.payments.tests.test_vnpay_ipn import gateway_result, ipn, start

    settings.EGOV_REQUIRE_STAFF_MFA = False
    account = citizen()
    draft = apply_online(client, account)
    client.post(f"/ho-so-nhap/{draft.pk}/xem-lai/")
    dossier = Dossier.objects.get(owner=account)
    for actor, action, data in [
        ("tinh.tiepnhan", "accept_online", {}),
        ("tinh.tiepnhan", "hand_off", {"handling_unit": "qn.x.hong-gai.ubnd"}),
        ("honggai.chuyenvien", "request_payment", {"amount": 500_000, "description": "Lệ phí"}),
    ]:
        dossier = dossier_transition(actor=user(actor), dossier=dossier, action=action, data=data)
    _, request = start(client, dossier)
    assert ipn(client, gateway_result(request))["RspCode"] == "00"
    receipt_url = f"/thanh-toan/bien-lai/{request['vnp_TxnRef']}.pdf"
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert '<h2 id="payments-title">Các khoản đã nộp</h2>' in page
    assert '<td class="number">500.000 đ</td><td>Thanh toán trực tuyến</td>' in page
    assert f'<a href="{receipt_url}">Biên lai thanh toán trực tuyến 500.000 đ lúc ' in page
    assert client.get(receipt_url).content.startswith(b"%PDF")
    staff = Client()
    staff.force_login(user("tinh.tiepnhan"))
    staff_page = staff.get(f"/staff/ho-so/{dossier.code}/").content.decode()
    assert f'<a href="{receipt_url}">Biên lai thanh toán trực tuyến 500.000 đ lúc ' in staff_page
