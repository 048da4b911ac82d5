from django.urls import path

from egov.contrib.vnpay import views

app_name = "vnpay_sim"
urlpatterns = [
    path("paymentv2/vpcpay.html", views.pay_page, name="pay"),
    path("merchant_webapi/api/transaction", views.transaction_api, name="transaction"),
]
