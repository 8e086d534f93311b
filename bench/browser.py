"""Browser benchmark: the speed a user feels, in Debian's Chromium (headless).

    .venv/bin/python -m bench.browser [--runs 20]

Not part of the test run (tests/browser/test_speed.py guards the same paths loosely).  The app
runs as it is deployed: gunicorn with gunicorn.conf.py and the production config
(bench/server.py), warmed up before the first run.  Each run opens a fresh browser context, so
nothing is in the browser's cache until the run puts it there:

- example → full results: the blank page ``/`` is loaded (as a visitor arrives), then
  "Try: identify then track" is clicked; timed from the click until the log is shown (the first
  animation frame with the log's rows in the document) and until every log row's "In browser"
  cell says "✓ ran in browser" (the live preview's recorder confirmed it);
- keystroke → updated log: with the example loaded, one character is typed into the SDK calls
  (the tracked event's name becomes "Order CompletedX"); timed from the key press until the log
  shows the new name, and until every row is ticked again.  The debounce is part of it: the
  figures are also given without it;
- cold first view: the example's URL opened directly in a fresh context (nothing cached), timed
  from the start of the navigation.

Times are taken inside the page (``performance.timeOrigin + performance.now()``, one clock for
every document of the tab), so Playwright's own round trips do not count.  Prints a table with
medians and 90th percentiles, and, on the last line, the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import HOST, gunicorn_server, percentile  # noqa: E402
from tests.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

EXAMPLE = "identify-then-track"
EXAMPLE_LINK = "Try: identify then track"
EDITED_EVENT = "Order CompletedX"  # the example's track event, one key later
LIVE_UPDATE_JS = ROOT / "static/js/playground/live-update.js"

# Installed in every document before its own scripts: notes when the log appears, when every
# row is ticked, and (once asked, see _TYPE) when the log shows a wanted text.
_PROBE = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const marks = (window.__bench = {});
  function rows() {
    return document.querySelectorAll("#results tr.log-row");
  }
  function allTicked(list) {
    return Array.prototype.every.call(list, (row) => {
      const cell = row.querySelector(".log-status");
      return cell && cell.getAttribute("data-status") === "confirmed";
    });
  }
  function check() {
    const list = rows();
    if (!list.length) return;
    if (marks.logDom === undefined) {
      marks.logDom = now();
      requestAnimationFrame(() => { marks.logShown = now(); });
    }
    if (marks.ticked === undefined && allTicked(list)) marks.ticked = now();
    if (marks.want && marks.wantShown === undefined) {
      const table = document.querySelector("#results table.log");
      if (table && table.textContent.indexOf(marks.want) !== -1) {
        marks.wantDom = now();
        requestAnimationFrame(() => { marks.wantShown = now(); });
      }
    }
    if (marks.wantDom !== undefined && marks.wantTicked === undefined && allTicked(list)) {
      const table = document.querySelector("#results table.log");
      if (table && table.textContent.indexOf(marks.want) !== -1) marks.wantTicked = now();
    }
  }
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-status"],
  });
})();
"""

# Puts the caret after the track event's name and notes the time of the next key press.
_TYPE = """
(want) => {
  const marks = window.__bench;
  marks.want = want;
  const calls = document.getElementById("calls");
  const at = calls.value.indexOf("Order Completed") + "Order Completed".length;
  calls.focus();
  calls.setSelectionRange(at, at);
  calls.addEventListener("keydown", () => {
    if (marks.key === undefined) marks.key = performance.timeOrigin + performance.now();
  }, { capture: true, once: true });
}
"""

_CLICK = """
(name) => {
  const link = Array.from(document.querySelectorAll("a")).find((a) => a.textContent.trim() === name);
  window.name = JSON.stringify({ click: performance.timeOrigin + performance.now() });
  link.click();
}
"""


def debounce_ms() -> int:
    """The live update's debounce, as the page's script has it."""
    found = re.search(r"const DEBOUNCE_MS = (\d+);", LIVE_UPDATE_JS.read_text())
    if not found:
        raise SystemExit(f"no DEBOUNCE_MS in {LIVE_UPDATE_JS}")
    return int(found.group(1))


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 1),
        "p90_ms": round(percentile(values, 0.9), 1),
        "min_ms": round(min(values), 1),
    }


def _marks(page: Any, key: str, timeout_ms: float = 15_000) -> dict[str, float]:
    page.wait_for_function(
        "(key) => window.__bench !== undefined && window.__bench[key] !== undefined",
        arg=key,
        timeout=timeout_ms,
    )
    return page.evaluate("window.__bench")


def example_and_keystroke(browser: Any, base: str) -> dict[str, float]:
    """One run in a fresh context: blank page → example (click) → one keystroke."""
    context = browser.new_context()
    try:
        context.add_init_script(_PROBE)
        page = context.new_page()
        page.goto(base + "/", wait_until="load")
        with page.expect_navigation(wait_until="commit"):
            page.evaluate(_CLICK, EXAMPLE_LINK)
        marks = _marks(page, "ticked")
        click = json.loads(page.evaluate("window.name"))["click"]
        _marks(page, "logShown")
        marks = page.evaluate("window.__bench")
        run = {"example_log_shown": marks["logShown"] - click, "example_all_ticked": marks["ticked"] - click}
        page.evaluate(_TYPE, EDITED_EVENT)
        page.keyboard.press("X")
        marks = _marks(page, "wantTicked")
        _marks(page, "wantShown")
        marks = page.evaluate("window.__bench")
        run["keystroke_log_shown"] = marks["wantShown"] - marks["key"]
        run["keystroke_all_ticked"] = marks["wantTicked"] - marks["key"]
        return run
    finally:
        context.close()


def cold_first_view(browser: Any, base: str) -> dict[str, float]:
    """The example's URL opened in a fresh context: nothing cached, timed from the navigation's start."""
    context = browser.new_context()
    try:
        context.add_init_script(_PROBE)
        page = context.new_page()
        page.goto(f"{base}/?preset={EXAMPLE}", wait_until="commit")
        _marks(page, "ticked")
        marks = _marks(page, "logShown")
        start = page.evaluate("performance.timeOrigin")
        return {"cold_log_shown": marks["logShown"] - start, "cold_all_ticked": marks["ticked"] - start}
    finally:
        context.close()


def requests_of_one_run(browser: Any, base: str, log: Path) -> dict[str, Any]:
    """What the server is asked for during one example run (from gunicorn's access log)."""
    log.write_text("")
    example_and_keystroke(browser, base)
    time.sleep(0.3)  # gunicorn writes its access log after the response
    paths = [line.split('"')[1].split(" ")[1] for line in log.read_text().splitlines() if '"' in line]
    counted = Counter(re.sub(r"\?.*", "?…", path) for path in paths)
    return {"total": len(paths), "by_path": dict(sorted(counted.items()))}


def run(runs: int, browser_args: list[str] | None = None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.NamedTemporaryFile(suffix=".log", delete=False) as handle:
        access_log = Path(handle.name)
    env = {"GUNICORN_CMD_ARGS": f"--access-logfile {access_log}"}
    try:
        with gunicorn_server(workers=None, threads=None, env=env) as port, sync_playwright() as pw:
            base = f"http://{HOST}:{port}"
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + (browser_args or [])
            )
            try:
                for _ in range(2):  # warm the server: templates compiled, pages kept
                    example_and_keystroke(browser, base)
                    cold_first_view(browser, base)
                samples: dict[str, list[float]] = {}
                for _ in range(runs):
                    for name, ms in {
                        **example_and_keystroke(browser, base),
                        **cold_first_view(browser, base),
                    }.items():
                        samples.setdefault(name, []).append(ms)
                requests = requests_of_one_run(browser, base, access_log)
            finally:
                browser.close()
    finally:
        access_log.unlink(missing_ok=True)
    debounce = debounce_ms()
    figures = {name: summary(values) for name, values in samples.items()}
    for name in ("keystroke_log_shown", "keystroke_all_ticked"):
        figures[name + "_after_debounce"] = summary([ms - debounce for ms in samples[name]])
    return {"runs": runs, "debounce_ms": debounce, "figures": figures, "requests_per_run": requests}


LABELS = {
    "example_log_shown": "example → log shown",
    "example_all_ticked": "example → all rows ticked",
    "keystroke_log_shown": "keystroke → log updated",
    "keystroke_log_shown_after_debounce": "  … minus the debounce",
    "keystroke_all_ticked": "keystroke → all rows ticked",
    "keystroke_all_ticked_after_debounce": "  … minus the debounce",
    "cold_log_shown": "cold first view → log shown",
    "cold_all_ticked": "cold first view → all rows ticked",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each measure (default 20)")
    parser.add_argument(
        "--browser-arg",
        action="append",
        default=[],
        help="another Chromium switch, to see where time goes, e.g. "
        "--browser-arg=--disable-features=IsolateSandboxedIframes (the preview in the page's process)",
    )
    args = parser.parse_args(argv)
    report = run(args.runs, args.browser_arg)
    switches = f" with {' '.join(args.browser_arg)}" if args.browser_arg else ""
    print(f"{report['runs']} runs in Chromium ({CHROMIUM}){switches}; debounce {report['debounce_ms']} ms")
    for name, label in LABELS.items():
        row = report["figures"][name]
        print(f"  {label:36} median {row['median_ms']:>7} ms   p90 {row['p90_ms']:>7} ms")
    requests = report["requests_per_run"]
    print(f"requests to the server in one run (blank page, example, keystroke): {requests['total']}")
    for path, count in requests["by_path"].items():
        print(f"  {count:>3} × {path}")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
