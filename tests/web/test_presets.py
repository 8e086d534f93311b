"""Every preset renders, and the documentation's examples map as documented."""

from __future__ import annotations

import hashlib
import json

import pytest

from app.pintrk import PROFILES
from app.pintrk.presets import PRESETS, TAG_ID, get_preset
from app.web.forms import blank_values, state_from_values, values_from_preset

PRESET_IDS = [preset.id for preset in PRESETS]


def rows(page) -> list[list]:
    return [json.loads(text) for text in page.calls_json()]


def test_presets_are_well_formed() -> None:
    assert len(set(PRESET_IDS)) == len(PRESET_IDS)
    assert "identify-then-track" in PRESET_IDS
    assert len(PRESETS) >= 11
    for preset in PRESETS:
        assert preset.settings["tagId"] == TAG_ID
        assert preset.profile is None or preset.profile in PROFILES
        assert preset.title and preset.description and preset.calls.strip()


@pytest.mark.parametrize("preset_id", PRESET_IDS)
def test_every_preset_renders_its_log(playground, preset_id: str) -> None:
    page = playground.get(f"/?preset={preset_id}")
    assert page.response.status_code == 200
    preset = get_preset(preset_id)
    state = state_from_values({**blank_values(), **values_from_preset(preset, "docs")})
    outcome = state.run()
    assert not outcome.errors
    # The page shows exactly the core's log, in order.
    assert page.calls_json() == outcome.result.calls_json
    assert rows(page)[0][0] == "load" and rows(page)[0][1] == TAG_ID
    # And the form holds the preset, ready to edit.
    assert page.value("tag_id") == TAG_ID
    assert page.value("calls") == preset.calls


def test_identify_then_track_hashes_the_email(playground) -> None:
    page = playground.get("/?preset=identify-then-track")
    assert ["set", {"em": "test@emai.com"}] in rows(page)
    digest = hashlib.sha256(b"test@emai.com").hexdigest()
    track_row = page.soup.select("tr.log-row")[-1]
    assert json.loads(track_row["data-calls-json"])[:2] == ["track", "Checkout"]
    assert track_row.select_one(".em code.hash")["title"] == digest
    decoded = page.soup.find("tr", attrs={"data-beacon-for": track_row["data-entry"]})
    em_cell = [tr for tr in decoded.select("tr") if "hashed email" in tr.get_text()][0]
    assert em_cell.select_one("td").get_text(strip=True) == json.dumps(digest)
    # The set() itself makes no request.
    set_row = page.soup.select("tr.log-row")[2]
    assert "no request" in set_row.select_one("td.request").get_text()


def test_funnel_sends_checkout_with_value_and_currency(playground) -> None:
    found = rows(playground.get("/?preset=ecommerce-funnel"))
    checkout = [row for row in found if row[:2] == ["track", "Checkout"]]
    assert len(checkout) == 1
    data = checkout[0][2]
    assert data["value"] == 179 and data["currency"] == "USD" and data["order_quantity"] == 2
    assert data["line_items"][0]["product_id"] == "P-123"
    assert ["track", "Search", {"search_query": "running shoes"}] in found
    assert any(row[:2] == ["track", "AddToCart"] for row in found)
    assert ["track", "PageVisit", {"name": "Shoes"}] in found


def test_docs_page_with_category_is_view_category(playground) -> None:
    found = rows(playground.get("/?preset=page-view-category"))
    assert found[-1] == [
        "track",
        "ViewCategory",
        {"name": "new page category", "category": "I am new page", "testDimension": "true"},
    ]


def test_docs_page_without_category_is_page_visit(playground) -> None:
    assert rows(playground.get("/?preset=page-visit"))[-1] == [
        "track",
        "PageVisit",
        {"name": "I am new page with no name"},
    ]


def test_docs_custom_property_value_is_sent_as_text(playground) -> None:
    assert rows(playground.get("/?preset=custom-properties"))[-1] == [
        "track",
        "Event",
        {"customProperty.customValue": "2", "someRandomMailId": "user@gmail.com"},
    ]


def test_docs_track_examples(playground) -> None:
    assert rows(playground.get("/?preset=track-me"))[-1] == ["track", "Track me", {}]
    assert rows(playground.get("/?preset=custom-event"))[-1] == ["track", "custom", {}]
    order = rows(playground.get("/?preset=docs-order-completed"))[-1]
    assert order == ["track", "Checkout", {"value": 15.98, "order_id": "T1230", "currency": "INR"}]


def test_returning_visitor_sends_email_with_load(playground) -> None:
    page = playground.get("/?preset=returning-visitor")
    assert rows(page)[0] == ["load", TAG_ID, {"em": "jane@example.com"}]
    assert json.loads(page.value("initial_traits")) == {"email": "jane@example.com", "name": "Jane"}
    assert "checked" in page.soup.find("input", id="enhanced_match").attrs
    digest = hashlib.sha256(b"jane@example.com").hexdigest()
    # Even the first request (page → init) carries the hashed e-mail.
    init_row = page.soup.select("tr.log-row")[1]
    assert init_row.select_one(".em code.hash")["title"] == digest


def test_anonymous_visitor_gets_em_only_after_identify(playground) -> None:
    page = playground.get("/?preset=anonymous-then-identified")
    beacon_rows = [row for row in page.soup.select("tr.log-row") if "has-beacon" in row["class"]]
    with_email = [row.select_one(".em") is not None for row in beacon_rows]
    assert with_email == [False, False, False, True]  # init, PageVisit, AddToCart, then Checkout
    assert ["set", {"em": "Jane.Doe@Example.com"}] in rows(page)
    digest = hashlib.sha256(b"jane.doe@example.com").hexdigest()  # lower-cased before hashing
    assert beacon_rows[-1].select_one(".em code.hash")["title"] == digest


def test_lead_and_video_mappings(playground) -> None:
    assert rows(playground.get("/?preset=lead"))[-1] == ["track", "Lead", {"lead_type": "newsletter"}]
    assert rows(playground.get("/?preset=video"))[-1] == [
        "track",
        "WatchVideo",
        {"video_title": "How to lace trail shoes"},
    ]


def test_sdk_v3_preset_sets_its_profile(playground) -> None:
    page = playground.get("/?preset=sdk-v3-deduplication")
    assert page.value("profile") == "sdk-v3"
    found = rows(page)
    checkout = [row for row in found if row[:2] == ["track", "Checkout"]][0]
    assert checkout[2]["event_id"] == "T1230"
    assert [row for row in found if row[0] == "track"][-1][1] == "Custom"


def test_load_preset_action_keeps_the_chosen_profile(playground) -> None:
    page = playground.get("/")
    loaded = playground.submit(page, "load-preset", {"preset": "track-me", "profile": "sdk-v1"})
    assert loaded.value("profile") == "sdk-v1"
    assert loaded.value("calls") == get_preset("track-me").calls
    assert "Loaded the example" in loaded.soup.select_one(".notice").get_text()
    assert rows(loaded)[-1] == ["track", "Track me", {}]


def test_load_preset_without_choice_is_an_error_next_to_the_picker(playground) -> None:
    page = playground.get("/")
    result = playground.submit(page, "load-preset", {"preset": "", "calls": "rudderanalytics.track('x')"})
    assert "Choose an example" in result.error("preset")
    assert result.value("calls") == "rudderanalytics.track('x')"


def test_unknown_preset_link_is_a_friendly_404(playground) -> None:
    page = playground.get("/?preset=no-such-thing")
    assert page.response.status_code == 404
    assert "no-such-thing" in page.soup.get_text()
    assert page.soup.find("a", href="/") is not None
