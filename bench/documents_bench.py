"""Official-document benchmarks on PostgreSQL (issue 11).

1. 50 concurrent outgoing numberings: 50 signed documents of one agency registered at once
   by 50 threads (each with its own connection) through ``outgoing_transition(register)``;
   the numbers must be 1..50 without a gap or a duplicate; wall time reported.
2. Search over 1,000,000 generated documents (800,000 incoming, 200,000 outgoing in 100
   agencies, metadata plus 20 words of "text layer" each), generated in SQL with
   generate_series, their search entries written by ``search.rebuild_search_entries`` (GIN
   indexes built afterwards): ``search_documents`` timed for 50 varied queries (rare and
   common words, prefixes, numbers) as an agency's clerk and as a provincial leader who sees
   everything, with the SQL statements of one search counted.
Prints one JSON line. Needs a PostgreSQL DATABASE_URL. A database that already holds the
generated documents (kept by ``EGOV_BENCH_KEEP=1 make bench``, or a DATABASE_URL of one's
own) is reused: only the search is timed then.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from egov.accounts.models import Role, RoleAssignment, User  # noqa: E402
from egov.core.text import fold  # noqa: E402
from egov.documents.actions import OutgoingAction  # noqa: E402
from egov.documents.catalogue import AgencySettings  # noqa: E402
from egov.documents.models import OutgoingDocument, OutgoingStatus  # noqa: E402
from egov.documents.search import rebuild_search_entries, search_documents  # noqa: E402
from egov.documents.selectors import document_type  # noqa: E402
from egov.documents.services.catalogue import document_types_load_national  # noqa: E402
from egov.documents.services.outgoing import outgoing_transition  # noqa: E402
from egov.org.models import Unit, UnitKind  # noqa: E402

TOTAL = int(os.environ.get("EGOV_BENCH_DOCUMENTS", "1000000"))
AGENCIES = 100
CONCURRENT = 50

ORGANS = [
    "Bộ Nội vụ",
    "Bộ Tài chính",
    "Văn phòng Chính phủ",
    "Tỉnh ủy Quảng Ninh",
    "Sở Xây dựng",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Công an tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Đảng ủy khối cơ quan",
]
TYPES = ["Công văn", "Quyết định", "Kế hoạch", "Thông báo", "Báo cáo", "Tờ trình", "Giấy mời"]
TOPICS = [
    "Về việc triển khai Nghị quyết của Đảng bộ tỉnh",
    "Về việc tổ chức Tết Nguyên đán",
    "Về việc phòng chống lụt bão năm",
    "Về việc khen thưởng tập thể, cá nhân",
    "Về việc đăng ký đất đai lần đầu",
    "Về việc cải cách thủ tục hành chính",
    "Về việc chuyển đổi số trong cơ quan nhà nước",
    "Về việc tuyển dụng công chức",
    "Về việc quyết toán ngân sách",
    "Về việc phê duyệt dự án đầu tư công",
    "Về việc kiểm tra an toàn thực phẩm",
    "Về việc phòng cháy chữa cháy",
    "Về việc bảo vệ môi trường biển",
    "Về việc tổng kết công tác năm",
    "Về việc hướng dẫn thi đua khen thưởng",
    "Về việc giải quyết đơn thư khiếu nại",
]
SIGNERS = ["Nguyễn Văn Đức", "Trần Thị Hằng", "Lê Quang Đạo", "Phạm Minh Tuấn", "Vũ Thị Lụa"]
# The "text layer": words drawn from a vocabulary of 2,000 generated words plus real ones.
REAL_WORDS = (  # noqa: SIM905
    "điều khoản quy định trách nhiệm thực hiện ủy ban nhân dân tỉnh huyện xã phường sở ngành "
    "đơn vị kinh phí ngân sách kế hoạch báo cáo tổng hợp kết quả đề nghị chỉ đạo hướng dẫn "
    "triển khai nhiệm vụ giải pháp đất đai xây dựng giáo dục y tế giao thông nông nghiệp"
).split()
QUERIES = [
    "dang",
    "nghi quyet dang",
    "quyet dinh",
    "quyet dinh khen thuong",
    "tet nguyen dan",
    "lut bao",
    "dat dai",
    "dang ky dat dai lan dau",
    "chuyen doi so",
    "tuyen dung cong chuc",
    "quyet toan ngan sach",
    "du an dau tu cong",
    "an toan thuc pham",
    "phong chay",
    "moi truong bien",
    "khieu nai",
    "bo noi vu",
    "so xay dung",
    "cong an tinh",
    "nguyen van duc",
    "le quang dao",
    "giay moi",
    "to trinh",
    "ke hoach",
    "thong bao tong ket",
    "kinh phi ngan sach",
    "giao thong nong nghiep",
    "chuyen",
    "quyet d",
    "khen thuo",
    "tu0017",
    "tu0123 tu1999",
    "tu0456 dat",
    "tu1500",
    "huong dan thi dua",
    "ve viec",
    "bao cao ket qua",
    "120",
    "4500",
    "ubnd",
    "trach nhiem thuc hien",
    "cai cach thu tuc hanh chinh",
    "y te giao duc",
    "ban quan ly du an",
    "dang uy khoi",
    "hang",
    "vu thi lua",
    "tuan phong chay",
    "xyzkhongco",
    "tu1234 tu0001 tu0002",
]


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def generate(agency_ids: list[int], drafting_ids: list[int], type_id: int) -> None:
    vocabulary = REAL_WORDS + [f"tu{i:04d}" for i in range(2000)]
    folded_vocabulary = [fold(w) for w in vocabulary]
    incoming_total = TOTAL * 4 // 5
    outgoing_total = TOTAL - incoming_total
    params = {
        "organs": _sql_array(ORGANS),
        "organs_f": _sql_array([fold(o) for o in ORGANS]),
        "types": _sql_array(TYPES),
        "types_f": _sql_array([fold(t) for t in TYPES]),
        "topics": _sql_array(TOPICS),
        "topics_f": _sql_array([fold(t) for t in TOPICS]),
        "signers": _sql_array(SIGNERS),
        "signers_f": _sql_array([fold(s) for s in SIGNERS]),
        "vocab": _sql_array(folded_vocabulary),
        "agencies": "ARRAY[" + ",".join(map(str, agency_ids)) + "]::int[]",
        "drafting": "ARRAY[" + ",".join(map(str, drafting_ids)) + "]::int[]",
    }
    # Only generated constants are interpolated into the SQL below.
    text_layer = (  # noqa: S608
        "(SELECT string_agg(({vocab})[1 + floor(random() * {n})::int], ' ') "
        "FROM generate_series(1, 20) WHERE g > 0)"
    ).format(vocab=params["vocab"], n=len(folded_vocabulary))
    incoming = f"""
        INSERT INTO documents_incomingdocument (
            agency_id, source, status, revision, organ_id, type_name, code_number, code_notation,
            issued_date, organ_name, subject, language, description, arrival_date,
            arrival_number, arrival_year, register, signer_position, signer_full_name,
            urgency, confidentiality, to_places, signature_verdict, duplicate_override_reason,
            created_at, registered_at, search_text)
        SELECT a.agency, 'upload', 'registered', 0, '', ({params["types"]})[1 + g % 7],
            (g % 5000 + 1)::text, 'UBND-VP', (now() - (g % 730) * interval '1 day')::date,
            ({params["organs"]})[1 + g % 10], ({params["topics"]})[1 + (g / 7) % 16] || ' ' || g,
            'Tiếng Việt', '', now() - (g % 730) * interval '1 day' - (g % 997) * interval '1 s',
            g, 2026, 'chung', 'Chủ tịch', ({params["signers"]})[1 + g % 5],
            'normal', 'normal', '', '{{}}', '',
            now(), now(),
            ' ' || (g % 5000 + 1) || ' ubnd vp '
            || ({params["types_f"]})[1 + g % 7] || ' '
            || ({params["topics_f"]})[1 + (g / 7) % 16] || ' ' || g || ' '
            || ({params["organs_f"]})[1 + g % 10] || ' ' || ({params["signers_f"]})[1 + g % 5]
            || ' ' || {text_layer} || ' '
        FROM generate_series(1, {incoming_total}) AS g,
             LATERAL (SELECT ({params["agencies"]})[1 + g % {len(agency_ids)}] AS agency) AS a
    """  # noqa: S608
    outgoing = f"""
        INSERT INTO documents_outgoingdocument (
            agency_id, drafting_unit_id, document_type_id, status, revision, subject, language,
            description, urgency, confidentiality, delegation, signer_position,
            signer_full_name, code_number, code_notation, issued_date, year, register,
            created_at, search_text)
        SELECT ({params["agencies"]})[1 + g % {len(agency_ids)}],
            ({params["drafting"]})[1 + g % {len(agency_ids)}], {type_id}, 'issued', 0,
            ({params["topics"]})[1 + (g / 7) % 16] || ' ' || g, 'Tiếng Việt', '', 'normal',
            'normal', '', 'Chủ tịch', ({params["signers"]})[1 + g % 5], g, 'QĐ-UBND',
            (now() - (g % 730) * interval '1 day')::date, 2026, 'chung',
            now() - (g % 730) * interval '1 day' - (g % 991) * interval '1 s',
            ' ' || g || ' qd ubnd quyet dinh ' || ({params["topics_f"]})[1 + (g / 7) % 16]
            || ' ' || g || ' ' || ({params["signers_f"]})[1 + g % 5] || ' ' || {text_layer} || ' '
        FROM generate_series(1, {outgoing_total}) AS g
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(incoming)
        cursor.execute(outgoing)
        # Bulk path: the search entries' GIN indexes are built once after the rows are in
        # (as a restore does), from their own definitions.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'documents_searchentry' AND indexdef LIKE '%%USING gin%%'"
        )
        gin = cursor.fetchall()
        for name, _definition in gin:
            cursor.execute(f"DROP INDEX {name}")
        rebuild_search_entries()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in gin:
            cursor.execute(definition)
        for table in ("incomingdocument", "outgoingdocument", "searchentry"):
            cursor.execute(f"ANALYZE documents_{table}")


def _user(username: str, unit: Unit, role: str) -> User:
    user = User.objects.create_user(username=username, full_name=username)
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


def numbering_benchmark(agency: Unit, drafting: Unit, clerk: User) -> dict[str, object]:
    kind = document_type(None, "quyet-dinh")
    assert kind is not None
    documents = [
        OutgoingDocument.objects.create(
            agency=agency,
            drafting_unit=drafting,
            document_type=kind,
            subject=f"Quyết định số {i}",
            status=OutgoingStatus.SIGNED,
        )
        for i in range(CONCURRENT)
    ]
    numbers: list[int] = []
    errors: list[str] = []
    barrier = threading.Barrier(CONCURRENT)

    def register(document: OutgoingDocument) -> None:
        try:
            barrier.wait()
            done = outgoing_transition(
                actor=clerk, document=document, action=OutgoingAction.REGISTER
            )
            assert done.code_number is not None
            numbers.append(done.code_number)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(d,)) for d in documents]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {
        "documents": CONCURRENT,
        "wall_ms": round(elapsed * 1e3, 1),
        "numbers_consecutive": sorted(numbers) == list(range(1, CONCURRENT + 1)),
        "errors": errors[:3],
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _backend_cpu_ms() -> Callable[[], float] | None:
    """The CPU time spent so far by this connection's PostgreSQL backend (Linux, server on
    this machine); None when it cannot be read. With other work on the machine, wall time
    also counts waiting for a core: CPU time says what a search itself costs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
    if not stat.exists():
        return None
    return lambda: int(stat.read_text().split()[0]) / 1e6


def search_benchmark(actor: User, label: str) -> dict[str, object]:
    for query in QUERIES[:5]:  # warm the caches
        search_documents(actor, query)
    timings: list[float] = []
    cpu: list[float] = []
    backend = _backend_cpu_ms()
    hits = 0
    with CaptureQueriesContext(connection) as captured:
        search_documents(actor, QUERIES[0])
    for query in random.Random(11).sample(QUERIES, len(QUERIES)):
        began, began_cpu = time.perf_counter(), time.process_time()
        began_backend = backend() if backend else 0.0
        page = search_documents(actor, query)
        timings.append((time.perf_counter() - began) * 1e3)
        if backend:
            cpu.append((time.process_time() - began_cpu) * 1e3 + backend() - began_backend)
        hits += len(page.hits)
    return {
        "actor": label,
        "queries": len(timings),
        "sql_per_search": len(captured.captured_queries),
        "hits": hits,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1) if cpu else None,
        "cpu_p95_ms": round(_percentile(cpu, 0.95), 1) if cpu else None,
        "load_average": round(os.getloadavg()[0], 1),
    }


def _province() -> tuple[Unit, list[Unit], list[Unit]]:
    root = Unit.objects.create(
        key="b.tinh", code="000.00.00.B00", name="UBND tỉnh Bench", kind=UnitKind.PEOPLES_COMMITTEE
    )
    agencies, divisions = [], []
    for index in range(1, AGENCIES + 1):
        agency = Unit.objects.create(
            key=f"b.so{index}",
            code=f"000.00.{index // 100:02d}.B{index % 100:02d}",
            name=f"Sở Bench {index}",
            kind=UnitKind.DEPARTMENT,
            parent=root,
        )
        AgencySettings.objects.create(agency=agency, abbreviation="UBND", place_name="Hạ Long")
        divisions.append(
            Unit.objects.create(
                key=f"b.so{index}.vp", name="Văn phòng", kind=UnitKind.OFFICE, parent=agency
            )
        )
        agencies.append(agency)
    return root, agencies, divisions


def _generated() -> bool:
    """Whether this database already holds the generated documents of an earlier run (kept
    with EGOV_BENCH_KEEP=1: generating a million rows takes minutes)."""
    if not Unit.objects.filter(key="b.tinh").exists():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM documents_incomingdocument")
        incoming = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM documents_outgoingdocument")
        outgoing = cursor.fetchone()[0]
    return incoming + outgoing >= TOTAL


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("the documents benchmark runs on PostgreSQL (set DATABASE_URL)")
    call_command("migrate", verbosity=0)
    result: dict[str, object] = {"documents": TOTAL}
    if _generated():
        # Reused: the numbering benchmark needs a fresh agency (numbers from 1), so it is
        # left out; the search runs over the rows already there.
        clerk = User.objects.get(username="b.vanthu")
        leader = User.objects.get(username="b.lanhdao")
        result["numbering"] = None
        result["generated_in_s"] = None
    else:
        document_types_load_national(actor=None)
        root, agencies, divisions = _province()
        clerk = _user("b.vanthu", agencies[0], Role.CLERK)
        leader = _user("b.lanhdao", root, Role.DEPARTMENT_LEADER)
        result["numbering"] = numbering_benchmark(agencies[0], divisions[0], clerk)
        kind = document_type(None, "quyet-dinh")
        assert kind is not None
        began = time.monotonic()
        generate([a.pk for a in agencies], [d.pk for d in divisions], kind.pk)
        result["generated_in_s"] = round(time.monotonic() - began, 1)
    result["search"] = [
        search_benchmark(clerk, "agency clerk (1 of 100 agencies)"),
        search_benchmark(leader, "provincial leader (every agency)"),
    ]
    result["today"] = str(timezone.localdate())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
