"""`make run`: migrate, load the demo data, then serve the site with gunicorn (the production
WSGI server, several workers with threads, see egov.gunicorn_conf) on SQLite in WAL mode, and
run a task worker. `make dev` (``--reload``) serves with Django's auto-reloading runserver
instead, for development.

Digital signatures in the demo: the development PKI is generated in ``EGOV_PKI_DIR`` on the
first run (``prepare_dev_pki``; later runs only read it) and its loopback trust services (TSA,
OCSP, CRL) run in this process for as long as the server does. The loader, the task worker
and every web worker are told the TSA's address (``EGOV_SIGNING_TSA_URL``), so none of them
starts services of its own and a worker restart never takes the TSA away from the others.

Remote signing in the demo: a CSC API v2 simulator (``egov.contrib.csc.simulator``) runs in
this process too, with one credential issued by the development PKI to the leader who signs
UBND tỉnh's documents; the web and task workers are pointed at it, only that leader signs
remotely (``EGOV_CSC_REMOTE_BY_DEFAULT`` off) and he confirms on the simulated phone's page
(``/csc/sim/phone`` on the simulator's port, printed at start). The demo data is loaded before,
with his development certificate."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from egov.contrib.csc.simulator import CscSimulator
    from egov.contrib.pki.simulator import TrustServicesSimulator
    from egov.signing.pki import DevPki

ROOT = Path(__file__).resolve().parents[2]


def bind_address(environ: Mapping[str, str] = os.environ) -> str:
    """Where `make run` listens: ``EGOV_BIND`` (host:port, as for gunicorn), else
    127.0.0.1 on ``PORT``, else 127.0.0.1:8000."""
    if environ.get("EGOV_BIND"):
        return environ["EGOV_BIND"]
    return f"127.0.0.1:{environ.get('PORT') or 8000}"


ADDRESS = bind_address()


def address_problem(bind: str) -> str | None:
    """Why ``bind`` cannot be listened on (Vietnamese, then English), or None. Checked before
    anything starts, so a busy port stops `make run` with this message instead of a
    traceback after the demo data has loaded."""
    host, colon, port_text = bind.rpartition(":")
    host = host.strip("[]")
    try:
        if not colon or not host:
            raise ValueError(bind)
        port = int(port_text)
        if not 0 < port < 65536:
            raise ValueError(port_text)
    except ValueError:
        return (
            f"Địa chỉ “{bind}” không hợp lệ: cần dạng máy:cổng, ví dụ 127.0.0.1:8000.\n"
            f"Invalid address “{bind}”: expected host:port, e.g. 127.0.0.1:8000."
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind((host, port))
        except OSError as exc:
            return (
                f"Không mở được {bind}: {exc.strerror or exc} — cổng đang được chương trình "
                f"khác dùng hoặc địa chỉ không thuộc máy này. Chọn cổng khác, ví dụ: "
                f"PORT={port + 1} make run\n"
                f"Cannot listen on {bind}: {exc.strerror or exc} — the port is in use or the "
                f"address is not on this machine. Choose another port, e.g. PORT={port + 1} "
                f"make run"
            )
    return None


def public_url(bind: str) -> str:
    """The address links in messages point to when ``EGOV_PUBLIC_URL`` is not set: the one
    `make run` listens on (the loopback address when it listens on every interface)."""
    host, _, port = bind.rpartition(":")
    if host in ("0.0.0.0", "::", "[::]", ""):  # noqa: S104 — a comparison, not a bind
        host = "127.0.0.1"
    return f"http://{host}:{port}"


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


def prepare_dev_pki() -> DevPki:
    """The development PKI of `make run` in ``settings.EGOV_PKI_DIR``: generated on the first
    run (about a second), read on the next ones. Needs Django set up."""
    from egov.signing.trust import dev_pki

    return dev_pki()


def start_trust_services(pki: DevPki) -> TrustServicesSimulator | None:
    """Serve the PKI's TSA, OCSP responder and CRLs on the loopback port named in its
    certificates, in a thread of this process; None (with a warning) if the port is taken."""
    try:
        return pki.services().start()
    except OSError as exc:
        print(f"Cảnh báo: không mở được dịch vụ dấu thời gian tại {pki.base_url}: {exc}")
        return None


DEMO_CREDENTIAL = "DEMO-CSC-LANH-DAO-UBND"


def start_remote_signing(pki: DevPki) -> tuple[CscSimulator, dict[str, str]]:
    """The demo's remote signing service, started on a free loopback port, and the settings
    that point the web and task workers at it: the signer of UBND tỉnh's demo documents has a
    credential there (issued by ``pki``, so his remote signatures validate like the others);
    every other user keeps their development certificate."""
    from egov.contrib.csc.simulator import CscSimulator, credential_material
    from egov.demo.documents import DESKS, PROVINCE
    from egov.signing.pki import AGENCY_NAME, LEADER_NAME

    signer = DESKS[PROVINCE].signer
    simulator = CscSimulator()
    material = credential_material(
        common_name=LEADER_NAME, organisation=AGENCY_NAME, issuer=pki.csc_issuer()
    )
    simulator.add_credential(signer, material=material, credential_id=DEMO_CREDENTIAL)
    simulator.start()
    environment = {
        "EGOV_CSC_BASE_URL": simulator.csc_url,
        "EGOV_CSC_CLIENT_ID": simulator.client_id,
        "EGOV_CSC_CLIENT_SECRET": simulator.client_secret,
        "EGOV_CSC_USER_CREDENTIALS": f"{signer}={DEMO_CREDENTIAL}",
        "EGOV_CSC_REMOTE_BY_DEFAULT": "false",
    }
    return simulator, environment


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reload", action="store_true", help="runserver with auto-reload")
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="migrate and load the whole demo data (with its signed documents), then stop",
    )
    options = parser.parse_args(argv)
    if not options.load_only:
        problem = address_problem(ADDRESS)
        if problem is not None:
            print(problem, file=sys.stderr)
            return 1
    os.environ.setdefault("EGOV_PUBLIC_URL", public_url(ADDRESS))
    os.environ.setdefault("EGOV_ENVIRONMENT", "demo")
    var_dir = Path(os.environ.get("EGOV_VAR_DIR", str(ROOT / "var")))
    var_dir.mkdir(parents=True, exist_ok=True)
    _setup_django()
    from django.conf import settings

    services = None
    pki: DevPki | None = None
    if not settings.IS_PRODUCTION and not settings.EGOV_SIGNING_TSA_URL:
        pki = prepare_dev_pki()
        services = start_trust_services(pki)
        os.environ["EGOV_SIGNING_TSA_URL"] = pki.tsa_url
    env = dict(os.environ)
    subprocess.run(_manage("migrate", "--no-input"), check=True, env=env)
    subprocess.run(_manage("load_demo", "--with-dossiers", "--with-documents"), check=True, env=env)
    if options.load_only:
        if services is not None:
            services.stop()
        subprocess.run(_manage("load_demo", "--logins"), check=False, env=env)
        return 0
    remote = None
    if pki is not None and services is not None and not settings.EGOV_CSC_BASE_URL:
        remote, remote_settings = start_remote_signing(pki)
        env.update(remote_settings)
    worker = subprocess.Popen(_manage("db_worker"), env=env)
    # Remote signing waits for the signer's phone: its own queue and worker.
    signing_worker = subprocess.Popen(_manage("db_worker", "--queue-name", "signing"), env=env)
    # OCR of stored scans: its own queue and worker too.
    ocr_worker = subprocess.Popen(_manage("db_worker", "--queue-name", "ocr"), env=env)
    web = subprocess.Popen(web_command(reload=options.reload), env=env)
    time.sleep(2)  # let the servers print their start-up lines first
    subprocess.run(_manage("load_demo", "--logins"), check=False, env=env)
    print(f"\negov đang chạy tại http://{ADDRESS}  (Ctrl+C để dừng)")
    print(f"Không gian cán bộ: http://{ADDRESS}/staff/   Quản trị: http://{ADDRESS}/admin/")
    if remote is not None:
        print(f"Điện thoại mô phỏng (ký số từ xa): {remote.base_url}/csc/sim/phone")
    sys.stdout.flush()
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (web, worker, signing_worker, ocr_worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker, signing_worker, ocr_worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if remote is not None:
            remote.stop()
        if services is not None:
            services.stop()


if __name__ == "__main__":
    sys.exit(main())
