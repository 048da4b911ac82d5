"""Pages of the national SSO around the sign-in: linking an e-ID to the existing account it
matches (the citizen proves control of that account by its password or by an SMS code to its
verified number; when the match rests only on unproven data, the citizen may instead continue
with a new account), and sign-out that also ends the provider's session when it offers
RP-initiated logout."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.views import LogoutView
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialLogin
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from egov.accounts.citizens import phone_verification_send
from egov.accounts.models import CitizenProfile, User
from egov.audit.services import audit_record, client_ip
from egov.contrib.vneid.errors import SsoError
from egov.contrib.vneid.identity import NEW_ACCOUNT_STATE, AccountMatch, linkable
from egov.contrib.vneid.services import sso_link_confirm, sso_link_prove, sso_link_require
from egov.contrib.vneid.views import SESSION_KEY, error_page
from egov.core.ratelimit import hit

LINK_KEY = "egov_sso_link"
SIGNED_OUT_KEY = "egov_sso_signed_out"
PASSWORD_ATTEMPTS = 5
LINK_SECONDS = 15 * 60  # the pending e-ID sign-in is kept this long


def link_start(request: HttpRequest, *, sociallogin: Any, matches: list[AccountMatch]) -> None:
    """Keep the pending e-ID sign-in in the session until the citizen proves control of a
    matching account (``matches``: citizens' accounts only). When no match is proven (only a
    typed personal ID or an unverified e-mail), the citizen may also continue with a new
    account."""
    request.session[LINK_KEY] = {
        "login": sociallogin.serialize(),
        "candidates": [match.user.pk for match in matches],
        "new_account": not any(match.proven for match in matches),
        "at": int(time.time()),
    }
    sso_link_require(
        actor=None, users=[match.user for match in matches], ip_address=client_ip(request)
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


def _complete(request: HttpRequest, login: SocialLogin) -> HttpResponse:
    request.session.pop(LINK_KEY, None)
    try:
        response: HttpResponse = complete_social_login(request, login)
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
    new_account = bool(pending.get("new_account"))
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "cancel":
            request.session.pop(LINK_KEY, None)
            request.session.pop(SESSION_KEY, None)
            messages.info(request, _("Đã huỷ liên kết tài khoản định danh điện tử."))
            return redirect("account_login")
        if action == "new_account":
            if not new_account:
                messages.error(request, _("Yêu cầu không hợp lệ."))
                return redirect("vneid_link")
            # The adapter checks again that no match is proven, then creates the account.
            login = SocialLogin.deserialize(pending["login"])
            login.state[NEW_ACCOUNT_STATE] = True
            return _complete(request, login)
        chosen = next(
            (c for c in candidates if str(c["pk"]) == request.POST.get("account", "")),
            candidates[0] if len(candidates) == 1 else None,
        )
        if chosen is None:
            messages.error(request, _("Hãy chọn tài khoản cần liên kết."))
            return redirect("vneid_link")
        user: User = chosen["user"]
        ip_address = client_ip(request)
        try:
            if action == "password":
                if not hit(request, "sso_link", limit=PASSWORD_ATTEMPTS, window_seconds=600):
                    raise ValidationError(_("Nhập sai quá nhiều lần; hãy thử lại sau 10 phút."))
                sso_link_prove(
                    actor=None,
                    user=user,
                    method="password",
                    secret=request.POST.get("password", ""),
                    ip_address=ip_address,
                )
            elif action == "send" and chosen["has_phone"]:
                if not hit(request, "phone_code", limit=3, window_seconds=600):
                    raise ValidationError(_("Đã gửi mã nhiều lần; hãy thử lại sau 10 phút."))
                phone_verification_send(actor=None, user=user)
                messages.success(request, _("Đã gửi mã xác minh đến số điện thoại của tài khoản."))
                return redirect("vneid_link")
            elif action == "code" and chosen["has_phone"]:
                sso_link_prove(
                    actor=None,
                    user=user,
                    method="code",
                    secret=request.POST.get("code", ""),
                    ip_address=ip_address,
                )
            else:
                raise ValidationError(_("Yêu cầu không hợp lệ."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("vneid_link")
        sso_link_confirm(
            actor=user,
            request_login=SocialLogin.deserialize(pending["login"]),
            user=user,
            ip_address=ip_address,
        )
        return _complete(request, SocialLogin.deserialize(pending["login"]))
    return render(
        request,
        "socialaccount/vneid_link.html",
        {"candidates": candidates, "new_account": new_account},
    )


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
