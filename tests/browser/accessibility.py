"""Accessibility checks for the browser journeys: axe-core (bundled by axe-playwright-python)
runs on every page a journey loads, and any WCAG 2.0/2.1/2.2 level A or AA violation fails the
test with a readable list (rule, impact, what to fix, where).

Two things keep this affordable (it had tripled the browser tests' time):
- axe-core is installed once per browser context as an init script, instead of sending its
  half-megabyte source over the DevTools connection for every page;
- a page whose markup has the same shape as one already found clean in this run is not checked
  again. The shape keeps what axe's WCAG rules read — every element's tag, id, class, role,
  ``aria-*``, ``alt``, ``for``, ``type``, ``lang``, ``tabindex``, ``href`` presence and whether it
  has text of its own — and drops the text itself and attribute values that only carry data,
  so the fifth dossier's detail page is not checked again when the first one's was clean.
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}
_axe = Axe()

# The script that builds a page's shape (see the module docstring); digits in ids are kept, so
# duplicate ids still differ from unique ones.
SHAPE_SCRIPT = """() => {
  const kept = ['id', 'class', 'role', 'alt', 'for', 'type', 'lang', 'tabindex', 'name',
                'scope', 'headers', 'title', 'placeholder', 'disabled', 'hidden', 'style'];
  const parts = [];
  for (const el of document.querySelectorAll('*')) {
    let line = el.tagName;
    for (const attr of el.attributes) {
      if (attr.name.startsWith('aria-') || kept.includes(attr.name)) {
        line += ' ' + attr.name + '=' + attr.value.replace(/[0-9]+/g, '#');
      } else if (attr.name === 'href' || attr.name === 'src' || attr.name === 'value') {
        line += ' ' + attr.name + (attr.value.trim() ? '+' : '-');
      }
    }
    const ownText = Array.from(el.childNodes).some(
      (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
    parts.push(line + (ownText ? ' T' : ''));
  }
  return parts.join('\\n');
}"""
_clean_shapes: set[str] = set()


def install_axe(context: Any) -> None:
    """Make axe-core present in every page of the browser context from its first script on."""
    context.add_init_script(_axe.axe_script)


def axe_violations(page: Any) -> list[str]:
    """The WCAG A/AA violations axe finds on the page as it is now, one line per element
    (none without checking when a page of the same shape was found clean in this run)."""
    shape = page.evaluate(SHAPE_SCRIPT)
    if shape in _clean_shapes:
        return []
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe.axe_script)
    args = _axe._format_script_args(context=None, options=AXE_OPTIONS)
    results = page.evaluate(f"axe.run({args}).then(results => results)")
    lines = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — {target}"
                f" — {node.get('failureSummary', '').splitlines()[-1].strip()}"
            )
    if not lines:
        _clean_shapes.add(shape)
    return lines


def format_report(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{url}\n" + "\n".join(f"  - {line}" for line in lines) for url, lines in found.items()
    )
