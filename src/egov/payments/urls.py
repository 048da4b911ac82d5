from django.urls import path

from egov.payments import views

app_name = "payments"
urlpatterns = [
    path("vnpay/ipn/", views.vnpay_ipn, name="vnpay_ipn"),
    path("vnpay/ket-qua/", views.vnpay_return, name="vnpay_return"),
    path("bien-lai/<str:txn_ref>.pdf", views.receipt, name="receipt"),
    path("<str:code>/", views.pay, name="pay"),
]
