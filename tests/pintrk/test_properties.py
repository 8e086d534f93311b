"""Property tests: arbitrary settings and messages never break the core.

Deep nesting, huge numbers, unicode (lone surrogates included) and keys that
mean something to JavaScript ("__proto__", "toString", "10") all go through
replay; every output must be valid JSON and every snippet valid JavaScript
that cannot break out of an inline <script>.  The example count comes from the
hypothesis profile (2,000 per property in CI, see tests/conftest.py).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.pintrk import PROFILES, Scenario, SettingsError, parse_settings, replay
from app.pintrk.cli import result_line
from app.pintrk.jsvalue import normalize
from app.pintrk.snippet import render_script, render_snippet
from app.pintrk.tag import IDENTIFIER_KEYS, is_digest, simulate

ODD_KEYS = [
    "0",
    "1",
    "10",
    "01",
    "-1",
    "4294967294",
    "4294967295",
    "__proto__",
    "toString",
    "constructor",
    "a.b",
    "",
    " ",
    "products",
    "revenue",
    "value",
    "query",
    "email",
    "currency",
    "order_quantity",
    "product_id",
    "sku",
    "name",
    "</script>",
    "\u2028",
]
EVENTS = [
    "Order Completed",
    "order completed",
    "Product Added",
    "Products Searched",
    "Product List Viewed",
    "Product List Filtered",
    "Signed Up",
    "  Signed Up ",
    "",
    "constructor",
]

texts = st.text(max_size=12) | st.sampled_from(
    ["</script><!--", "\ud800", "x\udfffy", "\u2028\u2029", "ÄÖ🚀"]
)
keys = st.sampled_from(ODD_KEYS) | st.text(max_size=6)
numbers = (
    st.integers(min_value=-(10**25), max_value=10**25)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0, -0.0, 1e21, 1e-7, 12345678901234567890, 2**53 + 1])
)
scalars = st.none() | st.booleans() | numbers | texts
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)
products = st.lists(
    st.dictionaries(
        st.sampled_from(["product_id", "sku", "name", "price", "quantity", "brand", "variant", "category"]),
        json_values,
        max_size=6,
    )
    | json_values,
    max_size=4,
)
properties = (
    json_values
    | st.dictionaries(keys, json_values, max_size=6)
    | st.fixed_dictionaries(
        {"products": products}, optional={"revenue": json_values, "value": json_values, "query": json_values}
    )
)
traits = st.dictionaries(
    st.sampled_from(["email", "optOutType", "state", "State", "country", "Country", "address", "name"]),
    json_values | texts,
    max_size=5,
)
messages = (
    st.fixed_dictionaries(
        {"type": st.sampled_from(["track", "page", "identify", "alias", "TRACK"]) | json_values},
        optional={
            "event": st.sampled_from(EVENTS) | json_values,
            "name": json_values,
            "category": json_values,
            "properties": properties,
            "messageId": json_values,
            "context": st.fixed_dictionaries({}, optional={"traits": traits | json_values}),
        },
    )
    | json_values
)
settings_configs = st.fixed_dictionaries(
    {},
    optional={
        "tagId": texts | json_values,
        "enhancedMatch": st.booleans() | json_values,
        "customProperties": st.lists(
            st.fixed_dictionaries({}, optional={"properties": keys | json_values}) | json_values, max_size=4
        ),
        "eventsMapping": st.lists(
            st.fixed_dictionaries(
                {}, optional={"from": st.sampled_from(EVENTS) | texts, "to": texts | json_values}
            ),
            max_size=4,
        ),
        "sendAsCustomEvent": st.booleans(),
        "deduplicationKey": st.sampled_from(
            ["properties.order_id", "properties.products.0.sku", "messageId", "", " x "]
        )
        | texts,
        "junk": json_values,
    },
)
scenarios = st.tuples(
    settings_configs, traits, st.lists(messages, max_size=6), st.sampled_from(list(PROFILES))
)

_SCRIPT_BREAKERS = re.compile(r"</script|<!--", re.I)


def run(case):
    """A case through replay; None when the settings are (legitimately) refused."""
    config, initial_traits, message_list, profile = normalize(list(case))
    try:
        settings = parse_settings(config)
    except SettingsError:
        return None
    return replay(Scenario(settings, initial_traits, tuple(message_list)), profile)


@given(scenarios)
def test_replay_never_fails_and_outputs_valid_json(case) -> None:
    result = run(case)
    if result is None:
        return
    for text in result.calls_json:
        parsed = json.loads(text)
        assert isinstance(parsed, (list, dict))
    json.loads(result_line(result))
    for beacon in result.beacons:
        assert beacon.url.startswith("https://ct.pinterest.com/v3/?")
        assert beacon.method == ("POST" if len(beacon.url) >= 2048 else "GET")
    assert all(f.severity in {"error", "warning", "info"} for f in result.diagnostics)


@given(scenarios)
def test_the_tags_requests_follow_from_the_commands_alone(case) -> None:
    """Invariants of every profile: the requests are a function of the pintrk calls; every
    /v3/ request has its /user/ request just before it; no identifier leaves in clear text."""
    result = run(case)
    if result is None:
        return
    assert simulate(result.entries).requests == result.requests
    replayed = replay(Scenario(pintrk=[c.to_list() for c in result.commands]))

    def without_cb(requests):  # cb is the call's time: error entries shift it
        return [[p for p in r.params if p[0] != "cb"] for r in requests]

    assert without_cb(replayed.requests) == without_cb(result.requests)
    paths = [r.path for r in result.requests]
    for i, path in enumerate(paths):
        if path == "/v3/" and result.requests[i].command != "page":
            assert paths[i - 1] == "/user/"
    for request in result.requests:
        for key, value in (request.pd or {}).items():
            if key in IDENTIFIER_KEYS:
                for item in value if isinstance(value, list) else [value]:
                    # hashed: a 64-hex SHA-256 (or a digest the site gave); falsy values stay as they are
                    assert not isinstance(item, str) or item == "" or is_digest(item)
                    assert not isinstance(item, (dict, list))


@given(scenarios)
def test_replay_is_deterministic(case) -> None:
    first, second = run(case), run(case)
    assert (first is None) == (second is None)
    if first is not None:
        assert first.calls_json == second.calls_json
        assert [b.url for b in first.beacons] == [b.url for b in second.beacons]


# A node program that compiles (never runs) each script and reports the ones that fail.
_COMPILE_ALL = r"""
const vm = require("vm");
const sources = JSON.parse(require("fs").readFileSync(0, "utf8"));
const bad = [];
sources.forEach((src, i) => { try { new vm.Script(src); } catch (e) { bad.push([i, String(e)]); } });
process.stdout.write(JSON.stringify(bad));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node compiles the generated JavaScript")
def test_snippets_are_always_valid_javascript() -> None:
    sources: list[str] = []

    @given(scenarios)
    def collect(case) -> None:
        result = run(case)
        if result is None:
            return
        snippet = render_snippet(result.entries)
        script = snippet.split("<script>\n", 1)[1].rsplit("</script>", 1)[0]
        assert not _SCRIPT_BREAKERS.search(script), script
        assert "\u2028" not in script and "\u2029" not in script
        assert snippet.count("<script>") == 1
        sources.append(script)
        sources.append(render_script(result.entries, loader_url=str(case[0].get("tagId"))))

    collect()
    payload = json.dumps(sources).encode()  # ASCII JSON: lone surrogates travel as escapes
    proc = subprocess.run(["node", "-e", _COMPILE_ALL], input=payload, capture_output=True, check=True)
    bad = json.loads(proc.stdout)
    assert bad == [], [(sources[i][:300], err) for i, err in bad[:3]]
    assert len(sources) > 0


@given(json_values, st.lists(keys, max_size=3))
def test_flattened_value_agrees_with_flatten(value, extra_paths) -> None:
    """The fast path (find_flattened_value, which the mapper uses) agrees with the rule (flattened_value)."""
    from app.pintrk.jsvalue import get_property
    from app.pintrk.paths import find_flattened_value, flatten, flattened_value

    value = normalize(value)
    flat = flatten(value)
    for path in [*flat, *extra_paths, "a.b", "0", "__proto__", "toString"]:
        expected = flat[path] if path in flat else get_property({}, path)
        rule = flattened_value(value, path)
        fast = find_flattened_value(value, path)
        assert rule is expected or rule == expected, path
        assert fast is rule or fast == rule, path


def test_paths_with_non_ascii_digits_are_not_array_indexes() -> None:
    # "٣" and "²" pass str.isdigit(); flatten() has no such keys, and int("²") raises.
    from app.pintrk.jsvalue import UNDEFINED
    from app.pintrk.paths import find_flattened_value, flatten, flattened_value, lookup_path

    properties = normalize({"a": [1, 2, 3, 4]})
    for path in ("a.٣", "a.²"):
        assert path not in flatten(properties)
        assert flattened_value(properties, path) is UNDEFINED
        assert find_flattened_value(properties, path) is UNDEFINED
        assert lookup_path(properties, path) is UNDEFINED
    assert flattened_value(properties, "a.3") == 4 and find_flattened_value(properties, "a.3") == 4
    assert lookup_path(properties, "a.3") == 4
