"""`make run`: migrate, load the demo data, then serve the site with gunicorn (the production
WSGI server, several workers with threads, see egov.gunicorn_conf) on SQLite in WAL mode, and
run a task worker. `make dev` (``--reload``) serves with Django's auto-reloading runserver
instead, for development."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = os.environ.get("EGOV_BIND", "127.0.0.1:8000")


def _manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def web_command(*, reload: bool, bind: str = ADDRESS) -> list[str]:
    """The web server of `make run` (gunicorn) or of `make dev` (runserver, auto-reload)."""
    if reload:
        return _manage("runserver", bind)
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:egov.gunicorn_conf",
        "--bind",
        bind,
        "egov.wsgi",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reload", action="store_true", help="runserver with auto-reload")
    options = parser.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("EGOV_ENVIRONMENT", "demo")
    var_dir = Path(env.get("EGOV_VAR_DIR", str(ROOT / "var")))
    var_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(_manage("migrate", "--no-input"), check=True, env=env)
    subprocess.run(_manage("load_demo", "--with-dossiers"), check=True, env=env)
    worker = subprocess.Popen(_manage("db_worker"), env=env)
    web = subprocess.Popen(web_command(reload=options.reload), env=env)
    time.sleep(2)  # let the servers print their start-up lines first
    subprocess.run(_manage("load_demo", "--logins"), check=False, env=env)
    print(f"\negov đang chạy tại http://{ADDRESS}  (Ctrl+C để dừng)")
    print(f"Không gian cán bộ: http://{ADDRESS}/staff/   Quản trị: http://{ADDRESS}/admin/")
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
