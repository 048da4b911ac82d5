"""Pages of the national SSO around the sign-in: linking an e-ID to the existing account it
matches (the citizen proves control of that account by its password or by an SMS code to its
verified number), and sign-out that also ends the provider's session when it offers
RP-initiated logout."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.views import LogoutView
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialLogin
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from egov.accounts.citizens import phone_verification_confirm, phone_verification_send
from egov.accounts.models import CitizenProfile, User
from egov.audit.services import audit_record, client_ip
from egov.contrib.vneid.errors import SsoError
from egov.contrib.vneid.identity import linkable
from egov.contrib.vneid.views import SESSION_KEY, error_page
from egov.core.ratelimit import hit, hit_key

LINK_KEY = "egov_sso_link"
SIGNED_OUT_KEY = "egov_sso_signed_out"
PASSWORD_ATTEMPTS = 5
LINK_SECONDS = 15 * 60  # the pending e-ID sign-in is kept this long


def link_start(request: HttpRequest, *, sociallogin: Any, candidates: list[User]) -> None:
    """Keep the pending e-ID sign-in in the session until the citizen proves control of the
    matching account. Staff accounts cannot be reached this way."""
    allowed = [user for user in candidates if linkable(user)]
    if not allowed:
        raise SsoError(
            "matches_staff_account",
            _(
                "Thông tin định danh trùng với một tài khoản cán bộ; tài khoản này không đăng "
                "nhập bằng tài khoản định danh điện tử được."
            ),
        )
    request.session[LINK_KEY] = {
        "login": sociallogin.serialize(),
        "candidates": [user.pk for user in allowed],
        "at": int(time.time()),
    }
    for user in allowed:
        audit_record(
            actor=None,
            action="accounts.sso_link_required",
            target=user,
            ip_address=client_ip(request),
        )


def _mask_email(email: str) -> str:
    name, _at, domain = email.partition("@")
    return f"{name[:1]}***@{domain}" if domain else ""


def _label(user: User) -> str:
    profile = CitizenProfile.objects.filter(user=user).first()
    if user.email:
        return _mask_email(user.email)
    if profile is not None and profile.phone:
        return "*" * (len(profile.phone) - 3) + profile.phone[-3:]
    return str(user.get_username())[:2] + "***"


def _candidates(pending: dict[str, Any]) -> list[dict[str, Any]]:
    users = User.objects.filter(pk__in=pending["candidates"], is_active=True).order_by("pk")
    verified = set(
        CitizenProfile.objects.filter(user__in=users, phone_verified_at__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    return [
        {
            "pk": user.pk,
            "user": user,
            "label": _label(user),
            "has_password": user.has_usable_password(),
            "has_phone": user.pk in verified,
        }
        for user in users
        if linkable(user)
    ]


def _finish(request: HttpRequest, pending: dict[str, Any], user: User) -> HttpResponse:
    with transaction.atomic():
        SocialLogin.deserialize(pending["login"]).connect(request, user)
        audit_record(
            actor=user, action="accounts.sso_linked", target=user, ip_address=client_ip(request)
        )
    request.session.pop(LINK_KEY, None)
    try:
        response: HttpResponse = complete_social_login(
            request, SocialLogin.deserialize(pending["login"])
        )
    except SsoError as exc:
        return error_page(request, reason=exc.reason, message=exc.message)
    return response


def link(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(LINK_KEY)
    if not isinstance(pending, dict) or int(pending.get("at", 0)) + LINK_SECONDS < time.time():
        request.session.pop(LINK_KEY, None)
        return redirect("account_login")
    candidates = _candidates(pending)
    if not candidates:
        request.session.pop(LINK_KEY, None)
        return redirect("account_login")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "cancel":
            request.session.pop(LINK_KEY, None)
            request.session.pop(SESSION_KEY, None)
            messages.info(request, _("Đã huỷ liên kết tài khoản định danh điện tử."))
            return redirect("account_login")
        chosen = next(
            (c for c in candidates if str(c["pk"]) == request.POST.get("account", "")),
            candidates[0] if len(candidates) == 1 else None,
        )
        if chosen is None:
            messages.error(request, _("Hãy chọn tài khoản cần liên kết."))
            return redirect("vneid_link")
        user: User = chosen["user"]
        try:
            if action == "password":
                # Per address, and per account across all addresses (a spread-out guess).
                if not (
                    hit(request, "sso_link", limit=PASSWORD_ATTEMPTS, window_seconds=600)
                    and hit_key(
                        "sso_link_account",
                        str(user.pk),
                        limit=PASSWORD_ATTEMPTS * 2,
                        window_seconds=3600,
                    )
                ):
                    raise ValidationError(_("Nhập sai quá nhiều lần; hãy thử lại sau 10 phút."))
                if not user.check_password(request.POST.get("password", "")[:4096]):
                    audit_record(
                        actor=None,
                        action="accounts.sso_link_failed",
                        target=user,
                        ip_address=client_ip(request),
                        details={"reason": "password"},
                    )
                    raise ValidationError(_("Mật khẩu không đúng."))
                return _finish(request, pending, user)
            if action == "send" and chosen["has_phone"]:
                if not hit(request, "phone_code", limit=3, window_seconds=600):
                    raise ValidationError(_("Đã gửi mã nhiều lần; hãy thử lại sau 10 phút."))
                phone_verification_send(actor=None, user=user)
                messages.success(request, _("Đã gửi mã xác minh đến số điện thoại của tài khoản."))
                return redirect("vneid_link")
            if action == "code" and chosen["has_phone"]:
                phone_verification_confirm(
                    actor=user, user=user, code=request.POST.get("code", "")[:10]
                )
                return _finish(request, pending, user)
            raise ValidationError(_("Yêu cầu không hợp lệ."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("vneid_link")
    return render(request, "socialaccount/vneid_link.html", {"candidates": candidates})


class SsoLogoutView(LogoutView):  # type: ignore[misc]
    """allauth's sign-out, then the provider's end_session_endpoint (id_token_hint,
    post_logout_redirect_uri) when it offers one; otherwise our page says to close the
    provider's session."""

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        sso = self.request.session.get(SESSION_KEY)
        user = self.request.user if self.request.user.is_authenticated else None
        response: HttpResponse = super().post(*args, **kwargs)
        if not isinstance(sso, dict) or user is None:
            return response
        audit_record(actor=user, action="accounts.sso_logout", target=user)
        back = self.request.build_absolute_uri(reverse("vneid_signed_out"))
        end_session = str(sso.get("end_session") or "")
        if end_session.startswith(("https://", "http://")):
            query = urlencode(
                {"id_token_hint": str(sso.get("id_token") or ""), "post_logout_redirect_uri": back}
            )
            separator = "&" if "?" in end_session else "?"
            return HttpResponseRedirect(end_session + separator + query)
        self.request.session[SIGNED_OUT_KEY] = True
        return redirect("vneid_signed_out")


logout = SsoLogoutView.as_view()


def signed_out(request: HttpRequest) -> HttpResponse:
    provider_session_open = bool(request.session.pop(SIGNED_OUT_KEY, False))
    return render(
        request,
        "socialaccount/vneid_signed_out.html",
        {"provider_session_open": provider_session_open},
    )
