"""Beacon URLs found in pasted text."""

from __future__ import annotations

from app.pintrk.decode import (
    decode_text,
)
from tests.pintrk.decode.beacons import url

# -- text --------------------------------------------------------------------------------


def test_text_with_labels_quotes_and_other_hosts() -> None:
    checkout = url("checkout", '{"value":10}')
    text = (
        f"Request URL: {url('init')}\n"
        "Request Method: GET\n"
        f"curl '{checkout}' -H 'Accept: image/*'\n"
        "https://www.example.com/shop\n"
        f'"{url("addtocart", "{}")}", <{url("search", "{}")}>\n'
    )
    found = decode_text(text)
    assert [b.event for b in found.beacons] == ["init", "checkout", "addtocart", "search"]
    assert [b.source for b in found.beacons] == ["line 1", "line 3", "line 5", "line 5"]
    assert found.notes == (
        "line 4: https://www.example.com/shop is not a request to ct.pinterest.com (www.example.com); skipped",
    )


def test_text_without_beacons() -> None:
    assert decode_text("nothing here\n\n").beacons == ()
