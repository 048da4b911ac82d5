"""Run the axis simulator for the demo: ``python -m egov.contrib.axis --port 8030
--db var/axis.sqlite3 --agency 000.00.00.H40=SECRET="UBND tỉnh Quảng Ninh"`` (repeatable;
``CODE=SECRET=NAME[=VIA]``). Agencies are kept in the SQLite file between runs."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading

from egov.contrib.axis.simulator import AxisSimulator
from egov.contrib.axis.store import AxisStore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m egov.contrib.axis", description=__doc__)
    parser.add_argument("--port", type=int, default=8030)
    parser.add_argument("--db", default="var/axis.sqlite3", help="SQLite file of the axis")
    parser.add_argument(
        "--agency",
        action="append",
        default=[],
        metavar="CODE=SECRET=NAME[=VIA]",
        help="register (or update) an agency",
    )
    args = parser.parse_args(argv)
    store = AxisStore(args.db)
    for item in args.agency:
        fields = item.split("=")
        if len(fields) not in (3, 4) or not all(fields[:3]):
            parser.error(f"--agency {item!r}: CODE=SECRET=NAME[=VIA]")
        store.register(
            code=fields[0],
            secret=fields[1],
            name=fields[2],
            via=fields[3] if len(fields) == 4 else "",
        )
    simulator = AxisSimulator(store, port=args.port).start()
    print(f"axis simulator on {simulator.base_url} ({len(store.agencies())} agencies)", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    simulator.stop()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
