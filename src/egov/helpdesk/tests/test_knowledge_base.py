"""The knowledge base (issue 17 §7): folded search, what the public sees, the lifecycle, the
procedure page's block and the public API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from egov.accounts.models import Role, User
from egov.accounts.services import role_assign
from egov.demo.helpdesk import DEMO_QUESTIONS
from egov.helpdesk.models import Question, QuestionState
from egov.helpdesk.selectors import procedure_by_code, search_faq
from egov.helpdesk.services import QuestionInput, question_create, question_move
from egov.helpdesk.state import QuestionAction
from egov.org.models import Unit

pytestmark = pytest.mark.django_db

MARRIAGE_FEE = "Đăng ký kết hôn có mất lệ phí không, bao lâu thì có giấy chứng nhận?"
MARRIAGE_PAPERS = "Đi đăng ký kết hôn cần mang theo những giấy tờ gì?"


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False


@pytest.fixture
def centre(quang_ninh):
    return Unit.objects.get(key="qn.ttpvhcc")


@pytest.fixture
def operator(quang_ninh):
    return User.objects.get(username="tinh.tongdaivien")


@pytest.fixture
def leader(quang_ninh):
    return User.objects.get(username="tinh.lanhdaotrungtam")


def _draft(operator, centre, text="Đăng ký kết hôn lưu động có được không?"):
    return question_create(
        actor=operator,
        unit=centre,
        data=QuestionInput(
            question=text,
            answer="Liên hệ Ủy ban nhân dân cấp xã nơi cư trú.",
            procedure=procedure_by_code("1.000894"),
        ),
    )


def _questions(page):
    return [q.question for q in page.items]


def test_demo_knowledge_base_is_published(quang_ninh):
    assert Question.objects.filter(state=QuestionState.PUBLISHED).count() == len(DEMO_QUESTIONS)


def test_search_ignores_diacritics_and_folds_d(quang_ninh):
    expected = {MARRIAGE_FEE, MARRIAGE_PAPERS}
    assert set(_questions(search_faq(query="dang ky ket hon"))) == expected
    assert set(_questions(search_faq(query="ĐĂNG KÝ KẾT HÔN"))) == expected
    # The last word is also a prefix (typing in progress); the others are whole words.
    assert set(_questions(search_faq(query="dang ky ket h"))) == expected
    assert _questions(search_faq(query="ket hon nuoc ngoai")) == []  # every word, not some
    assert _questions(search_faq(query="le phi tach ho")) == [
        "Tách hộ có mất phí không, bao lâu thì xong?"
    ]


def test_search_filters_by_field_and_procedure(quang_ninh):
    residence = _questions(search_faq(field="cu-tru"))
    assert len(residence) == 3 and all("trú" in q or "Tách hộ" in q for q in residence)
    by_procedure = _questions(search_faq(procedure=procedure_by_code("1.000894")))
    assert set(by_procedure) == {MARRIAGE_FEE, MARRIAGE_PAPERS}


def test_keyset_pages_cover_every_question_once(quang_ninh):
    seen, cursor = [], ""
    while True:
        page = search_faq(cursor=cursor, limit=4)
        seen += [q.pk for q in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == len(DEMO_QUESTIONS)


def test_only_published_questions_are_public(client, operator, centre):
    draft = _draft(operator, centre)
    assert draft.state == QuestionState.DRAFT
    assert "Đăng ký kết hôn lưu động có được không?" not in _questions(
        search_faq(query="ket hon luu dong")
    )
    assert client.get(reverse("portal:faq_detail", kwargs={"pk": draft.pk})).status_code == 404
    listing = client.get(reverse("portal:faq_list"), {"q": "ket hon"}).content.decode()
    assert "lưu động" not in listing and MARRIAGE_FEE in listing
    api = client.get("/api/v1/faq", {"q": "ket hon luu dong"})
    assert api.status_code == 200 and api.json() == {"items": [], "next_cursor": None}
    published = Question.objects.get(question=MARRIAGE_FEE)
    page = client.get(reverse("portal:faq_detail", kwargs={"pk": published.pk}))
    assert page.status_code == 200 and "miễn lệ phí" in page.content.decode()


def test_answer_is_escaped(client, operator, leader, centre):
    question = question_create(
        actor=operator,
        unit=centre,
        data=QuestionInput(question="Có <b>mẫu</b> tờ khai không?", answer="<script>x()</script>"),
    )
    question_move(actor=operator, question=question, action=QuestionAction.SUBMIT)
    question_move(actor=leader, question=question, action=QuestionAction.PUBLISH)
    text = client.get(reverse("portal:faq_detail", kwargs={"pk": question.pk})).content.decode()
    assert "<script>x()" not in text and "&lt;script&gt;x()&lt;/script&gt;" in text


def test_lifecycle_with_events(operator, leader, centre):
    question = _draft(operator, centre)
    question_move(actor=operator, question=question, action=QuestionAction.SUBMIT)
    # An operator may not publish, return or archive; only the centre's leader.
    with pytest.raises(PermissionDenied):
        question_move(actor=operator, question=question, action=QuestionAction.PUBLISH)
    with pytest.raises(ValidationError):  # a return needs its reason
        question_move(actor=leader, question=question, action=QuestionAction.RETURN)
    question_move(
        actor=leader, question=question, action=QuestionAction.RETURN, note="Ghi rõ nơi nộp"
    )
    question_move(actor=operator, question=question, action=QuestionAction.SUBMIT)
    question_move(actor=leader, question=question, action=QuestionAction.PUBLISH)
    question.refresh_from_db()
    assert question.state == QuestionState.PUBLISHED
    assert question.reviewer == leader and question.published_at is not None
    with pytest.raises(ValidationError):  # publishing twice is not a transition
        question_move(actor=leader, question=question, action=QuestionAction.PUBLISH)
    question_move(actor=leader, question=question, action=QuestionAction.ARCHIVE)
    question_move(actor=leader, question=question, action=QuestionAction.REOPEN)
    events = list(
        question.events.order_by("sequence").values_list(
            "sequence", "action", "from_state", "to_state", "actor__username", "note"
        )
    )
    op, lead = "tinh.tongdaivien", "tinh.lanhdaotrungtam"
    assert events == [
        (1, "create", "", "draft", op, ""),
        (2, "submit", "draft", "in_review", op, ""),
        (3, "return", "in_review", "draft", lead, "Ghi rõ nơi nộp"),
        (4, "submit", "draft", "in_review", op, ""),
        (5, "publish", "in_review", "published", lead, ""),
        (6, "archive", "published", "archived", lead, ""),
        (7, "reopen", "archived", "draft", lead, ""),
    ]


def test_leader_of_another_centre_may_not_publish(operator, centre, quang_ninh):
    question = _draft(operator, centre)
    question_move(actor=operator, question=question, action=QuestionAction.SUBMIT)
    other = User.objects.get(username="honggai.lanhdaotrungtam")
    with pytest.raises(PermissionDenied):
        question_move(actor=other, question=question, action=QuestionAction.PUBLISH)


def test_staff_without_a_helpdesk_role_may_not_write(centre, quang_ninh):
    receptionist = User.objects.get(username="tinh.tiepnhan")
    with pytest.raises(PermissionDenied):
        _draft(receptionist, centre)


def test_procedure_page_lists_its_published_questions(client, operator, centre):
    draft = _draft(operator, centre)
    page = client.get(reverse("portal:procedure_detail", kwargs={"code": "1.000894"}))
    text = page.content.decode()
    assert 'data-testid="procedure-faq"' in text
    assert MARRIAGE_FEE in text and MARRIAGE_PAPERS in text
    assert draft.question not in text
    assert "/hoi-dap/?thu_tuc=1.000894" in text
    other = client.get(reverse("portal:procedure_detail", kwargs={"code": "1.004194"}))
    assert MARRIAGE_FEE not in other.content.decode()


def test_editor_pages(client, operator, leader, centre):
    client.force_login(operator)
    created = client.post(
        reverse("workspace:faq_manage"),
        {
            "question": "Nộp tờ khai CT01 ở đâu?",
            "answer": "Tại Công an cấp xã.",
            "procedure": "1.004194",
        },
    )
    question = Question.objects.get(question="Nộp tờ khai CT01 ở đâu?")
    assert created.status_code == 302 and question.field.code == "cu-tru"
    edit = reverse("workspace:faq_edit", kwargs={"pk": question.pk})
    assert client.post(edit, {"thao_tac": "submit"}).status_code == 302
    assert client.post(edit, {"thao_tac": "publish"}).status_code == 403
    client.force_login(leader)
    assert client.post(edit, {"thao_tac": "publish"}).status_code == 302
    question.refresh_from_db()
    assert question.state == QuestionState.PUBLISHED
    # Staff of another centre: 404; a receptionist: no page at all.
    client.force_login(User.objects.get(username="honggai.lanhdaotrungtam"))
    assert client.get(edit).status_code == 404
    client.force_login(User.objects.get(username="tinh.tiepnhan"))
    assert client.get(reverse("workspace:faq_manage")).status_code == 403


def test_api_lists_published_questions(client, quang_ninh):
    answer = client.get("/api/v1/faq", {"q": "dang ky ket hon", "procedure": "1.000894"})
    assert answer.status_code == 200
    body = answer.json()
    assert {item["question"] for item in body["items"]} == {MARRIAGE_FEE, MARRIAGE_PAPERS}
    assert {item["procedure"] for item in body["items"]} == {"1.000894"}
    assert {item["field"] for item in body["items"]} == {"ho-tich"}
    assert body["next_cursor"] is None
    first = client.get("/api/v1/faq", {"limit": 10}).json()
    rest = client.get("/api/v1/faq", {"limit": 10, "cursor": first["next_cursor"]}).json()
    ids = [i["id"] for i in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == len(DEMO_QUESTIONS) and rest["next_cursor"] is None
    bad = client.get("/api/v1/faq", {"cursor": "abc"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "invalid_cursor")
    unknown = client.get("/api/v1/faq", {"procedure": "9.999999"})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "procedure_not_found")
    limit = client.get("/api/v1/faq", {"limit": 0})
    assert (limit.status_code, limit.json()["error"]["code"]) == (422, "invalid_limit")


def test_second_operator_role_can_edit(centre, quang_ninh):
    colleague = User.objects.create_user("tinh.tongdaivien2")
    role_assign(actor=None, user=colleague, unit=centre, role=Role.HOTLINE_OPERATOR)
    assert _draft(colleague, centre).author == colleague
