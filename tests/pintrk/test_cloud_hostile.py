"""Cloud mode on hostile messages: never an exception, time linear in the input."""

from __future__ import annotations

import time
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.pintrk.cloud import route, transform
from app.pintrk.settings import parse_settings

_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**60), 2**60), st.floats(allow_nan=False), st.text(max_size=8)
)
_json = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
_keys = [
    "type",
    "event",
    "name",
    "category",
    "channel",
    "timestamp",
    "messageId",
    "userId",
    "anonymousId",
    "properties",
    "context",
    "traits",
    "request_ip",
    "statusCode",
    "body",
]
_nested = [
    "email",
    "phone",
    "gender",
    "address",
    "products",
    "quantity",
    "price",
    "clickId",
    "value",
    "total",
    "order_id",
    "numOfItems",
    "device",
    "adTrackingEnabled",
    "advertisingId",
    "ip",
    "userAgent",
    "page",
    "url",
]
_message = st.dictionaries(
    st.sampled_from(_keys),
    st.one_of(
        _json,
        st.dictionaries(
            st.sampled_from(_nested),
            st.one_of(_json, st.dictionaries(st.sampled_from(_nested), _json, max_size=4)),
            max_size=6,
        ),
    ),
    max_size=10,
)
_config = st.fixed_dictionaries(
    {},
    optional={
        "advertiserId": st.one_of(st.just("549"), st.just("")),
        "apiVersion": st.sampled_from(["legacyApi", "newApi", "other", ""]),
        "adAccountId": st.just("a1"),
        "conversionToken": st.sampled_from(["t", ""]),
        "sendingUnHashedData": st.booleans(),
        "sendAsCustomEvent": st.booleans(),
        "sendExternalId": st.booleans(),
        "deduplicationKey": st.sampled_from(["", "messageId", "properties.id", "a[0].b", "properties..x"]),
        "eventsMapping": st.lists(
            st.fixed_dictionaries({"from": st.text(max_size=4), "to": st.text(max_size=6)}), max_size=3
        ),
    },
)


@given(message=st.one_of(_message, _json), config=_config)
def test_any_message_gives_an_outcome_never_an_exception(message: Any, config: dict[str, Any]) -> None:
    settings = parse_settings(config)
    outcome = transform(message, settings)
    assert (outcome.status == 200) == (outcome.error is None)
    assert outcome.status != 200 or outcome.requests
    assert isinstance(outcome.to_dict("x"), dict)
    outputs = route([(message, settings, 1), (message, settings, 2)])
    assert sum(len(o.metadata) for o in outputs) == 2


def _seconds(message: dict[str, Any]) -> float:
    settings = parse_settings({"advertiserId": "549", "sendingUnHashedData": True, "eventsMapping": []})
    start = time.perf_counter()
    assert transform(message, settings).status == 200
    return time.perf_counter() - start


def test_big_lists_cost_linear_time() -> None:
    def message(n: int) -> dict[str, Any]:
        return {
            "type": "track",
            "event": "Order Completed",
            "channel": "web",
            "timestamp": "2024-05-01T10:00:00Z",
            "context": {"traits": {"email": [f"u{i}@x.co" for i in range(n)], "phone": ["0" * 50] * n}},
            "properties": {"products": [{"sku": str(i), "quantity": 1, "price": i} for i in range(n)]},
        }

    small, big = _seconds(message(2_000)), _seconds(message(20_000))
    assert big < 10 * small * 3 + 0.05, (small, big)  # ten times the input: about ten times the time
