"""No 500 on any input: forged links, forged reproductions and hostile JSON text, on every route.

One property (the "ci" profile's 2,000 examples in CI, ~15 ms each) draws one case at a time:

* a forged permalink, as raw JSON text packed with :func:`app.web.permalink.pack`: the keys a
  token carries (``s``, ``p``, ``c``, ``t``, ``m``, ``k``) with any JSON value, numbers JSON
  can't hold spelled out (``1e400``, 400-digit integers, ``NaN``, ``Infinity``), ``-0``, lone
  surrogate escapes, deep nesting; or damaged (random bytes, cut short, bad base64);
  opened on every page that takes ``?s=`` and posted to ``/decode`` as the comparison link;
* a forged reproduction document (tests raw text around :data:`~app.pintrk.reproduction.FORMAT`),
  opened on the playground (pasted or as a file) and sent to every API route that takes one;
* the same JSON text typed into the playground's JSON fields, with the action that reads it
  (run, save reproduction, fill from config, use events, add call, …) and live updates.

Each answer must be below 500 (an error in words is fine; a crash is not).
"""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app import create_app
from app.pintrk.reproduction import FORMAT
from app.web.permalink import pack
from tests.web.pages import csrf_token_in

_app = create_app("testing")
_client = _app.test_client()
_TOKEN = csrf_token_in(_client.get("/").text)

# Number and string spellings the JSON and JavaScript layers disagree about, or can't hold.
_ODD_LITERALS = [
    "1e400",
    "-1e400",
    "1E999",
    "9" * 400,
    "-" + "9" * 400,
    "1" + "0" * 308,
    "-0",
    "-0.0",
    "0.0",
    "1e-400",
    "123456789012345678901234567890",
    "1e21",
    "1.0",
    "NaN",
    "Infinity",
    "-Infinity",
    '"\\ud800"',
    '"a\\udc00b"',
    '"\\ud83d\\ude00"',
    '"\\u0000"',
    '"__proto__"',
    '"constructor"',
]
_KEYS = [
    "tagId",
    "from",
    "to",
    "properties",
    "eventsMapping",
    "customProperties",
    "enhancedMatch",
    "sendAsCustomEvent",
    "deduplicationKey",
    "type",
    "event",
    "userId",
    "anonymousId",
    "messageId",
    "context",
    "traits",
    "email",
    "name",
    "category",
    "value",
    "batch",
    "__proto__",
    "0",
    "1",
]

_leaf = st.one_of(
    st.sampled_from(_ODD_LITERALS),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(json.dumps),
    st.text(max_size=10).map(lambda text: json.dumps(text)),
    st.sampled_from(["true", "false", "null", "[]", "{}"]),
)


def _object_of(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    key = st.one_of(st.sampled_from(_KEYS), st.text(max_size=6))
    return st.lists(st.tuples(key, values), max_size=5).map(
        lambda pairs: "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in pairs) + "}"
    )


# Raw JSON text (so 1e400 stays spelled as it is): any value, leaning to objects with known keys.
json_text = st.recursive(
    _leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=5).map(lambda items: "[" + ",".join(items) + "]"),
        _object_of(children),
    ),
    max_leaves=15,
)
settings_text = st.one_of(
    json_text,
    st.builds(
        lambda tag, rows, extra: '{{"tagId":{},"eventsMapping":[{}]{}}}'.format(tag, ",".join(rows), extra),
        st.one_of(_leaf, st.just('"2612345678901"')),
        st.lists(_object_of(_leaf), max_size=3),
        st.sampled_from(
            ["", ',"value":1e400', ',"n":' + "9" * 400, ',"x":NaN', ',"deep":' + "[" * 120 + "]" * 120]
        ),
    ),
)
# What a text field of a link holds: JSON written as a string (so the text is JSON-ish), or anything.
string_field = st.one_of(json_text.map(json.dumps), _leaf)


@st.composite
def forged_links(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["scenario", "scenario", "scenario", "bytes", "cut", "base64"]))
    if kind == "bytes":
        return pack(draw(st.binary(max_size=200)))
    if kind == "base64":
        return "1." + draw(
            st.text(
                alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.", max_size=60
            )
        )
    fields = {
        "s": draw(settings_text),
        "p": draw(st.one_of(st.sampled_from(['"sdk-v3"', '"docs"', '"sdk-v1"']), _leaf)),
        "c": draw(string_field),
        "t": draw(string_field),
    }
    for key in ("m", "k"):
        if draw(st.booleans()):
            fields[key] = draw(string_field)
    for key in draw(st.lists(st.sampled_from(list(fields)), max_size=2, unique=True)):
        del fields[key]  # a key missing
    text = "{" + ",".join(f'"{key}":{value}' for key, value in fields.items()) + "}"
    token = pack(text.encode())
    return token[: draw(st.integers(2, len(token)))] if kind == "cut" else token


@st.composite
def forged_reproductions(draw: st.DrawFn) -> str:
    members = {
        "format": draw(st.one_of(st.just(json.dumps(FORMAT)), _leaf)),
        "version": draw(st.one_of(st.just("1"), _leaf)),
        "profile": draw(st.one_of(st.sampled_from(['"sdk-v3"', '"docs"']), _leaf)),
        "settings": draw(settings_text),
        "initialTraits": draw(json_text),
        draw(st.sampled_from(["calls", "messages", "pintrk"])): draw(st.one_of(json_text, string_field)),
        "sentBeacons": draw(
            st.one_of(st.just('["https://ct.pinterest.com/v3/?tid=2612345678901&event=init"]'), json_text)
        ),
        "note": draw(st.one_of(string_field, st.just('"a note"'))),
    }
    for key in draw(st.lists(st.sampled_from(list(members)), max_size=2, unique=True)):
        del members[key]
    return "{" + ",".join(f'"{key}":{value}' for key, value in members.items()) + "}"


_LINK_PAGES = ["/", "/preview", "/reproduction", "/export", "/download", "/compare", "/decode"]
_API = ["/api/v1/replay", "/api/v1/compare", "/api/v1/decode", "/api/v1/import", "/api/v1/cloud"]
# Form fields that hold JSON text, and the actions (and routes) that read them.
_JSON_FIELDS = [
    "initial_traits",
    "settings_json",
    "messages",
    "pintrk",
    "builder_data",
    "extra_settings",
    "reproduction_text",
]
_ACTIONS = [
    ("/", "run"),
    ("/", "fill-from-config"),
    ("/", "use-events"),
    ("/", "use-pintrk"),
    ("/", "add-call"),
    ("/", "use-event-traits"),
    ("/", "turn-on-enhanced-match"),
    ("/", "open-reproduction"),
    ("/reproduction", "save-reproduction"),
    ("/render", "run"),
    ("/export", "export"),
    ("/download", "download"),
]

cases = st.one_of(
    st.tuples(st.just("link"), forged_links(), st.sampled_from(_LINK_PAGES + ["POST /decode"])),
    st.tuples(st.just("reproduction"), forged_reproductions(), st.sampled_from(["pasted", "file", *_API])),
    st.tuples(
        st.just("field"),
        json_text,
        st.tuples(
            st.sampled_from(_JSON_FIELDS),
            st.sampled_from(_ACTIONS),
            st.sampled_from(["calls", "events", "pintrk"]),
        ),
    ),
)


def send(kind: str, text: str, where: object) -> object:
    if kind == "link":
        if where == "POST /decode":
            return _client.post(
                "/decode",
                data={
                    "csrf_token": _TOKEN,
                    "s": text,
                    "urls": "https://ct.pinterest.com/v3/?tid=2612345678901&event=init",
                },
            )
        return _client.get(f"{where}?s={text}")
    if kind == "reproduction":
        if where == "pasted":
            return _client.post(
                "/", data={"csrf_token": _TOKEN, "action": "open-reproduction", "reproduction_text": text}
            )
        if where == "file":
            return _client.post(
                "/",
                data={
                    "csrf_token": _TOKEN,
                    "action": "open-reproduction",
                    "reproduction_file": (io.BytesIO(text.encode("utf-8", "surrogatepass")), "case.json"),
                },
                content_type="multipart/form-data",
            )
        return _client.post(
            str(where), data=text.encode("utf-8", "surrogatepass"), content_type="application/json"
        )
    field, (path, action), source = where  # type: ignore[misc]
    form = MultiDict(
        [
            ("csrf_token", _TOKEN),
            ("tag_id", "2612345678901"),
            ("profile", "sdk-v3"),
            ("calls", 'rudderanalytics.track("Order Completed", {revenue: 20});'),
            ("scenario_source", source),
            (field, text),
            ("action", action),
        ]
    )
    return _client.post(path, data=form)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=cases)
def test_no_forged_link_reproduction_or_json_text_gets_a_500(case: tuple[str, str, object]) -> None:
    kind, text, where = case
    response = send(kind, text, where)
    assert response.status_code < 500, (kind, where, text[:300], response.status_code)  # type: ignore[attr-defined]


def test_the_routes_that_take_links_and_reproductions_are_all_covered() -> None:
    # A new route that reads ?s= or a reproduction must join the lists above.
    rules = {
        rule.rule
        for rule in _app.url_map.iter_rules()
        if not rule.rule.startswith(("/static", "/api/v1/docs", "/api/v1/openapi"))
    }
    covered = {*_LINK_PAGES, *_API, "/render", "/healthz", "/help", "/api/v1/", "/api/v1/<path:rest>"}
    assert rules <= covered, f"not fuzzed: {sorted(rules - covered)}"
