from django.urls import path

from egov.contrib.vneid import linking, views

urlpatterns = [
    path("oidc/vneid/login/", views.login, name="vneid_login"),
    path("oidc/vneid/login/callback/", views.callback, name="vneid_callback"),
    path("oidc/vneid/lien-ket/", linking.link, name="vneid_link"),
    path("oidc/vneid/da-dang-xuat/", linking.signed_out, name="vneid_signed_out"),
]
