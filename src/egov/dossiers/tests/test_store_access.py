"""Officers see an applicant's data store only while handling the dossier (issue 16 §1,
NĐ 45/2020/NĐ-CP Điều 16): the desk, the assigned specialist, the handling unit's leader;
never another unit, never after the dossier is finished; every look audited without the
personal ID."""

import pytest
from django.urls import reverse

from egov.accounts.services import api_client_create
from egov.audit.models import AuditEntry
from egov.datastore.tests.factories import issued_result, owner, pending_scan, verified_scan
from egov.dossiers.models import DossierStatus
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.store_access import (
    STORE_ACCESS_STATUSES,
    get_store_document_for_dossier,
    may_look_at_store,
    store_documents_for_dossier,
)
from egov.dossiers.tests.helpers import AN, reception, user
from egov.org.models import Unit

pytestmark = pytest.mark.django_db

AN_ID = AN.personal_id


@pytest.fixture
def store(quang_ninh, settings):
    """An's dossier handed to Sở Tư pháp; An's store: a checked scan, an e-result, a scan
    still waiting for its check; someone else's document."""
    settings.EGOV_REQUIRE_STAFF_MFA = False
    desk = user("tinh.tiepnhan")
    dossier = dossier_receive(actor=desk, reception=reception("qn-cap-phieu-ly-lich-tu-phap"))
    dossier = dossier_transition(actor=desk, dossier=dossier, action="hand_off")
    an = owner(AN_ID, AN.name)
    scan = verified_scan(desk, code="SH-AN-1", of=an)
    result = issued_result(desk, code="KQ-AN-1", of=an)
    pending_scan(desk, code="SH-AN-2", of=an, title="Sổ hộ khẩu")
    issued_result(desk, code="KQ-KHAC-1", of=owner("022090009999", "Người khác"))
    return {"dossier": dossier, "scan": scan, "result": result}


def _codes(documents):
    return [d.code for d in documents] if documents is not None else None


def test_alive_statuses_are_reception_to_approval():
    assert set(STORE_ACCESS_STATUSES) == {
        DossierStatus.AWAITING_ONLINE_RECEPTION,
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.INTERAGENCY,
        DossierStatus.SUPPLEMENT_REQUESTED,
        DossierStatus.AWAITING_PAYMENT,
    }


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("tinh.tiepnhan", True),  # the receiving desk
        ("tinh.chuyenvien", True),  # a specialist of the handling unit, not yet assigned
        ("tinh.lanhdaophong", True),  # the handling unit's leader
        ("tinh.giamsat", False),  # sees the dossier (the centre), handles nothing
        ("tinh.lanhdaotrungtam", False),  # the centre's leader: not a handling role
        ("honggai.tiepnhan", False),  # another unit's desk: does not even see the dossier
        ("honggai.chuyenvien", False),
        ("tinh.quantri", False),  # the provincial administrator reads dossiers, handles none
    ],
)
def test_who_sees_the_applicants_store(store, username, sees):
    before = AuditEntry.objects.filter(action="datastore.viewed").count()
    documents = store_documents_for_dossier(user(username), store["dossier"])
    if sees:
        # Newest first; the waiting scan and the other person's document are not there.
        assert _codes(documents) == ["KQ-AN-1", "SH-AN-1"]
    else:
        assert documents is None
    entries = AuditEntry.objects.filter(action="datastore.viewed").order_by("sequence")
    assert entries.count() == before + (1 if sees else 0)
    if sees:
        entry = entries.last()
        assert entry.details == {"dossier": store["dossier"].code, "documents": 2, "channel": "web"}
        assert entry.object_repr == store["dossier"].code
        assert AN_ID not in str(entry.details) + entry.object_repr + entry.object_id


def test_once_assigned_only_the_assignee_and_the_leader_keep_access(store):
    dossier = dossier_transition(
        actor=user("tinh.lanhdaophong"),
        dossier=store["dossier"],
        action="assign",
        data={"assignee": "tinh.chuyenvien2"},
    )
    assert may_look_at_store(user("tinh.chuyenvien2"), dossier)
    assert may_look_at_store(user("tinh.lanhdaophong"), dossier)
    assert not may_look_at_store(user("tinh.chuyenvien"), dossier)


def test_access_ends_when_the_dossier_is_finished(store):
    desk = user("tinh.tiepnhan")
    dossier = dossier_transition(
        actor=desk, dossier=store["dossier"], action="withdraw", reason="Người nộp rút hồ sơ"
    )
    assert dossier.status == DossierStatus.WITHDRAWN
    assert store_documents_for_dossier(desk, dossier) is None
    assert get_store_document_for_dossier(desk, dossier, "SH-AN-1") is None
    assert not AuditEntry.objects.filter(action__startswith="datastore.viewed").exists()


def test_staff_page_offers_the_section_and_lists_on_request_audited(store, client):
    code = store["dossier"].code
    client.force_login(user("tinh.tiepnhan"))
    page = client.get(reverse("workspace:dossier", kwargs={"code": code}))
    text = page.content.decode()
    assert "Kho dữ liệu của người nộp" in text and "SH-AN-1" not in text
    assert not AuditEntry.objects.filter(action="datastore.viewed").exists()
    listed = client.get(reverse("workspace:dossier", kwargs={"code": code}) + "?kho=xem")
    text = listed.content.decode()
    assert "Giấy khai sinh" in text and "Phiếu lý lịch tư pháp số 1" in text
    assert "Sổ hộ khẩu" not in text and "Người khác" not in text
    assert AuditEntry.objects.filter(action="datastore.viewed").count() == 1
    url = reverse(
        "workspace:store_file", kwargs={"code": code, "document": "SH-AN-1", "which": "da-ky"}
    )
    answer = client.get(url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content).startswith(b"%PDF")
    assert answer["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.get(action="datastore.downloaded")
    assert entry.details == {"dossier": code, "document": "SH-AN-1"}
    # Someone else's document, a waiting scan, a bad file name: 404.
    for document, which in [("KQ-KHAC-1", "da-ky"), ("SH-AN-2", "goc"), ("SH-AN-1", "x")]:
        url = reverse(
            "workspace:store_file", kwargs={"code": code, "document": document, "which": which}
        )
        assert client.get(url).status_code == 404


def test_supervisor_sees_the_dossier_but_no_store_section(store, client):
    code = store["dossier"].code
    client.force_login(user("tinh.giamsat"))
    page = client.get(reverse("workspace:dossier", kwargs={"code": code}) + "?kho=xem")
    assert page.status_code == 200
    assert "Kho dữ liệu của người nộp" not in page.content.decode()
    url = reverse(
        "workspace:store_file", kwargs={"code": code, "document": "SH-AN-1", "which": "da-ky"}
    )
    assert client.get(url).status_code == 404
    assert (
        not AuditEntry.objects.filter(action__startswith="datastore.")
        .exclude(action__in=["datastore.store", "datastore.issue", "datastore.verify"])
        .exists()
    )


def _key(username_unit, role):
    from egov.accounts.models import Role

    unit = Unit.objects.get(key=username_unit)
    _client, key = api_client_create(
        actor=None, name=f"kho-{unit.key}-{role}", unit=unit, role=Role(role)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_lists_the_applicants_store_for_the_handling_unit_only(store, client):
    code = store["dossier"].code
    url = "/api/v1/datastore/documents"
    specialist = _key("qn.so-tu-phap", "specialist")
    answer = client.get(f"{url}?dossier={code}&limit=1", **specialist)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [item["code"] for item in body["items"]] == ["KQ-AN-1"]
    assert body["items"][0]["source"] == "result" and body["next_cursor"]
    following = client.get(
        f"{url}?dossier={code}&limit=1&cursor={body['next_cursor']}", **specialist
    )
    assert [item["code"] for item in following.json()["items"]] == ["SH-AN-1"]
    assert following.json()["next_cursor"] is None
    entries = AuditEntry.objects.filter(action="datastore.viewed")
    assert [e.details["documents"] for e in entries] == [1, 1]
    assert {e.details["channel"] for e in entries} == {"api"}
    # The owner named must be the applicant.
    wrong = client.get(f"{url}?dossier={code}&owner_identifier=022090009999", **specialist)
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_input"
    right = client.get(
        f"{url}?dossier={code}&owner_kind=person&owner_identifier={AN_ID}", **specialist
    )
    assert right.status_code == 200
    # Another unit's key: the dossier is not in its reach.
    other = client.get(f"{url}?dossier={code}", **_key("qn.x.hong-gai.ubnd", "specialist"))
    assert other.status_code == 404 and other.json()["error"]["code"] == "dossier_not_found"
    # The centre's supervisor sees the dossier but does not handle it.
    watcher = client.get(f"{url}?dossier={code}", **_key("qn.ttpvhcc", "supervisor"))
    assert watcher.status_code == 403 and watcher.json()["error"]["code"] == "forbidden"
    assert client.get(f"{url}?dossier={code}").status_code == 401
    bad = client.get(f"{url}?dossier={code}&cursor=xyz", **specialist)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_cursor"
