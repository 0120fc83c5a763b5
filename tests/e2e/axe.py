"""axe-core in the browser tests (issue 10 item 11): the serious and critical violations of a page, in words.

axe-core is vendored under tests/e2e/vendor (npm, MPL-2.0) because the tests run with no network. It is injected
with `page.evaluate`, which the DevTools protocol runs outside the page's Content-Security-Policy, so the page
is checked exactly as it is served (no `bypass_csp`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def violations(page: Any, *, impacts: tuple[str, ...] = SERIOUS) -> list[str]:
    """Each violation of the page at `impacts`, as "rule: help — the first offending elements"."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
             const result = await window.axe.run(document, {resultTypes: ['violations']});
             return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
           }"""
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['nodes'])}"
            for v in found if v["impact"] in impacts]
