"""The XSS corpus in real Chromium: through every field, the live update, a submit, the call
builder, a permalink and the live preview; and the preview's sandbox, proven from inside it.

Every payload calls ``window.__xss("pNN")`` if it ever runs; an init script (which Playwright
runs in every frame, the sandboxed preview included) installs it and also reports CSP
violations.  Payloads go in batches (a field that holds one value gets them all, joined; the
rows, calls and traits get one each), and a failure names the payloads involved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Frame,
    Page,
    Response,
    Route,
    expect,
)

from app.pintrk.presets import TAG_ID
from app.web.limits import MAX_LINE_LENGTH
from app.web.state import PlaygroundState
from tests.hostile import PAYLOADS, header_problems
from tests.web.pages import STATIC

HOOKS = """
(() => {
  const say = (kind, detail) => { try { console.log("__PINTRK_" + kind + "__ " + detail); } catch (e) {} };
  window.__xss = function (id) { say("XSS", String(id) + " at " + String(location.href).slice(0, 60)); };
  document.addEventListener("securitypolicyviolation", (e) => {
    say("CSP", JSON.stringify({directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
                               url: String(e.documentURI).slice(0, 60)}));
  }, true);
})();
"""


def _chunks(limit: int = MAX_LINE_LENGTH) -> list[str]:
    """The payloads joined by spaces, in as few strings of at most ``limit`` characters as fit."""
    chunks: list[str] = [""]
    for p in PAYLOADS:
        joined = f"{chunks[-1]} {p}" if chunks[-1] else p
        if len(joined) > limit:
            chunks.append(p)
        else:
            chunks[-1] = joined
    return chunks


# One-line fields hold at most 1,000 characters: each gets a chunk of the corpus, and over
# the steps below every chunk goes through the Tag ID, the deduplication key and the builder.
CHUNKS = _chunks()
# U+0000 can't travel through HTML (the parser turns it into U+FFFD): what a browser holds after.
IN_BROWSER = [p.replace("\x00", "\ufffd") for p in PAYLOADS]
STATUS = 'tr.log-row[data-kind="command"] .log-status'


def name_payloads(ids: list[str]) -> list[str]:
    """ "p07 at …" → "p07 = '<payload 7>'", so a failure shows the payload itself."""
    named = []
    for text in ids:
        match = re.match(r"p(\d\d)", text)
        index = int(match.group(1)) - 1 if match else -1
        named.append(f"{text} ← {PAYLOADS[index]!r}" if 0 <= index < len(PAYLOADS) else text)
    return named


@dataclass
class Watch:
    """Everything the page (and its frames) did that a payload could have caused."""

    live_server: str
    xss: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    bad_headers: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        text = message.text
        if text.startswith("__PINTRK_XSS__ "):
            self.xss.append(text.split(" ", 1)[1])
        elif text.startswith("__PINTRK_CSP__ "):
            self.csp.append(text.split(" ", 1)[1])
        elif message.type == "error":
            self.console_errors.append(text[:300])

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message[:100]}")
        dialog.dismiss()

    def on_response(self, response: Response) -> None:
        parts = urlsplit(response.url)
        if f"{parts.scheme}://{parts.netloc}" != self.live_server:
            return
        if response.request.resource_type == "document":
            self.documents.append(f"{response.status} {parts.path}")
        problems = header_problems(response.all_headers(), preview=parts.path == "/preview")
        if problems:
            self.bad_headers.append(f"{response.status} {parts.path}: {problems}")

    def assert_clean(self, step: str) -> None:
        assert not self.xss, f"{step}: payloads ran: {name_payloads(self.xss)}"
        assert not self.dialogs, f"{step}: dialogs opened: {self.dialogs}"
        payloads = sorted(set(re.findall(r"p\d\d", " ".join(self.csp))))
        assert not self.csp, (
            f"{step}: CSP violations (something was injected): {name_payloads(payloads)} {self.csp}"
        )
        assert not self.page_errors, f"{step}: script errors: {self.page_errors}"
        assert not self.console_errors, f"{step}: console errors: {self.console_errors}"
        assert not self.bad_headers, f"{step}: responses without the security headers: {self.bad_headers}"


@pytest.fixture
def watch(page: Page, live_server: str, network) -> Iterator[Watch]:
    watched = Watch(live_server)
    page.add_init_script(HOOKS)
    page.on("console", watched.on_console)
    page.on("dialog", watched.on_dialog)
    page.on("pageerror", lambda error: watched.page_errors.append(str(error)[:300]))
    page.on("response", watched.on_response)
    yield watched
    network.assert_only_own_origin()


def config_json(tag: str, dedup: str) -> str:
    config = {
        "tagId": tag,
        "enhancedMatch": True,
        "eventsMapping": [{"from": p, "to": p} for p in PAYLOADS]
        + [{"from": "Order Completed", "to": "Checkout"}],
        "customProperties": [{"properties": p} for p in PAYLOADS],
        "sendAsCustomEvent": True,
        "deduplicationKey": dedup,
        **{p: p for p in PAYLOADS},  # keys the integration doesn't use: kept and listed in a hint
    }
    return json.dumps(config)


def call_script() -> str:
    lines = []
    for p in PAYLOADS:
        s = json.dumps(p)
        lines.append(f"rudderanalytics.track({s}, {{{s}: {s}, order_id: {s}, revenue: 1}});")
    for chunk in CHUNKS:
        c = json.dumps(chunk)
        lines.append(f"rudderanalytics.identify({c}, {{email: {c}}});")
        lines.append(f"rudderanalytics.page({c}, {c}, {json.dumps({p: p for p in PAYLOADS})});")
    return "\n".join(lines) + "\n"


TRAITS = json.dumps({p: p for p in PAYLOADS})


def missing_from_log(page: Page) -> list[str]:
    """The payloads that appear in no log row's JSON (the log shows each one as data)."""
    rows = page.locator("tr.log-row").evaluate_all("rows => rows.map(r => r.dataset.callsJson)")
    text = "\n".join(rows)
    return [
        f"p{i + 1:02d}"
        for i, (p, shown) in enumerate(zip(PAYLOADS, IN_BROWSER, strict=False))
        if not any(json.dumps(v, ensure_ascii=False)[1:-1] in text for v in (p, shown))
    ]


def preview_frame(page: Page) -> Frame:
    frame_element = page.locator("#live-preview")
    expect(frame_element).to_have_attribute("sandbox", "allow-scripts")
    frame = frame_element.element_handle().content_frame()
    assert frame is not None
    return frame


def expect_preview_ran_everything(page: Page) -> None:
    """Every log row is confirmed by the sandboxed preview, which shows each payload as text."""
    rows = page.locator('tr.log-row[data-kind="command"]')
    count = rows.count()
    assert count > len(PAYLOADS)
    expect(page.locator(STATUS + '[data-status="confirmed"]')).to_have_count(count, timeout=15_000)
    frame = preview_frame(page)
    missing = frame.evaluate(
        """payloads => {
             const text = document.getElementById("recorder-commands").textContent;
             return payloads.map((p, i) => [p, i])
                            .filter(([ps]) => !ps.some(p => text.includes(JSON.stringify(p).slice(1, -1))))
                            .map(([p, i]) => "p" + String(i + 1).padStart(2, "0"));
           }""",
        [list(pair) for pair in zip(PAYLOADS, IN_BROWSER, strict=False)],
    )
    assert missing == [], f"not shown by the preview: {name_payloads(missing)}"


def expect_fields_hold_the_payloads(page: Page, tag: str, dedup: str) -> None:
    values = page.evaluate(
        """() => ({
             mappings: [...document.querySelectorAll('input[name$="-source"]')].map(e => e.value),
             targets: [...document.querySelectorAll('input[name$="-target"]')].map(e => e.value),
             paths: [...document.querySelectorAll('input[name$="-path"]')].map(e => e.value),
             tag: document.getElementById("tag_id").value,
             dedup: document.getElementById("deduplication_key").value,
           })"""
    )
    assert values["mappings"][: len(PAYLOADS)] == IN_BROWSER
    assert values["targets"][: len(PAYLOADS)] == IN_BROWSER
    assert values["paths"] == IN_BROWSER
    assert values["tag"] == tag.replace("\x00", "\ufffd") and values["dedup"] == dedup.replace(
        "\x00", "\ufffd"
    )


def submit(page: Page, button_name: str, *, within: str = "#playground-form") -> None:
    with page.expect_navigation():
        page.locator(within).get_by_role("button", name=button_name, exact=True).click()


def test_every_field_with_the_whole_corpus(page: Page, live_server: str, watch: Watch) -> None:
    page.goto(live_server + "/")

    # 1. A pasted config with a payload in every setting (and as unknown keys): the server fills the form.
    page.locator("#field-settings_json summary").click()
    tag, dedup = CHUNKS[0], CHUNKS[1 % len(CHUNKS)]
    page.fill("#settings_json", config_json(tag, dedup))
    submit(page, "Fill the form from this config")
    expect(page.locator(".notice")).to_contain_text("filled from the pasted config")
    expect_fields_hold_the_payloads(page, tag, dedup)
    expect(page.locator("p.hint", has_text="The pasted config also has")).to_contain_text("{{7*7}}, ${7*7}")
    watch.assert_clean("fill from a pasted config")

    # 2. Typed: the SDK calls (a payload per call), initial traits, profile: the live update renders.
    page.locator(
        'input[name="profile"][value="sdk-v3"]'
    ).check()  # deduplication key and custom events are used too
    tag, dedup = CHUNKS[2 % len(CHUNKS)], CHUNKS[3 % len(CHUNKS)]
    page.fill("#tag_id", tag)
    page.fill("#deduplication_key", dedup)
    page.fill("#initial_traits", TRAITS)
    page.fill("#calls", call_script())
    expect(page.locator("#live-status")).to_have_text("Up to date", timeout=15_000)
    expect(page.locator("[data-error-for]:not([hidden])")).to_have_count(0)
    assert missing_from_log(page) == []
    expect_preview_ran_everything(page)
    assert page.input_value("#calls") == call_script() and page.input_value("#initial_traits") == TRAITS
    watch.assert_clean("live update")

    # 3. The same form submitted without the script's help (a full page from the server).
    submit(page, "Run", within=".run-bar")
    expect_fields_hold_the_payloads(page, tag, dedup)
    assert page.input_value("#calls") == call_script() and page.input_value("#initial_traits") == TRAITS
    assert missing_from_log(page) == []
    expect_preview_ran_everything(page)
    snippet = page.locator("#snippet").text_content()
    assert "</script><script>" not in snippet.split("<script>", 1)[1] and "\\u003c/script\\u003e" in snippet
    watch.assert_clean("submitted form")

    # 4. The permalink: a fresh page from the link alone, and its preview page on its own.
    link = page.locator("#copy-link").get_attribute("href")
    assert re.fullmatch(r"/\?s=1\.[A-Za-z0-9_-]+", link)
    page.goto(live_server + link)
    expect_fields_hold_the_payloads(page, tag, dedup)
    assert page.input_value("#calls") == call_script()
    expect_preview_ran_everything(page)
    page.goto(live_server + link.replace("/?s=", "/preview?s="))
    expect(page.locator("#recorder-state")).to_contain_text("commands ran")
    text = page.locator("#recorder-commands").text_content()
    assert [
        f"p{i + 1:02d}"
        for i, pair in enumerate(zip(PAYLOADS, IN_BROWSER, strict=False))
        if not any(json.dumps(p, ensure_ascii=False)[1:-1] in text for p in pair)
    ] == []
    watch.assert_clean("permalink and preview page")

    # 5. The export and the download: attachments of the right type, never rendered as a page here.
    for path, mimetype in (("/export", "application/json"), ("/download", "text/html")):
        response = page.request.get(live_server + link.replace("/?s=", f"{path}?s="))
        assert response.status == 200 and response.headers["content-type"].startswith(mimetype)
        assert response.headers["content-disposition"].startswith("attachment;")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]
        assert header_problems(response.headers) == []
    exported = json.loads(page.request.get(live_server + link.replace("/?s=", "/export?s=")).text())
    assert [m["from"] for m in exported["settings"]["eventsMapping"][: len(PAYLOADS)]] == IN_BROWSER
    watch.assert_clean("export and download")
    assert len(watch.documents) >= 5


def test_call_builder_and_raw_text_with_the_whole_corpus(page: Page, live_server: str, watch: Watch) -> None:
    page.goto(live_server + "/")
    page.fill("#tag_id", TAG_ID)

    # The call builder: each field holds every payload; the data, one key and value per payload.
    page.locator("#field-builder summary").click()
    builder_data = json.dumps({p: p for p in PAYLOADS})
    steps = []
    for i, chunk in enumerate(CHUNKS):  # every chunk through every builder field
        other = CHUNKS[(i + 1) % len(CHUNKS)]
        steps += [
            ("track", {"#builder_event": chunk}),
            ("page", {"#builder_name": chunk, "#builder_category": other}),
            ("identify", {"#builder_user_id": chunk}),
        ]
    for method, fields in steps:
        page.locator(f'input[name="builder_method"][value="{method}"]').check()
        for selector, value in fields.items():
            page.fill(selector, value)
        page.fill("#builder_data", builder_data)
        submit(page, "Add to the SDK calls")
        expect(page.locator(".notice")).to_contain_text("Added to the scenario: rudderanalytics." + method)
        for selector, value in fields.items():
            assert page.input_value(selector) == value.replace("\x00", "\ufffd")
        if not page.locator("#field-builder").evaluate("details => details.open"):
            page.locator("#field-builder summary").click()
    calls = page.input_value("#calls")
    assert calls.count("\n") == len(steps) and all(
        line.startswith("rudderanalytics.") for line in calls.splitlines()
    )
    assert missing_from_log(page) == []
    watch.assert_clean("call builder")

    # Raw text where JSON or calls belong: errors in words next to the fields, the text kept as typed.
    raw = "\n".join(PAYLOADS)
    page.fill("#calls", raw)
    page.fill("#initial_traits", raw)
    expect(page.locator('[data-error-for="calls"]')).to_be_visible(timeout=10_000)
    expect(page.locator('[data-error-for="initial_traits"]')).to_be_visible()
    expect(page.locator('[data-error-for="calls"]')).to_contain_text("Line 1, column 1")
    assert page.input_value("#calls") == raw and page.input_value("#initial_traits") == raw
    submit(page, "Run", within=".run-bar")
    assert page.input_value("#calls") == raw.replace("\x00", "\ufffd")
    expect(page.locator("#results")).to_contain_text("Nothing was run yet")
    watch.assert_clean("raw text")


SANDBOX_PROBE = """
(function () {
  var results = {};
  function attempt(name, fn) {
    try { results[name] = "reached: " + String(fn()).slice(0, 80); }
    catch (e) { results[name] = "blocked: " + e.name; }
  }
  attempt("origin", function () { return window.origin; });
  attempt("parent.document", function () { return parent.document.cookie; });
  attempt("parent.location.href", function () { return parent.location.href; });
  attempt("parent.localStorage", function () { return parent.localStorage.getItem("canary"); });
  attempt("parent.__xss", function () { return parent.__xss("sandbox-parent"); });
  attempt("top.document", function () { return top.document.title; });
  attempt("document.cookie", function () { return document.cookie; });
  attempt("set document.cookie", function () { document.cookie = "stolen=1"; return document.cookie; });
  attempt("localStorage", function () { return localStorage.getItem("canary"); });
  attempt("sessionStorage", function () { return sessionStorage.getItem("canary"); });
  attempt("indexedDB", function () { return indexedDB.open("x"); });
  attempt("window.open", function () { return window.open("/") ; });
  attempt("top.location", function () { top.location = "/?pwned=1"; return "navigated"; });
  attempt("fetch", function () {
    fetch("/healthz").then(function () { console.log("__PINTRK_FETCH__ reached"); },
                           function (e) { console.log("__PINTRK_FETCH__ refused: " + e.name); });
    return "pending";
  });
  console.log("__PINTRK_SANDBOX__ " + JSON.stringify(results));
  window.pintrk = function () {};
})();
"""


def test_a_script_in_the_preview_cannot_reach_the_page(
    page: Page, context: BrowserContext, live_server: str, watch: Watch
) -> None:
    """Whatever runs in the preview (the tag, or a hostile stand-in for it) stays in its sandbox."""
    context.add_cookies([{"name": "canary", "value": "parent-secret", "url": live_server}])
    probes: list[dict[str, str]] = []
    fetched: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.text.startswith("__PINTRK_SANDBOX__ "):
            probes.append(json.loads(message.text.split(" ", 1)[1]))
        elif message.text.startswith("__PINTRK_FETCH__"):
            fetched.append(message.text)

    def hostile_recorder(route: Route) -> None:
        route.fulfill(response=route.fetch(), body=SANDBOX_PROBE)  # the app's own headers, our script

    page.on("console", on_console)
    page.route(live_server + STATIC + "/js/recorder.js", hostile_recorder)
    token = PlaygroundState(
        {"tagId": TAG_ID}, "docs", 'rudderanalytics.track("Order Completed");', ""
    ).to_token()
    page.goto(f"{live_server}/?s={token}")
    page.evaluate(
        "localStorage.setItem('canary', 'parent-secret'); sessionStorage.setItem('canary', 'parent-secret')"
    )
    preview_frame(page)
    for _ in range(100):
        if probes:
            break
        page.wait_for_timeout(50)
    assert probes, "the probe did not run in the preview"
    [result] = probes[:1]
    assert result["origin"] == "reached: null"  # an opaque origin: not the playground's
    for name in (
        "parent.document",
        "parent.location.href",
        "parent.localStorage",
        "parent.__xss",
        "top.document",
        "document.cookie",
        "set document.cookie",
        "localStorage",
        "sessionStorage",
        "indexedDB",
    ):
        assert result[name].startswith("blocked: SecurityError"), (name, result[name])
    assert result["window.open"] in ("reached: null", "blocked: SecurityError"), result["window.open"]
    page.wait_for_timeout(300)  # let a navigation or a fetch happen, if it could
    assert page.url == f"{live_server}/?s={token}", "the preview navigated the page"
    assert fetched == ["__PINTRK_FETCH__ refused: TypeError"], "the preview reached the network"
    assert page.evaluate("localStorage.getItem('canary') + document.cookie").startswith("parent-secret")
    assert "stolen" not in page.evaluate("document.cookie")
    assert len(context.pages) == 1, "the preview opened a window"
    # What the sandbox refused shows up as CSP/sandbox errors in the console, and nothing else happened.
    assert not watch.xss and not watch.dialogs and not watch.page_errors
    assert any('"directive":"connect-src"' in v for v in watch.csp), watch.csp  # the fetch, refused
    watch.console_errors.clear()
    watch.csp.clear()
    watch.assert_clean("sandbox")


@pytest.mark.parametrize("with_csp", [False, True], ids=["no-csp", "app-csp"])
def test_the_detectors_catch_an_injected_payload(
    page: Page, live_server: str, watch: Watch, with_csp: bool
) -> None:
    """A control: a deliberately unescaped page (served by a route, not the app) is caught and named.

    Without a CSP the payload runs and calls the hook; under the app's CSP it is blocked and
    the violation report names it. Either way the checks above would fail on real injection.
    """
    from app.web.security import content_security_policy

    payloads = [PAYLOADS[10], PAYLOADS[0], PAYLOADS[36]]  # an <img onerror>, a <script>, an <svg onload>
    headers = (
        {"Content-Security-Policy": content_security_policy("control-nonce-0123456789")} if with_csp else {}
    )
    page.route(
        live_server + "/__control",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers=headers,
            body="<!doctype html><title>control</title>" + "".join(payloads),
        ),
    )
    page.goto(live_server + "/__control")
    page.wait_for_timeout(200)
    found = watch.csp if with_csp else watch.xss
    assert sorted(set(re.findall(r"p\d\d", " ".join(found)))) == ["p01", "p11", "p37"], found
    with pytest.raises(AssertionError, match=r"p11[^←]* ← "):
        watch.assert_clean("control")
    for found in (watch.xss, watch.csp, watch.console_errors, watch.bad_headers):
        found.clear()
