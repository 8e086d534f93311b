"""SDK calls → RudderStack messages: overloads, stored traits, envelope."""

from __future__ import annotations

import pytest

from app.pintrk.calls import parse_call_script
from app.pintrk.messages import MessageError, build_messages


def messages(script: str, traits: dict | None = None) -> list[dict]:
    return build_messages(parse_call_script(script), traits or {})


def test_track_defaults_properties() -> None:
    [m] = messages('rudderanalytics.track("Track me");')
    assert (m["type"], m["event"], m["properties"]) == ("track", "Track me", {})
    assert m["messageId"] == "msg-1" and m["context"]["traits"] == {}


@pytest.mark.parametrize(
    ("args", "category", "name", "props"),
    [
        ('"Home"', None, "Home", {}),
        ('"Home", {a: 1}', None, "Home", {"a": 1}),
        ('"Cat", "Home"', "Cat", "Home", {}),
        ('"Cat", "Home", {a: 1}', "Cat", "Home", {"a": 1}),
        ("{a: 1}", None, None, {"a": 1}),
        ("", None, None, {}),
    ],
)
def test_page_overloads(args: str, category: str | None, name: str | None, props: dict) -> None:
    [m] = messages(f"rudderanalytics.page({args});")
    assert m.get("category") == category and m.get("name") == name
    for key, value in props.items():
        assert m["properties"][key] == value
    # name and category are copied into the properties, then the page's own fields
    assert m["properties"].get("name") == name and m["properties"].get("category") == category
    assert m["properties"]["url"] and "tab_url" in m["properties"]


def test_documented_page_has_category_first() -> None:
    [m] = messages('rudderanalytics.page("I am new page", "new page category", {path: "path"});')
    assert m["category"] == "I am new page" and m["name"] == "new page category"
    assert list(m["properties"])[:3] == ["path", "name", "category"]


def test_identify_merges_traits_and_every_message_carries_them() -> None:
    script = """
    rudderanalytics.track("Before");
    rudderanalytics.identify("u1", {email: "a@b.c"});
    rudderanalytics.identify({plan: "pro"});
    rudderanalytics.track("After");
    """
    before, first, second, after = messages(script, {"name": "Returning"})
    assert before["context"]["traits"] == {"name": "Returning"} and before["userId"] == ""
    assert first["context"]["traits"] == {"name": "Returning", "email": "a@b.c"}
    assert second["context"]["traits"] == {"name": "Returning", "email": "a@b.c", "plan": "pro"}
    assert after["userId"] == "u1" and after["context"]["traits"]["plan"] == "pro"
    assert [m["messageId"] for m in (before, first, second, after)] == ["msg-1", "msg-2", "msg-3", "msg-4"]


def test_a_different_user_id_starts_fresh_traits() -> None:
    first, second = messages(
        'rudderanalytics.identify("u1", {email: "a@b.c"}); rudderanalytics.identify("u2", {plan: "x"});'
    )
    assert second["context"]["traits"] == {"plan": "x"} and second["userId"] == "u2"


def test_messages_are_deterministic() -> None:
    script = 'rudderanalytics.page(); rudderanalytics.track("A", {b: 1});'
    assert messages(script) == messages(script)


def test_non_object_properties_are_an_error_with_the_line() -> None:
    with pytest.raises(MessageError, match="line 2: the properties of track"):
        messages('rudderanalytics.page();\nrudderanalytics.track("A", "oops");')
