"""OCR of store documents in the background (issue 16 §4): the task and its statuses, the fields
suggested from identity papers (never applied without the officer), their confirmation, and
search in the recognised text.

Tests that run Tesseract skip without it, unless EGOV_REQUIRE_OCR_TESTS=1 (CI) requires them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from io import StringIO
from types import SimpleNamespace
from typing import IO, Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from PIL import Image
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from egov.accounts.models import User
from egov.catalog.models import DocumentKind
from egov.core.models import StoredFile
from egov.core.tests.ocr_samples import character_accuracy, png, require_tesseract
from egov.core.uploads import delete_private, open_private, store_private
from egov.datastore.models import OcrStatus, OwnerKind, StoreDocument, StoreSource, StoreState
from egov.datastore.selectors import ocr_progress_of, search_store_documents
from egov.datastore.services import (
    Owner,
    Paper,
    store_document_confirm_fields,
    store_document_issue,
    store_document_recognise,
    store_document_reject,
    store_document_store,
)
from egov.datastore.suggestions import suggest_fields
from egov.datastore.tasks import OCR_QUEUE
from egov.datastore.tests.paper_samples import (
    BIRTH_FIELDS,
    BIRTH_LINES,
    CARD_FIELDS,
    CARD_LINES,
    birth_certificate,
    card,
)
from egov.signing.tests.fixtures import make_pdf

pytestmark = pytest.mark.django_db

TASK = "egov.datastore.tasks.recognise_store_document_task"
PERSON = Owner(kind=OwnerKind.PERSON, identifier="001090012345", name="Nguyễn Thị Hồng Nhung")
CARD_KIND = SimpleNamespace(
    code="the-can-cuoc", id_fields=["number", "full_name", "date_of_birth", "valid_until"]
)
BIRTH_KIND = SimpleNamespace(
    code="giay-khai-sinh", id_fields=["number", "full_name", "date_of_birth"]
)


@pytest.fixture
def tesseract() -> None:
    require_tesseract()


def run_ocr_worker() -> int:
    """Run the ready tasks of the ``ocr`` queue with the database worker's own ``run_task``
    (claim, status, return value, failure) — without its loop, whose connection recycling
    would close the test's transaction. Returns how many ran."""
    worker = Worker(
        queue_names=[OCR_QUEUE],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    pending = DBTaskResult.objects.ready().filter(queue_name=OCR_QUEUE).order_by("enqueued_at")
    while (result := pending.first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, dpi=(300, 300))
    return buffer.getvalue()


def kept(
    officer: User,
    data: bytes,
    *,
    kind: str,
    code: str = "SH-OCR-1",
    name: str = "scan",
    capture: Any,
) -> StoreDocument:
    """A scan stored at the desk, its OCR task enqueued as the commit would."""
    file = store_private(io.BytesIO(data), original_name=name, prefix="store", uploaded_by=officer)
    with capture(execute=True):
        return store_document_store(
            actor=officer,
            code=code,
            owner=PERSON,
            paper=Paper(title="Giấy tờ tùy thân", kind=DocumentKind.objects.get(code=kind)),
            source=StoreSource.SCAN,
            file=file,
            unit=None,
        )


def fresh(document: StoreDocument) -> StoreDocument:
    return StoreDocument.objects.get(pk=document.pk)


def open_file(document: StoreDocument) -> IO[bytes]:
    return open_private(document.file.key)


def actions(document: StoreDocument) -> list[str]:
    return list(document.events.order_by("sequence").values_list("action", flat=True))


# --- The task on rendered scans (Tesseract) ---------------------------------------------------


def test_a_card_scan_is_recognised_and_its_fields_only_suggested(
    tesseract: None, receptionist_binh: User, django_capture_on_commit_callbacks: Any
) -> None:
    scan = jpeg(card(degrees=2, noise=0.01, seed=7))
    files_before = StoredFile.objects.count() + 1
    document = kept(
        receptionist_binh, scan, kind="the-can-cuoc", capture=django_capture_on_commit_callbacks
    )
    assert (document.ocr_status, document.ocr_progress) == (OcrStatus.QUEUED, 0)
    [task] = DBTaskResult.objects.filter(task_path=TASK)
    assert (task.queue_name, task.args_kwargs["args"]) == (OCR_QUEUE, [document.pk])

    assert run_ocr_worker() == 1
    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")
    document = fresh(document)
    assert (document.ocr_status, document.ocr_progress, document.ocr_error) == ("done", 100, "")
    assert character_accuracy("\n".join(CARD_LINES), document.ocr_text) >= 0.95
    assert "NGUYỄN THỊ HỒNG NHUNG" in document.ocr_text.splitlines()
    assert document.suggested_fields == CARD_FIELDS
    # Suggestions only: the document's own fields are as the officer left them.
    assert (document.number, document.expires_on, document.valid_until) == ("", None, None)
    assert document.state == StoreState.PENDING
    # The original scan stays the file; the text is kept for search.
    assert StoredFile.objects.count() == files_before
    with open_file(document) as stream:
        assert stream.read() == scan
    assert "nguyen thi hong nhung" in document.search_text
    assert actions(document) == ["store", "recognise"]
    event = document.events.get(action="recognise")
    assert (event.actor, event.from_state, event.to_state) == (None, "pending", "pending")
    assert event.data == {
        "pages": 1,
        "characters": len(document.ocr_text),
        "suggested": ["date_of_birth", "full_name", "number", "valid_until"],
    }


def test_a_birth_certificate_is_read_and_found_by_search(
    tesseract: None, receptionist_binh: User, django_capture_on_commit_callbacks: Any
) -> None:
    scan = png(birth_certificate(degrees=-2, noise=0.01, seed=5))
    document = kept(
        receptionist_binh, scan, kind="giay-khai-sinh", capture=django_capture_on_commit_callbacks
    )
    run_ocr_worker()
    document = fresh(document)
    assert document.ocr_status == OcrStatus.DONE
    assert character_accuracy("\n".join(BIRTH_LINES), document.ocr_text) >= 0.95
    assert document.suggested_fields == BIRTH_FIELDS
    everything = StoreDocument.objects.all()
    assert list(search_store_documents(everything, "Lê Hoàng Minh Khuê")) == [document]
    # Folded: no marks, any case, đ → d; every word must be there.
    assert list(search_store_documents(everything, "benh vien phu san QUANG NGAI")) == [document]
    assert list(search_store_documents(everything, "Khuê Đà Nẵng")) == []
    # The queryset given (what the user may see) is what is searched.
    assert list(search_store_documents(everything.exclude(pk=document.pk), "Khuê")) == []


def test_the_time_limit_fails_the_run_and_loses_nothing(
    tesseract: None,
    receptionist_binh: User,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.EGOV_OCR_TIMEOUT_SECONDS = 1
    scan = png(birth_certificate())
    document = kept(
        receptionist_binh, scan, kind="giay-khai-sinh", capture=django_capture_on_commit_callbacks
    )
    run_ocr_worker()
    document = fresh(document)
    assert (document.ocr_status, document.ocr_error) == (
        OcrStatus.FAILED,
        "Nhận dạng chữ quá 1 giây nên đã dừng.",
    )
    assert (document.ocr_text, document.suggested_fields, document.state) == ("", {}, "pending")
    assert actions(document) == ["store"]
    with open_file(document) as stream:
        assert stream.read() == scan
    # Tried again with time enough, it is read.
    settings.EGOV_OCR_TIMEOUT_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        store_document_recognise(actor=receptionist_binh, document=document)
    run_ocr_worker()
    assert fresh(document).suggested_fields == BIRTH_FIELDS


# --- Runs that must not read the file (no Tesseract needed) -------------------------------


@pytest.fixture
def signed_pdf(signer_for: Callable[[str], signers.Signer]) -> bytes:
    output = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(make_pdf())),
        signers.PdfSignatureMetadata(field_name="ChuKy1"),
        signer=signer_for("leader"),
        output=output,
    )
    return output.getvalue()


def test_a_signed_scan_is_skipped_and_left_byte_for_byte(
    receptionist_binh: User, django_capture_on_commit_callbacks: Any, signed_pdf: bytes
) -> None:
    document = kept(
        receptionist_binh,
        signed_pdf,
        kind="the-can-cuoc",
        capture=django_capture_on_commit_callbacks,
    )
    run_ocr_worker()
    document = fresh(document)
    assert (document.ocr_status, document.ocr_text, document.suggested_fields) == (
        OcrStatus.SKIPPED,
        "",
        {},
    )
    assert document.ocr_error == (
        "Tệp có chữ ký số: không nhận dạng chữ để tệp đã ký được giữ nguyên như khi nhận."
    )
    with open_file(document) as stream:
        assert stream.read() == signed_pdf
    assert actions(document) == ["store"]


def test_a_signed_result_is_not_queued_and_if_asked_is_skipped(
    receptionist_binh: User, django_capture_on_commit_callbacks: Any
) -> None:
    file = store_private(
        io.BytesIO(make_pdf()),
        original_name="kq.pdf",
        prefix="store",
        uploaded_by=receptionist_binh,
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = store_document_issue(
            actor=receptionist_binh,
            code="KQ-OCR-1",
            owner=PERSON,
            paper=Paper(title="Giấy xác nhận tình trạng hôn nhân"),
            source=StoreSource.RESULT,
            file=file,
            unit=None,
            signature_verdict="valid",
            signature_signer="UBND xã",
        )
    assert document.ocr_status == OcrStatus.NONE
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()
    with django_capture_on_commit_callbacks(execute=True):
        store_document_recognise(actor=receptionist_binh, document=document)
    run_ocr_worker()
    assert fresh(document).ocr_status == OcrStatus.SKIPPED


def test_a_damaged_file_fails_with_a_vietnamese_reason(
    receptionist_binh: User, django_capture_on_commit_callbacks: Any
) -> None:
    damaged = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    document = kept(
        receptionist_binh, damaged, kind="the-can-cuoc", capture=django_capture_on_commit_callbacks
    )
    run_ocr_worker()
    document = fresh(document)
    assert (document.ocr_status, document.ocr_error) == (
        OcrStatus.FAILED,
        "Không đọc được tệp PDF (tệp hỏng hoặc không đúng định dạng).",
    )
    assert (document.state, document.title, document.ocr_text) == (
        "pending",
        "Giấy tờ tùy thân",
        "",
    )


def test_a_file_missing_from_storage_fails_the_run(
    receptionist_binh: User, django_capture_on_commit_callbacks: Any
) -> None:
    document = kept(
        receptionist_binh,
        make_pdf(),
        kind="the-can-cuoc",
        capture=django_capture_on_commit_callbacks,
    )
    delete_private(document.file.key)
    run_ocr_worker()
    document = fresh(document)
    assert (document.ocr_status, document.ocr_error) == (
        OcrStatus.FAILED,
        "Không đọc được tệp đã lưu của giấy tờ này.",
    )


def test_a_task_for_a_document_no_longer_queued_does_nothing(
    receptionist_binh: User, django_capture_on_commit_callbacks: Any
) -> None:
    document = kept(
        receptionist_binh,
        b"%PDF-1.4 broken",
        kind="the-can-cuoc",
        capture=django_capture_on_commit_callbacks,
    )
    StoreDocument.objects.filter(pk=document.pk).update(ocr_status=OcrStatus.DONE)
    run_ocr_worker()
    assert DBTaskResult.objects.get(task_path=TASK).return_value == "done"
    assert fresh(document).ocr_error == ""


def test_recognise_refuses_a_queued_or_rejected_document(
    receptionist_binh: User, django_capture_on_commit_callbacks: Any
) -> None:
    document = kept(
        receptionist_binh,
        make_pdf(),
        kind="the-can-cuoc",
        capture=django_capture_on_commit_callbacks,
    )
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        store_document_recognise(actor=receptionist_binh, document=document)
    assert refused.value.messages == ["Giấy tờ này đang chờ hoặc đang được nhận dạng chữ."]
    StoreDocument.objects.filter(pk=document.pk).update(ocr_status=OcrStatus.FAILED)
    store_document_reject(actor=receptionist_binh, document=document, reason="Không khớp")
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        store_document_recognise(actor=receptionist_binh, document=document)
    assert refused.value.messages == [
        "Chỉ nhận dạng chữ giấy tờ đang chờ đối chiếu hoặc đang có giá trị sử dụng."
    ]


def test_a_run_whose_worker_died_may_be_queued_again_after_the_time_limit(
    receptionist_binh: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.EGOV_OCR_TIMEOUT_SECONDS = 300
    document = kept(
        receptionist_binh,
        make_pdf(),
        kind="the-can-cuoc",
        capture=django_capture_on_commit_callbacks,
    )
    started = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    StoreDocument.objects.filter(pk=document.pk).update(
        ocr_status=OcrStatus.RUNNING, ocr_started_at=started, ocr_progress=40
    )
    with time_machine.travel(started + dt.timedelta(seconds=359), tick=False):
        with translation.override("vi"), pytest.raises(ValidationError) as refused:
            store_document_recognise(actor=receptionist_binh, document=document)
        assert refused.value.messages == ["Giấy tờ này đang chờ hoặc đang được nhận dạng chữ."]
    with time_machine.travel(started + dt.timedelta(seconds=361), tick=False):
        store_document_recognise(actor=receptionist_binh, document=document)
    again = fresh(document)
    assert (again.ocr_status, again.ocr_progress) == (OcrStatus.QUEUED, 0)


# --- Suggestions from text ----------------------------------------------------------------


def test_card_labels_of_both_card_models_are_read() -> None:
    chip_card = "\n".join(CARD_LINES)
    assert suggest_fields(chip_card, CARD_KIND) == CARD_FIELDS  # type: ignore[arg-type]
    card_2024 = (
        "CĂN CƯỚC\nSố định danh cá nhân / Personal identification number:\n001 090 012345\n"
        "Họ, chữ đệm và tên khai sinh / Full name: Trần Văn Đức\n"
        "Ngày, tháng, năm sinh / Date of birth: 1/2/1985\n"
        "Ngày, tháng, năm hết hạn / Date of expiry: 01-02-2045"
    )
    assert suggest_fields(card_2024, CARD_KIND) == {  # type: ignore[arg-type]
        "number": "001090012345",
        "full_name": "Trần Văn Đức",
        "date_of_birth": "1985-02-01",
        "valid_until": "2045-02-01",
    }


def test_birth_certificate_takes_its_own_number_and_the_childs_name() -> None:
    text = "\n".join(
        [
            "Họ tên người mẹ: PHẠM THỊ THỦY",
            "Quyển số: 01/2024",
            "Số định danh cá nhân: 051224001234",
            *BIRTH_LINES,
        ]
    )
    assert suggest_fields(text, BIRTH_KIND) == BIRTH_FIELDS  # type: ignore[arg-type]


def test_what_cannot_be_read_for_sure_is_not_suggested() -> None:
    text = (
        "Họ và tên: 1234\nNgày sinh: 31/02/1990\nSố CCCD 001090012345 hoặc 001090099999\n"
        "Có giá trị đến / Date of &Xpiry: 127/05/2030"  # as Tesseract read a noisy card
    )
    assert suggest_fields(text, CARD_KIND) == {}  # type: ignore[arg-type]
    assert suggest_fields("\n".join(CARD_LINES), None) == {}
    no_fields = SimpleNamespace(code="van-ban-uy-quyen", id_fields=[])
    assert suggest_fields("\n".join(CARD_LINES), no_fields) == {}  # type: ignore[arg-type]


# --- Confirming fields ----------------------------------------------------------------------


def test_confirmed_fields_are_applied_with_their_event(
    receptionist_binh: User, django_capture_on_commit_callbacks: Any
) -> None:
    document = kept(
        receptionist_binh,
        make_pdf(),
        kind="the-can-cuoc",
        capture=django_capture_on_commit_callbacks,
    )
    StoreDocument.objects.filter(pk=document.pk).update(
        ocr_status=OcrStatus.DONE, suggested_fields=CARD_FIELDS
    )
    confirmed = store_document_confirm_fields(
        actor=receptionist_binh,
        document=fresh(document),
        fields={
            "number": " 001090012345 ",
            "issued_on": dt.date(2021, 5, 12),
            "expires_on": dt.date(2030, 5, 13),  # the officer corrected the suggestion
        },
    )
    document = fresh(document)
    assert (document.number, document.issued_on, document.expires_on, document.valid_until) == (
        "001090012345",
        dt.date(2021, 5, 12),
        dt.date(2030, 5, 13),
        dt.date(2030, 5, 13),  # until the date printed on a card (Luật Căn cước 2023 Điều 46)
    )
    assert confirmed.state == document.state == StoreState.PENDING
    assert "001090012345" in document.search_text
    event = document.events.get(action="confirm_fields")
    assert (event.actor, event.from_state, event.to_state) == (
        receptionist_binh,
        "pending",
        "pending",
    )
    assert event.data == {
        "fields": {"number": "001090012345", "issued_on": "2021-05-12", "expires_on": "2030-05-13"},
        "from_suggestion": ["number"],
    }
    # A field left out stays as it is.
    store_document_confirm_fields(actor=receptionist_binh, document=document, fields={"number": ""})
    assert (fresh(document).number, fresh(document).expires_on) == ("", dt.date(2030, 5, 13))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"full_name": "X"}, "Không xác nhận được trường: full_name."),
        ({"number": "12345"}, "Số thẻ căn cước phải gồm 12 chữ số."),
        ({"expires_on": "12/05/2030"}, "Ngày cấp và ngày hết hạn phải là ngày hợp lệ."),
        (
            {"issued_on": dt.date(2030, 1, 1), "expires_on": dt.date(2029, 1, 1)},
            "Ngày hết hạn không được trước ngày cấp.",
        ),
    ],
    ids=["unknown-field", "card-number", "not-a-date", "expiry-before-issue"],
)
def test_confirming_refuses_bad_values_and_changes_nothing(
    receptionist_binh: User,
    django_capture_on_commit_callbacks: Any,
    fields: dict[str, Any],
    message: str,
) -> None:
    document = kept(
        receptionist_binh,
        make_pdf(),
        kind="the-can-cuoc",
        capture=django_capture_on_commit_callbacks,
    )
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        store_document_confirm_fields(actor=receptionist_binh, document=document, fields=fields)
    assert refused.value.messages == [message]
    assert (fresh(document).number, fresh(document).expires_on) == ("", None)
    assert actions(document) == ["store"]


# --- What the officer's page shows -----------------------------------------------------------


def test_progress_fragment_polls_while_running_and_shows_suggestions_when_done(
    receptionist_binh: User, django_capture_on_commit_callbacks: Any
) -> None:
    document = kept(
        receptionist_binh,
        make_pdf(),
        kind="the-can-cuoc",
        capture=django_capture_on_commit_callbacks,
    )
    StoreDocument.objects.filter(pk=document.pk).update(
        ocr_status=OcrStatus.RUNNING, ocr_progress=50
    )
    with translation.override("vi"):
        running = ocr_progress_of(fresh(document))
        html = render_to_string(
            "datastore/_ocr_progress.html", {"ocr": running, "poll_url": "/staff/x/ocr"}
        )
    assert (running.status, running.percent, running.running) == ("running", 50, True)
    assert 'hx-get="/staff/x/ocr" hx-trigger="every 3s"' in html
    assert '<progress max="100" value="50"' in html
    assert "Đang nhận dạng (50 %)" in html

    StoreDocument.objects.filter(pk=document.pk).update(
        ocr_status=OcrStatus.DONE, ocr_progress=100, suggested_fields=CARD_FIELDS
    )
    with translation.override("vi"):
        done = ocr_progress_of(fresh(document))
        html = render_to_string("datastore/_ocr_progress.html", {"ocr": done, "poll_url": "/x"})
    assert [(s.field, s.shown) for s in done.suggestions] == [
        ("number", "001090012345"),
        ("full_name", "NGUYỄN THỊ HỒNG NHUNG"),
        ("date_of_birth", "12/05/1990"),
        ("valid_until", "12/05/2030"),
    ]
    assert "hx-get" not in html
    assert "chỉ là gợi ý" in html
    assert '<dd data-field="valid_until">12/05/2030</dd>' in html

    StoreDocument.objects.filter(pk=document.pk).update(
        ocr_status=OcrStatus.FAILED, ocr_error="Nhận dạng chữ quá 1 giây nên đã dừng."
    )
    failed = ocr_progress_of(fresh(document))
    assert (failed.reason, failed.suggestions, failed.running) == (
        "Nhận dạng chữ quá 1 giây nên đã dừng.",
        (),
        False,
    )


@pytest.mark.django_db(transaction=True)
def test_the_commit_queues_the_task_and_the_ocr_worker_runs_it() -> None:
    """Committed for real, then ``manage.py db_worker --queue-name ocr`` as in production."""
    officer = User.objects.create_user(username="ocr.worker.test", password="x-unused-x")
    damaged = store_private(
        io.BytesIO(b"%PDF-1.4 damaged"), original_name="scan.pdf", prefix="store"
    )
    document = store_document_store(
        actor=officer,
        code="SH-OCR-WORKER",
        owner=PERSON,
        paper=Paper(title="Giấy khai sinh", kind=DocumentKind.objects.get(code="giay-khai-sinh")),
        source=StoreSource.UPLOAD,
        file=damaged,
        unit=None,
    )
    # The default worker leaves it to the ocr worker.
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert DBTaskResult.objects.get(task_path=TASK).status == "READY"
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--queue-name", OCR_QUEUE, stdout=StringIO()
    )
    assert DBTaskResult.objects.get(task_path=TASK).status == "SUCCESSFUL"
    assert fresh(document).ocr_status == OcrStatus.FAILED
