from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from egov.accounts.views import admin_login
from egov.api.api import api

admin.site.site_header = "Quản trị hệ thống egov"
admin.site.site_title = "Quản trị egov"
admin.site.index_title = "Quản trị"


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page says; the icon is a static file (its
    hashed name in production, hence resolved per request)."""
    return HttpResponsePermanentRedirect(static("egov/favicon.ico"))


# Error pages rendered without the request (egov.core.errors); 400 and 500 are Django's own
# handlers, which render templates/400.html and 500.html without context already.
handler403 = "egov.core.errors.permission_denied"
handler404 = "egov.core.errors.page_not_found"

urlpatterns = [
    path("", include("egov.portal.urls")),
    path("staff/", include("egov.workspace.urls")),
    path("thanh-toan/", include("egov.payments.urls")),
    path("accounts/", include("egov.contrib.vneid.logout_urls")),  # before allauth: SSO sign-out
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's URLs: its login form would be a second door without the second
    # factor or the sign-in limits (accounts.middleware).
    path("admin/login/", admin_login, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("favicon.ico", favicon),
]

if settings.EGOV_VNPAY_SIMULATOR:  # the VNPAY simulator plays the gateway outside production
    urlpatterns.append(path("vnpay-sim/", include("egov.contrib.vnpay.urls")))
if settings.EGOV_SIMULATED_PHONE:  # messages to citizens on a phone of their own, for trials
    urlpatterns.append(path("dien-thoai-mo-phong/", include("egov.contrib.sms.urls")))
if settings.EGOV_SIMULATED_MAILBOX:  # e-mails to made-up addresses, for trials
    urlpatterns.append(path("hop-thu-mo-phong/", include("egov.contrib.mailbox.urls")))
