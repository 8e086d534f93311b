"""One verdict per real beacon, its differences grouped per field (decode/verdict.py)."""

from __future__ import annotations

import json
from urllib.parse import quote

from app.pintrk.decode import beacon_verdicts, compare_beacons, configuration_notes, decode_url
from app.pintrk.decode.verdict import FieldDifference
from tests.pintrk.decode.beacons import run, url

TWO_PRODUCTS = (
    'rudderanalytics.track("Order Completed", {order_id: "o1", revenue: 30, products: ['
    '{product_id: "P1", name: "Shoe", price: 10, category: "shoes", quantity: 1},'
    '{product_id: "P2", name: "Boot", price: 20, category: "shoes", quantity: 1}]})'
)


def _checkout_without(*keys: str, value: object = None) -> tuple[list, list]:
    """The predicted beacons, and the real ones: the checkout's line items without ``keys``."""
    predicted = run(TWO_PRODUCTS).beacons
    ed = json.loads(predicted[1].ed_json or "{}")
    for item in ed["line_items"]:
        for key in keys:
            del item[key]
    if value is not None:
        ed["value"] = value
    sent = [decode_url(predicted[0].url), decode_url(url("Checkout", json.dumps(ed)))]
    return predicted, sent


def test_a_beacon_like_its_prediction_is_said_same() -> None:
    predicted = run('rudderanalytics.track("Lead")').beacons
    sent = [decode_url(b.url) for b in predicted]
    verdicts = beacon_verdicts(compare_beacons(predicted, sent))
    assert [(v.status, v.text, v.count) for v in verdicts] == [
        ("same", "Same as predicted beacon 1", 0),
        ("same", "Same as predicted beacon 2", 0),
    ]


def test_three_product_fields_missing_from_two_items_are_three_differences() -> None:
    predicted, sent = _checkout_without("product_name", "product_price", "product_category")
    comparison = compare_beacons(predicted, sent)
    assert len(comparison.differences) == 6  # the API lists each value
    _, checkout = beacon_verdicts(comparison)
    assert checkout.text == "Differs from predicted beacon 2: 3 differences"
    assert [(d.field, d.within, d.change, d.items) for d in checkout.differences] == [
        ("ed.line_items", "product_category", "missing", (0, 1)),
        ("ed.line_items", "product_price", "missing", (0, 1)),
        ("ed.line_items", "product_name", "missing", (0, 1)),
    ]
    price = checkout.differences[1]
    assert price.words == "missing in real"
    assert (
        price.text
        == "product_price in items 1 and 2 of ed.line_items: missing in real (predicted 10 in item 1, 20 in item 2)"
    )
    assert checkout.differences[0].text.endswith('(predicted "shoes")')  # one value in both items


def test_one_missing_field_is_one_difference_and_each_change_is_named() -> None:
    predicted = run(
        'rudderanalytics.track("Order Completed", {revenue: 10, currency: "USD", order_id: "o"})'
    ).beacons
    sent = [
        decode_url(predicted[0].url),
        decode_url(url("Checkout", '{"value":"10","order_id":"o","coupon":"X"}')),
    ]
    [_, checkout] = beacon_verdicts(compare_beacons(predicted, sent))
    assert [(d.field, d.change, d.words, d.predicted_text, d.sent_text) for d in checkout.differences] == [
        ("ed.value", "different", "different value", "10", '"10" (a string)'),
        ("ed.currency", "missing", "missing in real", '"USD"', None),
        ("ed.coupon", "extra", "extra in real", None, '"X"'),
    ]
    assert checkout.differences[0].text == 'ed.value: different value (predicted 10, real "10" (a string))'
    assert checkout.count == 3 and checkout.to_dict()["differences"][1]["change"] == "missing"


def test_explanations_stay_with_their_difference() -> None:
    scenario = 'rudderanalytics.identify("u", {email: "a@b.com"}); rudderanalytics.track("Lead");'
    predicted = run(scenario).beacons
    sent = [decode_url(b.url) for b in run('rudderanalytics.track("Lead")').beacons]
    [_, lead] = beacon_verdicts(compare_beacons(predicted, sent))
    [em] = lead.differences
    assert (em.field, em.change) == ("pd.em", "missing")
    assert em.note.startswith("the site never sent an e-mail")
    assert em.text.startswith("pd.em: missing in real (predicted ") and em.text.endswith(em.note)


def test_whole_beacons_missing_or_extra_get_their_own_verdict() -> None:
    predicted = run(
        'rudderanalytics.track("Lead"); rudderanalytics.track("Order Completed", {revenue: 1})'
    ).beacons
    sent = [decode_url(predicted[0].url), decode_url(predicted[2].url), decode_url(url("Signup"))]
    verdicts = beacon_verdicts(compare_beacons(predicted, sent))
    by_status = {v.status: v for v in verdicts}
    assert by_status["not-sent"].text == "Predicted beacon 2 was not sent"
    assert by_status["not-sent"].note.startswith("the scenario predicts it, but the site didn't send it")
    assert by_status["unmatched"].text == "No predicted beacon matches"
    assert by_status["unmatched"].sent == 2
    assert by_status["unmatched"].note == "the playground's scenario doesn't have it"
    assert [v.status for v in verdicts].count("same") == 2


def test_the_tags_user_requests_are_its_configuration_requests() -> None:
    result = run('rudderanalytics.track("Lead")')
    sent = [decode_url(r.url) for r in result.requests]
    assert [b.endpoint for b in sent] == ["user", "v3", "user", "v3"]
    notes = configuration_notes(sent)
    assert sorted(notes) == [0, 2]
    assert notes[0].startswith("Not a conversion: the tag asks Pinterest for its settings")
    assert "when it starts (page load)" in notes[0]
    assert "The conversion itself is beacon 4" in notes[2]
    # Its beacon missing from the input: said so.
    alone = configuration_notes([decode_url("https://ct.pinterest.com/user/?event=lead&tid=2612345678901")])
    assert "is not in what you gave" in alone[0]
    # /user/ requests get no verdict: they are not compared.
    comparison = compare_beacons(result.requests, sent)
    assert [v.sent for v in beacon_verdicts(comparison)] == [1, 3]


def test_items_are_listed_briefly() -> None:
    def items(*indexes: int) -> str:
        return FieldDifference("ed", "ed.line_items", "product_id", "missing", indexes).items_text

    assert items(0) == "item 1"
    assert items(0, 2) == "items 1 and 3"
    assert items(0, 1, 2) == "items 1, 2 and 3"
    assert items(*range(10)) == "items 1, 2, 3 and 7 more"
    assert FieldDifference("ed", "ed.value", None, "missing").items_text == ""


def test_a_query_escaped_value_in_brackets() -> None:
    """The noscript pixel's bracketed values group the same way."""
    predicted = run(TWO_PRODUCTS).beacons
    pixel = (
        "https://ct.pinterest.com/v3/?event=checkout&tid=2612345678901&noscript=1"
        + "&ed[value]=30&ed[order_id]=o1"
        + "".join(f"&ed[line_items][{i}][product_id]={quote(p)}" for i, p in enumerate(["P1", "P2"]))
    )
    sent = [decode_url(predicted[0].url), decode_url(pixel)]
    [_, checkout] = beacon_verdicts(compare_beacons(predicted, sent))
    missing = {d.within: d.items for d in checkout.differences if d.change == "missing"}
    assert missing["product_name"] == (0, 1) and missing["product_quantity"] == (0, 1)
