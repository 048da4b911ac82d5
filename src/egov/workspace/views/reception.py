"""The counter: receiving a dossier, or giving guidance (Mẫu 02) / a refusal (Mẫu 03)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from egov.catalog.fees import quote
from egov.catalog.models import ChannelKind, ProcedureVersion
from egov.catalog.selectors import CatalogFilters, search_procedures, version_by_code
from egov.centre.models import Ticket
from egov.centre.permissions import get_ticket_at_centre
from egov.centre.services import ticket_link_dossier
from egov.core.identity import ApplicantKind, clean_personal_id, clean_tax_code, display_phone
from egov.core.inputs import CONTROL_RE
from egov.datastore.models import StoreDocument
from egov.dossiers.models import NoticeKind, PaymentMethod
from egov.dossiers.reuse import owner_of, reception_store_lookup
from egov.dossiers.services.deadlines import appointment_problem
from egov.dossiers.services.notices import counter_notice_issue
from egov.dossiers.services.reception import Applicant, Reception, dossier_receive
from egov.org.models import Unit
from egov.workspace.forms import ReceptionForm
from egov.workspace.views.common import desk_or_403, staff_only
from egov.workspace.views.dossier import RECEIPT_FLAG


def _counter_fee_quote(version: ProcedureVersion) -> int | None:
    channel = next((c for c in version.channels.all() if c.kind == ChannelKind.COUNTER), None)
    return quote(channel.fees.all()).total if channel is not None else None


def _no_appointment(version: ProcedureVersion) -> str | None:
    """Why no dossier of ``version`` can be received at the counter (told before the form is
    filled in): no counter or post channel with a processing time to give the appointment."""
    channels = [c for c in version.channels.all() if c.kind != ChannelKind.ONLINE]
    problems = [appointment_problem(version, channel) for channel in channels]
    if channels and any(problem is None for problem in problems):
        return None
    return problems[0] if problems else appointment_problem(version, None)


@login_required
def reception(request: HttpRequest) -> HttpResponse:
    """Counter reception: pick the procedure, check the components, enter the applicant,
    receive → the Mẫu 01 receipt."""
    staff_only(request)
    desk = desk_or_403(request)
    ticket = _queue_ticket(request)
    code = request.GET.get("thu-tuc", "").strip()
    version = version_by_code(code) if code else None
    if version is None:
        query = CONTROL_RE.sub("", request.GET.get("q", ""))[:200]
        results = search_procedures(CatalogFilters(query=query), per_page=15) if query else None
        return render(
            request,
            "workspace/reception_pick.html",
            {"query": query, "results": results, "ticket": ticket},
        )
    offers, lookup_problem = _store_lookup(request, desk, version)
    if request.method == "POST" and "lookup" in request.POST:
        # "Tra cứu kho dữ liệu": the form again as typed, with the applicant's stored documents
        # beside the components, and no errors yet (nothing is received).
        form = ReceptionForm(initial=request.POST.dict(), version=version, store_offers=offers)
    else:
        form = ReceptionForm(
            request.POST or None,
            request.FILES or None,
            version=version,
            store_offers=offers,
            initial=_ticket_initial(ticket),
        )
    scan_errors: list[str] = []
    if request.method == "POST" and "lookup" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = dossier_receive(
                actor=request.user,
                reception=Reception(
                    unit=desk,
                    version=version,
                    channel=data["channel"],
                    applicant=Applicant(
                        kind=data["applicant_kind"],
                        name=data["applicant_name"],
                        personal_id=data["applicant_personal_id"],
                        tax_code=data["applicant_tax_code"],
                        phone=data["applicant_phone"],
                        email=data["applicant_email"],
                        address=data["applicant_address"],
                        representative_name=data["representative_name"],
                        representative_personal_id=data["representative_personal_id"],
                        birth_date=data["applicant_birth_date"],
                    ),
                    components=form.received_components(),
                    sets=data["sets"],
                    result_delivery=data["result_delivery"],
                    scans=form.scans(),
                    fee_paid=data["fee_paid"] or 0,
                    fee_method=data["fee_method"] or PaymentMethod.CASH,
                    fee_reference=data["fee_reference"],
                    store_documents=form.store_documents(),
                ),
            )
        except ValidationError as exc:
            scan_errors = form.add_service_errors(exc)
        else:
            if ticket is not None:
                ticket_link_dossier(actor=request.user, ticket=ticket, dossier_code=dossier.code)
            messages.success(request, _("Đã tiếp nhận hồ sơ %s.") % dossier.code)
            # The dossier's page opens the receipt to print (Mẫu 01; see egov/forms.js).
            page = reverse("workspace:dossier", kwargs={"code": dossier.code})
            return redirect(f"{page}?{urlencode({'in': RECEIPT_FLAG})}")
    return render(
        request,
        "workspace/reception_form.html",
        {
            "form": form,
            "version": version,
            "desk": desk,
            "scan_errors": scan_errors,
            "fee_quote": _counter_fee_quote(version),
            "no_appointment": _no_appointment(version),
            "upload_max_mb": settings.EGOV_UPLOAD_MAX_MB,
            "looked_up": request.method == "POST" and "lookup" in request.POST,
            "lookup_problem": lookup_problem,
            "store_found": sum(len(documents) for documents in offers.values()),
            "ticket": ticket,
        },
    )


def _queue_ticket(request: HttpRequest) -> Ticket | None:
    """The queue number this reception started from (``?luot=``, the counter screen's
    "Tiếp nhận hồ sơ"), if it is a number of a centre where the user receives."""
    raw = request.GET.get("luot", "")
    if not raw.isdigit() or len(raw) > 12:
        return None
    return get_ticket_at_centre(request.user, int(raw))


def _ticket_initial(ticket: Ticket | None) -> dict[str, str]:
    """What the citizen gave at the kiosk, to fill in the applicant (never the phone in the
    URL: it is read from the ticket)."""
    if ticket is None:
        return {}
    initial = {"applicant_name": ticket.name} if ticket.name else {}
    if ticket.phone:
        initial["applicant_phone"] = display_phone(ticket.phone)
    return initial


def _store_lookup(
    request: HttpRequest, desk: Unit, version: ProcedureVersion
) -> tuple[dict[int, list[StoreDocument]], str]:
    """The applicant's valid stored documents for this procedure's components, once the desk
    has entered the personal ID (a person) or tax code (an organisation); a problem with the
    number, if any. Only on a POST: the number is never put in a URL."""
    if request.method != "POST":
        return {}, ""
    kind = request.POST.get("applicant_kind", ApplicantKind.CITIZEN)
    organisation = kind == ApplicantKind.ORGANISATION
    raw = request.POST.get("applicant_tax_code" if organisation else "applicant_personal_id", "")
    if not raw.strip():
        return {}, _("Nhập số định danh cá nhân (hoặc mã số thuế của tổ chức) để tra cứu.")
    try:
        number = clean_tax_code(raw[:40]) if organisation else clean_personal_id(raw[:40])
    except ValidationError as exc:
        return {}, " ".join(exc.messages)
    owner = owner_of(applicant_kind=kind, personal_id=number, tax_code=number)
    found = reception_store_lookup(actor=request.user, unit=desk, version=version, owner=owner)
    return found, ""


@login_required
def counter_notice(request: HttpRequest) -> HttpResponse:
    """Guidance (Mẫu 02) or refusal (Mẫu 03) when a dossier cannot be received."""
    staff_only(request)
    desk = desk_or_403(request)
    version = version_by_code(request.GET.get("thu-tuc", ""))
    if version is None:
        return redirect("workspace:reception")
    errors: dict[str, list[str]] = {}
    values = {
        "kind": request.POST.get("kind", NoticeKind.GUIDANCE),
        "applicant_name": request.POST.get("applicant_name", "")[:255],
        "applicant_phone": request.POST.get("applicant_phone", "")[:20],
        "applicant_address": request.POST.get("applicant_address", "")[:255],
        "applicant_email": request.POST.get("applicant_email", "")[:254],
        "items": request.POST.getlist("items"),
        "other_items": request.POST.get("other_items", "")[:4000],
        "reason": request.POST.get("reason", "")[:4000],
    }
    if request.method == "POST":
        items = [*values["items"], *str(values["other_items"]).splitlines()]
        try:
            notice = counter_notice_issue(
                actor=request.user,
                unit=desk,
                version=version,
                kind=str(values["kind"]),
                applicant_name=str(values["applicant_name"]),
                applicant_phone=str(values["applicant_phone"]),
                applicant_address=str(values["applicant_address"]),
                applicant_email=str(values["applicant_email"]),
                items=[str(item)[:500] for item in items],
                reason=str(values["reason"]),
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        else:
            return redirect("workspace:notice_pdf", pk=notice.pk)
    return render(
        request,
        "workspace/notice_form.html",
        {
            "version": version,
            "values": values,
            "errors": errors,
            "kinds": NoticeKind.choices,
            "components": version.components.all(),
        },
    )
