"""Findings in plain words, each pointing at what it concerns."""

from __future__ import annotations

from app.pintrk import Scenario, parse_settings, replay


def findings(
    settings: dict, messages: list[dict], traits: dict | None = None, profile: str = "docs"
) -> dict[str, list]:
    result = replay(Scenario(parse_settings(settings), traits or {}, tuple(messages)), profile)
    by_code: dict[str, list] = {}
    for finding in result.diagnostics:
        assert finding.severity in {"error", "warning", "info"} and finding.text
        by_code.setdefault(finding.code, []).append(finding)
    return by_code


def track(event, **properties) -> dict:
    return {"type": "track", "event": event, "properties": properties, "messageId": "m"}


TAG = {"tagId": "2612345678901"}


def test_tag_id_missing_or_malformed() -> None:
    assert findings({}, [])["tag-id-missing"][0].field == "tagId"
    assert "13 digits" in findings({"tagId": "26123"}, [])["tag-id-format"][0].text
    assert "tag-id-format" not in findings(TAG, [])


def test_user_defined_event_and_near_standard_names() -> None:
    found = findings(
        {**TAG, "eventsMapping": [{"from": "Paid", "to": "checkout"}]}, [track("Paid"), track("Signed Up")]
    )
    near = found["mapping-near-standard"][0]
    assert "'Checkout'" in near.text and near.field == "eventsMapping[0]"
    user_defined = {f.text.split("'")[1]: f for f in found["user-defined-event"]}
    assert set(user_defined) == {"checkout", "Signed Up"}
    assert user_defined["checkout"].severity == "warning" and user_defined["Signed Up"].entry_index == 3
    assert "conversion reporting" in user_defined["Signed Up"].text


def test_checkout_without_value_currency_quantity() -> None:
    [finding] = findings(TAG, [track("Order Completed", revenue=5)])["checkout-incomplete"]
    assert "currency, order_quantity" in finding.text and finding.message_index == 0
    assert "checkout-incomplete" not in findings(
        TAG, [track("Order Completed", value=5, currency="USD", order_quantity=1)]
    )


def test_checkout_whose_products_all_have_a_quantity_is_not_short_of_order_quantity() -> None:
    """A realistic Order Completed: quantities on every product, no order-level quantity."""
    products = [
        {"product_id": "P-1", "sku": "SKU-1", "name": "Mug", "price": 12.5, "quantity": 2},
        {"product_id": "P-2", "sku": "SKU-2", "name": "Tea", "price": 4, "quantity": 1},
    ]
    order = track("Order Completed", order_id="o-1", revenue=29, currency="EUR", products=products)
    assert "checkout-incomplete" not in findings(TAG, [order])
    # One product without a quantity: the order's quantity is unknown again.
    products[1] = {k: v for k, v in products[1].items() if k != "quantity"}
    [finding] = findings(TAG, [order])["checkout-incomplete"]
    assert "without order_quantity" in finding.text
    # Without products, and without currency, it is still said.
    [finding] = findings(TAG, [track("Order Completed", revenue=5)])["checkout-incomplete"]
    assert "currency, order_quantity" in finding.text


def test_enhanced_match_without_stored_email() -> None:
    assert "enhanced-match-no-email" in findings({**TAG, "enhancedMatch": True}, [])
    assert "enhanced-match-no-email" not in findings({**TAG, "enhancedMatch": True}, [], {"email": "a@b.c"})


def test_identify_without_email() -> None:
    identify = {"type": "identify", "messageId": "m", "context": {"traits": {"name": "x"}}}
    assert findings(TAG, [identify])["identify-no-email"][0].message_index == 0


def test_custom_property_never_found_and_dropped_on_pages() -> None:
    page = {"type": "page", "name": "Home", "properties": {"author": "Ann"}, "messageId": "m"}
    settings = {**TAG, "customProperties": [{"properties": "author"}, {"properties": "not.there"}]}
    docs = findings(settings, [page])
    assert [f.text for f in docs["custom-property-never-found"]] and "'not.there'" in docs[
        "custom-property-never-found"
    ][0].text
    assert len(docs["custom-property-never-found"]) == 1
    v1 = findings(settings, [page], profile="sdk-v1")
    assert "'author'" in v1["page-properties-dropped"][0].text
    assert len(v1["custom-property-never-found"]) == 2


def test_track_without_event_and_integration_errors() -> None:
    found = findings(TAG, [{"type": "track", "properties": {}, "messageId": "m"}, track(123)])
    assert found["track-no-event"][0].message_index == 0
    error = found["integration-error"][0]
    assert (
        error.severity == "error"
        and "event.toLowerCase is not a function" in error.text
        and error.entry_index == 2
    )


# -- what Pinterest's tag itself says, and values it will hash as they are ------------------------


def tag_findings(calls: list[list]) -> dict[str, list]:
    by_code: dict[str, list] = {}
    for finding in replay(Scenario(pintrk=calls)).diagnostics:
        by_code.setdefault(finding.code, []).append(finding)
    return by_code


TID = TAG["tagId"]


def test_the_tags_own_errors_point_at_their_row() -> None:
    found = tag_findings(
        [
            ["page"],
            ["load", TID],
            ["load", "2619999999999"],
            ["track", "Checkout", {"value": "$5"}],
            ["track", 7],
        ]
    )
    assert found["tag-not-loaded-page"][0].entry_index == 0
    assert "Tag ID 2612345678901, then 2619999999999" in found["tag-load-twice"][0].text
    wrong = {f.entry_index: f.text for f in found["tag-wrong-type"]}
    assert "value is '$5', which is not a number" in wrong[3]
    assert "The event name is 7, not text" in wrong[4]


def test_a_realistic_tag_setup_has_no_tag_findings() -> None:
    found = tag_findings(
        [
            ["load", TID, {"em": "jane@example.com", "ph": "15551234567"}],
            ["page"],
            ["setConsent", True],
            ["track", "Checkout", {"value": "10.50", "currency": "USD", "order_quantity": 2}],
            ["set", {"em": "8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d"}],
            ["track", "Lead", {"lead_type": "newsletter"}],
        ]
    )
    assert not [code for code in found if code.startswith(("tag-", "em-", "ph-", "consent-"))]


def test_identifiers_the_tag_hashes_as_they_are() -> None:
    found = tag_findings(
        [
            ["load", TID, {"em": "<user_email_address>", "ph": "+1 (555) 123-4567"}],
            ["set", {"em": "jane doe@example.com"}],
            ["set", {"em": "jane.example.com"}],
        ]
    )
    assert found["em-placeholder"][0].severity == "error" and found["em-placeholder"][0].entry_index == 0
    assert found["ph-not-normalised"][0].entry_index == 0
    assert found["em-inner-space"][0].entry_index == 1
    assert found["em-not-an-email"][0].entry_index == 2


def test_calls_silenced_by_consent() -> None:
    found = tag_findings(
        [["load", TID], ["setConsent", False], ["page"], ["setConsent", True], ["track", "Lead"]]
    )
    [withheld] = found["consent-withheld"]
    assert withheld.entry_index == 2 and "setConsent() at log row 2 withdrew consent" in withheld.text


def test_rudderstack_scenarios_point_at_the_message() -> None:
    found = findings(
        {**TAG, "enhancedMatch": True}, [track("Newsletter Signup")], {"email": "<user_email_address>"}
    )
    assert found["em-placeholder"][0].entry_index == 0  # load(), at initialisation
    assert "also logs a warning about it in the browser console" in found["user-defined-event"][0].text


def test_identify_findings_follow_the_rules_that_fired() -> None:
    # sdk-v3 reads the identify's own context.traits: null there sets nothing, though an
    # earlier identify stored an e-mail (recorded in the fuzz vector fz-21-227).
    with_email = {"type": "identify", "messageId": "a", "context": {"traits": {"email": "j@example.com"}}}
    null_traits = {"type": "identify", "messageId": "b", "context": {"traits": None}}
    found = findings(TAG, [with_email, null_traits], profile="sdk-v3")
    assert [f.message_index for f in found["identify-no-email"]] == [1]
    assert "identify-no-email" not in findings(TAG, [with_email, null_traits], profile="docs")
    # No context at all: sdk-v3 throws, which is its own finding.
    found = findings(TAG, [{"type": "identify", "messageId": "c"}], profile="sdk-v3")
    assert "identify-no-email" not in found and found["integration-error"][0].message_index == 0
