"""OCR of identity papers (issue 16 §4): character accuracy, fields suggested exactly, and
throughput of what the store's OCR task does with a scan.

Two papers of egov.datastore.tests.paper_samples — a căn cước card (85.6 × 54 mm, 10 lines in
7 pt Noto Sans, saved as JPEG quality 90) and a birth certificate (A4, 11 lines in 12 pt, PNG) —
are rendered at 300 dpi under three conditions: clean, turned 2°, and turned 2° with 1 % of
the pixels random grey; each repeat uses another noise seed. Each scan goes through
``ocr_pdf`` with per-page progress (as ``datastore.recognition`` calls it) and
``suggest_fields``, one after the other (one worker). Character accuracy is 1 − Levenshtein
distance / length of the known text after NFC and collapsing white space; "fields exact" is
the share of scans whose suggested fields equal the known ones exactly. Pages per minute is
wall time from the image to the text and suggestions, rendering excluded. Prints one JSON line.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402

from egov.core.ocr import ocr_pdf  # noqa: E402
from egov.core.tests.ocr_samples import character_accuracy, png  # noqa: E402
from egov.datastore.suggestions import suggest_fields  # noqa: E402
from egov.datastore.tests.paper_samples import (  # noqa: E402
    BIRTH_FIELDS,
    BIRTH_LINES,
    CARD_FIELDS,
    CARD_LINES,
    birth_certificate,
    card,
)

CONDITIONS: dict[str, dict[str, float]] = {
    "clean 300 dpi": {},
    "300 dpi, turned 2°": {"degrees": 2},
    "300 dpi, turned 2°, 1 % noise": {"degrees": 2, "noise": 0.01},
}


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, dpi=(300, 300))
    return buffer.getvalue()


PAPERS: dict[str, tuple[Callable[..., Image.Image], Callable[[Image.Image], bytes], Any]] = {
    "căn cước card (JPEG)": (card, _jpeg, (CARD_LINES, CARD_FIELDS, "the-can-cuoc")),
    "birth certificate, A4 (PNG)": (
        birth_certificate,
        lambda image: png(image, dpi=300),
        (BIRTH_LINES, BIRTH_FIELDS, "giay-khai-sinh"),
    ),
}


def run(repeats: int) -> dict[str, object]:
    results = []
    for paper, (render, encode, (lines, fields, code)) in PAPERS.items():
        kind = SimpleNamespace(code=code, id_fields=list(fields))
        for condition, options in CONDITIONS.items():
            scans = [encode(render(seed=1 + repeat, **options)) for repeat in range(repeats)]
            accuracies, exact = [], 0
            began = time.perf_counter()
            for data in scans:
                text = ocr_pdf(data, on_page=lambda done, total: None).text
                accuracies.append(character_accuracy("\n".join(lines), text))
                exact += suggest_fields(text, kind) == fields
            elapsed = time.perf_counter() - began
            results.append(
                {
                    "paper": paper,
                    "condition": condition,
                    "pages": len(scans),
                    "mean_accuracy": round(sum(accuracies) / len(accuracies), 4),
                    "min_accuracy": round(min(accuracies), 4),
                    "fields_exact": f"{exact}/{len(scans)}",
                    "pages_per_minute": round(len(scans) / elapsed * 60, 1),
                }
            )
    return {"papers": results, "load_average": os.getloadavg()[0]}


if __name__ == "__main__":
    print(json.dumps(run(int(os.environ.get("EGOV_BENCH_OCR_REPEATS", "3")))))
