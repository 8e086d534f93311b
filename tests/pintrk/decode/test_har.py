"""The beacons of a HAR file, read as a stream."""

from __future__ import annotations

import io
import json

import pytest

from app.pintrk import InputError, Location
from app.pintrk.decode import (
    MAX_HAR_BYTES,
    BeaconError,
    HarTooLargeError,
    decode_har,
)
from app.pintrk.errors import at_line
from tests.pintrk.decode.beacons import TID, entry, har, url

# -- HAR ---------------------------------------------------------------------------------


def test_har_keeps_only_beacons_in_start_order() -> None:
    data = har(
        entry("https://www.example.com/", "2024-05-01T10:00:00.000Z"),
        entry(url("checkout", "{}"), "2024-05-01T10:00:02.000Z"),
        entry("https://s.pinimg.com/ct/core.js", "2024-05-01T10:00:00.500Z"),
        entry(url("init"), "2024-05-01T12:00:01.000+02:00"),  # 10:00:01Z
        entry("https://ct.pinterest.com/ct.html", "2024-05-01T10:00:00.600Z"),
    )
    found = decode_har(data)
    assert [b.event for b in found.beacons] == ["init", "checkout"]
    assert [b.source for b in found.beacons] == ["HAR entry 4", "HAR entry 2"]


def test_har_post_bodies() -> None:
    form = entry(
        "https://ct.pinterest.com/v3/",
        request={
            "method": "POST",
            "postData": {
                "mimeType": "application/x-www-form-urlencoded",
                "params": [{"name": "event", "value": "lead"}, {"name": "tid", "value": TID}],
            },
        },
    )
    text = entry(
        "https://ct.pinterest.com/v3/?tid=" + TID,
        request={
            "method": "POST",
            "postData": {"mimeType": "text/plain", "text": "event=signup&ed=%7B%22a%22%3A1%7D"},
        },
    )
    as_json = entry(
        "https://ct.pinterest.com/v3/",
        request={
            "method": "POST",
            "postData": {
                "mimeType": "application/json",
                "text": json.dumps({"event": "custom", "tid": TID, "ed": {"value": 1.5}}),
            },
        },
    )
    # Chrome's DevTools list a form's params still percent-encoded, next to the body as sent.
    body = f"event=Checkout&ed=%7B%22value%22%3A2%7D&tid={TID}&ov=%5B1%2C2%5D"
    chrome = entry(
        "https://ct.pinterest.com/v3/",
        request={
            "method": "POST",
            "postData": {
                "mimeType": "application/x-www-form-urlencoded",
                "text": body,
                "params": [
                    dict(zip(("name", "value"), pair.split("=", 1), strict=False)) for pair in body.split("&")
                ],
            },
        },
    )
    beacons = decode_har(har(form, text, as_json, chrome)).beacons
    assert [(b.method, b.event, b.tid, b.ed) for b in beacons] == [
        ("POST", "lead", TID, None),
        ("POST", "signup", TID, {"a": 1}),
        ("POST", "custom", TID, {"value": 1.5}),
        ("POST", "Checkout", TID, {"value": 2}),
    ]
    assert beacons[3].ov == [1, 2] and beacons[3].problems == ()


def test_har_blocked_requests_are_flagged() -> None:
    blocked = entry(url("init"), response={"status": 0, "_error": "net::ERR_BLOCKED_BY_CLIENT"})
    refused = entry(url("checkout", "{}"), response={"status": 403})
    silent = entry(url("lead", "{}"), response={"status": 0})
    beacons = decode_har(har(blocked, refused, silent)).beacons
    assert "ERR_BLOCKED_BY_CLIENT" in beacons[0].problems[0] and "ad blocker" in beacons[0].problems[0]
    assert beacons[1].problems == ("Pinterest answered with HTTP status 403",)
    assert "status 0" in beacons[2].problems[0]


@pytest.mark.parametrize(
    ("data", "location", "words"),
    [
        (b"{", "line 1, column 2", "not valid JSON"),
        (b"[]", "log", "this is not a HAR file"),
        (b'{"log": {"entries": 3}}', "log.entries", "log.entries is missing or not a list"),
        (b"\xff\xfe", None, "not UTF-8"),
    ],
)
def test_har_errors_say_where(data: bytes, location: str | None, words: str) -> None:
    with pytest.raises(BeaconError) as caught:
        decode_har(data)
    assert caught.value.where == location and words in caught.value.message


def test_har_entries_without_url_are_noted() -> None:
    found = decode_har(har({"request": {}}, entry(url("init"))))
    assert found.notes == ("log.entries[0]: no request URL; skipped",)
    assert len(found.beacons) == 1


def test_har_size_cap_states_the_limit() -> None:
    assert MAX_HAR_BYTES == 50 * 1024 * 1024
    data = json.dumps(har(entry(url("init")))).encode()
    assert len(data) > 100
    for source in (data, data.decode(), io.BytesIO(data)):
        with pytest.raises(
            HarTooLargeError, match="larger than 100 bytes, the most the playground reads"
        ) as caught:
            decode_har(source, max_bytes=100)  # type: ignore[arg-type]
        assert caught.value.limit == 100
    with pytest.raises(HarTooLargeError, match="larger than 50 MB"):
        decode_har(io.BytesIO(b" " * (MAX_HAR_BYTES + 1)))
    # A stream is read only up to the limit, and a BOM is fine.
    assert len(decode_har(io.BytesIO(b"\xef\xbb\xbf" + data)).beacons) == 1


def test_har_errors_are_input_errors_with_a_location() -> None:
    with pytest.raises(BeaconError) as caught:
        decode_har(b'{"log": {"entries": 3}}')
    error = caught.value
    assert isinstance(error, InputError) and error.code == "invalid-har"
    assert error.location == Location("log.entries")
    assert str(error) == "log.entries: this is not a HAR file: log.entries is missing or not a list"
    with pytest.raises(BeaconError) as caught:
        decode_har(b"{\n  nope")
    assert caught.value.location == at_line(2, 4)
    assert (
        str(caught.value)
        == "line 2, column 4: the HAR file is not valid JSON: this word is not JSON (text needs double quotes)"
    )
    with pytest.raises(HarTooLargeError) as too_large:
        decode_har(b" " * 200, max_bytes=100)
    assert isinstance(too_large.value, InputError) and too_large.value.code == "too-large"
    assert too_large.value.location is None
