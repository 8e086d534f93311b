"""A request the tag makes, decoded as a tag debugger shows it: the log's and the decode page's cards."""

from __future__ import annotations

from dataclasses import dataclass

from app.pintrk import SIMULATED_PARAMS, Request, stringify

__all__ = ["IDENTIFIER_LABELS", "PARAM_LABELS", "BeaconView", "beacon_view"]

# How Pinterest's tag documentation names each parameter; the log labels decoded requests with these.
PARAM_LABELS = {
    "event": "Event name",
    "ed": "Event data",
    "tid": "Tag ID",
    "pd": "Partner data",
    "ov": "Options given to page() or track()",
    "ad": "Automatic data about the page",
    "cb": "Cache buster (the time, Date.now())",
    "dep": "Tag state",
    "stc": "Configuration received",
}
# Partner-data keys the tag hashes, in words.
IDENTIFIER_LABELS = {
    "em": "hashed email", "ph": "hashed phone", "fn": "hashed first name", "ln": "hashed last name",
    "ge": "hashed gender", "db": "hashed birth date", "ct": "hashed city", "st": "hashed state",
    "zp": "hashed zip code", "country": "hashed country", "external_id": "hashed external ID",
}  # fmt: skip


@dataclass(frozen=True)
class BeaconView:
    """One request the tag makes, decoded as a tag debugger shows it."""

    endpoint: str  # "v3" (the conversion beacon) or "user" (the configuration request)
    path: str
    method: str
    event: str | None
    tid: str
    url: str
    hashed_email: str | None
    event_data: list[tuple[str, str]]  # Omnibug's "Event data": key, JSON value
    partner_data: list[tuple[str, str, str]]  # key, label, JSON value
    options: list[tuple[str, str]]  # ov: key, JSON value
    general: list[tuple[str, str, str, bool]]  # name, label, value, simulated

    @property
    def is_beacon(self) -> bool:
        return self.endpoint == "v3"


def _json(value: object) -> str:
    return stringify(value) or "undefined"


def beacon_view(request: Request) -> BeaconView:
    pd = request.pd or {}
    email = pd.get("em")
    general = []
    for name, value in request.params:
        if name in ("ed", "pd", "ov"):
            continue
        general.append((name, PARAM_LABELS.get(name, name), value, name in SIMULATED_PARAMS))
    return BeaconView(
        endpoint=request.endpoint,
        path=request.path,
        method=request.method,
        event=request.event,
        tid=request.tid,
        url=request.url,
        hashed_email=email if isinstance(email, str) and email else None,
        event_data=[(key, _json(value)) for key, value in (request.ed or {}).items()],
        partner_data=[(key, IDENTIFIER_LABELS.get(key, ""), _json(value)) for key, value in pd.items()],
        options=[(key, _json(value)) for key, value in request.ov.items()]
        if isinstance(request.ov, dict)
        else ([("", _json(request.ov))] if request.ov is not None else []),
        general=general,
    )
