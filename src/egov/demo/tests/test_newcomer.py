"""What a newcomer meets first: `make run` on another port and a clear stop on a busy one, the
README's demo logins that exist, the favicon."""

from __future__ import annotations

import re
import socket
import subprocess
import sys

import pytest
from django.test import Client

from egov.demo.accounts import DEMO_ACCOUNTS
from egov.devserver import ROOT, address_problem, bind_address, public_url


def test_the_address_comes_from_egov_bind_then_port() -> None:
    assert bind_address({}) == "127.0.0.1:8000"
    assert bind_address({"PORT": "8001"}) == "127.0.0.1:8001"
    assert bind_address({"PORT": "8001", "EGOV_BIND": "0.0.0.0:9000"}) == "0.0.0.0:9000"
    assert public_url("0.0.0.0:9000") == "http://127.0.0.1:9000"
    assert public_url("127.0.0.1:8001") == "http://127.0.0.1:8001"


def test_a_free_port_has_no_problem() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert address_problem(f"127.0.0.1:{port}") is None


def test_a_busy_port_is_named_in_both_languages() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        problem = address_problem(f"127.0.0.1:{port}")
    assert problem == (
        f"Không mở được 127.0.0.1:{port}: Address already in use — cổng đang được chương trình "
        f"khác dùng hoặc địa chỉ không thuộc máy này. Chọn cổng khác, ví dụ: PORT={port + 1} "
        f"make run\nCannot listen on 127.0.0.1:{port}: Address already in use — the port is in "
        f"use or the address is not on this machine. Choose another port, e.g. "
        f"PORT={port + 1} make run"
    )


@pytest.mark.parametrize("bind", ["8000", "127.0.0.1:http", "127.0.0.1:70000"])
def test_a_malformed_address_is_refused(bind: str) -> None:
    assert address_problem(bind) == (
        f"Địa chỉ “{bind}” không hợp lệ: cần dạng máy:cổng, ví dụ 127.0.0.1:8000.\n"
        f"Invalid address “{bind}”: expected host:port, e.g. 127.0.0.1:8000."
    )


def test_make_run_stops_before_anything_when_its_port_is_busy(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "egov.devserver"],
            env={
                "PATH": "/usr/bin:/bin",
                "PORT": str(port),
                "EGOV_VAR_DIR": str(tmp_path),
                "PYTHONPATH": str(ROOT / "src"),
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert run.returncode == 1
    assert run.stdout == ""  # nothing claims the server is running
    assert run.stderr.startswith(f"Không mở được 127.0.0.1:{port}: Address already in use")
    assert list(tmp_path.iterdir()) == []  # no database made, no migration run


def test_every_login_named_in_the_readme_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:tinh|honggai|congan)\.[a-z0-9]+)`", readme))
    usernames = {account.username for account in DEMO_ACCOUNTS}
    assert named - usernames == set()
    assert {"honggai.lanhdao", "tinh.lanhdaoubnd", "congan.lanhdao"} <= named


def test_the_favicon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/egov/favicon.ico")
    icon = (ROOT / "src/egov/core/static/egov/favicon.ico").read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert int.from_bytes(icon[4:6], "little") == 3  # 16, 32 and 48 pixels
