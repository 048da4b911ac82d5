from django.urls import path

from egov.workspace.views import (
    certification,
    counter,
    dashboard,
    digitisation,
    documents_copies,
    documents_exchange,
    documents_files,
    documents_incoming,
    documents_outgoing,
    documents_registers,
    documents_remote_signing,
    documents_search,
    dossier,
    dossier_digitisation,
    evaluation,
    form06,
    national,
    notifications,
    partner,
    payments,
    plan_targets,
    printing,
    queue,
    reception,
    service_index,
    store,
    webhooks,
)

app_name = "workspace"
urlpatterns = [
    path("", queue.home, name="home"),
    path("ho-so/", queue.queue, name="queue"),
    path("tiep-nhan/", reception.reception, name="reception"),
    path("quay/", counter.counter_screen, name="counter_screen"),
    path("quay/thao-tac/", counter.counter_action, name="counter_action"),
    path("quay/tiep-nhan/<int:pk>/", counter.counter_reception, name="counter_reception"),
    path("xep-hang-hom-nay/", counter.queue_today, name="queue_today"),
    path("tiep-nhan/phieu/", reception.counter_notice, name="counter_notice"),
    path("phieu/<int:pk>.pdf", printing.notice_pdf, name="notice_pdf"),
    path("ho-so/<str:code>/", dossier.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/", dossier.dossier_action, name="dossier_action"),
    path("ho-so/<str:code>/xin-loi/", dossier.dossier_apology, name="dossier_apology"),
    path("ho-so/<str:code>/gia-han/", dossier.dossier_extension, name="dossier_extension"),
    path("ho-so/<str:code>/nop-tien/", dossier.dossier_payment, name="dossier_payment"),
    path("ho-so/<str:code>/so-hoa/<int:pk>/", dossier.component_scan, name="component_scan"),
    path(
        "ho-so/<str:code>/doi-chieu/",
        dossier_digitisation.dossier_digitise,
        name="dossier_digitise",
    ),
    path("ho-so/<str:code>/tep/<int:pk>/", dossier.dossier_file, name="dossier_file"),
    path(
        "ho-so/<str:code>/kho-du-lieu/<str:document>/tep/<str:which>/",
        store.store_file,
        name="store_file",
    ),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", printing.receipt_pdf, name="receipt_pdf"),
    path(
        "ho-so/<str:code>/phieu-kiem-soat.pdf",
        printing.control_sheet_pdf,
        name="control_sheet_pdf",
    ),
    path("ho-so/<str:code>/phieu-xin-loi.pdf", printing.apology_pdf, name="apology_pdf"),
    path(
        "ho-so/<str:code>/thong-bao-tu-choi.pdf",
        printing.refusal_notice_pdf,
        name="refusal_notice_pdf",
    ),
    path(
        "ho-so/<str:code>/phieu-bo-sung/<int:number>.pdf",
        printing.supplement_request_pdf,
        name="supplement_request_pdf",
    ),
    path("lien-thong/<str:code>/", partner.partner_history, name="partner_history"),
    path("thong-bao/", notifications.outbox, name="outbox"),
    path("dong-bo-quoc-gia/", national.national_sync, name="national_sync"),
    path("doi-tac/su-kien/", webhooks.webhook_subscriptions, name="webhook_subscriptions"),
    path("thanh-toan/", payments.reconciliation_page, name="reconciliation"),
    # Leaders' dashboards and the dossiers behind each number (issue 15).
    path("bang-dieu-khien/", dashboard.dashboard_page, name="dashboard"),
    path("bang-dieu-khien/ho-so/", dashboard.dashboard_dossiers, name="dashboard_dossiers"),
    path("danh-gia/", evaluation.evaluation_page, name="evaluation"),
    path("chi-tieu-de-an/", plan_targets.plan_targets, name="plan_targets"),
    path("chi-tieu-de-an/bao-cao/", plan_targets.plan_targets_report, name="plan_targets_report"),
    path("chi-tieu-de-an/nhap/", plan_targets.plan_target_entry, name="plan_target_entry"),
    path("danh-gia/chi-so-don-vi/", evaluation.unit_assessment, name="unit_assessment"),
    path("bao-cao/bieu-06/", form06.form06_page, name="form06_report"),
    path("bao-cao/bieu-06.xlsx", form06.form06_xlsx_download, name="form06_xlsx"),
    path("bao-cao/bieu-06.pdf", form06.form06_pdf_download, name="form06_pdf"),
    # The national service index (QĐ 766/QĐ-TTg) and the dossiers behind each of its numbers.
    path("chi-so-phuc-vu/", service_index.service_index_page, name="service_index"),
    path(
        "chi-so-phuc-vu/ho-so/",
        service_index.service_index_dossiers,
        name="service_index_dossiers",
    ),
    # Tỷ lệ số hóa (issue 16 §7) and the dossiers behind each number.
    path("ty-le-so-hoa/", digitisation.digitisation_page, name="digitisation"),
    path(
        "ty-le-so-hoa/ho-so/",
        digitisation.digitisation_dossiers_page,
        name="digitisation_dossiers",
    ),
    path("so-theo-doi.pdf", printing.tracking_book_pdf, name="tracking_book_pdf"),
    # Văn bản đến (issue 11): inbox, intake, one document, its actions, distribution, file, sheet.
    path("van-ban-den/", documents_incoming.incoming_list, name="incoming_list"),
    path("van-ban-den/lien-thong/", documents_exchange.exchange_inbox, name="exchange_inbox"),
    path(
        "van-ban-den/lien-thong/thu-hoi/<int:pk>/",
        documents_exchange.exchange_recall_answer,
        name="exchange_recall_answer",
    ),
    path("van-ban-den/tiep-nhan/", documents_incoming.incoming_new, name="incoming_new"),
    path("van-ban-den/<int:pk>/", documents_incoming.incoming_detail, name="incoming_detail"),
    path(
        "van-ban-den/<int:pk>/thao-tac/", documents_incoming.incoming_action, name="incoming_action"
    ),
    path(
        "van-ban-den/<int:pk>/phan-phoi/",
        documents_incoming.incoming_distribute_page,
        name="incoming_distribute",
    ),
    path("van-ban-den/<int:pk>/tep/", documents_incoming.incoming_file, name="incoming_file"),
    path("van-ban-den/<int:pk>/sao/", documents_copies.copy_from_incoming, name="copy_incoming"),
    path(
        "van-ban-den/<int:pk>/phieu-giai-quyet.pdf",
        documents_incoming.incoming_sheet_pdf,
        name="incoming_sheet_pdf",
    ),
    # Văn bản đi (issue 11, capability 4 and 12).
    path("van-ban-di/", documents_outgoing.outgoing_list, name="outgoing_list"),
    path(
        "van-ban-di/soan-thao/", documents_outgoing.outgoing_compose_page, name="outgoing_compose"
    ),
    path("van-ban-di/tai-len/", documents_outgoing.outgoing_upload_page, name="outgoing_upload"),
    path("van-ban-di/cho-ky/", documents_outgoing.outgoing_signing, name="outgoing_signing"),
    path("van-ban-di/cap-so/", documents_outgoing.outgoing_release, name="outgoing_release"),
    path(
        "van-ban-di/ky-tu-xa/<int:pk>/",
        documents_remote_signing.remote_signing_page,
        name="outgoing_remote_signing",
    ),
    path("van-ban-di/<int:pk>/", documents_outgoing.outgoing_detail, name="outgoing"),
    path(
        "van-ban-di/<int:pk>/thu-hoi-lien-thong/",
        documents_exchange.exchange_recall_send,
        name="exchange_recall_send",
    ),
    path(
        "van-ban-di/<int:pk>/thao-tac/", documents_outgoing.outgoing_action, name="outgoing_action"
    ),
    path(
        "van-ban-di/<int:pk>/phien-ban/",
        documents_outgoing.outgoing_new_version,
        name="outgoing_new_version",
    ),
    path(
        "van-ban-di/<int:pk>/ban/<int:number>/",
        documents_outgoing.outgoing_version,
        name="outgoing_version",
    ),
    path("van-ban-di/<int:pk>/sao/", documents_copies.copy_from_outgoing, name="copy_outgoing"),
    # Electronic copies: sao y, sao lục, trích sao (NĐ 30/2020, Điều 25-27).
    path("ban-sao/", documents_copies.copy_list, name="copy_list"),
    path("ban-sao/so-hoa/", documents_copies.copy_from_paper, name="copy_paper"),
    path("ban-sao/<int:pk>/", documents_copies.copy_detail, name="copy_detail"),
    path("ban-sao/<int:pk>/sao/", documents_copies.copy_from_copy, name="copy_copy"),
    path("ban-sao/<int:pk>/tep/", documents_copies.copy_file, name="copy_file"),
    path("ban-sao/<int:pk>/ky-so/", documents_copies.copy_sign, name="copy_sign"),
    # Official documents: work files, registers, search (issue 11, capabilities 7-9).
    path("ho-so-cong-viec/", documents_files.work_files, name="work_files"),
    path("ho-so-cong-viec/<int:pk>/", documents_files.work_file_detail, name="work_file"),
    path(
        "ho-so-cong-viec/<int:pk>/thao-tac/",
        documents_files.work_file_action,
        name="work_file_action",
    ),
    path("ho-so-cong-viec/<int:pk>/them/", documents_files.work_file_add, name="work_file_add"),
    path(
        "ho-so-cong-viec/<int:pk>/ho-so.pdf",
        documents_files.work_file_pdf_download,
        name="work_file_pdf",
    ),
    path(
        "ho-so-cong-viec/<int:pk>/muc-luc.xml",
        documents_files.work_file_xml_download,
        name="work_file_xml",
    ),
    path("so-van-ban/", documents_registers.document_registers, name="document_registers"),
    # Electronic certified copies from originals (issue 16 §5).
    path(
        "ho-so/<str:code>/chung-thuc-ban-sao/",
        certification.certified_copy,
        name="certified_copy",
    ),
    path("so-chung-thuc/", certification.certification_register, name="certification_register"),
    path(
        "so-chung-thuc/<int:pk>/ban-sao.pdf",
        certification.certified_copy_file,
        name="certified_copy_file",
    ),
    path("tim-van-ban/", documents_search.document_search, name="document_search"),
]
