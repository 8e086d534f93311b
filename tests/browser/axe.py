"""axe-core in a Playwright page: the WCAG 2.1 AA checks of the accessibility tests.

axe-core is the npm package, pinned in ``tests/browser/node/package-lock.json`` and installed by
``scripts/test.sh`` (``npm ci``). It is injected with ``frame.evaluate(source)``: DevTools runs
that outside the page's Content-Security-Policy, so the app's nonce-only CSP stays as it is. Every
frame gets a copy (the playground's live preview is an iframe) and ``axe.run`` in the top frame
checks them all, as axe's browser extensions do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# Best-practice rules issue 13 names: one <h1> a page, and a skip link that leads somewhere.
# (scrollable-region-focusable, which it also names, is tagged wcag2a in axe 4.x: in TAGS already.)
EXTRA_RULES = ("page-has-heading-one", "skip-link")

_RUN = """async ([tags, extra]) => {
  const rules = Object.fromEntries(extra.map(id => [id, {enabled: true}]));
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules});
  const ran = [result.passes, result.violations, result.incomplete, result.inapplicable]
    .flat().map(rule => rule.id);
  const violations = result.violations.map(rule => ({
    id: rule.id, impact: rule.impact, help: rule.help, nodes: rule.nodes.map(node => ({
      target: node.target.map(part => [].concat(part).join(" ")).join(" >> "),
      html: node.html, summary: node.failureSummary || "",
    })),
  }));
  return {ran, violations, version: axe.version};
}"""
# Messages from a sandboxed iframe (the live preview) come from the origin "null"; axe answers
# only its own origin unless told otherwise. This is axe's setting, not the page's.
_CONFIGURE = "() => axe.configure({allowedOrigins: ['<unsafe_all_origins>']})"


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str | None
    help: str
    nodes: tuple[dict[str, str], ...]  # target (CSS selectors, " >> " into frames), html, summary

    def describe(self) -> str:
        lines = [f"- {self.rule} ({self.impact}): {self.help}"]
        for node in self.nodes:
            lines.append(f"    at {node['target']}: {_short(node['html'])}")
        return "\n".join(lines)


@cache
def axe_source() -> str:
    """axe.min.js; skips the test outside CI when it is not installed, fails in CI."""
    if not AXE.exists():
        reason = f"{AXE} is missing: run scripts/test.sh (it runs `npm ci` in tests/browser/node)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (browser tests never skip in CI)")
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[Violation]:
    """Every violation of WCAG 2.1 A/AA (and EXTRA_RULES) in the page as it is now, frames included."""
    source = axe_source()
    for frame in reversed(page.frames):  # inner frames first: the top frame's run asks them
        if not frame.evaluate("() => typeof window.axe === 'object'"):
            frame.evaluate(source)
        frame.evaluate(_CONFIGURE)
    outcome: dict[str, Any] = page.evaluate(_RUN, [list(TAGS), list(EXTRA_RULES)])
    not_run = set(EXTRA_RULES) - set(outcome["ran"])
    assert not not_run, f"axe {outcome['version']} did not run {sorted(not_run)}: is the rule renamed?"
    return [Violation(v["id"], v["impact"], v["help"], tuple(v["nodes"])) for v in outcome["violations"]]


def report(violations: list[Violation]) -> str:
    count = sum(len(v.nodes) for v in violations)
    return f"{count} element(s) fail {len(violations)} axe rule(s):\n" + "\n".join(
        v.describe() for v in violations
    )


def _short(html: str, limit: int = 160) -> str:
    one_line = " ".join(html.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
