from django.urls import path

from egov.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("ho-so/", views.queue, name="queue"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", views.receipt_pdf, name="receipt_pdf"),
]
