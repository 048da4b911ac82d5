"""edXML packages (run by bench/run.py): build + XML-sign a document package, then parse +
verify it (signature, certificate chain to the trust root), with a 1 MB PDF attachment and
with a small one (20 KB). The agency certificate comes from a throw-away development PKI
(root → issuing CA → agency), as in production chains. Prints one JSON line: medians of wall
and CPU time in ms, package sizes, and the 1-minute load average at the start and the end."""

from __future__ import annotations

import dataclasses
import json
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

from egov.exchange.edxml import build_document_package, parse_document_package  # noqa: E402
from egov.exchange.tests.samples import document_message  # noqa: E402
from egov.exchange.xmlsig import PackageSigner, TrustStore  # noqa: E402
from egov.signing.pki import ensure_dev_pki  # noqa: E402

RUNS = 30
PASSPHRASE = "bench"  # noqa: S105 (a throw-away PKI made for this run)


def medians(action) -> tuple[float, float]:
    for _ in range(3):
        action()
    wall, cpu = [], []
    for _ in range(RUNS):
        w, c = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return round(statistics.median(wall) * 1000, 1), round(statistics.median(cpu) * 1000, 1)


def main() -> None:
    load_start = round(os.getloadavg()[0], 1)
    with tempfile.TemporaryDirectory() as directory:
        pki = ensure_dev_pki(Path(directory) / "pki", passphrase=PASSPHRASE)
        signer = PackageSigner.from_pkcs12(
            pki.pkcs12_path("agency").read_bytes(), PASSPHRASE.encode()
        )
        trust = TrustStore.from_files([str(pki.root_path)])
    results = {}
    base = document_message()
    for label, size in (("small", 20 * 1024), ("1mb", 1024 * 1024)):
        pdf = dataclasses.replace(base.attachments[0], content=os.urandom(size))
        message = dataclasses.replace(base, attachments=(pdf,))
        data = build_document_package(message, signer=signer)
        assert parse_document_package(data, trust=trust).message == message
        build_ms, build_cpu = medians(lambda m=message: build_document_package(m, signer=signer))
        parse_ms, parse_cpu = medians(lambda d=data: parse_document_package(d, trust=trust))
        results[label] = {
            "attachment_bytes": size,
            "package_bytes": len(data),
            "build_sign_ms": build_ms,
            "build_sign_cpu_ms": build_cpu,
            "parse_verify_ms": parse_ms,
            "parse_verify_cpu_ms": parse_cpu,
            "total_ms": round(build_ms + parse_ms, 1),
        }
    results["runs"] = RUNS
    results["load"] = [load_start, round(os.getloadavg()[0], 1)]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
