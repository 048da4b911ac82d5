"""Catalog benchmark: 10,000 generated procedures; search latency and detail-page queries.

Run by `make bench` (bench/run.py) once per database; prints one JSON line of results.
Usage: DATABASE_URL=… EGOV_VAR_DIR=… python bench/catalog_search.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from egov.catalog.models import (  # noqa: E402
    Channel,
    ChannelKind,
    Procedure,
    ProcedureField,
    ProcedureVersion,
    TimeKind,
    VersionStatus,
)
from egov.catalog.selectors import CatalogFilters, search_procedures  # noqa: E402
from egov.core.text import fold  # noqa: E402

TARGET = 10_000
ACTIONS = [
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Đăng ký",
    "Đăng ký lại",
    "Điều chỉnh",
    "Gia hạn",
    "Thu hồi",
    "Xác nhận",
    "Công nhận",
    "Chứng thực",
    "Thẩm định",
    "Phê duyệt",
    "Thông báo",
    "Hủy bỏ",
]
OBJECTS = [
    "giấy phép xây dựng",
    "hộ kinh doanh",
    "giấy chứng nhận quyền sử dụng đất",
    "khai sinh",
    "kết hôn",
    "thường trú",
    "tạm trú",
    "giấy phép kinh doanh rượu",
    "chứng chỉ hành nghề",
    "biển số nhà",
    "giấy phép lái xe",
    "hợp đồng lao động",
    "trợ cấp xã hội",
    "hồ sơ mộc",
    "giấy phép khai thác nước",
    "kế hoạch bảo vệ môi trường",
    "giấy phép quảng cáo",
    "di tích lịch sử",
    "cơ sở giáo dục",
    "phòng khám tư nhân",
    "nhà thuốc",
    "trang trại",
    "giống cây trồng",
    "tàu cá",
    "hội quần chúng",
    "quỹ xã hội",
    "lễ hội",
    "điểm bán lẻ xăng dầu",
]
QUALIFIERS = [
    "",
    "cho cá nhân",
    "cho tổ chức",
    "có yếu tố nước ngoài",
    "tại cấp xã",
    "tại cấp tỉnh",
    "trong khu công nghiệp",
    "đối với doanh nghiệp nhỏ",
    "lần đầu",
    "trực tuyến",
]


def generate() -> None:
    random.seed(20261127)
    fields = list(ProcedureField.objects.all())
    existing = Procedure.objects.count()
    procedures, versions = [], []
    for i in range(TARGET - existing):
        name = " ".join(
            filter(
                None,
                [
                    random.choice(ACTIONS),
                    random.choice(OBJECTS),
                    random.choice(QUALIFIERS),
                    f"(mẫu {i})",
                ],
            )
        )
        procedures.append(Procedure(key=f"bench-{i}", national_code=f"3.{i:06d}"))
        versions.append((name, random.choice(fields)))
    with transaction.atomic():
        Procedure.objects.bulk_create(procedures, batch_size=2000)
        by_key = {p.key: p for p in Procedure.objects.filter(key__startswith="bench-")}
        rows = [
            ProcedureVersion(
                procedure=by_key[f"bench-{i}"],
                number=1,
                status=VersionStatus.PUBLISHED,
                name=name,
                field=field,
                implementing_level="xa",
                online_service="mot_phan",
                search_text=fold(name),
            )
            for i, (name, field) in enumerate(versions)
        ]
        ProcedureVersion.objects.bulk_create(rows, batch_size=2000)
        created = list(ProcedureVersion.objects.filter(procedure__key__startswith="bench-"))
        Channel.objects.bulk_create(
            [
                Channel(
                    version=v,
                    kind=ChannelKind.COUNTER,
                    time_kind=TimeKind.WORKING_DAYS,
                    time_amount=5,
                )
                for v in created
            ],
            batch_size=2000,
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO catalog_search(rowid, name) VALUES (?, ?)",
                    [(v.pk, v.search_text) for v in created],
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_procedureversion")


def main() -> None:
    call_command("migrate", verbosity=0)
    with Path(os.devnull).open("w") as devnull:
        call_command("load_demo", stdout=devnull)
    generate()
    total = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).count()
    vocab = sorted({w for name in ACTIONS + OBJECTS for w in fold(name).split()})
    rng = random.Random(7)
    queries = []
    for _ in range(300):
        words = rng.sample(vocab, rng.randint(2, 4))
        queries.append(" ".join(words))
    queries += [
        "dang ky ho kinh doanh",
        "cap giay phep xay dung",
        "chung thuc ban sao",
        "khai sinh",
        "giay chung nhan quyen su dung dat",
        "dang ky thuong tru ca nhan",
        "kinh doa",
    ]
    for query in queries[:20]:  # warm-up
        search_procedures(CatalogFilters(query=query))
    timings = []
    for query in queries:
        start = time.perf_counter()
        search_procedures(CatalogFilters(query=query))
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    client = Client()
    max_queries = 0
    for code in ["1.001612", "2.000815", "qn-cap-phieu-ly-lich-tu-phap", "3.000042", "3.009000"]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/thu-tuc/{code}/", HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, code
        max_queries = max(max_queries, len(ctx.captured_queries))
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "procedures": total,
                "queries": len(timings),
                "p50_ms": round(statistics.median(timings), 2),
                "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
                "p99_ms": round(timings[int(len(timings) * 0.99) - 1], 2),
                "detail_page_max_queries": max_queries,
            }
        )
    )


if __name__ == "__main__":
    main()
