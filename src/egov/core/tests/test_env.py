import pytest
from django.core.exceptions import ImproperlyConfigured

from egov.env import env_bool, env_choice, env_int, env_list, env_secret, env_str


def test_defaults_apply_only_when_unset(monkeypatch):
    monkeypatch.delenv("EGOV_X", raising=False)
    assert env_str("EGOV_X", "a") == "a"
    assert env_bool("EGOV_X", True) is True
    assert env_int("EGOV_X", 7) == 7
    assert env_list("EGOV_X", ["a"]) == ["a"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("On", True), ("0", False), ("no", False), ("", False)],
)
def test_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("EGOV_X", raw)
    assert env_bool("EGOV_X", not expected) is expected


@pytest.mark.parametrize(
    ("helper", "raw"),
    [
        (lambda: env_bool("EGOV_X", False), "có"),
        (lambda: env_int("EGOV_X", 1), "mười"),
        (lambda: env_int("EGOV_X", 1, minimum=0), "-5"),
        (lambda: env_choice("EGOV_X", "a", {"a", "b"}), "c"),
    ],
)
def test_bad_values_fail_loudly(monkeypatch, helper, raw):
    monkeypatch.setenv("EGOV_X", raw)
    with pytest.raises(ImproperlyConfigured, match="EGOV_X"):
        helper()


def test_lists_are_trimmed(monkeypatch):
    monkeypatch.setenv("EGOV_X", " a.vn, ,b.vn ")
    assert env_list("EGOV_X", []) == ["a.vn", "b.vn"]


def test_secret_from_file_and_required(monkeypatch, tmp_path):
    secret_file = tmp_path / "key"
    secret_file.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("EGOV_K_FILE", str(secret_file))
    assert env_secret("EGOV_K") == "s3cret"
    monkeypatch.setenv("EGOV_K_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured):
        env_secret("EGOV_K")
    monkeypatch.delenv("EGOV_K_FILE")
    monkeypatch.delenv("EGOV_K", raising=False)
    with pytest.raises(ImproperlyConfigured, match="must be set"):
        env_secret("EGOV_K")
    assert env_secret("EGOV_K", "dev") == "dev"


def test_production_refuses_to_start_without_secret_key(tmp_path):
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "EGOV_ENVIRONMENT": "production",
        "EGOV_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "egov.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert "EGOV_SECRET_KEY" in result.stderr
