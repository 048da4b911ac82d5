"""`make run`: migrate, load the demo data, then serve the site and run a task worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def main() -> int:
    env = dict(os.environ)
    env.setdefault("EGOV_ENVIRONMENT", "demo")
    (ROOT / "var").mkdir(exist_ok=True)
    subprocess.run(_manage("migrate", "--no-input"), check=True, env=env)
    subprocess.run(_manage("load_demo"), check=True, env=env)
    worker = subprocess.Popen(_manage("db_worker"), env=env)
    web = subprocess.Popen(_manage("runserver", "127.0.0.1:8000"), env=env)
    from egov.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD

    print("\negov đang chạy tại http://127.0.0.1:8000  (Ctrl+C để dừng)")
    print("Không gian cán bộ: http://127.0.0.1:8000/staff/   Quản trị: /admin/")
    print(f"Tài khoản mẫu — mật khẩu chung: {DEMO_PASSWORD}")
    for account in DEMO_ACCOUNTS:
        print(f"  {account.username:<26} {account.role.value:<18} {account.unit_key}")
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
