"""One scenario source at a time, without JavaScript: the switch, Run on the source shown, the
enhanced-match note beside pasted events, and the blank form's honesty."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

import app.web.pasted_events as pasted_events
from app.web.state import PlaygroundState
from tests.fixtures.live_events import LIVE_TRACK
from tests.web.pages import Page, Playground

TID = "2612345678901"
TRACK = LIVE_TRACK
BATCH = {
    "batch": [
        {
            "type": "page",
            "name": "Shoes",
            "messageId": "p-1",
            "context": {"traits": {"email": "jane@example.com"}},
        },
        {**TRACK, "messageId": "o-1"},
    ]
}
CALLS = 'rudderanalytics.track("Lead");'
PINTRK = '[["load", "2612345678901"], ["page"]]'


def shown(page: Page) -> list[str]:
    """The sources whose panel is shown (the server marks the same tab as current)."""
    panels = [
        p["data-source-panel"] for p in page.soup.select("[data-source-panel]") if not p.has_attr("hidden")
    ]
    current = [t["data-source"] for t in page.soup.select('[data-source-switch] [aria-current="true"]')]
    assert current == panels
    return panels


def notice(page: Page) -> str:
    found = page.soup.select_one(".notice")
    return found.get_text(" ", strip=True) if found else ""


def results(page: Page) -> str:
    return page.soup.select_one("#results").get_text(" ", strip=True)


def offer(page: Page, key: str) -> str | None:
    """The offer's note text, or None when the box is hidden."""
    box = page.soup.select_one(f"#offer-{key}")
    assert box is not None
    return None if box.has_attr("hidden") else box.select_one("[data-note-for]").get_text(" ", strip=True)


def with_text(playground: Playground) -> Page:
    page = playground.get()
    return playground.submit(page, "run", {"tag_id": TID, "calls": CALLS, "pintrk": PINTRK})


# -- the switch ----------------------------------------------------------------------------------------------


def test_the_switch_has_three_sources_and_one_is_shown(playground: Playground) -> None:
    page = playground.get()
    tabs = page.soup.select("[data-source-switch] button[data-source]")
    assert [(t["value"], t.get_text(strip=True)) for t in tabs] == [
        ("use-calls", "SDK calls"),
        ("use-events", "Pasted RudderStack events"),
        ("use-pintrk", "pintrk calls (tag only)"),
    ]
    assert all(t["type"] == "submit" and t["name"] == "action" for t in tabs)  # no script needed
    assert shown(page) == ["calls"]
    # The examples picker and the call builder belong with the SDK calls.
    calls_panel = page.soup.select_one("#source-panel-calls")
    assert calls_panel.select_one("#preset") and calls_panel.select_one("#builder_event")
    assert page.soup.select_one("#source-panel-events #messages")
    assert page.soup.select_one("#source-panel-pintrk #pintrk")
    assert len(page.soup.select(".run-bar button[value=run]")) == 1


@pytest.mark.parametrize(("action", "source"), [("use-events", "events"), ("use-pintrk", "pintrk")])
def test_each_tab_switches_and_keeps_every_text(playground: Playground, action: str, source: str) -> None:
    page = with_text(playground)
    events = json.dumps(BATCH)
    switched = playground.submit(page, action, {"messages": events})
    assert switched.value("scenario_source") == source and shown(switched) == [source]
    # Every field's text is kept, the hidden ones included (they are still in the form).
    assert (switched.value("calls"), switched.value("messages"), switched.value("pintrk")) == (
        CALLS,
        events,
        PINTRK,
    )
    back = playground.submit(switched, "use-calls")
    assert back.value("scenario_source") == "calls" and shown(back) == ["calls"]
    assert (back.value("calls"), back.value("messages"), back.value("pintrk")) == (CALLS, events, PINTRK)
    assert back.calls_json()[-1] == '["track","Lead",{}]'


def test_paste_a_batch_then_run_runs_its_commands(playground: Playground) -> None:
    """The reported bug: paste a batch, press Run. Run runs the source shown."""
    page = playground.submit(playground.get(), "use-events", {"tag_id": TID})
    assert shown(page) == ["events"] and "Paste what the customer sent below" in notice(page)
    after = playground.submit(page, "run", {"messages": json.dumps(BATCH, indent=2)})
    assert after.calls_json() == [
        f'["load","{TID}"]',
        '["page"]',
        '["track","PageVisit",{"name":"Shoes"}]',
        '["track","Checkout",{"value":20,"currency":"USD"}]',
    ]
    assert "2 imported events →" in results(after) and shown(after) == ["events"]


def test_run_runs_the_shown_source_whatever_else_is_typed(
    client: FlaskClient, playground: Playground
) -> None:
    page = playground.get()
    for source, last in [
        ("calls", '["track","Lead",{}]'),
        ("events", '["track","Checkout",{"value":20,"currency":"USD"}]'),
        ("pintrk", '["page"]'),
    ]:
        changes = {"tag_id": TID, "calls": CALLS, "messages": json.dumps(TRACK), "pintrk": PINTRK}
        after = playground.submit(page, "run", {**changes, "scenario_source": source})
        assert shown(after) == [source] and after.calls_json()[-1] == last


def test_unreadable_events_switch_and_are_marked(playground: Playground) -> None:
    page = playground.submit(with_text(playground), "use-events", {"messages": "{nope"})
    assert shown(page) == ["events"] and page.value("messages") == "{nope"
    assert "Line 1" in page.error("messages") and "can't be read yet" in notice(page)


# -- pasted events with an e-mail explain enhanced match --------------------------------------------------------


def events_page(playground: Playground, payload: Any, **changes: Any) -> Page:
    page = playground.submit(playground.get(), "use-events", {"tag_id": TID})
    return playground.submit(page, "run", {"messages": json.dumps(payload), **changes})


def test_a_live_events_track_with_an_email_explains_enhanced_match(playground: Playground) -> None:
    page = events_page(playground, TRACK)
    note = offer(page, "enhanced_match_offer")
    assert note is not None
    assert "event 1's context.traits.email" in note and "Enhanced match is off" in note
    assert "sends the visitor's e-mail, hashed, with the tag's load()" in note
    # Worked out by replaying with it on: today no beacon carries the e-mail.
    assert "2 of 2 beacons would carry a hashed e-mail instead of 0" in note
    assert "puts event 1's context.traits in Initial traits" in note
    button = page.soup.select_one("#offer-enhanced_match_offer button")
    assert (button["value"], button.get_text(strip=True)) == (
        "turn-on-enhanced-match",
        "Turn on enhanced match",
    )

    on = playground.submit(page, "turn-on-enhanced-match")
    assert on.value("enhanced_match") == "y"
    assert json.loads(on.value("initial_traits")) == {"email": "jane@example.com"}
    assert "Enhanced match is on" in notice(on) and shown(on) == ["events"]
    summary = on.soup.select_one("p.summary")
    assert "(2 with a hashed e-mail: row 2, row 3)" in summary.get_text()
    assert [a["href"] for a in summary.select("a.email-row-link")] == ["#entry-1", "#entry-2"]
    assert offer(on, "enhanced_match_offer") is None  # said and done


def test_typed_initial_traits_are_kept_when_enhanced_match_is_turned_on(playground: Playground) -> None:
    page = events_page(playground, BATCH, initial_traits='{"email": "joe@example.com"}')
    note = offer(page, "enhanced_match_offer")
    assert note is not None and "initial traits" not in note.split("With it on")[1].split(".")[0]
    assert "3 of 3 beacons would carry a hashed e-mail instead of 0" in note
    on = playground.submit(page, "turn-on-enhanced-match")
    assert on.value("enhanced_match") == "y" and on.value("initial_traits") == '{"email": "joe@example.com"}'


def test_the_note_says_so_when_enhanced_match_would_change_nothing(playground: Playground) -> None:
    identify = {
        "type": "identify",
        "userId": "u-1",
        "messageId": "i-1",
        "context": {"traits": {"email": "a@b.co"}},
    }
    page = events_page(playground, [identify, TRACK])
    note = offer(page, "enhanced_match_offer")
    assert note is not None and "nothing would change for these events" in note


@pytest.mark.parametrize(
    ("payload", "changes"),
    [
        (TRACK, {"enhanced_match": True}),  # on already
        ({**TRACK, "context": {"traits": {"name": "Jane"}}}, {}),  # no e-mail
    ],
)
def test_no_note_without_a_reason(playground: Playground, payload: Any, changes: dict[str, Any]) -> None:
    assert offer(events_page(playground, payload, **changes), "enhanced_match_offer") is None


def test_the_note_costs_one_replay_and_only_when_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = pasted_events.replay
    monkeypatch.setattr(pasted_events, "replay", lambda *a, **k: calls.append(a) or real(*a, **k))
    settings = {"tagId": TID, "enhancedMatch": False}
    assert (
        "enhanced_match_offer"
        in PlaygroundState(settings, "sdk-v3", "", "", messages=json.dumps(TRACK)).run().notes
    )
    assert len(calls) == 1
    identify = {
        "type": "identify",
        "userId": "u",
        "messageId": "i",
        "context": {"traits": {"email": "a@b.co"}},
    }
    # An identify first: no traits stored before it, so load() has no e-mail either way (not replayed).
    said = PlaygroundState(settings, "sdk-v3", "", "", messages=json.dumps([identify, TRACK])).run().notes
    assert "nothing would change" in said["enhanced_match_offer"][0]
    for state in (
        PlaygroundState({**settings, "enhancedMatch": True}, "sdk-v3", "", "", messages=json.dumps(TRACK)),
        PlaygroundState(settings, "sdk-v3", 'rudderanalytics.identify("u", {email: "a@b.co"});', ""),
    ):
        assert "enhanced_match_offer" not in state.run().notes
    assert len(calls) == 1


def test_live_updates_carry_the_note(playground: Playground, client: FlaskClient) -> None:
    page = events_page(playground, TRACK)
    data = MultiDict(playground.form_data(page))
    response = client.post("/render", data=data, headers={"X-CSRFToken": page.value("csrf_token")})
    notes = response.get_json()["notes"]
    assert "2 of 2 beacons" in notes["enhanced_match_offer"][0]
    assert notes["event_traits"][0].startswith("Event 1 carries stored traits (email)")


# -- the honest blank form -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("run", "There are no SDK calls"),
        ("use-events", "No RudderStack events are pasted"),
        ("use-pintrk", "There are no pintrk calls"),
    ],
)
def test_running_the_blank_form_says_what_to_do(playground: Playground, action: str, words: str) -> None:
    page = playground.submit(playground.get(), action)
    assert page.error("messages") == "" and page.error("pintrk") == ""
    text = results(page)
    assert "Nothing to run yet" in text and words in text
    assert "0 SDK calls" not in text and "No problems found" not in text and "Tag ID is empty" not in text
    run = playground.submit(page, "run")
    assert words in results(run)


def test_comments_only_are_nothing_to_run_and_a_call_runs(playground: Playground) -> None:
    page = playground.submit(playground.get(), "run", {"calls": "// later"})
    assert "Nothing to run yet" in results(page)
    page = playground.submit(page, "run", {"calls": CALLS})
    assert "Nothing to run yet" not in results(page) and page.calls_json()[-1] == '["track","Lead",{}]'


def test_placeholders_are_examples(playground: Playground) -> None:
    page = playground.get()
    section = page.soup.select_one("#playground-form")
    placeholders = {
        control["name"]: control["placeholder"]
        for control in section.select("[placeholder]")
        if control["name"] != "reproduction_text"
    }
    for name in (
        "tag_id",
        "deduplication_key",
        "calls",
        "messages",
        "pintrk",
        "initial_traits",
        "builder_event",
    ):
        assert name in placeholders
    for name in ("builder_user_id", "builder_name", "builder_category", "builder_data"):
        assert name in placeholders
    assert all(re.match(r"e\.g\.[ \n]", text) for text in placeholders.values()), placeholders
    rows = playground.submit(playground.submit(page, "add-mapping"), "add-property")
    row_placeholders = [c["placeholder"] for c in rows.soup.select(".row-item [placeholder]")]
    assert len(row_placeholders) == 3 and all(text.startswith("e.g. ") for text in row_placeholders)
