"""The authorization matrix (issue 9, "keep it closed").

Every role of unit A — the demo accounts at phường Hồng Gai and at the provincial centre and
departments — against every staff page and every staff API operation (with an API key per
role) naming unit B's dossier or objects: 404 everywhere (403 where a request names unit B
itself as the caller's desk, which reveals nothing about B's dossiers). Citizen B against
citizen A's pages: 404.

The URL patterns and the API operations are enumerated from the URL resolver and the OpenAPI
schema and compared with the matrices declared here, so adding a page or an operation without
deciding its row fails ``test_every_page_and_operation_is_in_the_matrix``.

Unit B is UBND phường Hạ Long (not below the provincial centre, so no centre role reaches it).
The provincial administrator (system_admin at UBND tỉnh, the root unit) reads every dossier of
the province by design and is not a "unit A" account.
"""

from __future__ import annotations

import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from egov.accounts.citizens import ProfileInput, citizen_profile_save
from egov.accounts.models import Role, User
from egov.accounts.scopes import Scope
from egov.accounts.services import role_assign
from egov.catalog.selectors import version_by_code
from egov.core.uploads import store_private
from egov.demo.accounts import DEMO_ACCOUNTS
from egov.documents.services.incoming import incoming_receive, incoming_register
from egov.documents.services.workfiles import (
    work_file_add_document,
    work_file_plan,
    work_file_transition,
)
from egov.dossiers.models import Dossier
from egov.dossiers.services.notices import counter_notice_issue
from egov.dossiers.services.online import OnlineSubmission, dossier_submit_online
from egov.dossiers.services.reception import Applicant
from egov.dossiers.services.transitions import dossier_transition
from egov.org.models import Unit
from egov.portal.models import ApplicationDraft

pytestmark = pytest.mark.django_db

UNIT_B = "qn.x.ha-long.ubnd"
APPLICANT_NAME = "Trương Thị Bích Ngọc"

# Kinds of rows.
OBJECT = "object"  # names B's dossier or an object of it: 404 for every listed method
LISTING = "listing"  # a list or report of the caller's own units: B's dossier never appears
UNIT = "unit"  # names unit B as the caller's desk: refused with 403, nothing created
NO_DOSSIER = "no-dossier"  # a form or page that shows no dossier data
OWN_ACCOUNT = "own-account"  # acts on the signed-in account only
PUBLIC = "public"  # public by design (catalog, rate-limited lookup, payment gateway)
# Figures for the whole province (no dossier, no document named): answered by role, 200 for the
# provincial level and 403 for the others; never shows B's dossier.
AGGREGATE = "aggregate"

# Staff web pages: name → (kind, methods, path parameters by name of B's object).
STAFF_PAGES: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "workspace:home": (LISTING, ("GET",), {}),
    "workspace:queue": (LISTING, ("GET",), {}),
    "workspace:reception": (NO_DOSSIER, ("GET",), {}),
    "workspace:counter_notice": (NO_DOSSIER, ("GET",), {}),
    "workspace:notice_pdf": (OBJECT, ("GET",), {"pk": "notice"}),
    "workspace:dossier": (OBJECT, ("GET",), {"code": "code"}),
    "workspace:dossier_action": (OBJECT, ("POST",), {"code": "code"}),
    "workspace:dossier_apology": (OBJECT, ("POST",), {"code": "code"}),
    "workspace:dossier_extension": (OBJECT, ("POST",), {"code": "code"}),
    "workspace:dossier_payment": (OBJECT, ("POST",), {"code": "code"}),
    "workspace:component_scan": (OBJECT, ("GET", "POST"), {"code": "code", "pk": "component"}),
    # Checking scans against the originals and signing the "kết quả số hóa" (issue 16 §2).
    "workspace:dossier_digitise": (OBJECT, ("POST",), {"code": "code"}),
    "workspace:dossier_ocr_progress": (
        OBJECT,
        ("GET",),
        {"code": "code", "document_code": "store_document"},
    ),
    "workspace:dossier_file": (OBJECT, ("GET",), {"code": "code", "pk": "file"}),
    # The applicant's data store (issue 16 §1): only while handling B's dossier, so 404 here.
    "workspace:store_file": (
        OBJECT,
        ("GET",),
        {"code": "code", "document": "store_document", "which": "store_file"},
    ),
    "workspace:receipt_pdf": (OBJECT, ("GET",), {"code": "code"}),
    "workspace:control_sheet_pdf": (OBJECT, ("GET",), {"code": "code"}),
    "workspace:apology_pdf": (OBJECT, ("GET",), {"code": "code"}),
    "workspace:refusal_notice_pdf": (OBJECT, ("GET",), {"code": "code"}),
    "workspace:supplement_request_pdf": (OBJECT, ("GET",), {"code": "code", "number": "one"}),
    # A former liên thông partner's own part of the history (unit A never was one).
    "workspace:partner_history": (OBJECT, ("GET",), {"code": "code"}),
    "workspace:outbox": (LISTING, ("GET",), {}),
    # Provincial administrators only (refused to every unit-A account); shows dossier codes.
    "workspace:national_sync": (LISTING, ("GET", "POST"), {}),
    # Partner subscriptions: provincial administrators only (others 403); no dossier data.
    "workspace:webhook_subscriptions": (NO_DOSSIER, ("GET",), {}),
    "workspace:reconciliation": (LISTING, ("GET",), {}),
    # Điều 15 scores of the officers and units under the caller's leader roles.
    "workspace:evaluation": (LISTING, ("GET",), {}),
    # The plan's targets (issue 15 §3): provincial figures; the entry form is the responsible
    # unit's own figure.
    "workspace:plan_targets": (LISTING, ("GET",), {}),
    "workspace:plan_targets_report": (LISTING, ("GET",), {}),
    "workspace:plan_target_entry": (NO_DOSSIER, ("GET", "POST"), {}),
    # The service index (QĐ 766) of a unit and its dossiers: asked for unit B, refused (403).
    "workspace:service_index": (LISTING, ("GET",), {}),
    "workspace:service_index_dossiers": (LISTING, ("GET",), {}),
    # Tỷ lệ số hóa of a unit and its dossiers: asked for unit B, refused (403).
    "workspace:digitisation": (LISTING, ("GET",), {}),
    "workspace:digitisation_dossiers": (LISTING, ("GET",), {}),
    # Leaders' dashboards (issue 15): counts of the caller's units only; the drill-down lists
    # the dossiers behind a number, asked here for unit B's open dossiers.
    "workspace:dashboard": (LISTING, ("GET",), {}),
    "workspace:dashboard_dossiers": (LISTING, ("GET",), {}),
    # Names a unit in the form: one outside the caller's scope is refused, nothing recorded.
    "workspace:unit_assessment": (NO_DOSSIER, ("POST",), {}),
    "workspace:tracking_book_pdf": (LISTING, ("GET",), {}),
    # Văn bản đến (issue 11): unit B's incoming document (its subject names the applicant).
    "workspace:incoming_list": (LISTING, ("GET",), {}),
    "workspace:incoming_new": (NO_DOSSIER, ("GET",), {}),
    "workspace:incoming_detail": (OBJECT, ("GET",), {"pk": "incoming_id"}),
    # Liên thông (issue 14): documents from other agencies waiting for acceptance, and the
    # answer to a sender's recall request of unit B's received package.
    "workspace:exchange_inbox": (LISTING, ("GET",), {}),
    "workspace:exchange_recall_answer": (OBJECT, ("POST",), {"pk": "recall_package"}),
    "workspace:incoming_action": (OBJECT, ("POST",), {"pk": "incoming_id"}),
    "workspace:incoming_distribute": (OBJECT, ("GET", "POST"), {"pk": "incoming_id"}),
    "workspace:incoming_file": (OBJECT, ("GET",), {"pk": "incoming_id"}),
    "workspace:incoming_sheet_pdf": (OBJECT, ("GET",), {"pk": "incoming_id"}),
    # Văn bản đi (issue 11): B's outgoing document is named by "outgoing_id" (its subject carries
    # the applicant's name, so a listing that shows it fails the LISTING check).
    "workspace:outgoing_list": (LISTING, ("GET",), {}),
    "workspace:outgoing_compose": (NO_DOSSIER, ("GET",), {}),
    "workspace:outgoing_upload": (NO_DOSSIER, ("GET",), {}),
    "workspace:outgoing_signing": (LISTING, ("GET",), {}),
    "workspace:outgoing_release": (LISTING, ("GET",), {}),
    # Ký số từ xa: B's leader's request is seen by B's leader only.
    "workspace:outgoing_remote_signing": (OBJECT, ("GET",), {"pk": "remote_signing"}),
    # Electronic copies: B's sao y of its incoming document ("copy"); making a copy of B's
    # documents is 404 like the documents themselves.
    "workspace:copy_incoming": (OBJECT, ("GET", "POST"), {"pk": "incoming_id"}),
    "workspace:copy_outgoing": (OBJECT, ("GET", "POST"), {"pk": "outgoing_id"}),
    "workspace:copy_list": (LISTING, ("GET",), {}),
    "workspace:copy_paper": (NO_DOSSIER, ("GET",), {}),  # only the caller's own agencies
    "workspace:copy_detail": (OBJECT, ("GET",), {"pk": "copy"}),
    "workspace:copy_copy": (OBJECT, ("GET", "POST"), {"pk": "copy"}),
    "workspace:copy_file": (OBJECT, ("GET",), {"pk": "copy"}),
    "workspace:copy_sign": (OBJECT, ("POST",), {"pk": "copy"}),
    "workspace:outgoing": (OBJECT, ("GET",), {"pk": "outgoing_id"}),
    "workspace:outgoing_action": (OBJECT, ("POST",), {"pk": "outgoing_id"}),
    # The sender's recall through the axis: B's outgoing document is 404 to A like its page.
    "workspace:exchange_recall_send": (OBJECT, ("POST",), {"pk": "outgoing_id"}),
    "workspace:outgoing_new_version": (OBJECT, ("POST",), {"pk": "outgoing_id"}),
    "workspace:outgoing_version": (OBJECT, ("GET",), {"pk": "outgoing_id", "number": "one"}),
    # Official documents (issue 11): B's work file, registers of B's agency, search.
    "workspace:work_files": (LISTING, ("GET", "POST"), {}),
    "workspace:work_file": (OBJECT, ("GET",), {"pk": "work_file"}),
    "workspace:work_file_action": (OBJECT, ("POST",), {"pk": "work_file"}),
    "workspace:work_file_add": (OBJECT, ("POST",), {"pk": "work_file"}),
    "workspace:work_file_pdf": (OBJECT, ("GET",), {"pk": "work_file"}),
    "workspace:work_file_xml": (OBJECT, ("GET",), {"pk": "work_file"}),
    "workspace:document_registers": (LISTING, ("GET",), {}),
    "workspace:document_search": (LISTING, ("GET",), {}),
    # Biểu 06 (issue 15): counts only, of the units under the caller's leader roles; naming
    # unit B is refused with a message, never B's figures.
    "workspace:form06_report": (LISTING, ("GET",), {}),
    "workspace:form06_xlsx": (LISTING, ("GET",), {}),
    "workspace:form06_pdf": (LISTING, ("GET",), {}),
    # Electronic certified copies (issue 16 §5): the form on B's dossier, B's register entry's
    # file, and the register (asked for unit B: the caller's own unit is shown instead).
    "workspace:certified_copy": (OBJECT, ("GET", "POST"), {"code": "code"}),
    "workspace:certified_copy_file": (OBJECT, ("GET",), {"pk": "certification"}),
    "workspace:certification_register": (LISTING, ("GET",), {}),
    # Feedback (egov.feedback): unit B's feedback is neither listed nor opened nor changed; the
    # hotline form records a call at the caller's own support centre (403 without a role).
    "workspace:feedback_list": (LISTING, ("GET",), {}),
    "workspace:feedback_call": (NO_DOSSIER, ("GET",), {}),
    "workspace:feedback": (OBJECT, ("GET",), {"code": "feedback"}),
    "workspace:feedback_action": (OBJECT, ("POST",), {"code": "feedback"}),
    # The support centre's hotline (issue 17 §7): B's operator's call names the applicant as
    # caller; B's draft question. Only the operator and B's centre leaders see the call.
    "workspace:hotline": (LISTING, ("GET", "POST"), {}),
    "workspace:hotline_call": (OBJECT, ("GET", "POST"), {"pk": "hotline_call"}),
    "workspace:faq_manage": (LISTING, ("GET", "POST"), {}),
    "workspace:faq_edit": (OBJECT, ("GET", "POST"), {"pk": "faq_draft"}),
    # The queue (issue 17): the caller's own counter; a button naming another centre's number
    # in the form is refused with a message and changes nothing; starting a reception from
    # B's centre's number (named in the path) is not found; the leader's page asked for B's
    # centre shows the caller's own centre.
    "workspace:counter_screen": (LISTING, ("GET",), {}),
    "workspace:counter_action": (NO_DOSSIER, ("POST",), {}),
    "workspace:counter_reception": (OBJECT, ("POST",), {"pk": "queue_ticket"}),
    "workspace:queue_today": (LISTING, ("GET",), {}),
    # Cancelling a day's appointments names the centre in the form: another centre's is
    # refused (403) and nothing is cancelled (tested in centre/tests).
    "workspace:queue_cancel_appointments": (NO_DOSSIER, ("POST",), {}),
    "workspace:queue_cancel_beyond_plan": (NO_DOSSIER, ("POST",), {}),
}
# Query strings that make a listing search for B's dossier.
LISTING_QUERIES = {
    "workspace:queue": "?q={code}",
    "workspace:tracking_book_pdf": "?tu={start}&den={end}",
    "workspace:reconciliation": "?tu={start}&den={end}",
    "workspace:evaluation": "?tu={start}&den={end}",
    "workspace:service_index": "?ky={year}&don_vi={unit_b.pk}",
    "workspace:service_index_dossiers": "?ky={year}&don_vi={unit_b.pk}&chi_so=ON_TIME&tap=mau_so",
    "workspace:digitisation": "?ky={year}&don_vi={unit_b.pk}",
    "workspace:digitisation_dossiers": "?ky={year}&don_vi={unit_b.pk}&so_lieu=reuse&tap=mau_so",
    "workspace:dashboard_dossiers": "?so=open&don_vi={unit_b.pk}",
    "workspace:work_files": "?nam={year}",
    # Asks for B's register: refused (403), nothing of B printed.
    "workspace:document_registers": (
        "?co_quan={unit_b.pk}&so=den&tu={start}&den={end}&dinh_dang=pdf"
    ),
    "workspace:document_search": "?q=Truong Thi Bich Ngoc",
    "workspace:form06_report": "?ky=range&tu={start}&den={end}&don_vi={unit_b.pk}",
    "workspace:form06_xlsx": "?ky=range&tu={start}&den={end}&don_vi={unit_b.pk}",
    "workspace:form06_pdf": "?ky=range&tu={start}&den={end}&don_vi={unit_b.pk}",
    "workspace:certification_register": "?don_vi={unit_b.pk}&nam={year}",
    "workspace:feedback_list": "?loc=qua-han",
    "workspace:queue_today": "?trung-tam={queue_centre}",
}

# Citizen pages (portal and payments): name → (kind, methods, path parameters).
CITIZEN_PAGES: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "portal:home": (PUBLIC, (), {}),
    "portal:procedure_search": (PUBLIC, (), {}),
    "portal:dossier_lookup": (PUBLIC, (), {}),  # by code and personal ID, rate-limited
    "portal:rating_kiosk": (PUBLIC, (), {}),  # by code and a check, rate-limited per code too
    "portal:verify_document": (PUBLIC, (), {}),  # the visitor's own file, rate-limited
    "portal:statistics": (PUBLIC, (), {}),  # counts by unit and month, no personal data
    # Feedback: published answers only (masked); sending is rate-limited; tracking needs the
    # code and its secret, or the submitter's own account.
    "portal:feedback_home": (PUBLIC, (), {}),
    "portal:feedback_answer": (PUBLIC, (), {}),
    "portal:feedback_send": (PUBLIC, (), {}),
    "portal:feedback_track": (PUBLIC, (), {}),
    "portal:procedure_detail": (PUBLIC, (), {}),
    # The queue (issue 17): kiosks and boards are public; a ticket's page is reached by the
    # random key printed in its QR and shows the number and place only.
    "portal:queue_centres": (PUBLIC, (), {}),
    "portal:queue_kiosk": (PUBLIC, (), {}),
    "portal:queue_board": (PUBLIC, (), {}),
    "portal:queue_board_calls": (PUBLIC, (), {}),
    "portal:queue_ticket": (PUBLIC, (), {}),
    "portal:queue_receipt": (PUBLIC, (), {}),
    # Online appointments: booking is public and rate-limited; an appointment's page (and its
    # cancelling) is reached by the random key of the confirmation's link; the kiosk's
    # check-in needs the 6-character code, rate-limited per address.
    "portal:booking_centres": (PUBLIC, (), {}),
    "portal:booking": (PUBLIC, (), {}),
    "portal:appointment": (PUBLIC, (), {}),
    "portal:appointment_cancel": (PUBLIC, (), {}),
    "portal:queue_check_in": (PUBLIC, (), {}),
    "portal:procedure_form": (PUBLIC, (), {}),
    # Hỏi đáp: published questions only (drafts are 404, tested in helpdesk/tests).
    "portal:faq_list": (PUBLIC, (), {}),
    "portal:faq_detail": (PUBLIC, (), {}),
    "portal:application_start": (PUBLIC, (), {}),  # starts the caller's own draft
    "portal:application_applicant": (OBJECT, ("GET", "POST"), {"pk": "draft"}),
    "portal:application_files": (OBJECT, ("GET", "POST"), {"pk": "draft"}),
    "portal:application_review": (OBJECT, ("GET", "POST"), {"pk": "draft"}),
    "portal:profile": (OWN_ACCOUNT, (), {}),
    "portal:verify_phone": (OWN_ACCOUNT, (), {}),
    "portal:reset_by_phone": (OWN_ACCOUNT, (), {}),
    "portal:my_dossiers": (LISTING, ("GET",), {}),
    "portal:my_dossier": (OBJECT, ("GET",), {"code": "code"}),
    "portal:my_dossier_action": (OBJECT, ("POST",), {"code": "code"}),
    "portal:my_rating": (OBJECT, ("POST",), {"code": "code"}),
    "portal:my_file": (OBJECT, ("GET",), {"code": "code", "pk": "file"}),
    "portal:my_receipt": (OBJECT, ("GET",), {"code": "code"}),
    # "Kho dữ liệu của tôi" (issue 16 §1): A's store document names B's dossier as its source.
    "portal:my_store": (LISTING, ("GET",), {}),
    "portal:my_store_document": (OBJECT, ("GET",), {"code": "store_document"}),
    "portal:my_store_file": (OBJECT, ("GET",), {"code": "store_document", "which": "store_file"}),
    # Paying a fee by dossier code is open to whoever holds the code (a relative may pay);
    # rate-limited (point 13) and checked below to show no personal data of the applicant.
    "payments:pay": (PUBLIC, (), {}),
    # The receipt's reference is a random capability given to the payer only.
    "payments:receipt": (PUBLIC, (), {}),
    "payments:vnpay_ipn": (PUBLIC, (), {}),  # the gateway, signed
    "payments:vnpay_return": (PUBLIC, (), {}),  # the gateway's redirect, signed
}

# Staff API operations: (method, path) → (kind, JSON body or None).
API = "/api/v1"
STAFF_API: dict[tuple[str, str], tuple[str, object]] = {
    ("POST", f"{API}/staff/dossiers"): (UNIT, "receive"),
    ("GET", f"{API}/staff/dossiers"): (LISTING, None),
    ("GET", f"{API}/staff/dossiers/{{code}}"): (OBJECT, None),
    # The changes feed lists events of the caller's own units only.
    ("GET", f"{API}/staff/dossiers/changes"): (LISTING, None),
    # "Who am I": any valid key, about itself only.
    ("GET", f"{API}/client"): (LISTING, None),
    ("GET", f"{API}/staff/dossiers/{{code}}/assignees"): (OBJECT, None),
    ("POST", f"{API}/staff/dossiers/{{code}}/transitions"): (
        OBJECT,
        {"action": "withdraw", "reason": "Thử quyền"},
    ),
    ("GET", f"{API}/staff/dossiers/{{code}}/receipt.pdf"): (OBJECT, None),
    ("GET", f"{API}/staff/dossiers/{{code}}/control-sheet.pdf"): (OBJECT, None),
    ("GET", f"{API}/staff/dossiers/{{code}}/supplement-requests/{{number}}.pdf"): (OBJECT, None),
    ("POST", f"{API}/staff/dossiers/{{code}}/apology"): (OBJECT, "apology"),
    ("GET", f"{API}/staff/dossiers/{{code}}/apology.pdf"): (OBJECT, None),
    ("POST", f"{API}/staff/dossiers/{{code}}/extensions"): (
        OBJECT,
        {"extension": "xac-minh", "reason": "Thử quyền"},
    ),
    ("GET", f"{API}/staff/dossiers/{{code}}/refusal-notice.pdf"): (OBJECT, None),
    ("POST", f"{API}/staff/dossiers/{{code}}/payments"): (OBJECT, {"amount": 1000}),
    ("POST", f"{API}/staff/dossiers/{{code}}/components/{{component_id}}/scan"): (OBJECT, "file"),
    ("GET", f"{API}/staff/dossiers/{{code}}/components/{{component_id}}/scan"): (OBJECT, None),
    # Digitisation at reception (issue 16 §2): B's dossier is 404, nothing signed or rejected.
    ("GET", f"{API}/staff/dossiers/{{code}}/digitisation"): (OBJECT, None),
    ("POST", f"{API}/staff/dossiers/{{code}}/digitisation/verify"): (OBJECT, {"documents": []}),
    ("POST", f"{API}/staff/dossiers/{{code}}/digitisation/reject"): (
        OBJECT,
        {"code": "000.00.89.H49-260101-0001-SH1", "reason": "Thử quyền"},
    ),
    ("POST", f"{API}/staff/notices"): (UNIT, "notice"),
    # Văn bản đi (issue 11): creating one in unit B is refused (403); B's document is 404; the
    # batch signing answers 200 with "not found" for it and signs nothing.
    ("GET", f"{API}/staff/outgoing-documents"): (LISTING, None),
    ("POST", f"{API}/staff/outgoing-documents"): (UNIT, "outgoing_file"),
    ("POST", f"{API}/staff/outgoing-documents/sign-batch"): (LISTING, "sign_batch"),
    ("GET", f"{API}/staff/outgoing-documents/{{outgoing_id}}"): (OBJECT, None),
    ("GET", f"{API}/staff/outgoing-documents/{{outgoing_id}}/versions/{{number}}"): (OBJECT, None),
    ("POST", f"{API}/staff/outgoing-documents/{{outgoing_id}}/transitions"): (
        OBJECT,
        {"action": "submit", "revision": 0},
    ),
    # Ký số từ xa: B's document is not found (404, nothing sent); B's request is 404.
    ("POST", f"{API}/staff/remote-signing-requests"): (OBJECT, "sign_batch"),
    ("GET", f"{API}/staff/remote-signing-requests/{{request_id}}"): (OBJECT, None),
    ("GET", f"{API}/staff/notices/{{notice_id}}.pdf"): (OBJECT, None),
    ("GET", f"{API}/staff/tracking-book.pdf"): (UNIT, None),
    # Văn bản đến (issue 11): receiving names unit B as the caller's agency (403).
    ("GET", f"{API}/staff/incoming-documents"): (LISTING, None),
    ("POST", f"{API}/staff/incoming-documents"): (UNIT, "incoming"),
    ("POST", f"{API}/staff/incoming-documents/multipart"): (UNIT, "incoming_multipart"),
    ("POST", f"{API}/staff/incoming-documents/verify-file"): (LISTING, "file"),
    ("GET", f"{API}/staff/incoming-documents/{{incoming_id}}"): (OBJECT, None),
    ("POST", f"{API}/staff/incoming-documents/{{incoming_id}}/register"): (OBJECT, {}),
    ("POST", f"{API}/staff/incoming-documents/{{incoming_id}}/return"): (
        OBJECT,
        {"reason": "Thử quyền"},
    ),
    ("POST", f"{API}/staff/incoming-documents/{{incoming_id}}/distribute"): (
        OBJECT,
        {"lead": {"unit": UNIT_B}},
    ),
    (
        "POST",
        f"{API}/staff/incoming-documents/{{incoming_id}}/assignments/{{assignment_id}}/start",
    ): (OBJECT, {}),
    (
        "POST",
        f"{API}/staff/incoming-documents/{{incoming_id}}/assignments/{{assignment_id}}/complete",
    ): (OBJECT, {"note": "Thử quyền"}),
    # Electronic copies: copying B's incoming document is 404, a paper copy for B 403.
    ("POST", f"{API}/staff/document-copies"): (OBJECT, "copy_create"),
    ("POST", f"{API}/staff/document-copies/paper-scan"): (UNIT, "copy_paper"),
    ("GET", f"{API}/staff/document-copies"): (LISTING, None),
    ("GET", f"{API}/staff/document-copies/{{copy_id}}"): (OBJECT, None),
    ("GET", f"{API}/staff/document-copies/{{copy_id}}/file"): (OBJECT, None),
    ("POST", f"{API}/staff/document-copies/{{copy_id}}/sign"): (OBJECT, {}),
    ("POST", f"{API}/staff/incoming-documents/{{incoming_id}}/reply"): (OBJECT, {"outgoing_id": 1}),
    ("GET", f"{API}/staff/incoming-documents/{{incoming_id}}/file"): (OBJECT, None),
    ("GET", f"{API}/staff/incoming-documents/{{incoming_id}}/handling-sheet.pdf"): (OBJECT, None),
    # Webhooks: a client sees only its own subscriptions (B's client owns the one named).
    ("GET", f"{API}/webhooks/event-types"): (LISTING, None),
    # Biểu 06 (issue 15) for unit B: 403 (no report role, or B outside the caller's units).
    ("GET", f"{API}/reports/dossiers"): (UNIT, None),
    ("GET", f"{API}/webhooks/subscriptions"): (LISTING, None),
    ("POST", f"{API}/webhooks/subscriptions"): (UNIT, "webhook_subscription"),
    ("GET", f"{API}/webhooks/subscriptions/{{subscription_id}}"): (OBJECT, None),
    ("PUT", f"{API}/webhooks/subscriptions/{{subscription_id}}"): (OBJECT, "webhook_subscription"),
    ("DELETE", f"{API}/webhooks/subscriptions/{{subscription_id}}"): (OBJECT, None),
    ("POST", f"{API}/webhooks/subscriptions/{{subscription_id}}/rotate-secret"): (OBJECT, {}),
    ("POST", f"{API}/webhooks/subscriptions/{{subscription_id}}/pause"): (OBJECT, {}),
    ("POST", f"{API}/webhooks/subscriptions/{{subscription_id}}/resume"): (OBJECT, {}),
    ("GET", f"{API}/webhooks/subscriptions/{{subscription_id}}/deliveries"): (OBJECT, None),
    (
        "POST",
        f"{API}/webhooks/subscriptions/{{subscription_id}}/deliveries/{{delivery_id}}/replay",
    ): (OBJECT, {}),
    # The service index names unit B: refused (403 unit_forbidden or insufficient_scope).
    ("GET", f"{API}/reports/service-index"): (UNIT, None),
    # The digitisation figures name unit B the same way.
    ("GET", f"{API}/reports/digitisation"): (UNIT, None),
    # The feedback figures name unit B the same way.
    ("GET", f"{API}/reports/feedback"): (UNIT, None),
    # The queue figures of the centres under unit B the same way.
    ("GET", f"{API}/reports/queue"): (UNIT, None),
    ("POST", f"{API}/webhooks/subscriptions/{{subscription_id}}/replay"): (
        OBJECT,
        {"since": "2026-01-01T00:00:00Z", "until": "2030-01-01T00:00:00Z"},
    ),
    ("GET", f"{API}/reports/plan-targets"): (AGGREGATE, None),
    # The applicant's data store of B's dossier (?dossier=<code>): not in A's reach, 404.
    ("GET", f"{API}/datastore/documents"): (OBJECT, None),
}
PUBLIC_API = {
    ("GET", f"{API}/health"),
    ("GET", f"{API}/errors"),  # the published list of error codes
    ("GET", f"{API}/units"),
    ("GET", f"{API}/units/{{code}}"),
    ("GET", f"{API}/calendar/holidays/{{year}}"),
    ("GET", f"{API}/calendar/deadline"),
    ("GET", f"{API}/fields"),
    ("GET", f"{API}/procedures"),
    ("GET", f"{API}/procedures/{{code}}"),
    ("GET", f"{API}/procedures/{{code}}/fee"),
    ("GET", f"{API}/faq"),  # published questions of the knowledge base
    ("GET", f"{API}/public/dossiers/{{code}}"),  # by code and personal ID, rate-limited
    ("POST", f"{API}/signatures/verify"),  # the caller's own file, nothing stored, rate-limited
}

UNIT_A_ACCOUNTS = sorted(a.username for a in DEMO_ACCOUNTS if a.username != "tinh.quantri")


def _pdf_file(title: str) -> io.BytesIO:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 760, title)
    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    buffer.name = "giay-to.pdf"
    return buffer


def _citizen(username: str, name: str, personal_id: str) -> User:
    user = User.objects.create_user(username, email=f"{username}@congdan.example.vn")
    citizen_profile_save(
        actor=user,
        user=user,
        data=ProfileInput(full_name=name, personal_id=personal_id, address="Hạ Long"),
    )
    return user


def _all_patterns(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace or ""
            names |= _all_patterns(pattern.url_patterns, inner or namespace)
        elif pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


@pytest.fixture
def world(quang_ninh, settings, signing_settings):
    """Unit B's dossier (submitted online by citizen A, accepted, a supplement asked, a scan
    attached), a counter notice of unit B, citizen A's draft, citizen B, and an API key per
    unit-A account (same role and unit)."""
    settings.EGOV_REQUIRE_STAFF_MFA = False
    # Unit B's events are listed by the changes feed at once, so the feed's row is not vacuous.
    settings.EGOV_CHANGES_SETTLE_SECONDS = 0
    unit_b = Unit.objects.get(key=UNIT_B)
    desk_b = User.objects.create_user("halong.tiepnhan")
    role_assign(actor=None, user=desk_b, unit=unit_b, role=Role.RECEPTIONIST)
    citizen_a = _citizen("congdan.ngoc", APPLICANT_NAME, "022190000111")
    citizen_b = _citizen("congdan.eve", "Lưu Văn Eve", "022190000222")
    version = version_by_code("1.001612")
    files = {
        c.pk: [store_private(_pdf_file(c.name), original_name=f"{c.pk}.pdf", prefix="applications")]
        for c in version.components.filter(required=True)
    }
    dossier = dossier_submit_online(
        actor=citizen_a,
        submission=OnlineSubmission(
            owner=citizen_a,
            unit=unit_b,
            version=version,
            applicant=Applicant(
                kind="citizen",
                name=APPLICANT_NAME,
                personal_id="022190000111",
                phone="0912000111",
                email="ngoc@congdan.example.vn",
                address="Hạ Long",
            ),
            files=files,
        ),
    )
    dossier = dossier_transition(actor=desk_b, dossier=dossier, action="accept_online")
    dossier = dossier_transition(
        actor=desk_b, dossier=dossier, action="hand_off", data={"handling_unit": UNIT_B}
    )
    dossier = dossier_transition(
        actor=desk_b,
        dossier=dossier,
        action="request_supplement",
        data={"items": ["Bản sao giấy tờ tùy thân"]},
    )
    notice = counter_notice_issue(
        actor=desk_b,
        unit=unit_b,
        version=version,
        kind="guidance",
        applicant_name=APPLICANT_NAME,
        items=["Tờ khai"],
    )
    draft = ApplicationDraft.objects.create(owner=citizen_a, version=version, receiving_unit=unit_b)
    # B's official documents: a work file (closed) and a registered incoming document, both
    # naming the applicant, so that a leak shows on any listing.
    clerk_b = User.objects.create_user("halong.vanthu")
    role_assign(actor=None, user=clerk_b, unit=unit_b, role=Role.CLERK)
    incoming_b = incoming_register(
        actor=clerk_b,
        document=incoming_receive(
            actor=clerk_b,
            agency=unit_b,
            source="paper",
            organ_name="Sở Tư pháp",
            subject=f"Về hồ sơ của bà {APPLICANT_NAME}",
        ),
    )
    work_file = work_file_plan(
        actor=clerk_b,
        unit=unit_b,
        year=timezone.localdate().year,
        notation="01.VT",
        title=f"Hồ sơ của bà {APPLICANT_NAME}",
        maintenance_years=10,
    )
    work_file = work_file_transition(actor=clerk_b, file=work_file, action="open")
    work_file_add_document(actor=clerk_b, file=work_file, document=incoming_b)
    work_file = work_file_transition(actor=clerk_b, file=work_file, action="close")
    component = dossier.components.order_by("pk").first()
    store_document = _store_document_of_a(desk_b, citizen_a, dossier.code)
    incoming, assignment = _incoming_of_unit_b(unit_b, dossier.code)
    copy = _copy_of_unit_b(unit_b, incoming)
    keys = {}
    for account in DEMO_ACCOUNTS:
        if account.username in UNIT_A_ACCOUNTS:
            out = StringIO()
            call_command(
                "api_client",
                "create",
                f"matrix-{account.username}",
                "--unit",
                account.unit_key,
                "--role",
                account.role,
                # Every scope: what is tested here is the unit and the role, not the scope
                # (accounts/tests/test_api_scopes.py), which would refuse many calls first.
                *[arg for scope in Scope.values for arg in ("--scope", scope)],
                stdout=out,
                stderr=StringIO(),
            )
            keys[account.username] = out.getvalue().strip()
    today = timezone.localdate()
    return {
        "dossier": Dossier.objects.get(pk=dossier.pk),
        "code": dossier.code,
        "notice": notice.pk,
        "component": component.pk,
        "component_id": component.component_id,
        "file": dossier.files.order_by("pk").first().pk,
        "one": 1,
        "draft": draft.pk,
        "work_file": work_file.pk,
        "year": timezone.localdate().year,
        "citizen_a": citizen_a,
        "citizen_b": citizen_b,
        "keys": keys,
        "unit_b": unit_b,
        "start": (today - dt.timedelta(days=30)).isoformat(),
        "end": today.isoformat(),
        "incoming_id": incoming.pk,
        "recall_package": _recall_request_to_unit_b(unit_b, incoming).pk,
        "assignment_id": assignment.pk,
        "copy": copy.pk,
        "copy_id": copy.pk,
        "certification": _certification_of_b(unit_b, dossier).pk,
        "feedback": _feedback_of_b(unit_b).code,
        **_helpdesk_of_b(unit_b),
        **_queue_ticket_of_b(dossier.code),
        "store_document": store_document.code,
        "store_file": "da-ky",
        **_outgoing_of_b(unit_b, dossier.code),
        **_webhook_of_b(unit_b, dossier.code),
    }


def _feedback_of_b(unit_b):
    """A feedback received by unit B and routed to it, sent by the applicant of B's dossier."""
    from egov.accounts.actors import SYSTEM
    from egov.feedback.models import FeedbackChannel
    from egov.feedback.services import Submission, Submitter, feedback_submit

    feedback, _secret = feedback_submit(
        actor=SYSTEM,
        centre=unit_b,
        channel=FeedbackChannel.EMAIL,
        submission=Submission(
            kind="phan_anh",
            title="Thử quyền",
            content="Nội dung",
            submitter=Submitter(name=APPLICANT_NAME, email="ngoc@example.vn"),
        ),
    )
    feedback.unit = unit_b
    feedback.save(update_fields=["unit"])
    return feedback


def _queue_ticket_of_b(code):
    """A number taken at unit B's commune centre, received as B's dossier."""
    from egov.centre.models import ServiceLine
    from egov.centre.services import ticket_issue

    centre = Unit.objects.get(key="qn.x.ha-long.ttpvhcc")
    line = ServiceLine.objects.create(centre=centre, code="A", name="Hộ tịch")
    ticket = ticket_issue(actor=None, line=line, name=APPLICANT_NAME)
    ticket.dossier_code = code
    ticket.save(update_fields=["dossier_code"])
    return {"queue_ticket": ticket.pk, "queue_centre": centre.pk}


def _certification_of_b(unit_b, dossier):
    """An entry of unit B's register of certified copies, naming the applicant (the rows
    only: signing is certification/tests' business)."""
    from egov.certification.models import CertificationEntry
    from egov.datastore.models import OwnerKind
    from egov.datastore.services import Owner, Paper, store_document_issue

    desk_b = User.objects.get(username="halong.tiepnhan")
    file = store_private(_pdf_file("ban sao"), original_name="bs.pdf", prefix="certified-copies")
    today = timezone.localdate()
    document = store_document_issue(
        actor=desk_b,
        code="SCT-B-1",
        owner=Owner(OwnerKind.PERSON, "022190000111", APPLICANT_NAME),
        paper=Paper(title="Bằng tốt nghiệp"),
        source="certified_copy",
        file=file,
        unit=unit_b,
        signature_verdict="valid",
        signature_signer=unit_b.name,
    )
    return CertificationEntry.objects.create(
        unit=unit_b,
        year=today.year,
        sequence=1,
        number=f"1/{today.year}/SCT/BS",
        book=f"01/{today.year}",
        certified_on=today,
        certified_at=timezone.now(),
        requester_name=APPLICANT_NAME,
        requester_identifier="022190000111",
        title="Bằng tốt nghiệp",
        pages=1,
        copies=1,
        fee=2000,
        fee_explanation="1 × 2.000 đ",
        certifier=desk_b,
        certifier_title="Cán bộ tiếp nhận (Một cửa)",
        dossier_code=dossier.code,
        dossier_id=dossier.pk,
        store_document=document,
        file=file,
    )


def _helpdesk_of_b(unit_b):
    """B's hotline operator logs a call from the applicant (a follow-up pending) and drafts a
    question of B's knowledge base."""
    from egov.helpdesk.services import CallInput, QuestionInput, call_log, question_create

    operator = User.objects.create_user("halong.tongdaivien")
    role_assign(actor=None, user=operator, unit=unit_b, role=Role.HOTLINE_OPERATOR)
    call = call_log(
        actor=operator,
        data=CallInput(
            caller_name=APPLICANT_NAME,
            caller_phone="0912000111",
            topic=f"Hỏi tiến độ hồ sơ của {APPLICANT_NAME}",
            answer="Đã hướng dẫn.",
            follow_up_needed=True,
            follow_up_note=f"Gọi lại cho {APPLICANT_NAME}",
        ),
    )
    draft = question_create(
        actor=operator,
        unit=unit_b,
        data=QuestionInput(question=f"Câu hỏi của {APPLICANT_NAME}", answer="Bản nháp."),
    )
    return {"hotline_call": call.pk, "faq_draft": draft.pk}


def _store_document_of_a(desk_b, citizen_a, code):
    """Citizen A's e-result in A's data store, issued from B's dossier."""
    from egov.datastore.tests.factories import issued_result, owner

    return issued_result(
        desk_b,
        code=f"{code}-KQ1",
        of=owner("022190000111", APPLICANT_NAME, account=citizen_a),
        dossier_code=code,
    )


def _recall_request_to_unit_b(unit_b, incoming):
    """A sender's recall request of a document unit B received through the axis."""
    from egov.exchange.models import BusinessType, ReceivedPackage, ReceivedState

    original = ReceivedPackage.objects.create(
        agency_code="000.00.89.H49",
        agency=unit_b,
        from_organ="000.00.00.G22",
        document_id="000.00.00.G22,2026/12/01,12/BC-BNV",
        business_type=BusinessType.NEW,
        axis_id="axis-1",
        state=ReceivedState.RECEIVED,
        package=b"<edXMLEnvelope/>",
        incoming=incoming,
    )
    return ReceivedPackage.objects.create(
        agency_code="000.00.89.H49",
        agency=unit_b,
        from_organ="000.00.00.G22",
        document_id=original.document_id,
        business_type=BusinessType.RECALL,
        axis_id="axis-2",
        state=ReceivedState.RECALL_REQUESTED,
        package=b"<edXMLEnvelope/>",
        concerns=original,
        reason="Thu hồi để sửa",
    )


def _webhook_of_b(unit_b, code):
    """Unit B's partner client, its subscription to B's dossiers and one dead delivery."""
    from egov.accounts.services import api_client_create
    from egov.webhooks.models import Delivery, Subscription, WebhookEvent
    from egov.webhooks.services import SubscriptionInput, subscription_create

    owner, _key = api_client_create(
        actor=None, name="matrix-webhook-b", unit=unit_b, role=Role.RECEPTIONIST
    )
    created = subscription_create(
        actor=owner.user,
        owner=owner,
        data=SubscriptionInput(
            url="https://b.example.vn/hook", event_types=["dossier.received"], units=[UNIT_B]
        ),
    )
    subscription: Subscription = created.subscription
    event = WebhookEvent.objects.create(
        id="5a0d2f3c-8f7e-5b1a-9c2d-3e4f5a6b7c8d",
        type="dossier.received",
        subject=code,
        time=timezone.now(),
        body="{}",
    )
    delivery = Delivery.objects.create(
        event=event, subscription=subscription, state="dead", attempts=8, created_at=timezone.now()
    )
    return {"subscription_id": subscription.pk, "delivery_id": delivery.pk}


def _incoming_of_unit_b(unit_b, code):
    """Unit B's incoming document (with a file), registered and distributed to unit B."""
    from egov.documents.services.incoming import (
        AssigneeInput,
        incoming_distribute,
        incoming_register,
    )
    from egov.documents.services.intake import incoming_receive_with_file

    clerk = User.objects.get(username="halong.vanthu")  # B's văn thư, made by world()
    leader = User.objects.create_user("halong.lanhdao")
    role_assign(actor=None, user=leader, unit=unit_b, role=Role.DEPARTMENT_LEADER)
    document = incoming_receive_with_file(
        actor=clerk,
        agency=unit_b,
        data=_pdf_file("van ban den").read(),
        original_name="van-ban-den.pdf",
        source="upload",
        organ_name="Sở Nội vụ",
        subject=f"Về hồ sơ {code} của {APPLICANT_NAME}",
    )
    incoming_register(actor=clerk, document=document)
    [assignment] = incoming_distribute(
        actor=leader, document=document, lead=AssigneeInput(unit=unit_b, working_days=3)
    )
    return document, assignment


def _copy_of_unit_b(unit_b, incoming):
    """B's văn thư makes a sao y of B's incoming document (signed with the dev PKI)."""
    from egov.documents.catalogue import AgencySettings
    from egov.documents.services.copies import make_copy

    AgencySettings.objects.get_or_create(
        agency=unit_b, defaults={"abbreviation": "UBND", "place_name": "Hạ Long"}
    )
    clerk = User.objects.get(username="halong.vanthu")
    return make_copy(actor=clerk, incoming=incoming, form="sao_y")


def _outgoing_of_b(unit_b, code):
    """Unit B's outgoing document (văn bản đi, issue 11), drafted by B's specialist."""
    from egov.documents.selectors import document_type
    from egov.documents.services.catalogue import document_types_load_national
    from egov.documents.services.outgoing import outgoing_create

    document_types_load_national(actor=None)
    drafter = User.objects.create_user("halong.chuyenvien", full_name="Chuyên viên B")
    role_assign(actor=None, user=drafter, unit=unit_b, role=Role.SPECIALIST)
    document = outgoing_create(
        actor=drafter,
        agency=unit_b,
        drafting_unit=unit_b,
        document_type=document_type(None, "to-trinh"),
        subject=f"Tờ trình về hồ sơ {code} của {APPLICANT_NAME}",
        signer=User.objects.get(username="halong.lanhdao"),  # B's leader (made by world())
        file=store_private(_pdf_file("to-trinh"), original_name="tt.pdf", prefix="documents"),
    )
    return {
        "outgoing_id": document.pk,
        "outgoing_drafter": drafter,
        "remote_signing": _remote_signing_of_b(document).pk,
    }


def _remote_signing_of_b(document):
    """A remote signing request of B's leader (ký số từ xa), waiting for their phone."""
    from egov.documents.models import RemoteSigningItem, RemoteSigningRequest

    now = timezone.now()
    request = RemoteSigningRequest.objects.create(
        actor=document.signer,
        credential_id="CRED-B",
        created_at=now,
        deadline=now + dt.timedelta(minutes=3),
    )
    RemoteSigningItem.objects.create(
        request=request, document=document, expected_revision=document.revision, position=0
    )
    return request


def _outgoing_call(client, url, body, world, auth):
    if body == "outgoing_file":
        data = {
            "drafting_unit": UNIT_B,
            "document_type": "to-trinh",
            "subject": "Thử quyền",
            "signer": "halong.chuyenvien",
            "file": _pdf_file("du-thao"),
        }
        return client.post(url, data, **auth)
    batch = {"documents": [{"id": world["outgoing_id"], "revision": 0}]}
    return client.post(url, data=batch, content_type="application/json", **auth)


def test_unit_b_reaches_its_outgoing_document(world, client):
    """Not vacuous: B's drafter opens the outgoing document A may not."""
    client.force_login(world["outgoing_drafter"])
    assert (
        client.get(reverse("workspace:outgoing", kwargs={"pk": world["outgoing_id"]})).status_code
        == 200
    )


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"%PDF"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", "replace")


def _send(client, method, url, **extra):
    return client.post(url, {}, **extra) if method == "POST" else client.get(url, **extra)


def test_every_page_and_operation_is_in_the_matrix():
    from egov.api.api import api

    names = _all_patterns(get_resolver().url_patterns)
    staff = {n for n in names if n.startswith("workspace:")}
    citizen = {n for n in names if n.split(":")[0] in {"portal", "payments"}}
    assert staff == set(STAFF_PAGES), "add the new staff page to STAFF_PAGES"
    assert citizen == set(CITIZEN_PAGES), "add the new citizen page to CITIZEN_PAGES"
    # Built once: ninja builds the whole schema on every call (about half a second).
    paths = api.get_openapi_schema()["paths"]
    operations = {(method.upper(), path) for path, item in paths.items() for method in item}
    assert operations == set(STAFF_API) | PUBLIC_API, "add the new operation to STAFF_API"
    for method, path in operations:
        secured = bool(paths[path][method.lower()].get("security"))
        assert secured == ((method, path) in STAFF_API), (method, path)


def test_unit_a_staff_pages_never_reach_unit_b(world, client):
    code = world["code"]
    assert world["dossier"].receiving_unit.key == UNIT_B
    failures = []
    for username in UNIT_A_ACCOUNTS:
        client.force_login(User.objects.get(username=username))
        for name, (kind, methods, params) in STAFF_PAGES.items():
            url = reverse(name, kwargs={arg: world[key] for arg, key in params.items()})
            for method in methods:
                if kind == OBJECT:
                    status = _send(client, method, url).status_code
                    if status != 404:
                        failures.append((username, method, url, status))
                elif kind == LISTING:
                    query = LISTING_QUERIES.get(name, "").format(**world)
                    response = _send(client, method, url + query)
                    text = _text(response)
                    # The search box echoes the code typed: look for the dossier itself.
                    if f"/staff/ho-so/{code}/" in text or APPLICANT_NAME in text:
                        failures.append((username, method, url, "shows B's dossier"))
    assert failures == [], "\n".join(map(str, failures))
    # Nothing was changed by all those attempts.
    dossier = Dossier.objects.get(pk=world["dossier"].pk)
    assert (dossier.status, dossier.revision) == (
        world["dossier"].status,
        world["dossier"].revision,
    )
    _incoming_unchanged(world)


def _api_call(client, key, method, path, body, world):
    values = {**world, "number": 1, "notice_id": world["notice"]}
    values["request_id"] = world["remote_signing"]
    url = path.format(**values)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if method == "GET":
        query = ""
        if path.endswith("/staff/dossiers"):
            query = f"?q={world['code']}"
        elif path.endswith("tracking-book.pdf"):
            query = f"?start={world['start']}&end={world['end']}&unit={UNIT_B}"
        elif path.endswith("/reports/dossiers"):
            query = f"?from={world['start']}&to={world['end']}&unit={world['unit_b'].code}"
        elif path.endswith("/datastore/documents"):
            query = f"?dossier={world['code']}"
        elif path.endswith(
            (
                "/reports/service-index",
                "/reports/digitisation",
                "/reports/feedback",
                "/reports/queue",
            )
        ):
            query = f"?period={world['year']}&unit={UNIT_B}"
        return client.get(url + query, **auth)
    if method == "DELETE":
        return client.delete(url, **auth)
    if body == "webhook_subscription":
        body = {
            "url": "https://eve.example.vn/hook",
            "event_types": ["dossier.received"],
            "units": [UNIT_B],
        }
    if method == "PUT":
        return client.put(url, data=body, content_type="application/json", **auth)
    if body == "file":
        return client.post(url, {"file": _pdf_file("scan")}, **auth)
    if body in ("outgoing_file", "sign_batch"):
        return _outgoing_call(client, url, body, world, auth)
    if body == "copy_paper":
        fields = {"agency": UNIT_B, "form": "sao_y", "description": "Thử quyền"}
        return client.post(url, {**fields, "file": _pdf_file("giay")}, **auth)
    if body == "copy_create":
        body = {"form": "sao_y", "incoming_id": world["incoming_id"]}
    if body == "incoming_multipart":
        fields = {"agency": UNIT_B, "organ_name": "Eve", "subject": "Thử quyền", "source": "paper"}
        return client.post(url, fields, **auth)
    if body == "incoming":
        body = {"agency": UNIT_B, "organ_name": "Eve", "subject": "Thử quyền", "source": "paper"}
    elif body == "receive":
        version = version_by_code("1.001612")
        body = {
            "procedure": "1.001612",
            "unit": UNIT_B,
            "applicant": {"name": "Eve", "personal_id": "022190000333"},
            "components": [
                {"component_id": c.pk, "originals": 1}
                for c in version.components.filter(required=True)
            ],
        }
    elif body == "notice":
        body = {
            "kind": "guidance",
            "procedure": "1.001612",
            "unit": UNIT_B,
            "applicant_name": "Eve",
            "items": ["Tờ khai"],
        }
    elif body == "apology":
        due = timezone.localtime() + dt.timedelta(days=30)
        body = {"new_due": due.isoformat(), "reason": "Thử quyền"}
    return client.post(url, data=body, content_type="application/json", **auth)


def test_unit_a_api_keys_never_reach_unit_b(world, client):
    failures = []
    before = Dossier.objects.count()
    for username in UNIT_A_ACCOUNTS:
        key = world["keys"][username]
        for (method, path), (kind, body) in STAFF_API.items():
            response = _api_call(client, key, method, path, body, world)
            expected = {OBJECT: {404}, UNIT: {403}, LISTING: {200}, AGGREGATE: {200, 403}}[kind]
            leaked = kind in (LISTING, AGGREGATE) and world["code"] in _text(response)
            if response.status_code not in expected or leaked:
                failures.append((username, method, path, response.status_code))
    assert failures == [], "\n".join(map(str, failures))
    assert Dossier.objects.count() == before
    dossier = Dossier.objects.get(pk=world["dossier"].pk)
    assert dossier.revision == world["dossier"].revision
    _incoming_unchanged(world)


def _incoming_unchanged(world):
    from egov.documents.models import Assignment, IncomingDocument

    document = IncomingDocument.objects.get(pk=world["incoming_id"])
    assert (document.pk, document.revision, document.status) == (
        world["incoming_id"],
        2,
        "distributed",
    )
    assert Assignment.objects.get().status == "assigned"
    from egov.exchange.models import ReceivedPackage

    assert ReceivedPackage.objects.get(pk=world["recall_package"]).state == "recall_requested"


def test_unit_b_itself_reaches_its_dossier(world, client):
    """The matrix is not vacuous: B's own receptionist opens what A may not."""
    client.force_login(User.objects.get(username="halong.tiepnhan"))
    for name in ("workspace:dossier", "workspace:receipt_pdf", "workspace:control_sheet_pdf"):
        assert client.get(reverse(name, kwargs={"code": world["code"]})).status_code == 200
    assert (
        client.get(reverse("workspace:notice_pdf", kwargs={"pk": world["notice"]})).status_code
        == 200
    )
    certification = reverse("workspace:certified_copy_file", kwargs={"pk": world["certification"]})
    assert client.get(certification).status_code == 200
    register = reverse("workspace:certification_register")
    assert APPLICANT_NAME in _text(client.get(register))
    client.force_login(User.objects.get(username="halong.vanthu"))
    for name in ("workspace:work_file", "workspace:work_file_pdf", "workspace:work_file_xml"):
        assert client.get(reverse(name, kwargs={"pk": world["work_file"]})).status_code == 200
    for name in ("workspace:copy_detail", "workspace:copy_file"):
        assert client.get(reverse(name, kwargs={"pk": world["copy"]})).status_code == 200
    assert APPLICANT_NAME in _text(client.get(reverse("workspace:copy_list")))
    query = LISTING_QUERIES["workspace:document_search"]
    assert APPLICANT_NAME in _text(client.get(reverse("workspace:document_search") + query))
    register = LISTING_QUERIES["workspace:document_registers"].format(**world)
    assert client.get(reverse("workspace:document_registers") + register).status_code == 200
    client.force_login(world["citizen_a"])
    for name in ("portal:my_dossier", "portal:my_receipt"):
        assert client.get(reverse(name, kwargs={"code": world["code"]})).status_code == 200
    assert (
        client.get(
            reverse("portal:application_applicant", kwargs={"pk": world["draft"]})
        ).status_code
        == 200
    )


def test_citizen_b_never_reaches_citizen_a(world, client):
    client.force_login(world["citizen_b"])
    failures = []
    for name, (kind, methods, params) in CITIZEN_PAGES.items():
        if kind not in (OBJECT, LISTING):
            continue
        url = reverse(name, kwargs={arg: world[key] for arg, key in params.items()})
        for method in methods:
            response = _send(client, method, url)
            if kind == OBJECT and response.status_code != 404:
                failures.append((method, url, response.status_code))
            if kind == LISTING and world["code"] in _text(response):
                failures.append((method, url, "lists A's dossier"))
    assert failures == []
    assert ApplicationDraft.objects.get(pk=world["draft"]).owner == world["citizen_a"]
    # The public payment page names the dossier but none of the applicant's personal data.
    page = client.get(reverse("payments:pay", kwargs={"code": world["code"]}))
    assert APPLICANT_NAME not in _text(page) and "022190000111" not in _text(page)


def test_unit_b_own_key_sees_its_dossier_in_the_changes_feed(world, client):
    """The feed's LISTING row is not vacuous: a key of unit B lists B's dossier's events."""
    from egov.accounts.services import api_client_create

    _row, key = api_client_create(
        actor=None, name="matrix-unit-b", unit=world["unit_b"], role=Role.RECEPTIONIST
    )
    answer = client.get(f"{API}/staff/dossiers/changes", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200
    assert world["code"] in _text(answer)


def test_data_store_rows(world, client):
    """The data store (issue 16 §1) row by row: anonymous, citizen owner, other citizen, the
    desk handling the dossier, the provincial administrator (sees every dossier, handles
    none), the desk once the dossier is finished. Officers of another unit: the loops above.
    Every look that succeeds is audited; nothing else is."""
    from egov.accounts.services import api_client_create
    from egov.audit.models import AuditEntry

    code, document = world["code"], world["store_document"]
    mine = reverse("portal:my_store")
    detail = reverse("portal:my_store_document", kwargs={"code": document})
    own_file = reverse("portal:my_store_file", kwargs={"code": document, "which": "da-ky"})
    staff_file = reverse(
        "workspace:store_file", kwargs={"code": code, "document": document, "which": "da-ky"}
    )
    page = reverse("workspace:dossier", kwargs={"code": code}) + "?kho=xem"
    api = f"{API}/datastore/documents?dossier={code}"
    looks = ("datastore.viewed", "datastore.downloaded", "datastore.opened")

    def audited():
        return AuditEntry.objects.filter(action__in=looks).count()

    # Anonymous: sent to sign in; the API wants a key.
    for url in (mine, detail, own_file, staff_file):
        assert client.get(url).status_code == 302, url
    assert client.get(api).status_code == 401
    # Citizen B: an empty store, A's document 404.
    client.force_login(world["citizen_b"])
    assert document not in _text(client.get(mine))
    assert client.get(detail).status_code == 404 and client.get(own_file).status_code == 404
    assert audited() == 0
    # Citizen A, the owner: listed, opened, downloaded — two entries.
    client.force_login(world["citizen_a"])
    assert document in _text(client.get(mine))
    assert client.get(detail).status_code == 200 and client.get(own_file).status_code == 200
    assert audited() == 2
    # B's desk, handling the dossier: the section lists it, the file downloads, the API too.
    desk_b = User.objects.get(username="halong.tiepnhan")
    client.force_login(desk_b)
    assert document in _text(client.get(page))
    assert client.get(staff_file).status_code == 200
    _row, key = api_client_create(
        actor=None, name="matrix-store-b", unit=world["unit_b"], role=Role.RECEPTIONIST
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    answer = client.get(api, **auth)
    assert answer.status_code == 200 and document in _text(answer)
    assert audited() == 5
    # The provincial administrator opens the dossier but handles nothing: no store.
    client.force_login(User.objects.get(username="tinh.quantri"))
    assert client.get(reverse("workspace:dossier", kwargs={"code": code})).status_code == 200
    assert document not in _text(client.get(page))
    assert client.get(staff_file).status_code == 404
    assert audited() == 5
    # ... and reads the store in /admin/ (read-only); a ward administrator does not.
    listing = client.get("/admin/datastore/storedocument/")
    assert listing.status_code == 200 and document in _text(listing)
    client.force_login(User.objects.get(username="honggai.quantri"))
    assert client.get("/admin/datastore/storedocument/").status_code == 403
    # Once the dossier is finished, B's desk has no access any more.
    dossier_transition(
        actor=desk_b, dossier=world["dossier"], action="withdraw", reason="Người nộp rút hồ sơ"
    )
    client.force_login(desk_b)
    assert client.get(staff_file).status_code == 404
    assert document not in _text(client.get(page))
    finished = client.get(api, **auth)
    assert finished.status_code == 403 and finished.json()["error"]["code"] == "forbidden"
    assert audited() == 5


def test_unit_b_operator_reaches_its_call_and_draft(world, client):
    """The hotline rows are not vacuous: B's operator lists and opens the call A may not."""
    client.force_login(User.objects.get(username="halong.tongdaivien"))
    assert APPLICANT_NAME in _text(client.get(reverse("workspace:hotline")))
    call = reverse("workspace:hotline_call", kwargs={"pk": world["hotline_call"]})
    assert client.get(call).status_code == 200
    draft = reverse("workspace:faq_edit", kwargs={"pk": world["faq_draft"]})
    assert client.get(draft).status_code == 200
    assert APPLICANT_NAME in _text(client.get(reverse("workspace:faq_manage")))
