from django.urls import path

from egov.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_search, name="procedure_search"),
    path("tra-cuu-ho-so/", views.dossier_lookup, name="dossier_lookup"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path(
        "thu-tuc/<str:code>/bieu-mau/<str:form_key>.docx",
        views.procedure_form_download,
        name="procedure_form",
    ),
]
