"""The loud line at the end of a run whose browser tests could not run (tests/browser_skips.py),
checked on a small pytest run of its own."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

CONFTEST = "from tests.browser_skips import pytest_terminal_summary  # noqa: F401\n"
BROWSER_TESTS = """
import pytest

from tests.browser_skips import CHROMIUM_MISSING


@pytest.fixture
def browser():
    pytest.skip(f"{CHROMIUM_MISSING} /khong/co/chromium (apt-get install chromium)")


def test_one(browser):
    pass


def test_two(browser):
    pass


def test_other_skip():
    pytest.skip("không liên quan đến trình duyệt")


def test_runs():
    pass
"""


def _run(pytester: pytest.Pytester, tests: str) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_journeys=tests)
    return pytester.runpytest_inprocess("-p", "no:django", "-p", "no:xdist", "-p", "no:randomly")


def test_skipped_browser_tests_are_counted_loudly(pytester):
    result = _run(pytester, BROWSER_TESTS)
    result.assert_outcomes(passed=1, skipped=3)
    lines = result.outlines
    (at,) = [n for n, line in enumerate(lines) if "browser tests SKIPPED" in line]
    assert lines[at].strip("! ") == "WARNING: 2 browser tests SKIPPED: no Chromium"
    assert lines[at].startswith("!!!") and lines[at].endswith("!!!")
    assert lines[at + 1] == (
        "Install it (apt-get install chromium) or point EGOV_CHROMIUM at it; "
        "EGOV_REQUIRE_BROWSER_TESTS=1 turns the skip into a failure."
    )


def test_no_warning_when_nothing_was_skipped_for_chromium(pytester):
    result = _run(pytester, "def test_runs():\n    pass\n")
    result.assert_outcomes(passed=1)
    assert not [line for line in result.outlines if "SKIPPED" in line]
