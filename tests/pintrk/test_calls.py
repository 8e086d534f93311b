import math
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.pintrk import limits
from app.pintrk.calls import CallScriptError, SdkCall, parse_call_script

DOCUMENTATION_SAMPLES = [
    (
        'rudderanalytics.track("Track me");',
        "track",
        ("Track me",),
    ),
    (
        "rudderanalytics.track('Event', {customProperty: { customValue: 2 }, "
        "someRandomMailId: 'user@gmail.com'})",
        "track",
        ("Event", {"customProperty": {"customValue": 2}, "someRandomMailId": "user@gmail.com"}),
    ),
    (
        'rudderanalytics.page("I am new page", "new page category", {path: "path", '
        'url: "url", title: "title", search: "search", referrer: "referrer", '
        'testDimension: "true"});',
        "page",
        (
            "I am new page",
            "new page category",
            {
                "path": "path",
                "url": "url",
                "title": "title",
                "search": "search",
                "referrer": "referrer",
                "testDimension": "true",
            },
        ),
    ),
    (
        'rudderanalytics.page("I am new page with no name", {path: "path"});',
        "page",
        ("I am new page with no name", {"path": "path"}),
    ),
    (
        'rudderanalytics.identify("sample_user_id", {name: "Test name", email: "test@emai.com"});',
        "identify",
        ("sample_user_id", {"name": "Test name", "email": "test@emai.com"}),
    ),
]


def only_call(text: str) -> SdkCall:
    [call] = parse_call_script(text)
    return call


def error_of(text: str, **limits: int) -> CallScriptError:
    with pytest.raises(CallScriptError) as caught:
        parse_call_script(text, **limits)
    return caught.value


# --- what parses -----------------------------------------------------------


@pytest.mark.parametrize(("text", "method", "args"), DOCUMENTATION_SAMPLES)
def test_documentation_samples(text, method, args):
    call = only_call(text)
    assert (call.method, call.args) == (method, args)
    assert (call.line, call.column) == (1, 1)
    assert call.source == text.rstrip(";")


def test_all_documentation_samples_in_one_script():
    text = "\n".join(sample for sample, _, _ in DOCUMENTATION_SAMPLES)
    calls = parse_call_script(text)
    assert [(c.method, c.args, c.line) for c in calls] == [
        (method, args, line) for line, (_, method, args) in enumerate(DOCUMENTATION_SAMPLES, 1)
    ]


@pytest.mark.parametrize("text", ["", "   \n\t\n", "// nothing yet\n/* still\nnothing */", ";;"])
def test_empty_or_only_comments(text):
    assert parse_call_script(text) == []


def test_call_without_arguments():
    assert only_call("rudderanalytics.page()").args == ()


def test_object_literal_syntax():
    call = only_call(
        """rudderanalytics.track('Signed up', {
            plan: "pro",
            'quoted key': 'single',
            "double key": "double",
            $price: 9.5,
            items: [1, 2, 3,],
            nested: {ok: true, nothing: null, no: false,},
        },)"""
    )
    assert call.args == (
        "Signed up",
        {
            "plan": "pro",
            "quoted key": "single",
            "double key": "double",
            "$price": 9.5,
            "items": [1, 2, 3],
            "nested": {"ok": True, "nothing": None, "no": False},
        },
    )


def test_strings_with_escapes_brackets_and_comment_lookalikes():
    call = only_call(r"""rudderanalytics.track('it\'s', "say \"hi\")", "http://example.com/*x*/", '{[(')""")
    assert call.args == ("it's", 'say "hi")', "http://example.com/*x*/", "{[(")


def test_comments_between_calls_and_inside_arguments():
    text = """// the first call
rudderanalytics.track("A" /* inline */, { // trailing
  /* before a key */ key: 1, // after a value
});
/* between
   calls */
rudderanalytics.page() // after a call"""
    calls = parse_call_script(text)
    assert [(c.method, c.args, c.line) for c in calls] == [
        ("track", ("A", {"key": 1}), 2),
        ("page", (), 7),
    ]


def test_window_prefix_is_part_of_the_call():
    call = only_call('  window.rudderanalytics.track("A")')
    assert (call.method, call.args) == ("track", ("A",))
    assert (call.line, call.column) == (1, 3)
    assert call.source == 'window.rudderanalytics.track("A")'


def test_optional_semicolons_and_blank_lines():
    text = 'rudderanalytics.track("A")\n\n\nrudderanalytics.page();;\n\nrudderanalytics.identify("u")'
    assert [(c.method, c.line) for c in parse_call_script(text)] == [
        ("track", 1),
        ("page", 4),
        ("identify", 6),
    ]


def test_whitespace_between_tokens():
    call = only_call('window . rudderanalytics . track ( "A" , { a : 1 } )')
    assert (call.method, call.args) == ("track", ("A", {"a": 1}))


def test_multi_line_call_reports_where_it_starts():
    text = 'rudderanalytics.page();\n\n    rudderanalytics.track(\n      "Order",\n      {total: 3}\n    );'
    call = parse_call_script(text)[1]
    assert (call.method, call.args) == ("track", ("Order", {"total": 3}))
    assert (call.line, call.column) == (3, 5)
    assert call.source == 'rudderanalytics.track(\n      "Order",\n      {total: 3}\n    )'


def test_source_is_the_exact_slice():
    text = '/* c */ rudderanalytics . track ( "A" /* keep */ ) ; rudderanalytics.page()'
    first, second = parse_call_script(text)
    assert first.source == 'rudderanalytics . track ( "A" /* keep */ )'
    assert second.source == "rudderanalytics.page()"
    assert text[8 : 8 + len(first.source)] == first.source


def test_duplicate_keys_keep_first_position_and_last_value():
    call = only_call("rudderanalytics.track('A', {a: 1, b: 2, a: 3})")
    properties = call.args[1]
    assert properties == {"a": 3, "b": 2}
    assert list(properties) == ["a", "b"]


# --- numbers ---------------------------------------------------------------


def number(literal: str):
    return only_call(f"rudderanalytics.track('A', {literal})").args[1]


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("1.0", 1),
        ("-0.0", 0),
        ("0x1F", 31),
        ("2.5", 2.5),
        ("9007199254740992", 2**53),
        ("9007199254740992.0", 2**53),
        ("12345678901234567890", 12345678901234567890.0),
        ("1e21", 1e21),
        ("-1" + "0" * 500, -math.inf),
        ("0x" + "f" * 400, math.inf),
        ("Infinity", math.inf),
    ],
)
def test_numbers_are_normalised_like_javascript(literal, expected):
    value = number(literal)
    assert value == expected
    assert type(value) is type(expected)


def test_nan_stays_float_and_booleans_stay_booleans():
    assert math.isnan(number("NaN"))
    assert number("[true, 1.0, {x: 2.0}]") == [True, 1, {"x": 2}]
    assert [type(v) for v in number("[true, 1.0]")] == [bool, int]


def test_negative_zero_becomes_plain_zero():
    value = number("-0.0")
    assert value == 0 and type(value) is int and math.copysign(1, value) == 1


# --- errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        pytest.param(
            "rudderanalytics.track('ok');\nrudderanalytics.alias('new-id');",
            2,
            17,
            ['"alias"', "track, page and identify"],
            id="unknown method",
        ),
        pytest.param(
            'rudderanalytics.load("WRITE_KEY", "https://dataplane")',
            1,
            17,
            ["loads the SDK for you", "track, page and identify"],
            id="load",
        ),
        pytest.param('rudderanalytics.Track("A")', 1, 17, ['write "track"'], id="method case"),
        pytest.param(
            'rudderanalytics.identify("sample_user_id", {\n  name: "Test name",\n  email: userEmail,\n});',
            3,
            10,
            ['in rudderanalytics.identify(…), "userEmail" is not a value', "literal values"],
            id="variable",
        ),
        pytest.param(
            'rudderanalytics.track("A", {email: user.email})',
            1,
            36,
            ['"user.email" is not a value'],
            id="property of a variable",
        ),
        pytest.param(
            'rudderanalytics.track("Clicked", function () {});',
            1,
            34,
            ["rudderanalytics.track(…)", "functions are not allowed"],
            id="function",
        ),
        pytest.param(
            'rudderanalytics.track("Clicked", {total: () => 1});',
            1,
            42,
            ["arrow functions are not allowed"],
            id="arrow function",
        ),
        pytest.param(
            'rudderanalytics.track("Clicked", {total: x => 1});',
            1,
            42,
            ["arrow functions are not allowed"],
            id="arrow function with bare parameter",
        ),
        pytest.param(
            'rudderanalytics.track("Order", {total: 1);',
            1,
            32,
            ['this "{" is never closed', 'add the matching "}"'],
            id="unbalanced brace",
        ),
        pytest.param(
            'rudderanalytics.track("Order", {total: 1}\nrudderanalytics.page()',
            1,
            22,
            ['this "(" is never closed'],
            id="call never closed",
        ),
        pytest.param(
            'rudderanalytics.track("Order"));',
            1,
            31,
            ['this ")" has no matching "("'],
            id="stray parenthesis",
        ),
        pytest.param(
            'rudderanalytics.track("Order", {a: 1}});',
            1,
            38,
            ['this "}" has no matching "{"'],
            id="stray brace",
        ),
        pytest.param(
            'rudderanalytics.track("Order, {total: 1});',
            1,
            23,
            ['missing its closing "'],
            id="unterminated string",
        ),
        pytest.param(
            "rudderanalytics.track('Order\n', {});",
            1,
            23,
            ["missing its closing '"],
            id="string broken by a line break",
        ),
        pytest.param(
            'rudderanalytics.track "Order";', 1, 22, ['add "(" after rudderanalytics.track'], id="missing ("
        ),
        pytest.param(
            "console.log(1)", 1, 1, ['"console.log" is not a rudderanalytics call'], id="not a call"
        ),
        pytest.param("  foo", 1, 3, ['"foo" is not a rudderanalytics call'], id="bare word"),
        pytest.param(
            "rudderanalytics.track('a');\nhello world\nrudderanalytics.page();",
            2,
            1,
            ['"hello" is not a rudderanalytics call'],
            id="garbage between calls",
        ),
        pytest.param(
            "rudderanalytics.track('a') + rudderanalytics.track('b')",
            1,
            28,
            ['unexpected "+"'],
            id="operator between calls",
        ),
        pytest.param("<script>rudderanalytics.page()</script>", 1, 1, ["<script> tags"], id="html"),
        pytest.param('rudderanalytics.track("A", `template`)', 1, 28, ["backticks"], id="template string"),
        pytest.param('rudderanalytics.track("A" "B")', 1, 27, ["separated by commas"], id="missing comma"),
        pytest.param(
            "rudderanalytics.page()\n/* never closed", 2, 1, ['add "*/"'], id="unterminated comment"
        ),
        pytest.param("rudderanalytics", 1, 16, ['after "rudderanalytics"'], id="no method"),
        pytest.param('rudderanalytics.track("A", {a: undefined})', 1, 32, ["use null"], id="undefined"),
        pytest.param('rudderanalytics.track("A", {at: new Date()})', 1, 33, ['"new …"'], id="new"),
        pytest.param(
            'rudderanalytics.track("A", {a: 1e})', 1, 22, ['"1e" is not a valid number'], id="bad number"
        ),
        pytest.param("rudderanalytics.track('a');\r\nrudderanalytics.alias()", 2, 17, ['"alias"'], id="CRLF"),
    ],
)
def test_errors_point_at_the_problem(text, line, column, words):
    error = error_of(text)
    assert (error.line, error.column) == (line, column)
    for word in words:
        assert word in error.message
    assert str(error) == f"line {line}, column {column}: {error.message}"


def test_error_is_a_value_error():
    assert issubclass(CallScriptError, ValueError)


# --- limits ----------------------------------------------------------------


def test_too_many_calls():
    text = "rudderanalytics.page()\nrudderanalytics.page()\nrudderanalytics.page()"
    assert len(parse_call_script(text, max_calls=3)) == 3
    error = error_of(text, max_calls=2)
    assert (error.line, error.column) == (3, 1)
    assert "at most 2 calls" in error.message


def test_too_deep():
    text = 'rudderanalytics.track("e", {a: {b: {c: {d: 1}}}})'
    assert parse_call_script(text, max_depth=4)
    error = error_of(text, max_depth=3)
    assert (error.line, error.column) == (1, 40)
    assert "more than 3 levels" in error.message


@pytest.mark.parametrize(
    "arguments",
    [
        "{a:" * 64 + "1" + "}" * 64,
        "[" * 64 + "]" * 64,
        "[{a:" * 32 + "1" + "}]" * 32,
    ],
)
def test_default_depth_limit_is_reachable(arguments):
    assert only_call(f"rudderanalytics.track('e', {arguments})").method == "track"


@pytest.mark.parametrize(
    "arguments",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a:" * 10_000 + "1" + "}" * 10_000,
        "[" * 10_000,
    ],
)
def test_absurd_nesting_is_a_call_script_error(arguments):
    error = error_of(f"rudderanalytics.track('e', {arguments})")
    assert "more than 64 levels" in error.message


def test_too_long():
    text = "rudderanalytics.page()"
    assert parse_call_script(text, max_length=len(text))
    error = error_of(text, max_length=10)
    assert (error.line, error.column) == (1, 11)
    assert "at most 10 characters" in error.message


# --- robustness --------------------------------------------------------------


@settings(max_examples=300)
@given(st.text())
def test_arbitrary_text_parses_or_raises_call_script_error(text):
    try:
        assert isinstance(parse_call_script(text), list)
    except CallScriptError:
        pass


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("{}[]()'\"`/*\\\n ,:ax1.-=>$"), max_size=40))
def test_arbitrary_arguments_parse_or_raise_call_script_error(arguments):
    try:
        parse_call_script(f"rudderanalytics.track({arguments})")
    except CallScriptError as error:
        assert error.line >= 1 and error.column >= 1


# --- recursion: no process-wide switch ------------------------------------------------------

DEEPEST = 64  # app.web.limits.MAX_CALL_NESTING, the parser's default max_depth


def _deep(inner: str, levels: int = DEEPEST) -> str:
    return "rudderanalytics.track('e', " + "{a: [" * (levels // 2) + inner + "]}" * (levels // 2) + ");"


def _with_frames_used(frames: int, work):
    """``work()`` called from ``frames`` Python frames deeper than here (a deep caller)."""
    return work() if frames == 0 else _with_frames_used(frames - 1, work)


def test_the_deepest_allowed_call_parses_within_the_default_recursion_limit():
    limit = sys.getrecursionlimit()
    assert only_call(_deep("1")).args[1]["a"][0]["a"][0]["a"][0]
    error = error_of(_deep("userEmail"))
    assert '"userEmail" is not a value' in error.message
    assert error.column == _deep("userEmail").index("userEmail") + 1
    assert sys.getrecursionlimit() == limit  # nothing raised it


def test_json5_reads_what_pyjson5_refuses_as_deep_as_it_may_from_a_deep_caller():
    """json5 (pure Python, recursive) reads refused arguments up to MAX_JSON5_NESTING levels:
    there, 1e400 is read as JavaScript reads it, even from a caller 300 frames deep."""
    levels = limits.MAX_JSON5_NESTING - 1  # the added "[" around the arguments is one more
    text = _deep("1e400", levels - levels % 2)
    call = _with_frames_used(300, lambda: only_call(text))
    assert call.method == "track"
    # Deeper, pyjson5's own error explains the refusal (as for scripts too long for json5).
    error = error_of(_deep("1e400"))
    assert '"1e400" is not a number the playground can read' in error.message


def test_a_thread_with_a_small_stack_parses_the_deepest_call():
    results: list[object] = []

    def parse() -> None:
        results.append(only_call(_deep("1")).method)
        results.append(error_of(_deep("new Date")).message)
        levels = limits.MAX_JSON5_NESTING - 2
        results.append(error_of(_deep("new Date", levels)).message)

    previous = threading.stack_size(256 * 1024)
    try:
        thread = threading.Thread(target=parse)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(previous)
    assert results[0] == "track"
    assert all('"new …" is not allowed' in str(message) for message in results[1:])


def test_error_is_an_input_error_with_a_location():
    from app.pintrk import InputError
    from app.pintrk.errors import at_line

    error = error_of("rudderanalytics.track('a');\nrudderanalytics.alias()")
    assert isinstance(error, InputError) and error.code == "invalid-calls"
    assert (
        error.location == at_line(2, 17) and str(error.location.inside("calls")) == "calls: line 2, column 17"
    )
