"""Property tests on the HTTP layer: arbitrary form posts and links never fail the server.

* ``POST /`` and ``POST /render`` with arbitrary values in every field of the playground form
  (read from the form class itself, so a new field is fuzzed too), and a valid CSRF token:
  text of any kind, huge strings, deep nesting, the XSS corpus, call-script look-alikes,
  lone surrogates and other bytes that are not UTF-8 sent raw or percent-encoded, as
  URL-encoded or multipart bodies.  Never a 5xx; the page never gains markup; and on a
  plain run every submitted value that is valid Unicode comes back in its field exactly.
* ``GET /?s=``, ``/preview?s=``, ``/export?s=``, ``/download?s=`` with arbitrary tokens: junk,
  damaged and hand-made ones (random bytes and JSON behind a valid prefix), real links to
  arbitrary scenarios, raw non-UTF-8 bytes in the query string.  Never a 5xx.

Each property runs the "ci" profile's 2,000 examples in CI (tests/conftest.py), one
request against the test client each (5-15 ms); huge and deeply nested values, which cost
far more, run in a property of their own with fewer examples (see there).
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse
from wtforms import (
    BooleanField,
    FieldList,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)

from app import create_app
from app.pintrk import PROFILES
from app.web.forms import PlaygroundForm
from app.web.permalink import pack
from app.web.state import PlaygroundState
from tests.hostile import PAYLOADS, parse_page
from tests.web.pages import STATIC, csrf_token_in

PAGE_SCRIPTS = frozenset({f"{STATIC}/js/playground/main.js"})
# The fields each kind of test form field takes (read off the form class).
_app = create_app("testing")
_client = _app.test_client()
_TOKEN = csrf_token_in(_client.get("/").text)


def _form_fields() -> tuple[list[str], list[str], list[tuple[str, list[str]]]]:
    """(echoed text fields, other single fields, row groups with their subfields) of PlaygroundForm."""
    with _app.test_request_context("/"):
        form = PlaygroundForm(meta={"csrf": False})
        text, other, rows = [], [], []
        for name, field in form._fields.items():
            if isinstance(field, FieldList):
                rows.append((name, [sub for sub in field.unbound_field.args[0]()._fields]))
            elif isinstance(field, (StringField, TextAreaField, HiddenField)):
                text.append(name)
            elif isinstance(field, (BooleanField, RadioField, SelectField)):
                other.append(name)
    return text, other, rows


TEXT_FIELDS, CHOICE_FIELDS, ROW_GROUPS = _form_fields()
ACTIONS = [
    "run",
    "run",
    "run",
    "add-mapping",
    "add-property",
    "remove-mapping-0",
    "remove-property-1",
    "fill-from-config",
    "load-preset",
    "add-call",
    "use-events",
    "use-calls",
    "use-event-traits",
    "use-pintrk",
    "turn-on-enhanced-match",
    "save-reproduction",
    "export",
    "open-reproduction",
    "nonsense",
    "",
]
ECHO_ACTIONS = {"run", "add-mapping", "add-property", "nonsense", "", "export"}

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
_any_text = st.text(st.characters(exclude_categories=()), max_size=40)  # lone surrogates included
# Huge and deeply nested values: at most one per example (they cost the most to answer).
_big = st.one_of(
    st.builds(
        lambda char, n: char * n,
        st.sampled_from(["x", "\u00e9", "\U0001f600", "<", "\u2028", "\x00"]),
        st.sampled_from([1_001, 70_000, 200_001, 300_000]),
    ),
    st.builds(
        lambda opener, n: opener * n,
        st.sampled_from(["[", "{", '{"a":', "[{", "({["]),
        st.sampled_from([65, 101, 5_000, 100_000]),
    ),
)
_values = st.one_of(
    _any_text,
    st.text(max_size=200),
    st.sampled_from(PAYLOADS),
    _json.map(lambda value: json.dumps(value, ensure_ascii=False)),
    st.builds(
        lambda method, args: f"rudderanalytics.{method}({args});",
        st.sampled_from(["track", "page", "identify", "alias", "Track", "load", ""]),
        st.lists(_json.map(json.dumps), max_size=3).map(", ".join),
    ),
    st.sampled_from(
        list(PROFILES) + ["sdk-v9", "", "y", "false", "events", "calls", "tagId deduplicationKey", "from to"]
    ),
)


@st.composite
def playground_posts(draw: st.DrawFn, big: bool = False) -> tuple[list[tuple[str, str]], str]:
    fields: dict[str, str] = {}
    for name in draw(
        st.lists(st.sampled_from(TEXT_FIELDS + CHOICE_FIELDS), unique=True, max_size=len(TEXT_FIELDS))
    ):
        fields[name] = draw(_values)
    for group, subfields in ROW_GROUPS:
        # Rows 0, 1, … each with at least one field (a gap would renumber the rows that follow).
        rows = draw(st.lists(st.dictionaries(st.sampled_from(subfields), _values, min_size=1), max_size=3))
        for index, row in enumerate(rows):
            for sub, value in row.items():
                fields[f"{group}-{index}-{sub}"] = value
    if big:
        fields[draw(st.sampled_from(TEXT_FIELDS))] = draw(_big)
    action = draw(st.sampled_from(ACTIONS))
    return list(fields.items()), action


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate becomes bytes that are not UTF-8


_ASCII_RUN = re.compile(rb"[\x00-\x7f]+")


def encode_body(pairs: list[tuple[str, str]], how: str) -> tuple[bytes, str]:
    if how == "multipart":
        boundary = "pintrk-fuzz-7Yq2Xk"
        parts = [
            b"--"
            + boundary.encode()
            + b'\r\nContent-Disposition: form-data; name="'
            + _utf8(name)
            + b'"\r\n\r\n'
            + _utf8(value)
            + b"\r\n"
            for name, value in pairs
        ]
        return b"".join(
            parts
        ) + b"--" + boundary.encode() + b"--\r\n", f"multipart/form-data; boundary={boundary}"
    encoded = []
    for name, value in pairs:
        raw = _utf8(value)
        if how == "raw":  # bytes >= 0x80 as they are, not percent-encoded (as no browser sends them)
            text = _ASCII_RUN.sub(lambda run: quote(run.group(), safe="").encode(), raw)
        else:
            text = quote(raw, safe="").encode()
        encoded.append(quote(name, safe="").encode() + b"=" + text)
    return b"&".join(encoded), "application/x-www-form-urlencoded"


def submit(path: str, pairs: list[tuple[str, str]], action: str, how: str) -> TestResponse:
    body, content_type = encode_body([("csrf_token", _TOKEN), *pairs, ("action", action)], how)
    return _client.post(path, data=body, content_type=content_type)


def valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def assert_too_large(response: TestResponse) -> None:
    text = response.get_json()["error"] if response.is_json else response.text
    assert "at most 2 MB per request" in text, text[:300]


_how = st.sampled_from(["percent", "raw", "multipart"])


_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]


def check_page_post(pairs: list[tuple[str, str]], action: str, how: str) -> None:
    response = submit("/", pairs, action, how)
    assert response.status_code < 500, response.text[:500]
    if response.status_code == 413:
        assert_too_large(response)
        return
    if response.mimetype != "text/html":  # "export": the log, as a download
        assert action == "export" and response.mimetype == "application/json"
        json.loads(response.text)
        return
    assert response.status_code == 200, (response.status_code, response.text[:500])
    page = parse_page(response.text)
    assert page.problems(PAGE_SCRIPTS) == []
    if action not in ECHO_ACTIONS:
        return
    for name, value in pairs:
        if name in CHOICE_FIELDS or not valid_unicode(value):
            continue
        got = page.inputs.get(name, page.textareas.get(name))
        if name == "conversion_token" and value:  # a password: shown masked, never as sent
            value = "<token>"
        assert got == value, (
            f"{name}: sent {value[:80]!r}, the page has {None if got is None else got[:80]!r}"
        )


def check_render_post(pairs: list[tuple[str, str]], action: str, how: str) -> None:
    response = submit("/render", pairs, action, how)
    assert response.status_code < 500, response.text[:500]
    assert response.is_json
    data = response.get_json()
    if response.status_code == 413:
        assert_too_large(response)
        return
    assert response.status_code == 200, data
    assert set(data) >= {"ok", "results_html", "errors", "permalink", "preview_url"}
    assert isinstance(data["errors"], dict)
    partial = parse_page(data["results_html"])
    assert partial.problems() == [] and not partial.scripts
    for link in (data["permalink"], data["preview_url"]):
        assert link is None or re.fullmatch(r"/(preview)?\?s=1\.[A-Za-z0-9_-]+", link), link


@settings(deadline=None, suppress_health_check=_SLOW_OK)
@given(post=playground_posts(), how=_how)
def test_any_form_post_to_the_page_is_answered_and_echoed(
    post: tuple[list[tuple[str, str]], str], how: str
) -> None:
    check_page_post(*post, how)


@settings(deadline=None, suppress_health_check=_SLOW_OK)
@given(post=playground_posts(), how=_how)
def test_any_form_post_to_render_is_answered_in_json(
    post: tuple[list[tuple[str, str]], str], how: str
) -> None:
    check_render_post(*post, how)


# Huge and deeply nested values cost 20-200 ms an example (megabytes to read, answer and
# parse back), so they have a property of their own with fewer examples: they come from a
# small, finite set of shapes (_big: 6 characters x 4 sizes, 5 openers x 4 depths), which
# 150 examples cover several times over in every field.
@settings(max_examples=150, deadline=None, suppress_health_check=_SLOW_OK)
@given(post=playground_posts(big=True), how=_how, path=st.sampled_from(["/", "/render"]))
def test_huge_and_deep_values_in_any_field(
    post: tuple[list[tuple[str, str]], str], how: str, path: str
) -> None:
    (check_page_post if path == "/" else check_render_post)(*post, how)


# -- links ------------------------------------------------------------------------------------


_states = st.builds(
    PlaygroundState,
    settings=st.fixed_dictionaries(
        {"tagId": _values | _big},
        optional={
            "deduplicationKey": _values,
            "x": _json,
            "eventsMapping": st.lists(st.fixed_dictionaries({"from": _values, "to": _values}), max_size=2),
        },
    ),
    profile=st.sampled_from(list(PROFILES)),
    calls=_values,
    initial_traits=_values,
)
_tokens = st.one_of(
    _any_text,
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/%", max_size=80),
    st.builds(
        lambda body: "1." + body,
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=120),
    ),
    st.binary(max_size=200).map(pack),
    _json.map(lambda value: pack(json.dumps(value).encode())),
    st.fixed_dictionaries({"s": _json, "p": _values, "c": _json, "t": _values}).map(
        lambda data: pack(json.dumps(data, ensure_ascii=True).encode())
    ),
    st.builds(
        lambda n: pack(
            ('{"s":{"tagId":"1","x":' + "[" * n + "]" * n + '},"p":"docs","c":"","t":""}').encode()
        ),
        st.sampled_from([99, 100, 101, 2_000, 100_000]),
    ),
    _states.map(lambda state: state.to_token()),
    _states.map(lambda state: state.to_token()[:-3]),  # cut short
    _states.map(lambda state: state.to_token().replace("A", "B", 1)),  # tampered
)


@settings(deadline=None, suppress_health_check=_SLOW_OK)
@given(path=st.sampled_from(["/", "/preview", "/export", "/download"]), token=_tokens, raw=st.booleans())
def test_any_link_is_answered(path: str, token: str, raw: bool) -> None:
    if raw:  # the query string's bytes as they are (a WSGI server hands them on as Latin-1)
        response = _client.get(
            path, environ_overrides={"QUERY_STRING": "s=" + _utf8(token).decode("latin-1")}
        )
    else:
        response = _client.get(path + "?s=" + quote(_utf8(token), safe=""))
    assert response.status_code in (200, 400), (response.status_code, response.text[:300])
    assert "Content-Security-Policy" in response.headers
    if response.status_code == 200 and path == "/":
        assert parse_page(response.text).problems(PAGE_SCRIPTS) == []
    if response.status_code == 200 and path == "/preview":
        guard_text, code = parse_page(response.text).script_text  # the preview's guard (static), then the tag
        assert guard_text == "" and "<" not in code


def test_the_form_fields_were_found() -> None:
    # The fuzzing above is only as good as the field list it reads off the form.
    assert {"tag_id", "deduplication_key", "calls", "initial_traits", "settings_json", "builder_data"} <= set(
        TEXT_FIELDS
    )
    assert {"profile", "enhanced_match", "preset", "builder_method"} <= set(CHOICE_FIELDS)
    assert dict(ROW_GROUPS)["mappings"] == ["source", "target", "missing"]
