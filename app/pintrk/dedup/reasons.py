"""The reasons the deduplication check gives, in plain words, read from the rule records."""

from __future__ import annotations

from typing import Any

from ..cloud import CloudRequest
from ..commands import Command
from ..replay import Result
from ..settings import Settings
from ..tag import Request
from .model import Destination, Reason, SettingFix, is_sha256_hex, pinterest_event_key

__all__ = ["name_differs", "no_browser_event_id", "event_id_differs", "email_notes"]


def name_differs(browser: str | None, command: Command, server: str | None, request: CloudRequest) -> Reason:
    return Reason(
        "name-differs",
        f"The event names differ: the browser sends “{browser}” ({_browser_name_rule(command)}), the "
        f"server “{server}” ({_server_name_rule(request)}). Pinterest compares names ignoring case, "
        f"spaces and underscores, and “{pinterest_event_key(browser)}” is not “{pinterest_event_key(server)}”.",
    )


def no_browser_event_id(command: Command, result: Result) -> Reason:
    what = "Page events" if command.rule.kind == "page" else "Events"
    return Reason(
        "browser-no-event-id",
        f"The browser's event has no event_id: {what.lower()} from the SDK profile “{result.profile.label}” "
        "carry none, so Pinterest cannot match it with the server's. RudderStack's JavaScript SDK v3 sends "
        "event_id (choose that profile if the site uses it).",
    )


def event_id_differs(
    browser: str, command: Command, server: str | None, request: CloudRequest, separate: bool
) -> Reason:
    browser_from = command.rule.event_id_from or "messageId"
    server_from = request.origin.event_id_from if request.origin is not None else "messageId"
    server_owner = "the server destination" if separate else "this destination"
    fix: SettingFix | None = None
    if browser_from != "messageId":
        target: Destination = "cloudSettings" if separate else "settings"
        fix = SettingFix(
            target,
            "deduplicationKey",
            browser_from,
            f"Set {server_owner}'s deduplication key to {browser_from}, as the browser's.",
        )
    elif server_from != "messageId":
        fix = SettingFix(
            "settings",
            "deduplicationKey",
            server_from,
            f"Set this destination's deduplication key to {server_from}, as the server's.",
        )
    return Reason(
        "event-id-differs",
        f"event_id differs: the browser sends “{browser}” ({_id_source(browser_from, 'this destination')}), "
        f"the server “{server}” ({_id_source(server_from, server_owner)}).",
        fix=fix,
    )


def _id_source(source: str, owner: str) -> str:
    if source == "messageId":
        return f"the messageId, as {owner}'s deduplication key is empty or finds nothing"
    return f"from {source}, {owner}'s deduplication key"


def email_notes(beacon: Request, request: CloudRequest, settings: Settings) -> list[Reason]:
    """Notes on the hashed e-mails (``settings``: the server destination's)."""
    browser_em = _first(beacon.pd.get("em") if isinstance(beacon.pd, dict) else None)
    user_data = request.body.get("user_data")
    server_em = _first(user_data.get("em") if isinstance(user_data, dict) else None)
    if browser_em == server_em:
        return []
    if server_em is not None and not settings.sending_unhashed_data and not is_sha256_hex(server_em):
        return [
            Reason(
                "em-not-hashed",
                f"The server sends the e-mail as given, not hashed (“{server_em}”): “Send unhashed data” is "
                "off, so RudderStack takes it as hashed already. Pinterest cannot match it with the "
                "browser's hashed e-mail. Turn on “Send unhashed data”.",
                note=True,
            )
        ]
    if browser_em is None:
        return [
            Reason(
                "em-browser-missing",
                "Only the server's event carries a hashed e-mail: in the browser, enhanced match is off "
                "and no identify came before.",
                note=True,
            )
        ]
    if server_em is None:
        return [Reason("em-server-missing", "Only the browser's event carries a hashed e-mail.", note=True)]
    return [
        Reason(
            "em-differs",
            f"The hashed e-mails differ (browser {browser_em[:12]}…, server {server_em[:12]}…): the two "
            "paths read different e-mails, or one trims or lower-cases it and the other does not.",
            note=True,
        )
    ]


_BROWSER_NAME_RULES = {
    "standard-table": "the SDK's table of standard events",
    "user-mapping": "event mapping row {row}",
    "send-as-custom": "“Send as custom event”",
    "event-name": "the event's own name",
    "page": "a page call",
    "pintrk": "a pintrk call",
}
_SERVER_NAME_RULES = {
    "page-visit": "a page call",
    "view-category": "a page call with a category",
    "events-mapping": "event mapping row {row}, in snake_case",
    "built-in": "RudderStack's server-side table of standard events",
    "send-as-custom": "“Send as custom event”",
    "raw-name": "the event's own name",
}


def _browser_name_rule(command: Command) -> str:
    row = command.rule.row
    return _BROWSER_NAME_RULES.get(command.rule.kind, command.rule.kind).format(row=(row or 0) + 1)


def _server_name_rule(request: CloudRequest) -> str:
    if request.origin is None:
        return "as given"
    row = request.origin.mapping_row
    rule = request.origin.event_name_rule
    return _SERVER_NAME_RULES.get(rule, rule).format(row=(row or 0) + 1)


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None
