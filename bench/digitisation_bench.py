"""The digitisation figures (issue 16 §7) and the service index with its digitisation measures,
over the 1,000,000 dossiers of dossiers_bench.py on PostgreSQL (with the extras of
service_index_bench.py).

The generator makes dossiers without components or files, so this adds them the way reception
leaves them: one component row per required component of the dossier's procedure version, every
fifth dossier's first component reused from the store, two thirds of the dossiers' components
linked to one of 1,000 valid data-store documents (digitised in the benchmark month by the
busiest unit), and one upload per online dossier. Times, 30 runs after a warm-up, medians:
``service_index`` of the busiest unit (now with 4.2 and the wider 4.1 and 4.3),
``digitisation_report`` of that unit and of the province's root unit, and the first page of
the dossiers missing from the desk's digitisation ratio. Prints one JSON line.
``EGOV_BENCH_DOSSIERS`` makes a smaller data set.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from dossiers_bench import TOTAL, generate  # noqa: E402
from service_index_bench import EXTRAS, _median_ms  # noqa: E402

from egov.core.uploads import store_private  # noqa: E402

FILL_FLAGS = importlib.import_module("egov.dossiers.migrations.0020_digitisation_flags").FILL
from egov.datastore.models import StoreDocument, StoreSource, StoreState  # noqa: E402
from egov.org.models import Unit  # noqa: E402
from egov.reports.digitisation import digitisation_dossiers, digitisation_report  # noqa: E402
from egov.reports.service_index import parse_index_period, service_index  # noqa: E402

PERIOD = "2025-06"
DOCUMENTS = 1000

COMPONENTS = """
INSERT INTO dossiers_dossiercomponent (dossier_id, component_id, originals, copies, scan_id,
                                       store_document_id, reused, reuse_rule)
SELECT d.id, c.id, 1, 0, NULL,
       CASE WHEN d.id %% 3 <> 0 THEN %(first)s + (d.id + c.id) %% %(documents)s END,
       d.id %% 5 = 0 AND c."order" = (SELECT min(c2."order") FROM catalog_component c2
                                     WHERE c2.version_id = c.version_id AND c2.required),
       ''
FROM dossiers_dossier d
JOIN catalog_component c ON c.version_id = d.procedure_version_id AND c.required
ON CONFLICT DO NOTHING;
INSERT INTO dossiers_dossierfile (dossier_id, component_id, source, code, file_id, added_at,
                                  signature_verdict, signature_agency)
SELECT d.id, NULL, 'upload', '', %(file)s, d.received_at, '', ''
FROM dossiers_dossier d WHERE d.channel = 'online';
"""
VACUUMED = (
    "dossiers_dossier",
    "dossiers_dossiercomponent",
    "dossiers_dossierfile",
    "datastore_storedocument",
    "national_nationalsync",
    "payments_onlinepayment",
)


def _documents(unit: Unit, month_start: dt.datetime) -> tuple[int, int]:
    """1,000 valid data-store documents digitised by ``unit`` in the month; (first id, file)."""
    stored = store_private(io.BytesIO(b"%PDF-1.4 bench"), original_name="b.pdf", prefix="bench")
    now = timezone.now()
    StoreDocument.objects.bulk_create(
        StoreDocument(
            code=f"BENCH-{n}",
            owner_kind="person",
            owner_identifier=f"{n:012d}",
            owner_name="Bench",
            title="Giấy tờ",
            source=StoreSource.SCAN,
            unit=unit,
            file=stored,
            signed_file=stored,
            state=StoreState.VALID,
            digitised_at=month_start,
            created_at=now,
        )
        for n in range(DOCUMENTS)
    )
    first = StoreDocument.objects.filter(code="BENCH-0").values_list("pk", flat=True).get()
    return first, stored.pk


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("the digitisation benchmark runs on PostgreSQL (set DATABASE_URL)")
    call_command("migrate", verbosity=0)
    with Path(os.devnull).open("w") as devnull:
        call_command("load_demo", stdout=devnull)
    began = time.monotonic()
    generate()
    period = parse_index_period(PERIOD)
    start, end = period.bounds()
    with connection.cursor() as cursor:
        cursor.execute(EXTRAS)
        cursor.execute(
            "SELECT coalesce(handling_unit_id, receiving_unit_id), count(*) FROM dossiers_dossier "
            "WHERE received_at >= %s AND received_at < %s GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
            [start, end],
        )
        unit_id, unit_month = cursor.fetchone()
    unit = Unit.objects.get(pk=unit_id)
    first, file_id = _documents(unit, start)
    with connection.cursor() as cursor:
        cursor.execute(COMPONENTS, {"first": first, "documents": DOCUMENTS, "file": file_id})
        # The dossiers' digitisation flags, as the services' events would have left them.
        cursor.execute(FILL_FLAGS)
        for table in VACUUMED:
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("SELECT count(*) FROM dossiers_dossiercomponent")
        (components,) = cursor.fetchone()
    generated_in = round(time.monotonic() - began, 1)
    root = unit
    while root.parent_id is not None:
        root = Unit.objects.get(pk=root.parent_id)
    report = digitisation_report(period=period, unit=unit)
    index_ms, index_queries = _median_ms(lambda: service_index(unit=unit, period=period))
    unit_ms, unit_queries = _median_ms(lambda: digitisation_report(period=period, unit=unit))
    root_ms, root_queries = _median_ms(lambda: digitisation_report(period=period, unit=root))
    page_ms, _ = _median_ms(
        lambda: digitisation_dossiers(
            unit=unit, period=period, figure="counter_digitised", part="missing"
        )
    )
    print(
        json.dumps(
            {
                "dossiers": TOTAL,
                "components": components,
                "generated_in_s": generated_in,
                "period": PERIOD,
                "unit_month_dossiers": unit_month,
                "service_index_median_ms": index_ms,
                "service_index_queries": index_queries,
                "unit_median_ms": unit_ms,
                "unit_queries": unit_queries,
                "province_median_ms": root_ms,
                "province_queries": root_queries,
                "missing_page_median_ms": page_ms,
                "figures": {
                    f.code: [f.numerator, f.denominator, str(f.ratio)]
                    for f in report.total.figures()
                },
                "store_documents": report.total.store_documents,
            }
        )
    )


if __name__ == "__main__":
    main()
