"""Security headers and the deployment check (issue 9, point 19): a strict CSP on every
response, HSTS and the HTTPS redirect when HTTPS is on, the API docs without any CDN, and
``manage.py check --deploy`` clean in the production configuration."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from egov.core.tests.processes import host_environment

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "src" / "egov"]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (item.strip().split() for item in header.split(";") if item.strip())
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize(
    "path", ["/", "/thu-tuc/", "/tra-cuu-ho-so/", "/accounts/login/", "/api/v1/docs", "/admin/"]
)
def test_every_page_has_a_strict_content_security_policy(client, path):
    response = client.get(path, follow=True)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"][0] == "'self'"


def test_api_docs_load_swagger_from_our_own_static_files(client):
    page = client.get("/api/v1/docs").content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    styles = re.findall(r'<link[^>]*href="([^"]+)"', page)
    assert scripts == ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    assert "/static/ninja/swagger-ui.css" in styles
    assert "cdn" not in page.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_templates_have_no_inline_script_handlers_or_styles():
    offenders = []
    for template in sorted(p for d in TEMPLATE_DIRS for p in d.rglob("templates/**/*.html")):
        text = template.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>",
            r"\son[a-z]+\s*=",
            r"javascript:",
            r"\sstyle\s*=",
            r"<style",
        ):
            if re.search(pattern, text, re.IGNORECASE):
                offenders.append(f"{template.relative_to(ROOT)}: {pattern}")
    assert offenders == []


def test_hsts_and_https_redirect_when_https_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    plain = client.get("/thu-tuc/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/thu-tuc/"
    secure = client.get("/thu-tuc/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _run_settings(env: dict[str, str], expression: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _production_env(tmp_path: Path) -> dict[str, str]:
    return host_environment(
        EGOV_ENVIRONMENT="production",
        EGOV_SECRET_KEY="k" * 20 + "production-secret-for-the-check-0123456789-abcdefghij",
        EGOV_ALLOWED_HOSTS="dichvucong.quangninh.example.vn",
        EGOV_VAR_DIR=str(tmp_path),
    )


def test_https_defaults_in_production(tmp_path):
    env = _production_env(tmp_path)
    values = _run_settings(
        env,
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
        "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_PROXY_SSL_HEADER",
    )
    assert values == "True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https')"
    env["EGOV_HSTS_INCLUDE_SUBDOMAINS"] = "0"
    assert _run_settings(env, "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS") == "False"


def test_check_deploy_is_clean_in_production(tmp_path):
    from egov.signing.tests.test_checks import write_root

    env = _production_env(tmp_path)
    # The signature configuration production refuses to start without (egov.signing.checks).
    (tmp_path / "agency-keys").mkdir()
    env.update(
        EGOV_SIGNING_TRUST_ROOTS=str(write_root(tmp_path / "root.pem")),
        EGOV_SIGNING_TSA_URL="http://tsa.example.vn/tsa",
        EGOV_SIGNING_AGENCY_KEYS_DIR=str(tmp_path / "agency-keys"),
        EGOV_SIGNING_PKCS12_PASSPHRASE="production-passphrase-for-the-check",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    found = set(re.findall(r"\(([a-z_]+\.[EW]\d+)\)", output))
    assert found == set(), output
