"""The support pages without JavaScript: compare profiles, import events, decode beacons, reproductions."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from app import create_app
from app.pintrk.jsvalue import loads
from app.pintrk.reproduction import FORMAT, load
from app.web.permalink import encode
from app.web.reproduction_state import UploadTooLarge, read_upload
from app.web.state import PlaygroundState
from tests.fixtures import make_har
from tests.web.pages import Page, Playground, soup_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HAR = FIXTURES / "pintrk-visit.har"
TID = "2612345678901"


# Profiles disagree here: docs maps Product List Viewed to Search and sends custom properties on pages.
COMPARE_CALLS = (
    'rudderanalytics.page("Shoes", {plan: "pro"});\n'
    'rudderanalytics.track("Product List Viewed", {list_id: "l-1", plan: "pro"});\n'
)
COMPARE_STATE = PlaygroundState(
    {"tagId": TID, "customProperties": [{"properties": "plan"}]}, "docs", COMPARE_CALLS, ""
)

MESSAGES = [
    {
        "type": "page",
        "name": "Shoes",
        "messageId": "0f1e2d3c-4b5a-6978",
        "anonymousId": "a-1",
        "properties": {"plan": "pro"},
        "context": {"traits": {"email": "jane@example.com"}},
    },
    {"type": "screen", "name": "Home", "messageId": "s-1"},
    {
        "type": "track",
        "event": "Order Completed",
        "messageId": "m-2",
        "properties": {"revenue": 20, "currency": "USD", "order_id": "o-1"},
        "context": {"traits": {}},
    },
    "not a message",
    {"type": "track", "event": "Signed Up", "properties": {"plan": "pro"}, "context": {"traits": {}}},
]
BATCH = {"batch": MESSAGES, "sentAt": "2024-05-01T10:00:00.000Z", "writeKey": "wk-1"}
VALID = [MESSAGES[0], MESSAGES[2], MESSAGES[4]]


def har_state(calls: str = make_har.CALLS, profile: str = make_har.PROFILE) -> PlaygroundState:
    return PlaygroundState(make_har.SETTINGS, profile, calls, "")


def origins(page: Page) -> list[str]:
    return [
        row.select_one("td.origin").get_text(" ", strip=True).replace(" :", ":")
        for row in page.soup.select("tr.log-row")
    ]


def shown_source(page: Page) -> str:
    """The scenario source whose editor is shown (the others' panels are hidden)."""
    shown = [
        p["data-source-panel"] for p in page.soup.select("[data-source-panel]") if not p.has_attr("hidden")
    ]
    assert len(shown) == 1, shown
    current = page.soup.select('[data-source-switch] [aria-current="true"]')
    assert [tab["data-source"] for tab in current] == shown
    return str(shown[0])


def text_of(page: Page, selector: str) -> str:
    found = page.soup.select_one(selector)
    assert found is not None, selector
    return found.get_text(" ", strip=True)


def text_of_in(element: Any, selector: str) -> str:
    found = element.select_one(selector)
    assert found is not None, selector
    return " ".join(found.get_text(" ", strip=True).split())


# -- compare profiles -----------------------------------------------------------------------------------------


def test_compare_shows_three_columns_and_explains_each_difference(playground: Playground) -> None:
    token = COMPARE_STATE.to_token()
    page = playground.get(f"/compare?s={token}")
    assert page.response.status_code == 200
    heads = [th.get_text(" ", strip=True) for th in page.soup.select("table.compare-table thead th")]
    assert len(heads) == 4 and [h.split()[0] for h in heads[1:]] == ["docs", "sdk-v1", "sdk-v3"]
    assert "your profile" in heads[1]

    rows = page.soup.select("tbody.compare-row")
    assert len(rows) == 3  # initialisation + one row per SDK call, aligned across the profiles
    assert all(len(row.select("td.profile-cell")) == 3 for row in rows)
    assert "row-differs" not in rows[0]["class"]
    assert text_of(page, "#row-2 .call-cell").startswith("◆ differs line 2")
    assert text_of(page, "#row-0 .call-cell").startswith("= same in every profile")

    # The track row: docs sends Search, the SDKs the event's own name; highlighted with a symbol and words.
    docs, v1, v3 = rows[2].select("td.profile-cell")
    docs_track = docs.select_one("li.cmd-differs")
    assert docs_track is not None and "Search" in docs_track.get_text()
    # "command differs" and "value differs" have their own symbols and words.
    assert text_of_in(docs_track, ".kind-command") == "◆ command differs"
    assert docs_track.select_one(".cmd-label.f-changed") is not None
    assert "(differs)" in docs_track.select_one(".cmd-label").get_text()
    assert any(
        " ".join(li.get_text(" ", strip=True).split()).startswith("+ extra here event_id :")
        for li in v3.select("li.f-extra")
    )
    missing = docs.select_one("li.f-missing")
    assert text_of_in(missing, ".kind-badge") == "− missing here" and "not sent" in missing.get_text()
    assert "+ not in every profile" in v3.get_text()  # sdk-v3's limited-data-processing set()
    assert "Product List Viewed" in v1.select_one("li.cmd-differs .cmd-label").get_text()

    why = " ".join(li.get_text(" ", strip=True) for li in rows[2].select("ul.why li"))
    assert (
        "docs maps 'Product List Viewed' to Search; the SDKs don't (they send 'Product List Viewed')" in why
    )
    page_why = " ".join(li.get_text(" ", strip=True) for li in rows[1].select("ul.why li"))
    assert "docs sends custom properties on page calls (plan); the SDKs don't" in page_why

    summary = text_of(page, "#summary h2")
    assert summary.startswith("◆") and "differences, in 2 of 3 rows" in summary
    legend = text_of(page, "#legend")
    assert all(
        kind in legend for kind in ("◆ command differs", "≠ value differs", "+ extra here", "− missing here")
    )
    listed = [li.get_text(" ", strip=True) for li in page.soup.select("#summary li")]
    assert any("maps 'Product List Viewed' to Search" in item for item in listed)
    assert any(item.startswith("sdk-v3 adds event_id") for item in listed)
    # Back to the playground with the same state.
    assert page.soup.find("a", string="← Back to the playground")["href"] == f"/?s={token}"


def test_compare_without_differences_says_so(playground: Playground) -> None:
    state = PlaygroundState({"tagId": TID}, "docs", "", "")
    page = playground.get(f"/compare?s={state.to_token()}")
    assert "No differences" in text_of(page, "#summary h2")
    assert not page.soup.select(".cmd-differs")


def test_the_results_toolbar_links_to_the_support_pages(playground: Playground) -> None:
    token = COMPARE_STATE.to_token()
    page = playground.get(f"/?s={token}")
    assert page.soup.find(id="compare-link")["href"] == f"/compare?s={token}"
    assert page.soup.find(id="decode-link")["href"] == f"/decode?s={token}"
    assert page.soup.find("a", string="Save reproduction (.json)")["href"] == f"/reproduction?s={token}"
    assert page.soup.find("a", string="Decode beacons")["href"] == "/decode"


@pytest.mark.parametrize("path", ["/compare?s=broken", "/compare?s=1.abc", "/compare", "/decode?s=2.xyz"])
def test_bad_tokens_get_the_friendly_400(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    soup = soup_of(response)
    assert soup.select_one(".error-page h1") is not None
    assert soup.find("a", string="Open a fresh playground")["href"] == "/"


def test_compare_of_a_scenario_with_errors_explains(client: FlaskClient) -> None:
    state = PlaygroundState({"tagId": TID}, "docs", "rudderanalytics.track(", "")
    response = client.get(f"/compare?s={state.to_token()}")
    assert response.status_code == 400 and "fix the marked fields" in response.text


# -- import events -------------------------------------------------------------------------------------------------


LEAD_STATE = PlaygroundState({"tagId": TID}, "sdk-v3", 'rudderanalytics.track("Lead");', "")


def use_events(playground: Playground, payload: Any, page: Page | None = None, **changes: Any) -> Page:
    """Paste ``payload`` on a page with a call script (or ``page``) and press "Use these events"."""
    page = page or playground.get(f"/?s={LEAD_STATE.to_token()}")
    text = payload if isinstance(payload, str) else json.dumps(payload, indent=1)
    return playground.submit(page, "use-events", {"messages": text, **changes})


def test_one_message_becomes_the_scenario(playground: Playground) -> None:
    after = use_events(playground, MESSAGES[2])
    assert after.value("scenario_source") == "events"
    assert after.calls_json() == [
        f'["load","{TID}"]',
        '["page"]',
        '["set",{"opt_out_type":"","st":"","country":""}]',
        '["track","Checkout",{"value":20,"currency":"USD","order_id":"o-1","line_items":[{}],"event_id":"m-2"}]',
    ]
    assert origins(after)[3] == 'event 1 (messageId m-2): track "Order Completed"'
    assert "Scenario: 1 imported event" in text_of(after, ".notice")
    assert shown_source(after) == "events"
    assert "1 imported event →" in text_of(after, "p.summary")
    # The call script is kept, unused, for switching back.
    assert after.value("calls") == 'rudderanalytics.track("Lead");'


def test_a_list_keeps_message_ids_and_reports_bad_entries_by_index(playground: Playground) -> None:
    after = use_events(playground, MESSAGES)
    error = after.error("messages")
    assert "2 entries were left out (3 events loaded)" in error
    assert "Entry 2 ([1]): Type 'screen' is not handled by the Pinterest integration." in error
    assert "Entry 4 ([3]): Not an object: it is text." in error
    assert "Entry 5 ([4]): No messageId" in text_of(after, "#note-messages")
    # The valid ones still load, messageIds and all, and the log says which event each row came from.
    rows = after.calls_json()
    assert '"event_id":"0f1e2d3c-4b5a-6978"' in rows[3] and '"event_id":"m-2"' in rows[5]
    got = origins(after)
    assert got[3].startswith("event 1 (messageId 0f1e2d3c-4…)") and got[3].endswith('page "Shoes"')
    assert got[5].startswith("event 3 (messageId m-2)")
    assert got[7] == 'event 5: track "Signed Up"'
    assert [s.get_text(" ", strip=True) for s in after.soup.select(".step-where")][1:] == [
        "event 1 (messageId 0f1e2d3c-4…)",
        "event 3 (messageId m-2)",
        "event 5",
    ]
    assert "Some pasted entries were left out" in text_of(after, "p.summary")


def test_a_batch_body_loads_and_survives_the_permalink(playground: Playground) -> None:
    text = json.dumps(BATCH, indent=2)
    after = use_events(playground, text)
    assert "Entry 2 (batch[1])" in after.error("messages")
    permalink = after.soup.find(id="results")["data-permalink"]
    again = playground.get(permalink)
    assert again.calls_json() == after.calls_json() and origins(again) == origins(after)
    assert again.value("messages") == text  # verbatim, as pasted
    assert again.value("scenario_source") == "events"
    state = PlaygroundState.from_token(permalink.removeprefix("/?s="))
    assert state.messages == text and state.calls == 'rudderanalytics.track("Lead");'
    # Running the reopened page again changes nothing.
    assert playground.submit(again, "run").calls_json() == after.calls_json()


def test_tokens_made_before_imported_events_still_open(playground: Playground) -> None:
    old = encode({"s": {"tagId": TID}, "p": "docs", "c": 'rudderanalytics.track("Lead");', "t": ""})
    state = PlaygroundState.from_token(old)
    assert state.messages is None and state.to_token() == old
    page = playground.get(f"/?s={old}")
    assert page.value("scenario_source") == "calls" and shown_source(page) == "calls"
    assert page.calls_json()[-1] == '["track","Lead",{}]'


@pytest.mark.parametrize(
    "bad",
    [{"s": {}, "p": "docs", "c": "", "t": "", "m": 5}, {"s": {}, "p": "docs", "c": "", "t": "", "x": ""}],
)
def test_a_damaged_events_token_is_refused(client: FlaskClient, bad: dict[str, Any]) -> None:
    response = client.get(f"/?s={encode(bad)}")
    assert response.status_code == 400 and "damaged" in response.text


def test_switching_back_to_the_call_script_keeps_the_events(playground: Playground) -> None:
    events = use_events(playground, MESSAGES[2])
    back = playground.submit(events, "use-calls")
    assert back.value("scenario_source") == "calls"
    assert back.calls_json()[-1] == '["track","Lead",{"line_items":[{}],"event_id":"msg-1"}]'
    assert json.loads(back.value("messages")) == MESSAGES[2]
    assert shown_source(back) == "calls"  # the events wait, hidden, in their tab


def test_unreadable_events_are_shown_with_what_is_wrong(playground: Playground) -> None:
    """The switch always switches: unreadable events are the scenario, marked, and kept as pasted."""
    after = use_events(playground, '[{"type": "track",')
    assert after.value("scenario_source") == "events" and shown_source(after) == "events"
    assert after.error("messages").startswith("Line 1, column 19: The payload is not valid JSON")
    assert after.value("messages") == '[{"type": "track",'  # nothing typed is lost
    assert after.value("calls") == 'rudderanalytics.track("Lead");'
    assert after.calls_json() == []  # nothing ran from the broken paste
    assert "can't be read yet" in text_of(after, ".notice")
    empty = use_events(playground, "  ")
    assert empty.error("messages") == "" and shown_source(empty) == "events"
    assert "Paste what the customer sent below" in text_of(empty, ".notice")
    assert "No RudderStack events are pasted" in text_of(empty, "#nothing-to-run")


def test_the_first_events_traits_are_offered_as_initial_traits(playground: Playground) -> None:
    after = use_events(playground, BATCH)
    assert "use them as initial traits" in text_of(after, ".notice")
    assert "(email)" in text_of(after, "#offer-event_traits")
    assert not after.soup.select_one("#offer-event_traits").has_attr("hidden")
    with_traits = playground.submit(after, "use-event-traits")
    assert json.loads(with_traits.value("initial_traits")) == {"email": "jane@example.com"}
    assert with_traits.soup.select_one("#offer-event_traits").has_attr("hidden")
    assert with_traits.value("scenario_source") == "events"


def test_loading_an_example_switches_back_to_a_call_script(playground: Playground) -> None:
    events = use_events(playground, MESSAGES[2])
    loaded = playground.submit(events, "load-preset", {"preset": "track-me"})
    assert loaded.value("scenario_source") == "calls"
    assert json.loads(loaded.value("messages")) == MESSAGES[2]


def test_live_render_reports_skipped_entries_and_notes(playground: Playground, client: FlaskClient) -> None:
    page = use_events(playground, MESSAGES)
    data = MultiDict(playground.form_data(page))
    response = client.post("/render", data=data, headers={"X-CSRFToken": page.value("csrf_token")})
    body = response.get_json()
    assert body["ok"] is False and "Entry 2 ([1])" in body["errors"]["messages"][0]
    assert "No messageId" in body["notes"]["messages"][0]
    assert "event 3 (messageId m-2)" in body["results_html"]


def test_export_names_the_events(playground: Playground, client: FlaskClient) -> None:
    page = use_events(playground, MESSAGES)
    token = page.soup.find(id="results")["data-permalink"].removeprefix("/?s=")
    exported = json.loads(client.get(f"/export?s={token}").text)
    assert exported["messages"] == VALID
    assert [row.get("event") for row in exported["commands"]][2:] == [1, 1, 3, 3, 5, 5]


# -- decode real beacons -------------------------------------------------------------------------------------


@pytest.fixture
def har_client() -> FlaskClient:
    """The app reading the committed HAR's beacons (sent to a stand-in on 127.0.0.1, not Pinterest)."""
    return create_app("testing", BEACON_HOSTS=(make_har.STAND_IN_HOST,)).test_client()


def decode(
    client: FlaskClient,
    token: str | None = None,
    *,
    urls: str = "",
    har: bytes | None = None,
    name: str = "visit.har",
    **fields: str,
) -> Page:
    page_response = client.get("/decode" + (f"?s={token}" if token else ""))
    assert page_response.status_code == 200
    soup = soup_of(page_response)
    data: dict[str, Any] = {
        "csrf_token": soup.find("input", attrs={"name": "csrf_token"})["value"],
        "urls": urls,
    }
    if token:
        data["s"] = token
    data.update(fields)
    if har is not None:
        data["har"] = (io.BytesIO(har), name)
    response = client.post("/decode", data=data, content_type="multipart/form-data")
    return Page(response, soup_of(response))


def cards(page: Page) -> list[Any]:
    return page.soup.select("article.beacon-card")


def group(card: Any, caption: str) -> dict[str, str]:
    table = next(
        t
        for t in card.select("table.debugger-table")
        if t.caption.get_text(" ", strip=True).startswith(caption)
    )
    return {
        tr.th.get_text(" ", strip=True): tr.td.get_text(" ", strip=True) for tr in table.select("tr") if tr.th
    }


def test_pasted_urls_are_shown_like_a_tag_debugger(client: FlaskClient) -> None:
    result = (
        PlaygroundState(
            {"tagId": TID, "enhancedMatch": True},
            "docs",
            'rudderanalytics.identify("u", {email: "jane@example.com"});\n'
            'rudderanalytics.track("Order Completed", {revenue: 10, currency: "USD"});',
            "",
        )
        .run()
        .result
    )
    urls = "Request URL: " + "\n".join(b.url for b in result.beacons) + "\nhttps://example.com/x"
    page = decode(client, urls=urls)
    assert page.response.status_code == 200
    found = cards(page)
    assert [c.select_one(".card-event").get_text() for c in found] == ["init", "Checkout"]
    checkout = found[1]
    general = group(checkout, "General")
    assert general["Event name ( event )"] == "Checkout" and general["Tag ID ( tid )"] == TID
    assert general["Cache buster (the time, Date.now()) ( cb )"] == str(result.beacons[1].cb)
    assert general["Tag state ( dep )"] == "4,TAGS_RECEIVED"
    assert general["noscript"] == "no"
    assert group(checkout, "Event data")["value"] == "10"
    partner = group(checkout, "Partner data")
    assert partner["hashed email ( em )"] == json.dumps(result.beacons[1].pd["em"])
    # The request's own format check, worded apart from any comparison.
    assert "Request format, read on its own: no problems" in text_of_in(checkout, ".format-check")
    assert "example.com/x is not a request to ct.pinterest.com" in text_of(page, "details.notes")
    # The text stays in the field; no scenario, so nothing is compared.
    assert page.soup.find("textarea", id="urls").get_text().strip().startswith("Request URL:")
    assert page.soup.find(id="comparison") is None


def test_problems_are_said_per_beacon_in_plain_words(client: FlaskClient) -> None:
    page = decode(
        client, urls='https://ct.pinterest.com/v3/?event=checkout&tid=123&pd={"em":"jane@example.com"}'
    )
    problems = [li.get_text(" ", strip=True) for li in cards(page)[0].select("ul.problems li")]
    assert any("tid '123' is not 13 digits" in p for p in problems)
    assert any("pd.em looks like an e-mail address in clear" in p for p in problems)
    assert "Request format, read on its own: 2 problems" in text_of_in(cards(page)[0], ".format-heading")
    assert "no problems" not in cards(page)[0].get_text()


def beacon_cards(page: Any) -> list[Any]:
    """The /v3/ cards: every beacon comes after the tag's /user/ request, which is marked as the tag's
    configuration request and not compared."""
    found = cards(page)
    users = [c for c in found if "card-configuration" in c["class"]]
    assert len(users) == len(found) // 2
    for user in users:
        verdict = text_of_in(user, ".verdict")
        assert verdict.startswith("⚙ Configuration request (/user/) Not a conversion"), verdict
        assert "this request is not compared" in verdict and not user.select(".verdict-line")
    return [c for c in found if c not in users]


def test_the_recorded_har_decodes_to_its_seven_beacons_and_agrees_with_its_scenario(
    har_client: FlaskClient,
) -> None:
    token = har_state().to_token()
    page = decode(har_client, token, har=HAR.read_bytes(), name="pintrk-visit.har")
    assert page.response.status_code == 200
    found = beacon_cards(page)
    assert [c.select_one(".card-event").get_text() for c in found] == [
        "init",
        "PageVisit",
        "AddToCart",
        "SignUp",
        "Checkout",
        "Custom",
        "Checkout",
    ]
    assert "from the HAR file “pintrk-visit.har”" in text_of(page, ".decode-source")
    assert (
        text_of(page, "#comparison-heading")
        == "✓ The 7 beacons match what the scenario predicts (profile sdk-v3)"
    )
    verdicts = [text_of_in(c, ".verdict-line") for c in found]
    assert verdicts == [
        f"✓ Same as predicted beacon {n} (predicted {e} )"
        for n, e in enumerate(
            ["init", "PageVisit", "AddToCart", "SignUp", "Checkout", "Custom", "Checkout"], 1
        )
    ]
    assert "hashed email ( em )" in group(found[4], "Partner data")
    assert group(found[4], "Event data")["order_id"] == '"o-1"'
    assert page.soup.find("a", string="← Back to the playground")["href"] == f"/?s={token}"


def test_a_changed_scenario_shows_explained_differences(har_client: FlaskClient) -> None:
    # The identify moved after the events: the site's signup, checkout and custom carry em, the prediction doesn't.
    identify = 'rudderanalytics.identify("user-1", {email: "  Jane.Doe@Example.com ", plan: "pro"});\n'
    token = har_state(make_har.CALLS.replace(identify, "") + identify).to_token()
    page = decode(har_client, token, har=HAR.read_bytes())
    assert text_of(page, "#comparison-heading") == (
        "◆ 4 of 7 beacons differ from what the scenario predicts (profile sdk-v3): 12 differences"
    )
    signup = beacon_cards(page)[3]
    # One verdict, and each difference once, under its beacon (not again in a list above).
    assert text_of_in(signup, ".verdict-line") == (
        "◆ Differs from predicted beacon 4: 3 differences (predicted SignUp )"
    )
    differences = [
        " ".join(li.get_text(" ", strip=True).split()) for li in signup.select("li.field-difference")
    ]
    assert [d.split(" · ")[0] for d in differences] == [
        '≠ different value ed.event_id predicted "msg-3"',
        "+ extra in real pd.em not predicted",
        "+ extra in real pd.event_id not predicted",
    ]
    assert differences[0].endswith('· real "msg-4"')
    assert differences[1].endswith(
        "the scenario has no e-mail at this point: add an identify with the email, "
        "or initial traits with an email and enhanced match"
    )
    assert not page.soup.select("#comparison .difference-list")
    flagged = signup.select("table.debugger-table tr.f-added th")
    assert any("hashed email" in th.get_text() and "+ extra in real" in th.get_text() for th in flagged)
    assert [
        tr.get_text(" ", strip=True) for tr in page.soup.select("table.pairs tr.pair-differs td.pair-result")
    ][:1] == ["◆ Differs from predicted beacon 4: 3 differences"]


def test_the_profile_can_be_changed_for_the_comparison(har_client: FlaskClient) -> None:
    token = har_state().to_token()
    page = decode(har_client, token, har=HAR.read_bytes(), profile="sdk-v1")
    page_visit = beacon_cards(page)[1]
    assert "+ extra in real ed.event_id" in text_of_in(page_visit, ".field-differences")
    assert page.soup.find("option", selected=True)["value"] == "sdk-v1"


def test_a_missing_beacon_is_explained(client: FlaskClient) -> None:
    state = PlaygroundState({"tagId": TID}, "docs", 'rudderanalytics.track("Lead");', "")
    page = decode(client, state.to_token(), urls=f"https://ct.pinterest.com/v3/?event=init&tid={TID}")
    assert text_of_in(page.soup, "table.pairs tr.pair-not-sent td.pair-result") == (
        "− Predicted beacon 2 was not sent : the scenario predicts it, but the site didn't send it "
        "(not called there, blocked, or sent before the recording started)"
    )
    assert text_of(page, "#legend").startswith("How to read it:")


def test_an_oversize_har_is_refused_with_the_limit_stated() -> None:
    small = create_app("testing", BEACON_HOSTS=("127.0.0.1",), MAX_HAR_BYTES=4096).test_client()
    page = decode(small, urls="keep me", har=HAR.read_bytes(), name="big.har")
    assert page.response.status_code == 200 and not cards(page)
    error = page.error("har")
    assert "larger than 4 KB, the most the playground reads" in error and "Nothing was decoded" in error
    assert page.soup.find("textarea", id="urls").get_text().strip() == "keep me"
    assert "At most 4 KB" in text_of(page, "#hint-har")


def test_a_request_over_the_limit_is_a_clear_413() -> None:
    small = create_app("testing", MAX_HAR_BYTES=1024).test_client()
    page = decode(small, har=b"x" * (1024 + 1024 * 1024 + 1))
    assert page.response.status_code == 413
    assert "the HAR file can be at most 1 KB" in page.error("har")


def test_uploads_are_read_with_a_bounded_read() -> None:
    class Stream(io.BytesIO):
        asked: list[int] = []

        def read(self, size: int | None = -1) -> bytes:  # type: ignore[override]
            self.asked.append(size if size is not None else -1)
            return super().read(size)

    stream = Stream(b"{" * 100)
    with pytest.raises(UploadTooLarge):
        read_upload(stream, 10)
    assert stream.asked == [11]
    assert read_upload(io.BytesIO(b"{}"), 10) == b"{}"


@pytest.mark.parametrize(
    ("har", "words"),
    [
        (b"{}", 'this is not a HAR file: it has no "log" object'),
        (b"not json", "The HAR file is not valid JSON"),
        (b'{"log": {"entries": []}}', "No beacons in “visit.har”"),
    ],
)
def test_a_bad_har_is_explained_next_to_the_upload(har_client: FlaskClient, har: bytes, words: str) -> None:
    page = decode(har_client, har=har)
    assert words.lower() in page.error("har").lower()


def test_nothing_to_decode_says_what_to_do(client: FlaskClient) -> None:
    page = decode(client)
    assert "Paste one or more beacon URLs, or choose a HAR file" in page.error("urls")
    none = decode(client, urls="just some words")
    assert "No ct.pinterest.com beacon URLs were found" in none.error("urls")


def test_decode_needs_the_csrf_token(client: FlaskClient) -> None:
    response = client.post("/decode", data={"urls": "https://ct.pinterest.com/v3/?event=init"})
    assert response.status_code == 400 and "security token" in response.text


def test_decode_page_without_a_scenario_says_how_to_compare(client: FlaskClient) -> None:
    page = Page(response := client.get("/decode"), soup_of(response))
    assert "open this page from the playground's results" in page.response.text
    assert page.soup.find("select", id="profile") is None


# -- reproductions ------------------------------------------------------------------------------------------


def open_reproduction(
    playground: Playground,
    page: Page,
    body: bytes | None = None,
    *,
    name: str = "case.json",
    changes: dict[str, Any] | None = None,
) -> Page:
    data = playground.form_data(page, changes)
    data.append(("action", "open-reproduction"))
    multi = MultiDict(data)
    if body is not None:
        multi.add("reproduction_file", (io.BytesIO(body), name))
    response = playground.client.post("/", data=multi, content_type="multipart/form-data")
    return Page(response, soup_of(response))


def save(playground: Playground, page: Page) -> Any:
    data = MultiDict(playground.form_data(page) + [("action", "save-reproduction")])
    return playground.client.post("/reproduction", data=data)


@pytest.mark.parametrize("source", ["calls", "events"])
def test_save_then_open_gives_the_identical_log(playground: Playground, source: str) -> None:
    if source == "calls":
        page = playground.submit(playground.get("/?preset=returning-visitor"), "run", {"profile": "sdk-v3"})
    else:
        page = use_events(playground, BATCH, initial_traits='{"email": "old@example.com"}')
    saved = save(playground, page)
    assert saved.status_code == 200 and saved.mimetype == "application/json"
    assert saved.headers["Content-Disposition"] == 'attachment; filename="pintrk-reproduction.json"'
    document = load(saved.data)
    assert document.profile == "sdk-v3"
    if source == "events":
        assert list(document.messages) == VALID  # what is replayed: entries that were left out are not saved
        assert document.initial_traits == {"email": "old@example.com"}
    else:
        assert document.calls == page.value("calls")

    opened = open_reproduction(playground, playground.get("/"), saved.data)
    assert opened.response.status_code == 200
    assert "Opened the reproduction" in text_of(opened, ".notice")
    assert opened.calls_json() == page.calls_json()
    assert opened.value("profile") == "sdk-v3" and opened.value("scenario_source") == source
    assert opened.soup.select_one("#error-reproduction").has_attr("hidden")
    if source == "calls":
        assert origins(opened) == origins(page)
    # Saving the reopened state again gives the same document, byte for byte.
    token = opened.soup.find(id="results")["data-permalink"].removeprefix("/?s=")
    assert playground.client.get(f"/reproduction?s={token}").data == saved.data


def test_a_reproduction_from_a_link_downloads(client: FlaskClient) -> None:
    response = client.get(f"/reproduction?s={COMPARE_STATE.to_token()}")
    assert response.status_code == 200
    document = json.loads(response.text)
    assert (
        document["format"] == FORMAT and document["calls"] == COMPARE_CALLS and document["profile"] == "docs"
    )
    assert client.get("/reproduction?s=broken").status_code == 400


def test_a_pasted_reproduction_opens(playground: Playground) -> None:
    text = json.dumps(
        {
            "format": FORMAT,
            "version": 1,
            "profile": "sdk-v1",
            "settings": {"tagId": TID},
            "messages": [MESSAGES[2]],
            "sentBeacons": [f"https://ct.pinterest.com/v3/?event=init&tid={TID}"],
            "note": "Customer #42",
        }
    )
    opened = open_reproduction(playground, playground.get("/"), changes={"reproduction_text": text})
    assert opened.value("profile") == "sdk-v1" and opened.value("scenario_source") == "events"
    assert opened.value("reproduction_text") == ""
    notice = text_of(opened, ".notice")
    assert "1 beacon URL the site sent" in notice and "Note: Customer #42" in notice
    assert opened.calls_json()[-1] == '["track","Checkout",{"value":20,"currency":"USD","order_id":"o-1"}]'


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            b'{"format": "something-else", "version": 1, "calls": ""}',
            "format must be 'pintrk-playground/reproduction'",
        ),
        (
            json.dumps({"format": FORMAT, "version": 7, "calls": ""}).encode(),
            "version 7 is newer than this playground understands",
        ),
        (b"not json at all", "this is not valid JSON"),
        (b"   ", "is empty"),
        (b"\xff\xfe{}", "“case.json” can't be opened"),
        (
            json.dumps({"format": FORMAT, "version": 1, "settings": {"tagId": 5}, "calls": ""}).encode(),
            "(at settings.tagId)",
        ),
    ],
)
def test_a_wrong_reproduction_is_an_error_next_to_the_upload_and_nothing_is_lost(
    playground: Playground, body: bytes, words: str
) -> None:
    page = playground.get("/?preset=ecommerce-funnel")
    edited = {"tag_id": "  my tag ", "calls": page.value("calls") + "// mine\n"}
    after = open_reproduction(playground, page, body, changes=edited)
    assert after.response.status_code == 200
    assert words in after.error("reproduction")
    assert after.soup.find("input", id="reproduction_file")["aria-invalid"] == "true"
    assert after.value("tag_id") == "  my tag " and after.value("calls") == edited["calls"]


def test_open_without_a_file_says_what_to_do(playground: Playground) -> None:
    after = open_reproduction(playground, playground.get("/"))
    assert "Choose a reproduction file (.json) or paste one" in after.error("reproduction")


def test_saving_invalid_initial_traits_keeps_the_form(playground: Playground) -> None:
    page = playground.get("/?preset=identify-then-track")
    page = playground.submit(page, "run", {"initial_traits": "{email:"})
    response = save(playground, page)
    assert response.status_code == 200 and response.mimetype == "text/html"
    after = type(page)(response, soup_of(response))
    assert "The reproduction was not saved: The initial traits are not valid JSON" in after.error(
        "reproduction"
    )
    assert after.value("initial_traits") == "{email:"


def test_the_main_form_uploads_files(playground: Playground) -> None:
    form = playground.get("/").soup.find("form", id="playground-form")
    assert form["enctype"] == "multipart/form-data"
    assert form.find("input", attrs={"type": "file", "name": "reproduction_file"}) is not None
    # Every control of the new sections sits in the form (nothing typed is lost on a submit).
    names = {name for name, _ in playground.form_data(playground.get("/"))}
    assert {"messages", "scenario_source", "reproduction_text"} <= names


def test_support_pages_are_ready_for_a_strict_csp(har_client: FlaskClient) -> None:
    token = har_state().to_token()
    pages = [
        har_client.get(f"/compare?s={token}"),
        har_client.get(f"/decode?s={token}"),
        decode(har_client, token, har=HAR.read_bytes()).response,
    ]
    for response in pages:
        soup = soup_of(response)
        assert all(script.get("src") for script in soup.find_all("script")), "inline <script>"
        assert not soup.find_all("style")
        for element in soup.find_all(True):
            assert "style" not in element.attrs
            assert not [a for a in element.attrs if a.startswith("on")]
        for tag, attribute in (("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src")):
            for element in soup.find_all(tag):
                assert element.get(attribute, "/").startswith("/"), element


def test_imported_numbers_follow_javascript(playground: Playground) -> None:
    after = use_events(
        playground,
        '{"type": "track", "event": "Order Completed", "messageId": "m", "properties": {"revenue": 1e21, "price": 0.1}, "context": {"traits": {}}}',
    )
    assert '"value":1e+21' in after.calls_json()[-1]
    assert loads(after.value("messages"))["properties"]["revenue"] == 1e21


def test_a_pasted_user_request_is_the_tags_configuration_request(client: FlaskClient) -> None:
    result = PlaygroundState({"tagId": TID}, "docs", 'rudderanalytics.track("Lead");', "").run().result
    urls = "\n".join(r.url for r in result.requests)  # /user/, init, /user/ (Lead), Lead
    for token in (
        None,
        PlaygroundState({"tagId": TID}, "docs", 'rudderanalytics.track("Lead");', "").to_token(),
    ):
        page = decode(client, token, urls=urls)
        found = cards(page)
        assert [c.select_one(".card-meta").get_text().split(" ·")[0] for c in found] == [
            "GET /user/",
            "GET /v3/",
            "GET /user/",
            "GET /v3/",
        ]
        first, _, lead_config, _ = found
        assert first.select_one(".card-event").get_text() == "configuration request"
        assert "card-configuration" in first["class"] and "card-configuration" in lead_config["class"]
        assert "when it starts (page load)" in text_of_in(first, ".verdict")
        assert "The conversion itself is beacon 4" in text_of_in(lead_config, ".verdict")
        # Not odd, and not compared: no verdict line, no problems.
        assert not lead_config.select(".verdict-line, ul.problems")
        assert page.soup.select_one("#legend") is not None
    assert text_of(page, "#comparison-heading").startswith("✓ The 2 beacons match")
    assert "Not compared: 2 configuration requests to /user/" in text_of(page, "#comparison")
