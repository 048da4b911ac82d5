"""“Kho dữ liệu của tôi” (issue 16 §1): the owner sees only their own documents in force or
withdrawn — by account before the personal ID is verified, by personal ID once it comes from
VNeID — filters them, pages through them, opens one with its history and downloads it;
another citizen gets 404; opening and downloading are audited."""

import pytest
from django.urls import reverse

from egov.accounts.citizens import ProfileInput, citizen_profile_save
from egov.accounts.models import CitizenProfile, User
from egov.audit.models import AuditEntry
from egov.contrib.vneid.identity import IDENTITY_SOURCE
from egov.datastore.services import store_document_reject, store_document_revoke
from egov.datastore.tests.factories import issued_result, owner, pending_scan, verified_scan

pytestmark = pytest.mark.django_db

AN_ID = "022084000123"


def _citizen(username, personal_id, *, verified=False):
    user = User.objects.create_user(username, email=f"{username}@congdan.example.vn")
    citizen_profile_save(
        actor=user,
        user=user,
        data=ProfileInput(full_name="Nguyễn Văn An", personal_id=personal_id, address="Hạ Long"),
    )
    if verified:
        CitizenProfile.objects.filter(user=user).update(identity_source=IDENTITY_SOURCE)
        user.refresh_from_db()
    return user


@pytest.fixture
def an(quang_ninh):
    return _citizen("congdan.an", AN_ID)


@pytest.fixture
def papers(an, receptionist_binh):
    """An's store: a checked scan of An's own dossier (account known), an e-result kept only
    under An's personal ID, a scan waiting, a rejected one, a revoked one."""
    desk = receptionist_binh
    mine = owner(AN_ID, "Nguyễn Văn An", account=an)
    by_id = owner(AN_ID, "Nguyễn Văn An")
    scan = verified_scan(desk, code="SH-1", of=mine, dossier_code="000.00.01.H49-260302-0001")
    result = issued_result(desk, code="KQ-1", of=by_id, title="Giấy đăng ký kết hôn")
    pending_scan(desk, code="SH-2", of=mine, title="Sổ hộ khẩu chờ")
    rejected = pending_scan(desk, code="SH-3", of=mine, title="Bản quét mờ")
    store_document_reject(actor=desk, document=rejected, reason="Thiếu trang 2")
    revoked = verified_scan(desk, code="SH-4", of=mine, title="Giấy cũ đã thu hồi")
    store_document_revoke(actor=desk, document=revoked, reason="Cấp nhầm")
    return {"scan": scan, "result": result}


def _rows(client, query=""):
    page = client.get(reverse("portal:my_store") + query)
    assert page.status_code == 200
    return page, [d.code for d, _standing, _signature in page.context["rows"]]


def test_unverified_owner_sees_documents_of_own_dossiers_only(papers, an, client):
    client.force_login(an)
    page, codes = _rows(client)
    assert codes == ["SH-4", "SH-1"]  # newest first; not the waiting or rejected scans
    text = page.content.decode()
    assert "Đã thu hồi" in text and "000.00.01.H49-260302-0001" in text
    assert "Trần Thị Bình" in text  # who digitised it
    assert "Chữ ký số hợp lệ của Trần Thị Bình." in text
    assert "Giấy đăng ký kết hôn" not in text and "Sổ hộ khẩu chờ" not in text


def test_vneid_verified_owner_sees_everything_under_the_personal_id(papers, an, client):
    CitizenProfile.objects.filter(user=an).update(identity_source=IDENTITY_SOURCE)
    client.force_login(User.objects.get(pk=an.pk))
    _page, codes = _rows(client)
    assert codes == ["SH-4", "KQ-1", "SH-1"]
    # Filter by kind and a search folded (no diacritics, đ→d).
    assert _rows(client, "?loai=giay-khai-sinh")[1] == ["SH-4", "SH-1"]
    assert _rows(client, "?loai=giay-khai-sinh&q=thu hoi")[1] == ["SH-4"]
    assert _rows(client, "?q=dang ky ket hon")[1] == ["KQ-1"]
    assert _rows(client, "?q=ĐĂNG KÝ")[1] == ["KQ-1"]
    assert _rows(client, "?q=khong co gi")[1] == []
    # A typed identity (not from VNeID) with the same number does not open An's store.
    eve = _citizen("congdan.eve", AN_ID)
    client.force_login(eve)
    assert _rows(client)[1] == []


def test_pages_by_cursor_without_totals(an, receptionist_binh, client):
    mine = owner(AN_ID, "Nguyễn Văn An", account=an)
    for number in range(23):
        issued_result(receptionist_binh, code=f"KQ-{number:02d}", of=mine)
    client.force_login(an)
    page, codes = _rows(client)
    assert codes == [f"KQ-{n:02d}" for n in range(22, 2, -1)]
    cursor = page.context["next_cursor"]
    assert cursor and f"sau={cursor}" in page.content.decode()
    last, codes = _rows(client, f"?sau={cursor}")
    assert codes == ["KQ-02", "KQ-01", "KQ-00"] and last.context["next_cursor"] is None
    # A forged cursor starts from the first page.
    assert _rows(client, "?sau=%00bad")[1][0] == "KQ-22"


def test_detail_history_and_download_audited(papers, an, client):
    client.force_login(an)
    page = client.get(reverse("portal:my_store_document", kwargs={"code": "SH-1"}))
    text = page.content.decode()
    assert "Giấy tờ được quét (số hóa) tại bộ phận một cửa, chờ đối chiếu bản chính." in text
    assert "Cán bộ đã đối chiếu với bản chính và ký số kết quả số hóa" in text
    assert AuditEntry.objects.filter(action="datastore.opened", object_repr="SH-1").count() == 1
    for which in ("da-ky", "goc"):
        url = reverse("portal:my_store_file", kwargs={"code": "SH-1", "which": which})
        answer = client.get(url)
        assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"
        assert b"".join(answer.streaming_content).startswith(b"%PDF")
    entries = AuditEntry.objects.filter(action="datastore.downloaded", object_repr="SH-1")
    assert entries.count() == 2
    assert all(AN_ID not in str(e.details) for e in entries)
    url = reverse("portal:my_store_file", kwargs={"code": "SH-1", "which": "khac"})
    assert client.get(url).status_code == 404


def test_another_citizen_and_waiting_documents_are_404(papers, an, client):
    eve = _citizen("congdan.eve", "022190000222", verified=True)
    client.force_login(eve)
    assert _rows(client)[1] == []
    for code in ("SH-1", "KQ-1"):
        assert (
            client.get(reverse("portal:my_store_document", kwargs={"code": code})).status_code
            == 404
        )
        url = reverse("portal:my_store_file", kwargs={"code": code, "which": "da-ky"})
        assert client.get(url).status_code == 404
    client.force_login(an)
    for code in ("SH-2", "SH-3"):  # waiting, rejected: not the owner's document
        assert (
            client.get(reverse("portal:my_store_document", kwargs={"code": code})).status_code
            == 404
        )
    assert not AuditEntry.objects.filter(
        action__in=["datastore.opened", "datastore.downloaded"]
    ).exists()


def test_empty_store_explains_itself_and_anonymous_is_sent_to_sign_in(an, client):
    answer = client.get(reverse("portal:my_store"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("account_login"))
    client.force_login(an)
    page = client.get(reverse("portal:my_store"))
    text = page.content.decode()
    assert 'data-testid="store-empty"' in text and "Điều 16" in text
    assert "Kho dữ liệu của tôi" in client.get(reverse("portal:my_dossiers")).content.decode()


def test_the_list_costs_the_same_for_three_papers_or_twenty(an, receptionist_binh, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mine = owner(AN_ID, "Nguyễn Văn An", account=an)
    client.force_login(an)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal:my_store")).status_code == 200
        return len(captured)

    for number in range(3):
        verified_scan(receptionist_binh, code=f"SH-{number:02d}", of=mine)
    few = queries()
    for number in range(3, 20):
        verified_scan(receptionist_binh, code=f"SH-{number:02d}", of=mine)
    assert queries() == few
