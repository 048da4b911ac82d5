"""The axis transport on loopback: send N packages through ``HttpAxis`` to the simulator
(SQLite file store), then list, fetch and acknowledge them as the receiver.

    PYTHONPATH=src python bench/exchange_axis_bench.py [N] [KB]

No Django database: the exchange log's own costs (one transaction per package) are in the
flow tests; this measures what the axis adds per package. The last line of the output is a
JSON object (for ``bench/run.py``): N, KB, ms per package each way, the 1-minute load average
at the start and the end."""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    django.setup()
    from egov.contrib.axis.samples import edoc
    from egov.contrib.axis.simulator import AxisSimulator
    from egov.contrib.axis.store import AxisStore
    from egov.exchange.axis import HttpAxis

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    kb = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    filler = b"<!--" + b"x" * (kb * 1024) + b"-->"
    load_start = round(os.getloadavg()[0], 1)
    with tempfile.TemporaryDirectory() as folder:
        store = AxisStore(str(Path(folder) / "axis.sqlite3"))
        secret_a, secret_b = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        store.register(code="000.00.00.H49", name="A", secret=secret_a)
        store.register(code="000.00.00.G22", name="B", secret=secret_b)
        simulator = AxisSimulator(store).start()
        a = HttpAxis(base_url=simulator.base_url, organ_id="000.00.00.H49", secret=secret_a)
        b = HttpAxis(base_url=simulator.base_url, organ_id="000.00.00.G22", secret=secret_b)
        packages = [
            edoc("000.00.00.H49", ["000.00.00.G22"], f"000.00.00.H49,2026/12/02,{i}/UBND-VP")
            + filler
            for i in range(n)
        ]
        began = time.perf_counter()
        for package in packages:
            a.send(package)
        sent = time.perf_counter() - began
        began = time.perf_counter()
        pending = b.pending()
        for item in pending:
            b.fetch(item.id)
            b.acknowledge(item.id)
        received = time.perf_counter() - began
        simulator.stop()
        store.close()
    assert len(pending) == n
    print(f"| axis: send {kb} KB packages | {n} | {sent / n * 1000:.2f} ms/package |")
    print(f"| axis: list + fetch + acknowledge | {n} | {received / n * 1000:.2f} ms/package |")
    result = {
        "packages": n,
        "kb": kb,
        "send_ms": round(sent / n * 1000, 2),
        "receive_ms": round(received / n * 1000, 2),
        "load": [load_start, round(os.getloadavg()[0], 1)],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
