"""`make run`: migrate, load the demo data, then serve the site and run a task worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def main() -> int:
    env = dict(os.environ)
    env.setdefault("EGOV_ENVIRONMENT", "demo")
    (ROOT / "var").mkdir(exist_ok=True)
    subprocess.run(_manage("migrate", "--no-input"), check=True, env=env)
    subprocess.run(_manage("load_demo", "--with-dossiers"), check=True, env=env)
    worker = subprocess.Popen(_manage("db_worker"), env=env)
    web = subprocess.Popen(_manage("runserver", "127.0.0.1:8000"), env=env)
    time.sleep(2)  # let the servers print their start-up lines first
    subprocess.run(_manage("load_demo", "--logins"), check=False, env=env)
    print("\negov đang chạy tại http://127.0.0.1:8000  (Ctrl+C để dừng)")
    print(
        "Không gian cán bộ: http://127.0.0.1:8000/staff/   Quản trị: http://127.0.0.1:8000/admin/"
    )
    sys.stdout.flush()
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
