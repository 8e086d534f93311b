"""Decoded beacons lined up with the predicted ones: each difference in plain words."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from app.pintrk.decode import (
    compare_beacons,
    decode_har,
    decode_url,
)
from app.pintrk.replay import replay
from app.pintrk.scenario import load_scenario
from app.pintrk.tag import hash_identifier as hash_email
from tests.pintrk.decode.beacons import SAFE_IN_URI_COMPONENT, TID, entry, har, run, url

# -- comparison wording --------------------------------------------------------------------------


def test_value_sent_as_text() -> None:
    predicted = run('rudderanalytics.track("Order Completed", {revenue: 10})').beacons
    sent = [decode_url(predicted[0].url), decode_url(url("Checkout", '{"value":"10"}'))]
    [difference] = compare_beacons(predicted, sent).differences
    assert difference.text == 'value differs on Checkout: predicted 10, sent "10" (a string)'
    assert (difference.kind, difference.field, difference.predicted, difference.sent) == (
        "ed",
        "ed.value",
        1,
        1,
    )


def test_cb_is_ignored_and_key_order_too() -> None:
    predicted = run('rudderanalytics.track("Order Completed", {revenue: 10, currency: "USD"})').beacons
    sent = [
        decode_url(predicted[0].url + "&cb=1"),
        decode_url(url("Checkout", '{"currency":"USD","value":10}', extra="&cb=2")),
    ]
    assert compare_beacons(predicted, sent).agrees


def test_em_missing_because_the_identify_came_later() -> None:
    scenario = 'rudderanalytics.identify("u", {email: "a@b.com"}); rudderanalytics.track("Order Completed", {revenue: 1});'
    predicted = run(scenario).beacons
    on_site = run(
        'rudderanalytics.track("Order Completed", {revenue: 1}); rudderanalytics.identify("u", {email: "a@b.com"});'
        'rudderanalytics.track("Lead")'
    ).beacons
    sent = [decode_url(b.url) for b in on_site]
    texts = [d.text for d in compare_beacons(predicted, sent).differences]
    assert texts == [
        "em missing on Checkout: the identify came after this event",
        "extra beacon 'Lead': the playground's scenario doesn't have it",
    ]


def test_em_never_sent_and_em_different() -> None:
    predicted = run(
        'rudderanalytics.identify("u", {email: "a@b.com"}); rudderanalytics.track("Lead")'
    ).beacons
    never = [decode_url(url("init")), decode_url(url("Lead", "{}", "{}"))]
    assert [d.text for d in compare_beacons(predicted, never).differences] == [
        "em missing on Lead: the site never sent an e-mail (no identify with an email, and no enhanced match at load)"
    ]
    other = [decode_url(url("init")), decode_url(url("Lead", "{}", '{"em":"' + hash_email("c@d.com") + '"}'))]
    [difference] = compare_beacons(predicted, other).differences
    assert difference.text.startswith("em differs on Lead: the site sent the hash of another e-mail")
    # The tag hashes the address trimmed and lower-cased, inner spaces kept.
    spaced = run(
        'rudderanalytics.identify("u", {email: " A b@C.com "}); rudderanalytics.track("Lead")'
    ).beacons
    assert spaced[-1].pd["em"] == hashlib.sha256(b"a b@c.com").hexdigest()
    squeezed = [
        decode_url(url("init")),
        decode_url(url("Lead", "{}", '{"em":"' + hashlib.sha256(b"ab@c.com").hexdigest() + '"}')),
    ]
    [difference] = compare_beacons(spaced, squeezed).differences
    assert difference.text == (
        "em differs on Lead: the site sent the hash of another e-mail, or hashed it differently "
        "(the tag trims and lower-cases it, then SHA-256)"
    )


def test_missing_extra_and_reordered_beacons() -> None:
    predicted = run(
        'rudderanalytics.track("Lead"); rudderanalytics.track("Signup"); rudderanalytics.track("Lead")'
    ).beacons
    sent = [decode_url(b.url) for b in predicted]
    comparison = compare_beacons(predicted, [sent[0], sent[1], sent[3]])
    assert [d.text for d in comparison.differences] == [
        "missing beacon 'Signup': the scenario predicts it, but the site didn't send it "
        "(not called there, blocked, or sent before the recording started)"
    ]
    assert comparison.pairs == ((0, 0), (1, 1), (2, None), (3, 2))
    noscript = decode_url(f"https://ct.pinterest.com/v3/?event=init&tid={TID}&noscript=1")
    extra = compare_beacons(predicted, [*sent, noscript]).differences
    assert [d.text for d in extra] == [
        "extra beacon 'init (the 2nd)': it is the <noscript> pixel, which only fires without JavaScript"
    ]
    twice = compare_beacons(predicted, [sent[0], sent[1], sent[2]]).differences
    assert [d.text for d in twice][0].startswith("missing beacon 'Lead (the 2nd)'")


def test_tid_and_case_differences() -> None:
    predicted = run('rudderanalytics.track("Lead")').beacons
    sent = [decode_url(url("init", tid="2612345678900")), decode_url(url("lead", "{}"))]
    comparison = compare_beacons(predicted, sent)
    assert [d.text for d in comparison.differences] == [
        "tid differs on init: predicted 2612345678901, sent 2612345678900: the site uses another Tag ID",
        "event differs: predicted 'Lead', sent 'lead' (only the case differs: the tag sends the name exactly "
        "as the site wrote it, so check the spelling in the event mapping or in the site's track call)",
    ]
    # Another case is the same beacon with an event difference, not a missing and an extra one.
    assert comparison.pairs == ((0, 0), (1, 1))


def test_ov_differences() -> None:
    predicted = replay(
        load_scenario(
            {
                "pintrk": [
                    ["load", TID],
                    ["page", {"page_name": "Home"}],
                    ["track", "Lead", {}, None, None, {"np": "x"}],
                ]
            }
        )
    ).beacons
    assert [b.ov for b in predicted] == [{"page_name": "Home"}, {"np": "x"}]
    sent = [decode_url(b.url) for b in predicted]
    assert compare_beacons(predicted, sent).agrees and [b.ov for b in sent] == [
        {"page_name": "Home"},
        {"np": "x"},
    ]

    def texts(init_ov: str | None, lead_ov: str | None) -> list[str]:
        def with_ov(beacon: Any, ov: str | None) -> Any:
            params = [(k, v) for k, v in beacon.params if k != "ov"] + (
                [("ov", ov)] if ov is not None else []
            )
            return decode_url(
                "https://ct.pinterest.com/v3/?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params)
            )

        return [
            d.text
            for d in compare_beacons(
                predicted, [with_ov(predicted[0], init_ov), with_ov(predicted[1], lead_ov)]
            ).differences
        ]

    assert texts('{"page_name":"Cart"}', '{"np":"x"}') == [
        'page_name differs on init: predicted "Home", sent "Cart"'
    ]
    assert texts("[1,2]", None) == [
        'ov differs on init: predicted {"page_name":"Home"}, sent [1,2] (a list)',
        "ov missing on Lead: none was sent (options passed to page() or track())",
    ]
    assert texts('{"page_name":"Home"}', "{bad") == [
        "ov missing on Lead: it could not be read (options passed to page() or track())"
    ]
    bare = replay(load_scenario({"pintrk": [["load", TID], ["page"]]})).beacons
    extra = decode_url(bare[0].url + "&ov=%7B%7D")
    [difference] = compare_beacons(bare, [extra]).differences
    assert (difference.kind, difference.field, difference.text) == (
        "ov",
        "ov",
        "ov sent on init but not predicted (options passed to page() or track())",
    )


def test_pd_absent_differs_from_empty() -> None:
    without = replay(load_scenario({"pintrk": [["load", TID], ["page"], ["track", "Lead"]]})).beacons
    empty = replay(load_scenario({"pintrk": [["load", TID, {}], ["page"], ["track", "Lead"]]})).beacons
    assert [b.pd_json for b in without] == [None, None] and [b.pd_json for b in empty] == ["{}", "{}"]
    as_without, as_empty = [decode_url(b.url) for b in without], [decode_url(b.url) for b in empty]
    assert compare_beacons(without, as_without).agrees and compare_beacons(empty, as_empty).agrees
    [first, second] = compare_beacons(without, as_empty).differences
    assert (first.kind, first.field, first.predicted, first.sent) == ("pd", "pd", 0, 0)
    assert second.text == (
        "pd sent on Lead but not predicted: {} (the tag sends pd once load() or set() has received an object, "
        "even an empty one)"
    )
    assert [d.text for d in compare_beacons(empty, as_without).differences][1] == (
        "pd missing on Lead: predicted {}, none sent (on the site, neither load() nor set() received an object "
        "before this event)"
    )
    # With keys on one side, the keys say it all.
    identified = [decode_url(url("init")), decode_url(url("Lead", None, '{"np":"x"}'))]
    assert [d.text for d in compare_beacons(without, identified).differences] == [
        'np sent on Lead but not predicted: "x"'
    ]


def _posted(beacon: Any, **replace: str) -> Any:
    """``beacon`` as a HAR entry would show it POSTed, with some parameters replaced."""
    params = [(k, replace.get(k, v)) for k, v in beacon.params]
    post = {
        "mimeType": "application/x-www-form-urlencoded",
        "text": "&".join(f"{k}={quote(v, safe=SAFE_IN_URI_COMPONENT)}" for k, v in params),
    }
    [decoded] = decode_har(
        har(entry("https://ct.pinterest.com/v3/", request={"method": "POST", "postData": post}))
    ).beacons
    return decoded


def _lead_with_url_length(length: int) -> Any:
    """A predicted Lead beacon whose GET URL is about ``length`` characters long."""

    def lead(filler: int) -> Any:
        return replay(
            load_scenario({"pintrk": [["load", TID], ["track", "Lead", {"note": "x" * filler}]]})
        ).beacons[0]

    base = len(lead(0).url)
    beacon = lead(length - base)
    assert abs(len(beacon.url) - length) < 5 and beacon.method == (
        "POST" if len(beacon.url) >= 2048 else "GET"
    )
    return beacon


def test_method_difference_only_far_from_the_boundary() -> None:
    far = _lead_with_url_length(1200)
    [difference] = compare_beacons([far], [_posted(far)]).differences
    assert (difference.kind, difference.field) == ("method", "method")
    assert difference.text == (
        "Lead was sent by POST, predicted GET: the tag POSTs a beacon whose URL would reach 2,048 characters, "
        "so the data sent differs in size"
    )
    long = _lead_with_url_length(3000)
    assert [d.text for d in compare_beacons([long], [decode_url(long.url)]).differences] == [
        "Lead was sent by GET, predicted POST: the tag POSTs a beacon whose URL would reach 2,048 characters, "
        "so the data sent differs in size"
    ]
    assert compare_beacons([long], [_posted(long)]).agrees
    # Near the boundary the page's own URL (in ad) decides: no difference either way.
    near = _lead_with_url_length(1900)
    assert (
        compare_beacons([near], [_posted(near)]).agrees
        and compare_beacons([near], [decode_url(near.url)]).agrees
    )
    # The site's own ad counts, not the simulated one: a long page URL brings a beacon near the limit.
    site_ad = json.dumps(
        {**json.loads(far.ad_json or "{}"), "loc": "https://shop.example.org/?" + "utm=x&" * 100}
    )
    assert compare_beacons([far], [_posted(far, ad=site_ad)]).agrees


def test_absent_and_empty_event_differ() -> None:
    predicted = replay(load_scenario({"pintrk": [["load", TID], ["track", ""]]})).beacons
    assert predicted[0].event is None and "event" not in dict(predicted[0].params)
    sent = [decode_url(f"https://ct.pinterest.com/v3/?event=&tid={TID}&cb=1&dep=5%2CEVENT_TAGS_ABSENT")]
    [difference] = compare_beacons(predicted, sent).differences
    assert difference.text == (
        "event differs: predicted no event parameter, sent '' (check the event mapping and the event name the site tracks)"
    )
    assert compare_beacons(predicted, [decode_url(predicted[0].url)]).agrees


def test_nested_line_items_differences() -> None:
    predicted = run(
        'rudderanalytics.track("Order Completed", {products: [{product_id: "P1", price: 5}, {product_id: "P2"}]})'
    ).beacons
    sent = [
        decode_url(predicted[0].url),
        decode_url(url("Checkout", '{"line_items":[{"product_id":"P1","product_price":"5"}]}')),
    ]
    texts = [d.text for d in compare_beacons(predicted, sent).differences]
    assert texts == [
        "line_items differs on Checkout: predicted 2 items, sent 1",
        'line_items[0].product_price differs on Checkout: predicted 5, sent "5" (a string)',
    ]


def test_user_endpoint_requests_are_not_compared() -> None:
    result = run('rudderanalytics.track("Lead")')
    assert [r.endpoint for r in result.requests] == ["user", "v3", "user", "v3"]
    sent = [decode_url(r.url) for r in result.requests]
    # A /user/ request with another event, tid or pd changes nothing: it only fetches the tag's configuration.
    sent[2] = decode_url("https://ct.pinterest.com/user/?event=Signup&tid=2612345678900&pd=%7B%7D")
    comparison = compare_beacons(result.requests, sent)
    assert comparison.agrees and comparison.ignored == (0, 2)
    assert comparison.pairs == ((0, 1), (1, 3))
    assert comparison.to_dict()["agrees"] is True and comparison.to_dict()["ignored"] == [0, 2]
    # Labels count beacons only: the /user/ request before it carries the same event.
    other = compare_beacons(
        result.requests,
        [sent[0], sent[1], decode_url(result.requests[2].url), decode_url(url("Lead", "{}", "{}"))],
    )
    assert [d.text for d in other.differences] == [
        "pd sent on Lead but not predicted: {} (the tag sends pd once load() or set() has received an object, "
        "even an empty one)"
    ]
