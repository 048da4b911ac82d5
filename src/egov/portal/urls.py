from django.urls import path

from egov.portal import (
    account,
    application,
    application_files,
    datastore,
    faq,
    feedback,
    mine,
    rating,
    statistics,
    verification,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_search, name="procedure_search"),
    path("tra-cuu-ho-so/", views.dossier_lookup, name="dossier_lookup"),
    path("danh-gia/", rating.rating_kiosk, name="rating_kiosk"),
    path("thong-ke/", statistics.statistics_page, name="statistics"),
    path("phan-anh-kien-nghi/", feedback.feedback_home, name="feedback_home"),
    path("phan-anh-kien-nghi/gui/", feedback.feedback_send, name="feedback_send"),
    path("phan-anh-kien-nghi/theo-doi/", feedback.feedback_track, name="feedback_track"),
    path("phan-anh-kien-nghi/<str:code>/", feedback.feedback_answer, name="feedback_answer"),
    path("xac-thuc-van-ban/", verification.verify_document, name="verify_document"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", application.start, name="application_start"),
    path("ho-so-nhap/<int:pk>/", application.applicant_step, name="application_applicant"),
    path("ho-so-nhap/<int:pk>/giay-to/", application_files.files_step, name="application_files"),
    path("ho-so-nhap/<int:pk>/xem-lai/", application.review_step, name="application_review"),
    path("tai-khoan/", account.profile, name="profile"),
    path("tai-khoan/xac-minh-dien-thoai/", account.verify_phone, name="verify_phone"),
    path("tai-khoan/quen-mat-khau/", account.reset_by_phone, name="reset_by_phone"),
    path("ho-so-cua-toi/", mine.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<str:code>/", mine.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/thao-tac/", mine.my_dossier_action, name="my_dossier_action"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", mine.my_rating, name="my_rating"),
    path("ho-so-cua-toi/<str:code>/tep/<int:pk>/", mine.my_file, name="my_file"),
    path("ho-so-cua-toi/<str:code>/giay-tiep-nhan.pdf", mine.my_receipt, name="my_receipt"),
    path("kho-du-lieu/", datastore.my_store, name="my_store"),
    path("kho-du-lieu/<str:code>/", datastore.my_store_document, name="my_store_document"),
    path("kho-du-lieu/<str:code>/tep/<str:which>/", datastore.my_store_file, name="my_store_file"),
    # Hỏi đáp: the support centre's knowledge base (issue 17 §7).
    path("hoi-dap/", faq.faq_list, name="faq_list"),
    path("hoi-dap/<int:pk>/", faq.faq_detail, name="faq_detail"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path(
        "thu-tuc/<str:code>/bieu-mau/<str:form_key>.docx",
        views.procedure_form_download,
        name="procedure_form",
    ),
]
