from django.urls import path

from egov.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("ho-so/", views.queue, name="queue"),
    path("tiep-nhan/", views.reception, name="reception"),
    path("tiep-nhan/phieu/", views.counter_notice, name="counter_notice"),
    path("phieu/<int:pk>.pdf", views.notice_pdf, name="notice_pdf"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/", views.dossier_action, name="dossier_action"),
    path("ho-so/<str:code>/xin-loi/", views.dossier_apology, name="dossier_apology"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("ho-so/<str:code>/phieu-kiem-soat.pdf", views.control_sheet_pdf, name="control_sheet_pdf"),
    path("ho-so/<str:code>/phieu-xin-loi.pdf", views.apology_pdf, name="apology_pdf"),
    path("so-theo-doi.pdf", views.tracking_book_pdf, name="tracking_book_pdf"),
]
