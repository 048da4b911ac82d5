"""The citizen's own account: the profile used to prefill applications, and the verification
of the mobile number by an SMS code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from egov.accounts.actors import signed_in
from egov.accounts.citizens import (
    citizen_profile_save,
    password_reset_by_code,
    password_reset_code_send,
    phone_verification_confirm,
    phone_verification_send,
)
from egov.accounts.forms import CitizenProfileForm
from egov.accounts.models import CitizenProfile
from egov.contrib.vneid.identity import locked_fields
from egov.core.ratelimit import hit


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    current = CitizenProfile.objects.filter(user=user).first()
    initial: dict[str, object] = {"full_name": user.full_name}
    if current is not None:
        initial.update(
            kind=current.kind,
            personal_id=current.personal_id,
            birth_date=current.birth_date,
            phone=current.phone,
            address=current.address,
            organisation_name=current.organisation_name,
            tax_code=current.tax_code,
        )
    form = CitizenProfileForm(request.POST or None, initial=initial)
    for name in locked_fields(current, user):  # from the national e-ID: read-only
        form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        citizen_profile_save(actor=user, user=user, data=form.profile_input())
        messages.success(request, _("Đã lưu thông tin tài khoản."))
        return redirect("portal:profile")
    return render(request, "portal/profile.html", {"form": form, "profile": current})


@login_required
def verify_phone(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    current = CitizenProfile.objects.filter(user=user).first()
    if request.method == "POST":
        try:
            if request.POST.get("send"):
                if not hit(request, "phone_code", limit=3, window_seconds=600):
                    raise ValidationError(_("Đã gửi mã nhiều lần; hãy thử lại sau 10 phút."))
                phone_verification_send(actor=user, user=user)
                messages.success(request, _("Đã gửi mã xác minh đến số điện thoại của bạn."))
            else:
                phone_verification_confirm(
                    actor=user, user=user, code=request.POST.get("code", "")[:10]
                )
                messages.success(request, _("Đã xác minh số điện thoại."))
                return redirect("portal:my_dossiers")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("portal:verify_phone")
    return render(request, "portal/verify_phone.html", {"profile": current})


def reset_by_phone(request: HttpRequest) -> HttpResponse:
    """Forgotten password for accounts that sign in with their mobile number: a code by SMS,
    then a new password."""
    sent = False
    if request.method == "POST":
        phone = request.POST.get("phone", "")[:20]
        if request.POST.get("send"):
            if hit(request, "reset_code", limit=3, window_seconds=600):
                password_reset_code_send(phone=phone)
            sent = True  # the same answer whether or not the number has an account
        else:
            try:
                password_reset_by_code(
                    phone=phone,
                    code=request.POST.get("code", "")[:10],
                    new_password=request.POST.get("password", ""),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                sent = True
            else:
                messages.success(request, _("Đã đặt mật khẩu mới; hãy đăng nhập."))
                return redirect("account_login")
    return render(
        request,
        "portal/reset_by_phone.html",
        {"sent": sent, "phone": request.POST.get("phone", "")[:20]},
    )
