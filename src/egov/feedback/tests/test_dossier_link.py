"""A feedback about a dossier: named by its code on the portal (also from the citizen's dossier
page) or by the hotline operator; it takes the dossier's procedure and field, staff see the code
(the dossier's page only if they may open it) and are offered the unit handling the dossier."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from egov.dossiers.models import Dossier
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import PROVINCIAL, reception
from egov.feedback.models import Feedback
from egov.feedback.tests.helpers import CENTRE, JUSTICE, POLICE, staff, unit

pytestmark = pytest.mark.django_db
SEND = {
    "kind": "phan_anh",
    "title": "Hồ sơ lý lịch tư pháp trễ hẹn",
    "content": "Đã quá ngày hẹn trả kết quả mà chưa nhận được.",
    "name": "Nguyễn Văn An",
    "phone": "0912345678",
    "email": "",
}


@pytest.fixture(autouse=True)
def _centre(settings):
    settings.EGOV_FEEDBACK_CENTRE = CENTRE
    settings.EGOV_REQUIRE_STAFF_MFA = False


@pytest.fixture
def dossier(quang_ninh):
    return dossier_receive(actor=staff("tinh.tiepnhan"), reception=reception(PROVINCIAL))


def _code(response):
    return re.search(r'data-testid="feedback-code">([^<]+)<', response.content.decode()).group(1)


def test_a_feedback_names_a_dossier_and_takes_its_procedure(client, dossier):
    # Typed in lower case, as citizens often do: the code is matched in capitals. The field
    # chosen on the form (another procedure's) gives way to the dossier's.
    from egov.catalog.models import ProcedureField

    other_field = ProcedureField.objects.exclude(pk=dossier.procedure_version.field_id).first()
    sent = client.post(
        reverse("portal:feedback_send"),
        {**SEND, "dossier_code": dossier.code.lower(), "field": other_field.pk},
    )
    assert sent.status_code == 200
    feedback = Feedback.objects.get(code=_code(sent))
    version = dossier.procedure_version
    assert (feedback.dossier, feedback.procedure, feedback.field) == (
        dossier,
        version.procedure,
        version.field,
    )
    assert feedback.events.get().data == {"channel": "portal", "dossier": dossier.code}


def test_staff_see_the_code_open_the_dossier_only_if_they_may_and_get_its_unit_offered(
    client, dossier
):
    sent = client.post(reverse("portal:feedback_send"), {**SEND, "dossier_code": dossier.code})
    feedback = Feedback.objects.get(code=_code(sent))
    detail = reverse("workspace:feedback", args=[feedback.code])
    dossier_page = reverse("workspace:dossier", args=[dossier.code])
    client.force_login(staff("tinh.tiepnhan"))  # the centre: classifies, received the dossier
    page = client.get(detail).content.decode()
    assert f'<a href="{dossier_page}">{dossier.code}</a>' in page
    # Received at the centre, not yet forwarded: the competent Sở Tư pháp is offered.
    assert f'<option value="{unit(JUSTICE).pk}" selected>' in page
    assert f'<option value="{dossier.procedure_version.field.pk}" selected>' in page
    assert "Gợi ý: đơn vị giải quyết hồ sơ liên quan." in page
    # Routed to the police, who may not open a Sở Tư pháp dossier: the code, no link.
    client.post(
        reverse("workspace:feedback_action", args=[feedback.code]),
        {"thao_tac": "chuyen", "don_vi": unit(POLICE).pk, "phan_loai": "conduct"},
    )
    client.force_login(staff("congan.chuyenvien"))
    page = client.get(detail).content.decode()
    assert dossier_page not in page
    assert re.search(rf'data-testid="feedback-dossier">{re.escape(dossier.code)}\s', page)
    # Sent without an account: nothing shows the sender is the applicant.
    assert (
        'data-testid="feedback-dossier-sender">Mã hồ sơ do người gửi tự ghi; chưa xác minh '
        "người gửi là người nộp hồ sơ — không gửi thông tin của hồ sơ cho người gửi.<" in page
    )


def test_the_dossiers_account_is_named_as_the_sender_and_a_follow_up_keeps_the_dossier(
    client, dossier
):
    from egov.accounts.models import User
    from egov.feedback.services import feedback_approve, feedback_draft, feedback_follow_up

    account = User.objects.create_user("an.nguyen", email="an.nguyen@example.vn")
    Dossier.objects.filter(pk=dossier.pk).update(owner=account)
    client.force_login(account)
    sent = client.post(reverse("portal:feedback_send"), {**SEND, "dossier_code": dossier.code})
    feedback = Feedback.objects.get(code=_code(sent))
    client.force_login(staff("tinh.tiepnhan"))
    page = client.get(reverse("workspace:feedback", args=[feedback.code])).content.decode()
    assert 'data-testid="feedback-dossier-sender">Người gửi là tài khoản đã nộp hồ sơ này.<' in page
    client.post(
        reverse("workspace:feedback_action", args=[feedback.code]),
        {"thao_tac": "chuyen", "don_vi": unit(JUSTICE).pk, "phan_loai": "conduct"},
    )
    feedback_draft(actor=staff("tinh.chuyenvien"), feedback=feedback, answer="Đã nhắc nhở.")
    answered = feedback_approve(actor=staff("tinh.lanhdaophong"), feedback=feedback)
    follow_up, _secret = feedback_follow_up(
        actor=account, feedback=answered, content="Vẫn chưa nhận được kết quả."
    )
    assert (follow_up.dossier, follow_up.follows) == (dossier, answered)


def test_an_unknown_dossier_code_is_refused_next_to_the_field_and_nothing_is_saved(
    client, quang_ninh
):
    refused = client.post(reverse("portal:feedback_send"), {**SEND, "dossier_code": "000.00.99"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Không có hồ sơ mang mã “000.00.99”. Hãy kiểm tra mã in trên Giấy tiếp nhận." in text
    assert 'value="Hồ sơ lý lịch tư pháp trễ hẹn"' in text  # the rest is kept
    assert not Feedback.objects.exists()


def test_the_citizens_dossier_page_opens_the_form_with_the_code(client, dossier):
    from egov.accounts.models import User

    account = User.objects.create_user("an.nguyen", email="an.nguyen@example.vn")
    Dossier.objects.filter(pk=dossier.pk).update(owner=account)
    client.force_login(account)
    mine = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    link = f"{reverse('portal:feedback_send')}?ho-so={dossier.code}"
    assert f'<a href="{link}" data-testid="feedback-about-dossier">' in mine
    prefilled = client.get(link)
    assert prefilled.status_code == 200
    assert f'name="dossier_code" value="{dossier.code}"' in prefilled.content.decode()


def test_the_hotline_operator_logs_a_call_about_a_dossier(client, dossier):
    client.force_login(staff("tinh.tiepnhan"))
    logged = client.post(reverse("workspace:feedback_call"), {**SEND, "dossier_code": dossier.code})
    assert logged.status_code == 302
    feedback = Feedback.objects.get(title=SEND["title"])
    assert (feedback.channel, feedback.dossier) == ("hotline", dossier)
