"""Every parser of untrusted text runs in linear time: pathological inputs at 1×, 4× and 16×.

Ratios, not absolute times (``tests.costs.assert_linear``): a linear scan takes ~4× and ~16×
the time, a quadratic one ~16× and ~256×.  The inputs are the shapes that make backtracking
regular expressions and repeated slicing go quadratic: unclosed strings of escaped quotes,
runs of ``(``, ``[``, ``{``, ``"`` and ``\\``, long words before a ``[``, many small tokens.
Each base size makes the 1× run take a few milliseconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.pintrk import call_text, calls, decode, events_import, reproduction
from app.pintrk.jsvalue import JSONInputError, loads, max_bracket_depth
from app.pintrk.jsvalue.depth import max_bracket_depth_by_hand as _max_bracket_depth_by_hand
from app.web import permalink
from tests.costs import assert_linear


def assert_linear_time(
    build: Callable[[int], Any], run: Callable[[Any], Any], *, base: int, what: str
) -> None:
    """``assert_linear`` with the line drawn between linear and quadratic growth.

    At 16× a linear scan takes ~16× the time and a quadratic one ~256×; the limit is their
    geometric mean, 64× (slack 4), because on a shared machine a linear scan of a few MB
    measures up to ~50× (caches, other processes).  A failure is measured once more before
    it counts: a quadratic scan fails both times.
    """
    try:
        assert_linear(build, run, base=base, slack=4, what=what)
    except AssertionError:
        assert_linear(build, run, base=base, slack=4, what=what)


def refused(parse: Callable[[Any], Any]) -> Callable[[Any], None]:
    """Run ``parse``; an error in words is an answer too (most of these inputs are refused)."""

    def run(subject: Any) -> None:
        try:
            parse(subject)
        except ValueError:  # JSONInputError, PermalinkError, CallScriptError, … are ValueErrors
            pass

    return run


ESCAPED_QUOTES = lambda n: '{"' + '\\"' * n  # noqa: E731  an unclosed string full of \"


# -- JSON text: jsvalue.loads (the API, the form's JSON fields, HAR bodies) --------------------------

JSON_INPUTS = {
    "unclosed string of escaped quotes": (ESCAPED_QUOTES, 200_000),
    "closed string of escaped quotes": (lambda n: '{"a": "' + '\\"' * n + '"}', 200_000),
    "run of backslashes": (lambda n: '{"' + "\\" * n, 200_000),
    "run of quotes": (lambda n: "[" + '"' * n, 200_000),
    "run of [": (lambda n: "[" * n, 200_000),
    "run of {": (lambda n: '{"a":' * n, 100_000),
    "[ and quotes": (lambda n: '["' * n, 100_000),
    "commas and spaces": (lambda n: "[" + ", " * n, 50_000),
    "digits before an end": (lambda n: "[" + "1" * n + "x", 200_000),
    "long number with .0": (lambda n: '{"a": 1.' + "0" * n + "1}", 200_000),
    "many odd numbers": (lambda n: "[" + "1.0," * n + "1]", 20_000),
    "many digit keys": (lambda n: "{" + ",".join(f'"{i}": 1' for i in range(n)) + "}", 2_000),
}


@pytest.mark.parametrize("build,base", JSON_INPUTS.values(), ids=JSON_INPUTS.keys())
def test_json_text_is_read_in_linear_time(build: Callable[[int], str], base: int) -> None:
    assert_linear_time(build, refused(loads), base=base, what="jsvalue.loads")


def test_an_unclosed_string_of_escaped_quotes_is_refused_quickly_in_words() -> None:
    with pytest.raises(JSONInputError, match="never closed"):
        loads(ESCAPED_QUOTES(500_000))


# -- the fast bracket count and its rule ----------------------------------------------------------

_JSONISH = st.text(alphabet=st.sampled_from(list('"\\[]{}a,:1 \x01\u00e9\ud800')), max_size=40)


@given(_JSONISH)
def test_the_fast_bracket_count_follows_the_rule(text: str) -> None:
    assert max_bracket_depth(text) == _max_bracket_depth_by_hand(text)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=30,
    )
)
def test_the_bracket_count_of_real_json_is_its_nesting(value: Any) -> None:
    def depth(v: Any) -> int:
        children = v.values() if isinstance(v, dict) else v if isinstance(v, list) else None
        return 0 if children is None else 1 + max(map(depth, children), default=0)

    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False)):
        assert max_bracket_depth(text) == _max_bracket_depth_by_hand(text) == depth(value)


@pytest.mark.parametrize(
    "text,depth",
    [
        ('[{"a": "[[[[{{{{"}, [[]]]', 3),
        ('["\\\\", ["\\"["]]', 2),
        ('[["\\\\\\"[["]]', 2),  # an escaped backslash, then an escaped quote: the string goes on
        ('[["\\\\"[[', 4),  # an escaped backslash, then the closing quote
        ('[["abc[[[[', 2),  # an unclosed string: nothing after its quote counts
        ("[[\\[[[[", 2),  # a backslash outside strings: JSON stops there
        ('[\\"[[[["', 1),
        ("]]]", 0),
    ],
)
def test_bracket_count_examples(text: str, depth: int) -> None:
    assert max_bracket_depth(text) == _max_bracket_depth_by_hand(text) == depth


# -- permalinks ------------------------------------------------------------------------------------

LINK_INPUTS = {
    "unclosed string of escaped quotes": ESCAPED_QUOTES,
    "run of quotes": lambda n: "{" + '"' * n,
    "run of [": lambda n: '{"a":' + "[" * n,
    "run of backslashes": lambda n: '{"' + "\\" * n,
}


@pytest.mark.parametrize("build", LINK_INPUTS.values(), ids=LINK_INPUTS.keys())
def test_links_are_read_in_linear_time(build: Callable[[int], str]) -> None:
    # 16× stays under the 1 MB a link may hold once decompressed.
    assert_linear_time(
        lambda n: permalink.pack(build(n).encode()),
        refused(permalink.decode),
        base=30_000,
        what="permalink.decode",
    )


# -- the call script ---------------------------------------------------------------------------------


def parse_script(text: str) -> None:
    calls.parse_call_script(text, max_calls=10**6, max_length=10**8)


CALL_INPUTS = {
    "unclosed string of escaped quotes": (lambda n: 'rudderanalytics.track("' + '\\"' * n, 25_000),
    "closed string of escaped quotes": (lambda n: 'rudderanalytics.track("' + '\\"' * n + '");', 25_000),
    "unclosed backtick string": (lambda n: "rudderanalytics.track(`" + "\\`" * n, 25_000),
    "run of (": (lambda n: "rudderanalytics.track(" + "(" * n, 100_000),
    "run of slashes": (lambda n: "rudderanalytics.track(" + "/" * n, 100_000),
    "many comments": (lambda n: "/**/" * n, 10_000),
    "many line comments": (lambda n: "//\n" * n, 5_000),
    "a long word before [": (lambda n: "rudderanalytics.track('x', " + "a" * n + "[", 200_000),
    "a long dotted word": (lambda n: "rudderanalytics.track('x', " + "a ." * n + "[", 50_000),
    "a long arrow": (lambda n: "rudderanalytics.track('x', (" + "a," * n + ") => 1)", 100_000),
    "many calls on one line": (lambda n: "rudderanalytics.track('x');" * n, 300),
    "many calls, one a line": (lambda n: "rudderanalytics.track('x');\n" * n, 300),
    "many values and a variable": (
        lambda n: "rudderanalytics.track('x', {" + "a: 1, " * n + "b: c});",
        3_000,
    ),
    "many strings and a function": (
        lambda n: "rudderanalytics.track('x', [" + "'a', " * n + "function () {}]);",
        3_000,
    ),
    "an overflowing number at the end": (
        lambda n: "rudderanalytics.track('x', [" + "1, " * n + "1e400]);",
        5_000,
    ),
    # json5 reads what pyjson5 refuses (1e400), at most 4,000 characters a script: not per call
    "many calls with an overflowing number": (
        lambda n: ("rudderanalytics.track('x', [" + "1, " * 1_000 + "1e400]);") * n,
        20,
    ),
}


@pytest.mark.parametrize("build,base", CALL_INPUTS.values(), ids=CALL_INPUTS.keys())
def test_call_scripts_are_read_in_linear_time(build: Callable[[int], str], base: int) -> None:
    assert_linear_time(build, refused(parse_script), base=base, what="parse_call_script")


# The scanner's strings as JavaScript reads them, as the regular expressions it used before
# (correct, but with a backtracking record per escape) wrote them: the rule _string_end follows.
_STRING_RULES = {
    '"': re.compile(r'"(?:[^"\\\r\n]|\\(?:\r\n|[\s\S]))*"'),
    "'": re.compile(r"'(?:[^'\\\r\n]|\\(?:\r\n|[\s\S]))*'"),
    "`": re.compile(r"`(?:[^`\\]|\\[\s\S])*`"),
}


@given(
    st.sampled_from(list(_STRING_RULES)), st.text(alphabet=st.sampled_from(list("\"'`\\\r\na")), max_size=30)
)
def test_call_script_strings_end_where_javascript_ends_them(quote: str, rest: str) -> None:
    text = quote + rest
    expected = _STRING_RULES[quote].match(text)
    assert call_text.string_end(text, 0) == (expected.end() if expected else -1)


def test_long_refused_arguments_are_explained_without_json5_and_located() -> None:
    padding = "'" + "x" * 5_000 + "'"
    short = "rudderanalytics.track('A', {email: userEmail});"
    long = f"rudderanalytics.track('A', {padding}, {{email: userEmail}});"
    for text in (short, long):
        with pytest.raises(calls.CallScriptError) as caught:
            calls.parse_call_script(text)
        assert '"userEmail" is not a value' in caught.value.message
        assert caught.value.column == text.index("userEmail") + 1
    with pytest.raises(calls.CallScriptError) as caught:
        calls.parse_call_script(f"rudderanalytics.track('A', {padding}, {{value: 1e400}});")
    assert '"1e400" is not a number' in caught.value.message


# -- beacons: pasted text and URLs ------------------------------------------------------------------

TEXT_INPUTS = {
    "run of (": (lambda n: "(" * n, 200_000),
    "run of ([": (lambda n: "([" * n, 100_000),
    "run of quotes": (lambda n: '"' * n, 200_000),
    "run of <": (lambda n: "<" * n, 200_000),
    "opened and closed": (lambda n: "(" * n + "ct.pinterest.com/v3/?event=x" + ")" * n, 100_000),
    "a URL in many brackets": (lambda n: "([" * n + "https://ct.pinterest.com/v3/?event=x", 100_000),
    "many words": (lambda n: "Request URL: " * n, 5_000),
    "many URLs": (lambda n: "https://ct.pinterest.com/v3/?event=x&tid=2612345678901 " * n, 300),
}


@pytest.mark.parametrize("build,base", TEXT_INPUTS.values(), ids=TEXT_INPUTS.keys())
def test_pasted_beacon_text_is_read_in_linear_time(build: Callable[[int], str], base: int) -> None:
    assert_linear_time(build, decode.decode_text, base=base, what="decode.decode_text")


BEACON = "https://ct.pinterest.com/v3/?event=checkout&tid=2612345678901&"
URL_INPUTS = {
    "ed: unclosed string of escaped quotes": (lambda n: BEACON + "ed=" + quote(ESCAPED_QUOTES(n)), 20_000),
    "a long name before [": (lambda n: BEACON + "ed" + "a" * n + "[=1", 200_000),
    "a name with many [": (lambda n: BEACON + "ed" + "[" * n + "=1", 200_000),
    "a name with many ][": (lambda n: BEACON + "ed[a" + "][" * n + "=1", 100_000),
    "deeply bracketed ed": (lambda n: BEACON + "ed" + "[a]" * n + "=1", 50_000),
    "many bracketed parameters": (lambda n: BEACON + "&".join(f"ed[k{i}]=v" for i in range(n)), 1_000),
    "many ampersands": (lambda n: BEACON + "&" * n, 200_000),
    "many percents": (lambda n: BEACON + "ed=" + "%" * n, 20_000),
}


@pytest.mark.parametrize("build,base", URL_INPUTS.values(), ids=URL_INPUTS.keys())
def test_beacon_urls_are_read_in_linear_time(build: Callable[[int], str], base: int) -> None:
    assert_linear_time(build, refused(decode.decode_url), base=base, what="decode.decode_url")


def test_deeply_bracketed_parameters_are_a_problem_not_a_crash() -> None:
    beacon = decode.decode_url(BEACON + "ed" + "[a]" * 5_000 + "=1&pd[em]=x")
    assert any("nested 5,000 levels deep" in p for p in beacon.problems)
    assert beacon.pd == {"em": "x"}


# -- pasted events and reproduction files ------------------------------------------------------------

EVENT_INPUTS = {
    "unclosed string of escaped quotes": (ESCAPED_QUOTES, 200_000),
    "run of [": (lambda n: "[" * n, 200_000),
    "one message a line, the last broken": (lambda n: '{"type": "track", "event": "x"}\n' * n + '{"', 2_000),
    "one message a line, an unclosed string last": (
        lambda n: '{"type": "track"}\n' * n + ESCAPED_QUOTES(n),
        2_000,
    ),
}


@pytest.mark.parametrize("build,base", EVENT_INPUTS.values(), ids=EVENT_INPUTS.keys())
def test_pasted_events_are_read_in_linear_time(build: Callable[[int], str], base: int) -> None:
    assert_linear_time(
        build,
        refused(lambda text: events_import.import_events(text, max_messages=10**6)),
        base=base,
        what="import_events",
    )


def reproduction_with(calls_text: str) -> str:
    return json.dumps({"format": reproduction.FORMAT, "version": 1, "calls": calls_text})


REPRODUCTION_INPUTS = {
    "unclosed string of escaped quotes": (ESCAPED_QUOTES, 200_000),
    "a call script with an unclosed string": (
        lambda n: reproduction_with('rudderanalytics.track("' + '\\"' * n),
        50_000,
    ),
    "a call script of many values and a variable": (
        lambda n: reproduction_with("rudderanalytics.track('x', {" + "a: 1, " * n + "b: c});"),
        2_000,  # 16× stays under the call script's 200,000 characters
    ),
}


@pytest.mark.parametrize("build,base", REPRODUCTION_INPUTS.values(), ids=REPRODUCTION_INPUTS.keys())
def test_reproductions_are_read_in_linear_time(build: Callable[[int], str], base: int) -> None:
    assert_linear_time(
        build, refused(lambda text: reproduction.load(text).scenario()), base=base, what="reproduction.load"
    )
