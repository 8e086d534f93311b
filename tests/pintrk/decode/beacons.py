"""Beacon URLs, HAR files and predictions for the decode tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from app.pintrk.calls import parse_call_script
from app.pintrk.messages import build_messages
from app.pintrk.replay import Result, Scenario, replay
from app.pintrk.settings import parse_settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HAR = FIXTURES / "pintrk-visit.har"
TID = "2612345678901"
# What encodeURIComponent leaves as it is, besides letters, digits and "-_.~".
SAFE_IN_URI_COMPONENT = "!*'()"


def url(event: str, ed: str | None = None, pd: str | None = None, tid: str = TID, extra: str = "") -> str:
    parts = [f"event={event}"]
    if ed is not None:
        parts.append("ed=" + quote(ed, safe=""))
    parts.append(f"tid={tid}")
    if pd is not None:
        parts.append("pd=" + quote(pd, safe=""))
    return "https://ct.pinterest.com/v3/?" + "&".join(parts) + extra


def run(
    calls: str,
    settings: dict[str, Any] | None = None,
    profile: str = "docs",
    traits: dict[str, Any] | None = None,
) -> Result:
    scenario = Scenario(
        parse_settings(settings or {"tagId": TID}),
        traits or {},
        tuple(build_messages(parse_call_script(calls), traits or {})),
    )
    return replay(scenario, profile)


def har(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"log": {"version": "1.2", "creator": {"name": "test"}, "entries": list(entries)}}


def entry(request_url: str, started: str = "2024-05-01T10:00:00.000Z", **extra: Any) -> dict[str, Any]:
    request = {"method": "GET", "url": request_url, **extra.pop("request", {})}
    return {
        "startedDateTime": started,
        "request": request,
        "response": {"status": 200, **extra.pop("response", {})},
        **extra,
    }
