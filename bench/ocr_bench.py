"""OCR benchmark (issue 16 §4): character accuracy and throughput of egov.core.ocr.

The sample pages of egov.core.tests.ocr_samples (A4, 7 lines of Vietnamese in 12 pt Noto Sans)
are rendered under three conditions — clean at 300 dpi, clean at 200 dpi, and "noisy" (300 dpi,
turned 3°, 1 % of the pixels random grey) — each page sent as a PNG through ``ocr_pdf`` one
after the other (one worker: one OCRmyPDF process at a time, ``--jobs 1``). Character accuracy
is 1 − Levenshtein distance / length of the known text (white space collapsed); throughput is
pages per minute of wall time, PNG → PDF with text layer included, rendering excluded.
Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

import django  # noqa: E402

django.setup()

from egov.core.ocr import ocr_pdf  # noqa: E402
from egov.core.tests.ocr_samples import PAGES, character_accuracy, png, render  # noqa: E402

CONDITIONS: dict[str, dict[str, float]] = {
    "clean 300 dpi": {"dpi": 300},
    "clean 200 dpi": {"dpi": 200},
    "noisy 300 dpi (3°, 1 % noise)": {"dpi": 300, "degrees": 3, "noise": 0.01},
}


def run(repeats: int) -> dict[str, object]:
    results = []
    for name, condition in CONDITIONS.items():
        dpi = int(condition["dpi"])
        scans = []
        for repeat in range(repeats):
            for index, lines in enumerate(PAGES):
                image = render(
                    lines,
                    dpi=dpi,
                    degrees=condition.get("degrees", 0.0),
                    noise=condition.get("noise", 0.0),
                    seed=1 + repeat * len(PAGES) + index,
                )
                scans.append(("\n".join(lines), png(image, dpi=dpi)))
        accuracies = []
        began = time.perf_counter()
        for truth, data in scans:
            accuracies.append(character_accuracy(truth, ocr_pdf(data).text))
        elapsed = time.perf_counter() - began
        results.append(
            {
                "condition": name,
                "pages": len(scans),
                "mean_accuracy": round(sum(accuracies) / len(accuracies), 4),
                "min_accuracy": round(min(accuracies), 4),
                "pages_per_minute": round(len(scans) / elapsed * 60, 1),
            }
        )
    return {"conditions": results, "load_average": os.getloadavg()[0]}


if __name__ == "__main__":
    print(json.dumps(run(int(os.environ.get("EGOV_BENCH_OCR_REPEATS", "2")))))
