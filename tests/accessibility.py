"""axe-core in Debian's Chromium: WCAG 2.1 A and AA rules, violations named by page, rule, element."""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_FILE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def axe_source() -> str:
    return AXE_FILE.read_text(encoding="utf-8")


def axe_violations(page, label: str) -> list[str]:
    """Run axe on the page; return one line per violating element."""
    # evaluate() goes through the DevTools protocol, so the page's CSP does not block it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(
                f"{label}: {violation['id']} ({violation['impact']}) at {target}: "
                f"{violation['help']}"
            )
    return lines
