"""PAdES signing and verification (run by bench/run.py): a 1-page PDF signed at B-LT by a kept
PKCS#12 key with an RFC 3161 timestamp from the loopback TSA, OCSP/CRL fetched from the
loopback responder (both served by a separate process, as a real TSA would be), then verified.
Prints one JSON line: medians of wall time and of this process's CPU time (the CPU time leaves
out the TSA/OCSP process and the waits a busy machine adds), and the 1-minute load average at
the start and the end."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")

import django  # noqa: E402

django.setup()

from django.test import override_settings  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from egov.signing.pki import ensure_dev_pki  # noqa: E402
from egov.signing.services import Level, sign_pdf  # noqa: E402
from egov.signing.signers import Pkcs12Signer  # noqa: E402
from egov.signing.verification import Verdict, verify_pdf  # noqa: E402

RUNS = 30
PASSPHRASE = "bench"  # noqa: S105 (a throw-away PKI made for this run)


def serve(directory: str, ready) -> None:
    services = ensure_dev_pki(Path(directory), passphrase=PASSPHRASE).services().start()
    ready.set()
    services.thread.join()


def one_page() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 760, "QUYET DINH ve viec thu nghiem chu ky so")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def median_ms(action) -> tuple[float, float]:
    """Median wall time and median CPU time of this process, in ms."""
    for _ in range(3):
        action()
    wall, cpu = [], []
    for _ in range(RUNS):
        began, began_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return round(statistics.median(wall), 1), round(statistics.median(cpu), 1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pki = ensure_dev_pki(Path(tmp) / "pki", passphrase=PASSPHRASE)
        ready = multiprocessing.Event()
        server = multiprocessing.Process(target=serve, args=(str(pki.directory), ready))
        server.start()
        ready.wait(30)
        try:
            with override_settings(
                EGOV_SIGNING_TRUST_ROOTS=[str(pki.root_path)],
                EGOV_SIGNING_INTERMEDIATES=[str(pki.intermediate_path)],
                EGOV_SIGNING_TSA_URL=pki.tsa_url,
            ):
                signer = Pkcs12Signer(pki.pkcs12_path("leader"), PASSPHRASE.encode())
                pdf = one_page()
                signed = sign_pdf(pdf, signer=signer, field_name="Sig", level=Level.B_LT)
                assert verify_pdf(signed).verdict == Verdict.VALID
                load = [round(os.getloadavg()[0], 1)]
                sign_ms, sign_cpu_ms = median_ms(
                    lambda: sign_pdf(pdf, signer=signer, field_name="Sig", level=Level.B_LT)
                )
                verify_ms, verify_cpu_ms = median_ms(lambda: verify_pdf(signed))
                load.append(round(os.getloadavg()[0], 1))
        finally:
            server.terminate()
            server.join()
    print(
        json.dumps(
            {
                "runs": RUNS,
                "sign_ms": sign_ms,
                "sign_cpu_ms": sign_cpu_ms,
                "verify_ms": verify_ms,
                "verify_cpu_ms": verify_cpu_ms,
                "bytes": len(signed),
                "load": load,
            }
        )
    )


if __name__ == "__main__":
    main()
