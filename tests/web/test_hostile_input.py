"""Hostile and broken input, without a browser: never a 500, every value escaped, limits in words.

* the XSS corpus (tests/hostile.py) through every field of the form, the call builder, a
  pasted config, /render, a permalink, the preview, the export and the download — each
  payload on its own, so a failure names it;
* CSRF on every state-changing route; the JSON API takes only JSON;
* each limit refused in words that state it, at its layer; 100,000 ``[`` refused everywhere;
* bad input (malformed JSON, wrong types, unknown methods, tampered links, bytes that are
  not UTF-8, empty and partial forms) answered with an error that says where, and the form
  keeps what was typed.
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
import string
import subprocess
from collections.abc import Iterable
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import create_app
from app.pintrk.calls import parse_call_script
from app.pintrk.presets import TAG_ID
from app.pintrk.snippet import script_json
from app.web import limits
from app.web.permalink import MAX_TOKEN_LENGTH, encode, pack
from app.web.state import PlaygroundState
from tests.hostile import PAYLOADS, PageElements, parse_page, payload_id
from tests.web.pages import STATIC, csrf_token_in

# the app's own page scripts (the decode page comes back, with its input, when its token fails)
PAGE_SCRIPTS = frozenset({f"{STATIC}/js/playground/main.js", f"{STATIC}/js/decode.js"})
PREVIEW_GUARD = f"{STATIC}/js/preview-guard.js"  # the preview's first script (takes WebRTC away)
DEEP = "[" * 100_000

_client = create_app("testing").test_client()
_TOKEN = csrf_token_in(_client.get("/").text)


def post(
    path: str,
    fields: Iterable[tuple[str, str]] | dict[str, str],
    *,
    client: FlaskClient = _client,
    token: str | None = _TOKEN,
) -> TestResponse:
    pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
    if token is not None:
        pairs.insert(0, ("csrf_token", token))
    from werkzeug.datastructures import MultiDict

    return client.post(path, data=MultiDict(pairs))


def page_of(response: TestResponse, status: int = 200) -> PageElements:
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.mimetype == "text/html"
    page = parse_page(response.text)
    assert page.problems(PAGE_SCRIPTS) == [], page.problems(PAGE_SCRIPTS)
    return page


def field_error(response: TestResponse, field: str) -> str:
    match = re.search(
        rf'<p class="field-error" id="error-{re.escape(field)}"[^>]*>(.*?)</p>', response.text, re.DOTALL
    )
    assert match, f"no error container for {field}"
    return match.group(1)


def strings_in(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def calls_json(html: str) -> list[Any]:
    page = parse_page(html)
    return [
        json.loads(attrs["data-calls-json"])
        for tag, attrs in page.tags
        if tag == "tr" and attrs.get("data-calls-json") is not None
    ]


def config_with(p: str) -> dict[str, Any]:
    return {
        "tagId": p,
        "enhancedMatch": True,
        "eventsMapping": [{"from": p, "to": p}, {"from": "Order Completed", "to": "Checkout"}],
        "customProperties": [{"properties": p}],
        "sendAsCustomEvent": True,
        "deduplicationKey": p,
        p: p,  # an unknown key: kept, and named in a hint
    }


def script_with(p: str) -> str:
    s = json.dumps(p)
    return (
        f"rudderanalytics.identify({s}, {{email: {s}, {s}: {s}}});\n"
        f"rudderanalytics.page({s}, {s}, {{{s}: {s}}});\n"
        f"rudderanalytics.track({s}, {{{s}: {s}, order_id: {s}, revenue: 1}});\n"
    )


def form_with(p: str) -> dict[str, str]:
    """Every text field of the playground form holding ``p`` (the call script as a valid script with ``p``)."""
    return {
        "profile": "sdk-v3",
        "tag_id": p,
        "enhanced_match": "y",
        "send_as_custom_event": "y",
        "deduplication_key": p,
        "mappings-0-source": p,
        "mappings-0-target": p,
        "custom_properties-0-path": p,
        "settings_json": json.dumps(config_with(p)),
        "calls": script_with(p),
        "initial_traits": json.dumps({p: p, "email": p}),
        "messages": p,
        "reproduction_text": p,
        "builder_event": p,
        "builder_name": p,
        "builder_category": p,
        "builder_user_id": p,
        "builder_data": f"note={p}",
        "action": "run",
    }


ECHOED = [
    name
    for name in form_with("")
    if name not in ("profile", "enhanced_match", "send_as_custom_event", "action")
]


def assert_echoed(page: PageElements, fields: dict[str, str], names: Iterable[str]) -> None:
    for name in names:
        got = page.inputs.get(name, page.textareas.get(name))
        assert got == fields[name], f"{name}: {got!r} != {fields[name]!r}"


# -- the XSS corpus, payload by payload --------------------------------------------------------


@pytest.mark.parametrize("p", PAYLOADS, ids=[payload_id(i) for i in range(len(PAYLOADS))])
def test_each_payload_in_every_field_stays_text(p: str) -> None:
    fields = form_with(p)
    response = post("/", fields)
    page = page_of(response)
    assert_echoed(page, fields, ECHOED)
    rows = calls_json(response.text)
    assert rows and any(p in list(strings_in(row)) for row in rows), "the payload is not in the log"
    # In the snippet, as JavaScript data (a JSON literal with <, > and & escaped).
    snippet = html.unescape(
        re.search(r'<pre id="snippet"[^>]*><code>(.*?)</code></pre>', response.text, re.DOTALL).group(1)
    )
    shown = [text for row in rows for text in strings_in(row) if p in text]
    assert any(script_json(text) in snippet for text in shown)

    # The live update's JSON: the same results, escaped the same way.
    data = post("/render", fields).get_json()
    assert data["ok"] is True, data["errors"]
    partial = parse_page(data["results_html"])
    assert partial.problems() == [] and not partial.scripts
    assert any(p in list(strings_in(row)) for row in calls_json(data["results_html"]))


@pytest.mark.parametrize("p", PAYLOADS, ids=[payload_id(i) for i in range(len(PAYLOADS))])
def test_each_payload_as_raw_text_keeps_the_form_and_is_an_error_in_words(p: str) -> None:
    fields = {**form_with(p), "calls": p, "initial_traits": p, "settings_json": p, "builder_data": p}
    response = post("/", fields)
    page = page_of(response)
    assert_echoed(page, fields, ECHOED)
    assert field_error(response, "calls").startswith("Line ")
    assert field_error(response, "initial_traits")

    # The pasted config and the call builder refuse it next to their own fields.
    for action, field in (("fill-from-config", "settings_json"), ("add-call", "builder_data")):
        response = post("/", {**fields, "action": action, "builder_data": "{" + p})
        page = page_of(response)
        assert field_error(response, field), action
        assert page.textareas["calls"] == p and page.inputs["tag_id"] == p


@pytest.mark.parametrize("p", PAYLOADS, ids=[payload_id(i) for i in range(len(PAYLOADS))])
def test_each_payload_through_the_pasted_config_and_the_call_builder(p: str) -> None:
    filled = post("/", {"settings_json": json.dumps(config_with(p)), "action": "fill-from-config"})
    page = page_of(filled)
    for name in (
        "tag_id",
        "deduplication_key",
        "mappings-0-source",
        "mappings-0-target",
        "custom_properties-0-path",
    ):
        assert page.inputs[name] == p, name
    assert json.loads(page.inputs["extra_settings"]) == {p: p}

    built = post(
        "/",
        {
            "builder_method": "track",
            "builder_event": p,
            "builder_data": json.dumps({p: p}),
            "calls": "",
            "action": "add-call",
        },
    )
    page = page_of(built)
    [call] = parse_call_script(page.textareas["calls"])
    assert call.args == (p, {p: p})
    for method, extra in (
        ("page", {"builder_name": p, "builder_category": p}),
        ("identify", {"builder_user_id": p}),
    ):
        page = page_of(post("/", {"builder_method": method, **extra, "calls": "", "action": "add-call"}))
        [call] = parse_call_script(page.textareas["calls"])
        assert p in call.args, method


@pytest.mark.parametrize("p", PAYLOADS, ids=[payload_id(i) for i in range(len(PAYLOADS))])
def test_each_payload_through_a_link_the_preview_and_the_downloads(p: str) -> None:
    state = PlaygroundState(config_with(p), "sdk-v3", script_with(p), json.dumps({p: p}))
    token = state.to_token()
    page = page_of(_client.get(f"/?s={token}"))
    assert page.inputs["tag_id"] == p and page.textareas["calls"] == state.calls
    assert page.inputs["mappings-0-source"] == p and page.inputs["custom_properties-0-path"] == p

    preview = _client.get(f"/preview?s={token}")
    assert preview.status_code == 200
    elements = parse_page(preview.text)
    # The guard (static, first), then the one inline, nonced script: nothing else.
    assert elements.problems(frozenset({None, PREVIEW_GUARD})) == []
    assert [script.get("src") for script in elements.scripts] == [PREVIEW_GUARD, None]
    guard_text, code = elements.script_text
    assert guard_text == ""
    assert "<" not in code and "\u2028" not in code and "\u2029" not in code

    export = _client.get(f"/export?s={token}")
    assert export.mimetype == "application/json" and export.headers["Content-Disposition"].startswith(
        "attachment"
    )
    assert json.loads(export.text)["settings"]["tagId"] == p

    download = _client.get(f"/download?s={token}")
    assert download.mimetype == "text/html" and download.headers["Content-Disposition"].startswith(
        "attachment"
    )
    tag_page = parse_page(download.text)
    pixels = [
        attrs for tag, attrs in tag_page.tags if tag == "img"
    ]  # its own <noscript> pixel, and nothing else
    assert len(pixels) == 1 and str(pixels[0]["src"]).startswith("https://ct.pinterest.com/")
    assert [tag for tag, _ in tag_page.tags].count("script") == 1
    assert not [a for _, attrs in tag_page.tags for a in attrs if a.startswith("on")]
    assert all("<" not in code for code in tag_page.script_text)


def test_all_payloads_at_once_make_a_valid_preview_script() -> None:
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed")
    script = "".join(script_with(p) for p in PAYLOADS)
    state = PlaygroundState(
        {"tagId": TAG_ID, "eventsMapping": [{"from": p, "to": p} for p in PAYLOADS]}, "sdk-v3", script, ""
    )
    _guard, code = parse_page(_client.get(f"/preview?s={state.to_token()}").text).script_text
    check = subprocess.run(
        [node, "--check", "-"], input=code, capture_output=True, text=True, timeout=60, check=False
    )
    assert check.returncode == 0, check.stderr


def test_the_pages_own_markup_passes_the_checker() -> None:
    # The checker must not cry wolf: the pages themselves have no handlers, foreign tags or styles.
    for path in ("/", "/?preset=identify-then-track", "/?s=broken", "/no-such-page"):
        response = _client.get(path)
        assert parse_page(response.text).problems(PAGE_SCRIPTS) == [], path


# -- CSRF on every state-changing route; the API takes only JSON ------------------------------


def _post_routes() -> list[str]:
    app = create_app("testing")
    return sorted(
        {
            rule.rule
            for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and not rule.rule.startswith("/api/") and "<" not in rule.rule
        }
    )


@pytest.mark.parametrize("path", _post_routes())
@pytest.mark.parametrize("token", [None, "forged-token"])
def test_every_post_route_refuses_a_missing_or_forged_token(path: str, token: str | None) -> None:
    client = create_app("testing").test_client()
    client.get("/")  # a session, like a browser that opened the page
    typed = {
        "tag_id": "kept \u00e9 \U0001f600 </textarea>",
        "calls": "rudderanalytics.track('kept');",
        "action": "run",
    }
    response = post(path, typed, client=client, token=token)
    assert response.status_code == 400, (path, response.status_code)
    if response.is_json:
        assert response.get_json()["ok"] is False and "security token" in response.get_json()["error"]
        return
    assert response.mimetype == "text/html"
    page = page_of(response, 400)
    assert "security token" in response.text and 'href="/"' in response.text
    if "playground-form" in response.text:  # a page with the form: it keeps the input
        assert page.inputs["tag_id"] == typed["tag_id"] and page.textareas["calls"] == typed["calls"]


@pytest.mark.parametrize("path", ["/", "/export", "/download"])
def test_the_playground_form_keeps_its_input_when_the_token_fails(path: str) -> None:
    client = create_app("testing").test_client()
    response = post(
        path,
        {"tag_id": "\u202e\U0001f600 kept", "mappings-0-source": "\x00\x01 odd"},
        client=client,
        token=None,
    )
    page = page_of(response, 400)
    assert (
        page.inputs["tag_id"] == "\u202e\U0001f600 kept"
        and page.inputs["mappings-0-source"] == "\x00\x01 odd"
    )


@pytest.mark.parametrize("path", ["/api/v1/replay", "/api/v1/decode", "/api/v1/compare", "/api/v1/import"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": {"calls": "x"}},  # a form
        {"data": "{}", "content_type": "text/plain"},
        {"data": "{}", "content_type": "application/x-www-form-urlencoded"},
        {"data": b"{}"},  # no content type
        {"data": "{}", "content_type": "text/json"},
    ],
    ids=["form", "text-plain", "urlencoded", "none", "text-json"],
)
def test_the_api_accepts_only_json(path: str, kwargs: dict[str, Any]) -> None:
    response = _client.post(path, **kwargs)
    assert response.status_code == 415 and response.is_json
    assert response.get_json()["error"]["code"] == "unsupported-media-type"


# -- limits: refused at their layer, in words that state them ----------------------------------


def test_request_body_limit_is_a_413_page_that_states_it() -> None:
    response = post("/", {"calls": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413 and "2 MB" in response.text and 'href="/"' in response.text
    response = post("/render", {"calls": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413 and response.is_json and "2 MB" in response.get_json()["error"]


def test_one_multipart_field_over_its_limit_is_a_413_that_states_it() -> None:
    body = (
        '--B\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        + _TOKEN
        + '\r\n--B\r\nContent-Disposition: form-data; name="calls"\r\n\r\n'
        + "x" * (1024 * 1024 + 10)
        + "\r\n--B--\r\n"
    )
    response = _client.post("/render", data=body.encode(), content_type="multipart/form-data; boundary=B")
    assert response.status_code == 413 and "1 MB in one field" in response.get_json()["error"]


def test_number_of_calls() -> None:
    fields = {"tag_id": TAG_ID, "calls": "rudderanalytics.track('x');\n" * (limits.MAX_CALLS + 1)}
    error = post("/render", fields).get_json()["errors"]["calls"][0]
    assert error.startswith(f"Line {limits.MAX_CALLS + 1}, column 1:") and "at most 1,000 calls" in error


def test_nesting_in_a_call() -> None:
    inside = "[" * (limits.MAX_CALL_NESTING + 1) + "]" * (limits.MAX_CALL_NESTING + 1)
    error = post("/render", {"calls": f"rudderanalytics.track('x', {{a: {inside}}});"}).get_json()["errors"][
        "calls"
    ][0]
    assert "at most 64 levels" in error and error.startswith("Line 1, column ")
    ok = "[" * (limits.MAX_CALL_NESTING - 1) + "]" * (limits.MAX_CALL_NESTING - 1)
    assert post("/render", {"calls": f"rudderanalytics.track('x', {{a: {ok}}});"}).get_json()["ok"] is True


@pytest.mark.parametrize(
    ("field", "label", "limit"),
    [
        ("tag_id", "The Tag ID", limits.MAX_LINE_LENGTH),
        ("deduplication_key", "The deduplication key", limits.MAX_LINE_LENGTH),
        ("mappings-0-source", "The RudderStack event", limits.MAX_LINE_LENGTH),
        ("mappings-0-target", "The Pinterest event", limits.MAX_LINE_LENGTH),
        ("custom_properties-0-path", "The property path", limits.MAX_LINE_LENGTH),
        ("calls", "The SDK calls", limits.MAX_TEXT_LENGTH),
        ("initial_traits", "The initial traits", limits.MAX_TEXT_LENGTH),
    ],
)
def test_string_length_limits_are_stated_next_to_the_field_and_the_text_is_kept(
    field: str, label: str, limit: int
) -> None:
    value = "\u00e9" * (limit + 1)
    data = post("/render", {field: value}).get_json()
    assert data["ok"] is False
    assert data["errors"][field] == [
        f"{label} is {limit + 1:,} characters long; the playground accepts at most {limit:,}."
    ]
    response = post("/", {field: value})
    page = page_of(response)
    assert page.inputs.get(field, page.textareas.get(field)) == value
    assert f"at most {limit:,}" in field_error(response, field)
    at_limit = post("/render", {field: "\u00e9" * limit}).get_json()["errors"].get(field, [])
    assert not [message for message in at_limit if "characters long" in message]
    assert all(len(message) < 1_000 for message in at_limit)  # an error never repeats a huge input


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"builder_event": "e" * (limits.MAX_LINE_LENGTH + 1)}, "builder_event"),
        (
            {"builder_method": "identify", "builder_user_id": "u" * (limits.MAX_LINE_LENGTH + 1)},
            "builder_user_id",
        ),
        ({"builder_event": "x", "builder_data": "a=" + "d" * limits.MAX_TEXT_LENGTH}, "builder_data"),
    ],
)
def test_the_call_builder_states_its_limits(changes: dict[str, str], field: str) -> None:
    response = post("/", {"builder_method": "track", **changes, "action": "add-call"})
    page = page_of(response)
    assert "characters long; the playground accepts at most" in field_error(response, field)
    assert page.textareas["calls"] == "" and all(
        page.inputs.get(k, page.textareas.get(k)) == v for k, v in changes.items() if k != "builder_method"
    )


def test_rows_limit_in_the_form_the_add_button_a_pasted_config_and_a_link() -> None:
    most = [(f"mappings-{i}-source", f"E{i}") for i in range(limits.MAX_ROWS)]
    response = post("/", most + [("action", "add-mapping")])
    page = page_of(response)
    assert f"at most {limits.MAX_ROWS:,} event mapping rows" in field_error(response, "mappings")
    assert (
        f"mappings-{limits.MAX_ROWS - 1}-source" in page.inputs
        and f"mappings-{limits.MAX_ROWS}-source" not in page.inputs
    )

    too_many = most + [(f"mappings-{limits.MAX_ROWS}-source", "one more")]
    for path in ("/", "/export", "/download"):
        response = post(path, too_many)
        assert response.status_code == 413 and f"accepts at most {limits.MAX_ROWS:,}" in response.text, path
    refused = post("/", too_many, token=None)  # a failed token: the plain CSRF page, not 101 rows rebuilt
    assert (
        refused.status_code == 400
        and "security token" in refused.text
        and "playground-form" not in refused.text
    )
    response = post("/render", too_many)
    assert response.status_code == 413 and "101 event mapping rows" in response.get_json()["error"]

    config = {"tagId": TAG_ID, "customProperties": [{"properties": "p"}] * (limits.MAX_ROWS + 1)}
    response = post("/", {"settings_json": json.dumps(config), "action": "fill-from-config"})
    assert f"accepts at most {limits.MAX_ROWS:,}" in field_error(response, "settings_json")
    assert page_of(response).textareas["settings_json"] == json.dumps(config)

    link = encode({"s": config, "p": "docs", "c": "", "t": ""})
    for path in ("/", "/export", "/download", "/preview"):
        response = _client.get(f"{path}?s={link}")
        assert response.status_code == 400 and f"at most {limits.MAX_ROWS:,}" in response.text, path


def test_a_pasted_config_over_the_length_limit() -> None:
    text = json.dumps({"tagId": "x" * limits.MAX_TEXT_LENGTH})
    response = post("/", {"settings_json": text, "action": "fill-from-config"})
    assert "at most 200,000" in field_error(response, "settings_json")
    assert page_of(response).inputs["tag_id"] == ""  # the form was not changed
    text = json.dumps({"tagId": "x" * (limits.MAX_LINE_LENGTH + 1)})
    response = post("/", {"settings_json": text, "action": "fill-from-config"})
    assert "The Tag ID is 1,001 characters long" in field_error(response, "settings_json")


def test_permalink_length_and_size_limits() -> None:
    for path in ("/", "/preview", "/export", "/download"):
        response = _client.get(f"{path}?s=1." + "A" * MAX_TOKEN_LENGTH)
        assert response.status_code == 400 and f"at most {MAX_TOKEN_LENGTH:,}" in response.text
    bomb = pack(b" " * (2 * 1024 * 1024))
    response = _client.get(f"/?s={bomb}")
    assert response.status_code == 400 and "more than 1 MB" in response.text
    # A scenario too large for a link still runs; the page says so instead of a link.
    noise = "".join(random.Random(7).choices(string.ascii_letters, k=150_000))  # compresses poorly
    data = post("/render", {"calls": "rudderanalytics.track('x', {a: '" + noise + "'});"}).get_json()
    assert data["ok"] is True and data["permalink"] is None and "too large for a link" in data["results_html"]


# -- 100,000 [ : refused cleanly everywhere ----------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"calls": DEEP}, "calls", "unexpected"),
        ({"calls": f"rudderanalytics.track('x', {DEEP})"}, "calls", "at most 64 levels"),
        ({"initial_traits": DEEP}, "initial_traits", "the limit is 100"),
        ({"initial_traits": '{"a":' * 30_000}, "initial_traits", "the limit is 100"),
        ({"initial_traits": '{"a":' * 100_000}, "initial_traits", "at most 200,000"),
        ({"settings_json": DEEP, "action": "fill-from-config"}, "settings_json", "the limit is 100"),
        ({"builder_event": "x", "builder_data": DEEP, "action": "add-call"}, "builder_data", "key=value"),
        (
            {"builder_event": "x", "builder_data": '{"a":' * 30_000, "action": "add-call"},
            "builder_data",
            "the limit is 64",
        ),
        (
            {"builder_event": "x", "builder_data": "a=" + DEEP[:90_000] + "]" * 90_000, "action": "add-call"},
            "builder_data",
            "at most 64 levels",
        ),
    ],
    ids=[
        "calls-raw",
        "calls-argument",
        "traits",
        "traits-object",
        "traits-huge",
        "pasted-config",
        "builder-json",
        "builder-object",
        "builder-value",
    ],
)
def test_deep_nesting_is_refused_next_to_its_field(fields: dict[str, str], field: str, words: str) -> None:
    response = post("/", fields)
    page = page_of(response)
    assert words in field_error(response, field)
    for name, value in fields.items():
        if name != "action":
            assert page.inputs.get(name, page.textareas.get(name)) == value, name
    assert post("/render", fields).status_code == 200


def test_deep_nesting_in_hidden_fields_events_links_and_the_api() -> None:
    # The hidden field of unknown settings: dropped (nobody can fix it by hand), never a crash.
    assert post("/render", {"extra_settings": DEEP}).get_json()["ok"] is True
    assert post("/render", {"extra_settings": '{"a":' + "[" * 150 + "]" * 150 + "}"}).get_json()["ok"] is True
    # Pasted events.
    response = post("/", {"messages": DEEP, "scenario_source": "events", "action": "run"})
    assert response.status_code == 200 and "nested" in field_error(response, "messages")
    # Links: deep settings, and deep text in the texts a link carries.
    raw = ('{"s":{"tagId":"1","x":' + DEEP + "]" * 100_000 + '},"p":"docs","c":"","t":""}').encode()
    deep_link = pack(raw)
    for path in ("/", "/preview", "/export", "/download"):
        response = _client.get(f"{path}?s={deep_link}")
        assert response.status_code == 400 and "at most 100 levels" in response.text, path
    fine = encode({"s": {"tagId": "1", "x": json.loads("[" * 99 + "]" * 99)}, "p": "docs", "c": "", "t": ""})
    assert _client.get(f"/?s={fine}").status_code == 200
    text_link = PlaygroundState(
        {"tagId": "1"}, "docs", f"rudderanalytics.track('x', {DEEP})", DEEP
    ).to_token()
    assert _client.get(f"/?s={text_link}").status_code == 200
    assert _client.get(f"/export?s={text_link}").status_code == 200
    assert _client.get(f"/preview?s={text_link}").status_code == 400
    # The JSON API: the body, a call script, pasted events as text, a HAR.
    for path, body in [
        ("/api/v1/replay", DEEP),
        ("/api/v1/replay", json.dumps({"calls": f"rudderanalytics.track('x', {DEEP})"})),
        ("/api/v1/import", json.dumps({"text": DEEP})),
        ("/api/v1/decode", '{"har": ' + "[" * 99 + "]" * 99 + "}"),
        ("/api/v1/compare", '{"a":' * 100_000),
    ]:
        response = _client.post(path, data=body, content_type="application/json")
        assert 400 <= response.status_code < 500 and response.get_json()["error"]["message"], path


# -- bad input: never a 500, an error that says where, input kept --------------------------


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"initial_traits": '{"email": }'}, "initial_traits", "Line 1, column 11"),
        ({"initial_traits": "[1, 2]"}, "initial_traits", "JSON object"),
        ({"initial_traits": '{"a": NaN}'}, "initial_traits", "NaN"),
        ({"calls": "rudderanalytics.track('a');\nrudderanalytics.alias('b');"}, "calls", "Line 2, column 17"),
        ({"calls": "rudderanalytics.track(alert(1));"}, "calls", "not a value"),
        ({"calls": "fetch('/x');"}, "calls", "not a rudderanalytics call"),
        ({"calls": "rudderanalytics.track(`a${b}`);"}, "calls", "backticks"),
        (
            {"calls": "\n\nrudderanalytics.track('x', 5);"},
            "calls",
            "Line 3: The properties of track() must be an object",
        ),
        ({"calls": "<script>rudderanalytics.track('x')</script>"}, "calls", "remove HTML"),
        ({"settings_json": '{"tagId": 5}', "action": "fill-from-config"}, "settings_json", "tagId"),
        (
            {"settings_json": '{"tagId": "1",}', "action": "fill-from-config"},
            "settings_json",
            "Line 1, column",
        ),
        ({"settings_json": "[]", "action": "fill-from-config"}, "settings_json", "object"),
        (
            {"builder_event": "x", "builder_data": '{"a": 1', "action": "add-call"},
            "builder_data",
            "Line 1, column",
        ),
        ({"builder_method": "delete", "action": "add-call"}, "builder_method", "track, page or identify"),
        ({"profile": "sdk-v9\u202e"}, "profile", "Choose a behaviour profile"),
        ({"preset": "<nope>", "action": "load-preset"}, "preset", "Choose an example"),
    ],
)
def test_bad_input_is_an_error_that_says_where_and_keeps_the_input(
    fields: dict[str, str], field: str, words: str
) -> None:
    typed = {"tag_id": " \u00e9\u0301\U0001f468\u200d\U0001f469 \u202e</textarea>\ufeff ", **fields}
    response = post("/", typed)
    page = page_of(response)
    assert words in field_error(response, field), field_error(response, field)
    assert page.inputs["tag_id"] == typed["tag_id"]
    for name, value in fields.items():
        if name not in ("action", "profile", "builder_method", "preset"):
            assert page.inputs.get(name, page.textareas.get(name)) == value, name
    data = post("/render", typed).get_json()
    assert isinstance(data["errors"], dict)


def test_empty_and_partial_forms() -> None:
    assert post("/", {}).status_code == 200
    assert post("/render", {}).get_json()["ok"] is True
    response = post(
        "/",
        {
            "mappings-3-target": "Lead",
            "custom_properties-9-missing": "properties",
            "action": "remove-mapping-0",
        },
    )
    assert response.status_code == 200
    response = post("/", {"action": "remove-mapping-99999999999999999999"})
    assert response.status_code == 200
    response = post("/", [("tag_id", "first"), ("tag_id", "second"), ("action", "nonsense")])
    assert page_of(response).inputs["tag_id"] == "first"
    assert _client.post("/", data={}).status_code == 400  # no token at all: the friendly CSRF page


@pytest.mark.parametrize(
    "body",
    [
        b"tag_id=\xff\xfe&calls=rudderanalytics.track(%22ok%22)",  # raw bytes
        b"tag_id=%ff%fe&calls=rudderanalytics.track(%22ok%22)",  # percent-encoded
        b"tag_id=%ed%a0%80&calls=rudderanalytics.track(%22ok%22)",  # a lone surrogate, as UTF-8 bytes
    ],
    ids=["raw", "percent", "surrogate"],
)
def test_form_fields_that_are_not_utf8_keep_the_form_and_say_where(body: bytes) -> None:
    data = b"csrf_token=" + _TOKEN.encode() + b"&" + body
    response = _client.post("/", data=data, content_type="application/x-www-form-urlencoded")
    page = page_of(response)
    assert (
        set(page.inputs["tag_id"]) == {"\ufffd"} and page.textareas["calls"] == 'rudderanalytics.track("ok")'
    )
    assert "Tag ID: part of the text sent was not UTF-8" in field_error(response, "__all__")
    rendered = _client.post("/render", data=data, content_type="application/x-www-form-urlencoded").get_json()
    assert "Tag ID" in rendered["errors"]["__all__"][0]


def test_multipart_fields_that_are_not_utf8() -> None:
    body = (
        b'--B\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        + _TOKEN.encode()
        + b'\r\n--B\r\nContent-Disposition: form-data; name="calls"\r\n\r\nrudderanalytics.track("\xc3\x28")\r\n--B--\r\n'
    )
    response = _client.post("/", data=body, content_type="multipart/form-data; boundary=B")
    page = page_of(response)
    assert page.textareas["calls"] == 'rudderanalytics.track("\ufffd(")'
    assert "SDK calls: part of the text sent was not UTF-8" in field_error(response, "__all__")


@pytest.mark.parametrize("path", ["/", "/preview", "/export", "/download"])
@pytest.mark.parametrize(
    "query", ["s=\xff\xfe", "s=1.\xed\xa0\x80", "preset=\xff", "s=%ff%fe", "s=\x00", "s=1.%E2%80%A8"]
)
def test_query_strings_that_are_not_utf8_are_a_friendly_4xx(path: str, query: str) -> None:
    # Raw bytes, as a script (not a browser) may send them: the WSGI server hands them on as Latin-1.
    response = _client.get(path, environ_overrides={"QUERY_STRING": query})
    assert 400 <= response.status_code < 500
    if path != "/preview":
        assert 'href="/"' in response.text


def test_malformed_multipart_and_unknown_body_types() -> None:
    response = _client.post("/render", data=b"garbage", content_type="multipart/form-data; boundary=B")
    assert response.status_code == 400 and response.is_json
    response = _client.post("/", data=b"garbage", content_type="multipart/form-data")
    assert response.status_code == 400 and 'href="/"' in response.text
    response = _client.post(
        "/render", data=b"<x/>", content_type="application/xml", headers={"X-CSRFToken": _TOKEN}
    )
    assert response.status_code == 400 and response.is_json


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"s": {"tagId": 5}, "p": "docs", "c": "", "t": ""}, "settings are not valid"),
        ({"s": {"tagId": "1"}, "p": "docs", "c": ["x"], "t": ""}, "damaged"),
        ({"s": [], "p": "docs", "c": "", "t": ""}, "damaged"),
        ({"s": {"tagId": "1"}, "p": "<b>x</b>", "c": "", "t": ""}, "profile"),
        ({"s": {"tagId": "1"}, "p": "docs", "c": "", "t": "", "zz": 1}, "damaged"),
        (
            {"s": {"tagId": "1", "eventsMapping": "no"}, "p": "docs", "c": "", "t": ""},
            "settings are not valid",
        ),
    ],
)
def test_tampered_links_are_friendly_400s(data: dict[str, Any], words: str) -> None:
    token = encode(data)
    for path in ("/", "/export", "/download", "/preview"):
        response = _client.get(f"{path}?s={token}")
        assert response.status_code == 400 and words in response.text, path
        assert "<b>x</b>" not in response.text or response.mimetype == "text/plain"
