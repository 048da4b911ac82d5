"""Issue 13 point 1: no English on the Vietnamese portal.

Every page of the project (the URL resolver is walked, so a new page is checked without being
listed here) is rendered in Vietnamese — the default language — as the kinds of user who see
it: anonymously and as the demo citizen for public pages, as staff of each kind for the staff
workspace. Path parameters are filled from the demo data; a page that needs an object is
tried with the demo objects of its kind as each persona until one answers 200, and each page
must answer 200 to someone (or be listed in ``NOT_PAGES`` with the reason). The visible text
(tags, scripts and styles removed, attribute values such as ``placeholder``, ``title``,
``aria-label`` and button ``value`` kept) must not contain any of ``ENGLISH_WORDS`` as a whole
word. The error pages (400, 403, 404, 500, CSRF failure) are checked in
``egov/core/tests/test_error_pages.py``.

Left out on purpose: ``/admin/`` (Django's admin is its own product with its own Vietnamese
catalog; its login is our sign-in page, checked below through ``/admin/login/``) and
``/api/v1/`` (a machine interface: JSON field names and the OpenAPI documentation are English
by design, for integrators).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from egov.accounts.models import User
from egov.demo.citizens import CITIZEN_USERNAME
from egov.demo.documents import load_demo_documents
from egov.demo.dossiers import load_demo_dossiers
from egov.demo.feedback import load_demo_feedback
from egov.documents.copies import ElectronicCopy
from egov.documents.models import IncomingDocument, OutgoingDocument, OutgoingVersion
from egov.documents.signing_requests import RemoteSigningRequest
from egov.documents.workfiles import WorkFile
from egov.dossiers.models import Dossier, DossierComponent
from egov.portal.models import ApplicationDraft
from tests.english_words import english_words, visible_text

pytestmark = pytest.mark.django_db

PASSWORD = "Quang-Ninh-2026"


def test_the_word_check_sees_visible_english_only():
    page = (
        '<html><head><title>Đăng ký</title><script>var signUp="Sign Up";</script></head>'
        '<body><input type="hidden" name="next" value="Next"><p>Mã QR và tệp PDF</p>'
        '<input placeholder="Email (optional)"><a href="/accounts/signup/">Đăng ký</a>'
        '<select><option value="Save">Lưu</option></select><input type="submit" value="Search">'
        "<p>Emailing, sign-up</p><button>Sign&nbsp;Up</button></body></html>"
    )
    assert visible_text(page) == (
        " Đăng ký Mã QR và tệp PDF Email (optional) Đăng ký Lưu Search Emailing, sign-up Sign Up "
    )
    assert [word for word, _context in english_words(page)] == [
        "Email",
        "optional",
        "Search",
        "Sign Up",
    ]


# --- The pages --------------------------------------------------------------------------------

# URL names that are no HTML page to read (files, machine endpoints, POST-only actions, or
# pages that only redirect): not requested here (egov/core/tests/test_no_server_error.py
# requests every URL).
NOT_PAGES = {
    # POST-only actions (GET answers 405)
    "portal:my_dossier_action",
    "portal:my_rating",
    "workspace:dossier_action",
    "workspace:dossier_apology",
    "workspace:dossier_extension",
    "workspace:dossier_payment",
    "workspace:dossier_digitise",
    "workspace:counter_action",
    "workspace:queue_cancel_appointments",
    "workspace:queue_cancel_beyond_plan",
    # "Tiếp nhận hồ sơ" from a called number redirects to the reception form (checked there).
    "workspace:counter_reception",
    # The board's polled fragment (its text is read on the board page).
    "portal:queue_board_calls",
    # POST-only: an appointment's check-in at the kiosk and its cancelling (their refusals
    # render the kiosk and the appointment page, checked as such).
    "portal:queue_check_in",
    "portal:appointment_cancel",
    # A fragment polled from the dossier page (its text is read there), for a paper waiting
    # for the desk's check only.
    "workspace:dossier_ocr_progress",
    "workspace:unit_assessment",
    "workspace:incoming_action",
    "workspace:exchange_recall_answer",
    "workspace:exchange_recall_send",
    "workspace:outgoing_action",
    "workspace:outgoing_new_version",
    "workspace:copy_sign",
    "workspace:work_file_action",
    "workspace:work_file_add",
    "workspace:feedback_action",
    "account_logout_post_only",
    "set_language",
    "vneid_callback",
    "vnpay_sim:transaction",
    "payments:vnpay_ipn",
    # Files: PDF, DOCX, XML, the recovery codes as text, the favicon
    "portal:my_file",
    "portal:my_receipt",
    "portal:procedure_form",
    "workspace:notice_pdf",
    "workspace:dossier_file",
    "workspace:store_file",
    "portal:my_store_file",
    "workspace:receipt_pdf",
    "workspace:control_sheet_pdf",
    "workspace:apology_pdf",
    "workspace:refusal_notice_pdf",
    "workspace:supplement_request_pdf",
    "workspace:tracking_book_pdf",
    "workspace:incoming_file",
    "workspace:incoming_sheet_pdf",
    "workspace:copy_file",
    "workspace:certified_copy_file",
    "workspace:work_file_pdf",
    "workspace:work_file_xml",
    "payments:receipt",
    "mfa_download_recovery_codes",
    "favicon",
    # Redirects only: to the provider (off in the tests), to the gateway's answer page, or
    # to the form once a draft exists
    "vneid_login",
    "payments:vnpay_return",
    "portal:application_start",
    "vnpay_sim:pay",
    # allauth pages of flows we switched off: login by code, reauthentication by code (no
    # ACCOUNT_LOGIN_BY_CODE_ENABLED), the "inactive" page (egov deactivates no account this
    # way: a refused sign-in says so on the login form), set password (every account has
    # one); they redirect or answer 404.
    "account_confirm_login_code",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
}

# Pages this test cannot open from the demo data alone, each with the reason; their templates
# use the same catalogs and words as the pages checked. The list is compared exactly, so a
# page that starts opening (or stops) is noticed.
NOT_OPENED = {
    "vneid_link": "a national SSO sign-in waiting in the session",
    "socialaccount_signup": "a national SSO sign-in waiting in the session",
    "socialaccount_login_error": "a failed national SSO sign-in in the session",
    "account_set_password": "an account without a password (every egov account has one)",
    "workspace:work_file": "a work file of the caller's unit (the demo has none)",
    "workspace:component_scan": "a paper component waiting to be scanned",
    "workspace:partner_history": "a liên thông partner's dossier",
    "workspace:counter_notice": "the notice form is reached from the reception form (POST)",
    "workspace:copy_incoming": "an incoming document the caller's unit may copy",
    "workspace:outgoing_remote_signing": "a remote signing request (the demo makes none)",
    "workspace:service_index_dossiers": "an indicator and a list (?chi_so=…&tap=…) of the index",
    "workspace:digitisation_dossiers": "a figure and a list (?so_lieu=…&tap=…) of Tỷ lệ số hóa",
}

# One of each kind of staff: receptionist, specialist, department leader, văn thư (clerk of
# UBND tỉnh), the department's văn thư (incoming documents) and the provincial administrator.
STAFF = (
    "tinh.tiepnhan",
    "tinh.chuyenvien",
    "tinh.lanhdaophong",
    "tinh.vanthu",
    "tinh.vanthuso",
    "tinh.quantri",
    "tinh.tongdaivien",  # the hotline (issue 17 §7)
    "tinh.lanhdaotrungtam",  # the centre's leader: today's queue (issue 17 §5)
)


def _patterns(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), space)
        elif isinstance(pattern, URLPattern):
            name = namespace + (pattern.name or pattern.callback.__name__)
            yield prefix + str(pattern.pattern), name


def _pages() -> list[tuple[str, str]]:
    pages = []
    for route, name in _patterns(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/")) or route.startswith("^static"):
            continue
        if route.startswith("accounts/social/"):
            continue  # allauth's old aliases of the views under accounts/3rdparty/
        pages.append((route, name))
    return sorted(set(pages))


def _candidates(name: str) -> list[dict[str, Any]]:
    """Path parameters for a URL name, from the demo data (several objects per kind)."""
    dossiers = [d.code for d in Dossier.objects.order_by("pk")[:40]]
    citizen_dossiers = [
        d.code for d in Dossier.objects.filter(owner__username=CITIZEN_USERNAME).order_by("pk")
    ]
    if name in {"workspace:dossier", "workspace:partner_history", "workspace:certified_copy"}:
        return [{"code": code} for code in dossiers]
    if name == "workspace:component_scan":
        return [
            {"code": c.dossier.code, "pk": c.pk}
            for c in DossierComponent.objects.select_related("dossier").order_by("pk")[:20]
        ]
    if name in {"portal:my_dossier", "portal:my_rating", "payments:pay"}:
        return [{"code": code} for code in citizen_dossiers]
    if name in {
        "portal:application_applicant",
        "portal:application_files",
        "portal:application_review",
    }:
        return [{"pk": d.pk} for d in ApplicationDraft.objects.order_by("pk")]
    if name == "portal:procedure_detail":
        return [{"code": "2.000815"}, {"code": "1.001612"}]
    if name == "account_confirm_email":
        address = EmailAddress.objects.filter(user__username=CITIZEN_USERNAME).first()
        return [{"key": EmailConfirmationHMAC(address).key}] if address else []
    if name == "account_reset_password_from_key":
        citizen = User.objects.get(username=CITIZEN_USERNAME)
        token = default_token_generator.make_token(citizen)
        return [{"uidb36": user_pk_to_url_str(citizen), "key": token}]
    if name in {"workspace:incoming_detail", "workspace:incoming_distribute"} or (
        name == "workspace:copy_incoming"
    ):
        return [{"pk": pk} for pk in IncomingDocument.objects.values_list("pk", flat=True)]
    if name in {"workspace:outgoing", "workspace:copy_outgoing"}:
        return [{"pk": pk} for pk in OutgoingDocument.objects.values_list("pk", flat=True)]
    if name == "workspace:outgoing_version":
        return [
            {"pk": v.document_id, "number": v.number} for v in OutgoingVersion.objects.all()[:10]
        ]
    if name == "workspace:outgoing_remote_signing":
        return [{"pk": pk} for pk in RemoteSigningRequest.objects.values_list("pk", flat=True)]
    if name in {"workspace:copy_detail", "workspace:copy_copy"}:
        return [{"pk": pk} for pk in ElectronicCopy.objects.values_list("pk", flat=True)]
    if name == "workspace:work_file":
        return [{"pk": pk} for pk in WorkFile.objects.values_list("pk", flat=True)]
    if name == "portal:appointment":
        from egov.centre.models import Appointment

        return [{"key": key} for key in Appointment.objects.values_list("key", flat=True)[:3]]
    if name in {"portal:queue_kiosk", "portal:queue_board", "portal:booking"}:
        return [{"centre": "qn.ttpvhcc"}]
    if name in {"portal:queue_ticket", "portal:queue_receipt"}:
        from egov.centre.models import Ticket

        return [{"key": key} for key in Ticket.objects.values_list("track_key", flat=True)[:3]]
    if name in {"workspace:feedback", "portal:feedback_answer"}:
        from egov.feedback.models import Feedback

        return [{"code": code} for code in Feedback.objects.values_list("code", flat=True)]
    if name in {"portal:faq_detail", "workspace:faq_edit"}:
        from egov.helpdesk.models import Question

        return [
            {"pk": pk} for pk in Question.objects.order_by("pk").values_list("pk", flat=True)[:3]
        ]
    if name == "workspace:hotline_call":
        from egov.helpdesk.models import HotlineCall

        return [{"pk": pk} for pk in HotlineCall.objects.values_list("pk", flat=True)]
    if name == "portal:my_store_document":
        from egov.datastore.models import StoreDocument

        return [{"code": code} for code in StoreDocument.objects.values_list("code", flat=True)]
    return [{}]


# A staff member with TOTP and recovery codes (the MFA pages that manage them).
WITH_MFA = "tinh.giamsat"


def _users_for(route: str) -> list[str | None]:
    if route.startswith("staff/"):
        return list(STAFF)
    if route.startswith("accounts/2fa/authenticate/"):
        return ["signing-in"]
    if route.startswith("accounts/2fa/"):
        return [CITIZEN_USERNAME, WITH_MFA, "tinh.tiepnhan"]
    if route.startswith(
        ("accounts/password/change", "accounts/email", "accounts/reauth", "accounts/3rdparty/")
    ):
        return [CITIZEN_USERNAME, "tinh.tiepnhan"]
    return [None, CITIZEN_USERNAME]


def _client(username: str | None) -> Client:
    client = Client()
    if username == "signing-in":
        # Half-way through the sign-in of an account with TOTP: the second-factor page.
        response = client.post(reverse("account_login"), {"login": WITH_MFA, "password": PASSWORD})
        assert response["Location"] == reverse("mfa_authenticate")
    elif username:
        user = User.objects.get(username=username)
        client.force_login(user)
        # Signed in just now with the password (and the second factor), as allauth records
        # it: pages that ask to sign in again first (e.g. setting up TOTP) open directly.
        session = client.session
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": time.time(), "username": username},
            {"method": "mfa", "at": time.time(), "type": "totp", "reauthenticated": True},
        ]
        session.save()
    return client


@pytest.fixture
def demo_world(quang_ninh, signing_settings, settings):
    """The demo as ``make run`` shows it: dossiers in every state (the demo citizen's too) and
    official documents in every state, signed with the development PKI."""
    settings.EGOV_REQUIRE_STAFF_MFA = False
    load_demo_dossiers(count=12)
    load_demo_feedback()
    load_demo_documents()
    from egov.helpdesk.services import CallInput, call_log

    # A call on the hotline, its follow-up pending (the operator's screen and the call's page).
    call_log(
        actor=User.objects.get(username="tinh.tongdaivien"),
        data=CallInput(
            caller_name="Nguyễn Thị Hoa",
            topic="Hỏi lệ phí đăng ký tạm trú",
            answer="15.000 đồng nộp trực tiếp, 7.000 đồng nộp trực tuyến.",
            follow_up_needed=True,
            follow_up_note="Gửi đường dẫn nộp trực tuyến",
        ),
    )
    from egov.centre.models import ServiceLine
    from egov.centre.services import ticket_issue

    # A number taken at the provincial centre's kiosk (its ticket and "theo dõi lượt" pages).
    ticket_issue(actor=None, line=ServiceLine.objects.filter(centre__key="qn.ttpvhcc").first())
    from egov.centre.appointment_selectors import bookable_days, line_slots
    from egov.centre.appointments import appointment_book

    # An online appointment (its page with the code and the QR).
    booked_line = ServiceLine.objects.get(centre__key="qn.ttpvhcc", code="A")
    first_day = bookable_days(booked_line, now=timezone.now())[1]
    appointment_book(
        actor=None,
        line=booked_line,
        starts_at=line_slots(booked_line, first_day)[0].starts_at,
        name="Trần Văn An",
        phone="0912345678",
    )
    citizen = User.objects.get(username=CITIZEN_USERNAME)
    from egov.datastore.tests.factories import issued_result, owner

    # A paper in the demo citizen's data store ("Kho dữ liệu của tôi" and its detail page).
    issued_result(
        User.objects.get(username="tinh.tiepnhan"),
        code="KQ-DEMO-1",
        of=owner("022084000123", citizen.full_name, account=citizen),
    )
    EmailAddress.objects.get_or_create(
        user=citizen, email=citizen.email, defaults={"primary": True, "verified": False}
    )
    client = Client()
    client.force_login(citizen)
    client.post(reverse("portal:application_start", kwargs={"code": "1.001612"}))
    # A staff member without TOTP yet, whose address is verified (allauth's condition for
    # setting TOTP up).
    EmailAddress.objects.filter(user__username="tinh.tiepnhan").update(verified=True)
    with_mfa = User.objects.get(username=WITH_MFA)
    with_mfa.set_password(PASSWORD)
    with_mfa.save()
    TOTP.activate(with_mfa, "JBSWY3DPEHPK3PXP")
    RecoveryCodes.activate(with_mfa)


def test_every_page_is_vietnamese(demo_world):
    clients = {
        name: _client(name) for name in [None, CITIZEN_USERNAME, *STAFF, WITH_MFA, "signing-in"]
    }
    not_shown = []
    english = []
    for route, name in _pages():
        if name in NOT_PAGES:
            continue
        shown = False
        for kwargs in _candidates(name):
            path = reverse(name, kwargs=kwargs) if kwargs else "/" + route
            for username in _users_for(route):
                # The link in a password-reset e-mail moves its key into the session and
                # redirects to the form: followed.
                follow = name == "account_reset_password_from_key"
                response = clients[username].get(path, follow=follow)
                assert response.status_code < 500, (path, username, response.status_code)
                if response.get("Content-Type", "").startswith("text/html"):
                    page = response.content.decode()
                    english += [
                        f"{path} ({username}): {word!r} in …{context}…"
                        for word, context in english_words(page)
                    ]
                shown = shown or response.status_code == 200
                if shown and kwargs:
                    break  # an object's page: seen once by someone who may see it
            if shown:
                break
        if not shown:
            not_shown.append(name)
    assert set(not_shown) == set(NOT_OPENED)
    assert not english, "\n".join(english)


def test_the_admin_sign_in_is_the_vietnamese_sign_in_page(quang_ninh):
    """/admin/ is left out above (Django's admin has its own Vietnamese catalog), but its door
    is ours: /admin/login/ leads to the sign-in page, in Vietnamese."""
    response = Client().get("/admin/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "Tên đăng nhập, thư điện tử hoặc số điện thoại" in visible_text(page)
    assert english_words(page) == []
