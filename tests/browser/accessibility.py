"""Accessibility checks for the browser journeys: axe-core (bundled by axe-playwright-python)
runs on every page a journey loads, and any WCAG 2.0/2.1/2.2 level A or AA violation fails the
test with a readable list (rule, impact, what to fix, where)."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}
_axe = Axe()


def axe_violations(page: Any) -> list[str]:
    """The WCAG A/AA violations axe finds on the page as it is now, one line per element."""
    results = _axe.run(page, options=AXE_OPTIONS).response
    lines = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — {target}"
                f" — {node.get('failureSummary', '').splitlines()[-1].strip()}"
            )
    return lines


def format_report(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{url}\n" + "\n".join(f"  - {line}" for line in lines) for url, lines in found.items()
    )
