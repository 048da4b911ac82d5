"""Browser tests are never skipped silently: when Chromium is missing (and the run does not
require it through EGOV_REQUIRE_BROWSER_TESTS, which turns the skip into a failure), the end of
the run says loudly how many browser tests did not run."""

from __future__ import annotations

import pytest

# The skip reason the browser fixture gives when there is no Chromium (tests/browser/conftest.py).
CHROMIUM_MISSING = "Chromium not found at"


def skipped_for_chromium(terminalreporter: pytest.TerminalReporter) -> int:
    count = 0
    for report in terminalreporter.stats.get("skipped", []):
        # (path, line, reason); a list once it came back from an xdist worker
        longrepr = getattr(report, "longrepr", None)
        if isinstance(longrepr, tuple | list) and CHROMIUM_MISSING in str(longrepr[2]):
            count += 1
    return count


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    count = skipped_for_chromium(terminalreporter)
    if count:
        terminalreporter.write_sep(
            "!", f"WARNING: {count} browser tests SKIPPED: no Chromium", red=True, bold=True
        )
        terminalreporter.write_line(
            "Install it (apt-get install chromium) or point EGOV_CHROMIUM at it; "
            "EGOV_REQUIRE_BROWSER_TESTS=1 turns the skip into a failure.",
            red=True,
        )
