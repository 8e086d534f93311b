"""One RudderStack message + the destination's settings → the Conversions API request(s).

The steps are RudderStack's cloud workflow for Pinterest (``procWorkflow``), in its order, each
refusing with the step's name and its own words (support staff see them in RudderStack's
dashboard): the config (advertiser ID for API v3; ad account ID and conversion token for v5) and
the message type; a track's event; the time and action_source; who the user is; then the body
(``commonFields`` + ``user_data`` + ``custom_data``) once per event name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..jsvalue import UNDEFINED, truthy
from ..settings import Settings
from .common_fields import common_fields, validate_common_fields
from .custom_data import custom_data
from .event_names import event_names
from .reading import js_lower, read
from .received import as_received
from .request import CloudError, CloudOrigin, CloudOutcome, CloudRequest
from .user_data import has_required_user_fields, user_data

if TYPE_CHECKING:
    from ..scenario import Scenario

__all__ = [
    "API_V3",
    "API_V5",
    "V3_ENDPOINT",
    "SUPPORTED_TYPES",
    "transform",
    "cloud_events",
    "cloud_outcomes",
    "is_processed",
    "v5_endpoint",
    "test_params",
    "headers_for",
]

API_V3, API_V5 = "legacyApi", "newApi"
V3_ENDPOINT = "https://ct.pinterest.com/events/v3"
SUPPORTED_TYPES = ("track", "page", "screen")


def v5_endpoint(ad_account_id: str | None) -> str:
    return f"https://api.pinterest.com/v5/ad_accounts/{ad_account_id}/events"


def is_v3(settings: Settings) -> bool:
    """An absent apiVersion is v3; any other text than "legacyApi" takes the v5 path."""
    return (settings.api_version if settings.api_version is not None else API_V3) == API_V3


def headers_for(settings: Settings) -> dict[str, str]:
    if is_v3(settings):
        return {"Content-Type": "application/json"}
    return {"Content-Type": "application/json", "Authorization": f"Bearer {settings.conversion_token}"}


def endpoint_for(settings: Settings) -> str:
    return V3_ENDPOINT if is_v3(settings) else v5_endpoint(settings.ad_account_id)


def test_params(settings: Settings) -> dict[str, Any]:
    """``{"test": true}`` with "Send as test event", else nothing."""
    return {"test": True} if settings.send_as_test_event else {}


def is_processed(message: Any) -> bool:
    """A message RudderStack already transformed (it has a ``statusCode``) is passed through."""
    return isinstance(message, dict) and truthy(message.get("statusCode"))


def transform(message: Any, settings: Settings) -> CloudOutcome:
    """The processor workflow for one message; a bad message gives the error, never an exception."""
    try:
        if is_processed(message):
            return CloudOutcome(200, (_passed_through(message),))
        requests = tuple(
            CloudRequest(
                "POST", endpoint_for(settings), headers_for(settings), test_params(settings), body, origin
            )
            for body, origin in cloud_events(message, settings)
        )
    except CloudError as error:
        return CloudOutcome(error.status, (), error)
    return CloudOutcome(200, requests)


def _passed_through(message: dict[str, Any]) -> CloudRequest:
    def mapping(value: Any) -> dict[str, Any]:
        return value if isinstance(value, dict) else {}

    body = read(message, "body.JSON")
    return CloudRequest(
        str(message.get("method", "POST")),
        str(message.get("endpoint", "")),
        mapping(message.get("headers")),
        mapping(message.get("params")),
        mapping(body),
    )


def cloud_events(message: Any, settings: Settings) -> list[tuple[dict[str, Any], CloudOrigin]]:
    """The event bodies (one per event name) with their rule record; raises :class:`CloudError`."""
    if not isinstance(message, dict):
        message = {}
    message_type = _validate_input(message, settings)
    if message_type == "track" and not (truthy(message.get("event")) or truthy(message.get("name"))):
        raise CloudError("event_name could not be mapped. Aborting.", "validateInputForTrack")
    fields, event_id_from = common_fields(message, settings, is_v5=settings.api_version == API_V5)
    validate_common_fields(fields)
    fields["user_data"] = user_data(message, settings)
    if not has_required_user_fields(fields["user_data"]):
        raise CloudError(
            "It is required at least one of em, hashed_maids or pair of client_ip_address and client_user_agent",
            "validateUserFields",
        )
    if message_type == "track":
        fields["custom_data"] = custom_data(message)
    return [
        ({**fields, "event_name": name}, CloudOrigin(rule, row, event_id_from))
        for name, rule, row in event_names(message, message_type, settings)
    ]


def _validate_input(message: dict[str, Any], settings: Settings) -> str:
    """The config the API version needs, then a supported message type (compared lower-cased)."""
    if is_v3(settings):
        if not settings.advertiser_id:
            raise CloudError("Advertiser Id not found. Aborting", "validateInput")
    else:
        if not settings.ad_account_id:
            raise CloudError("Ad Account ID not found. Aborting", "validateInput")
        if not settings.conversion_token:
            raise CloudError("Conversion Token not found. Aborting", "validateInput")
    kind = message.get("type", UNDEFINED)
    message_type = js_lower(kind) if isinstance(kind, str) else ""
    if not message_type:
        raise CloudError("Message type is not present. Aborting message.", "validateInput")
    if message_type not in SUPPORTED_TYPES:
        raise CloudError(f"message type {message_type} is not supported", "validateInput")
    return message_type


def cloud_outcomes(scenario: Scenario) -> tuple[CloudOutcome, ...]:
    """One outcome per message of the scenario, sent with its server-side settings; messages built
    from SDK calls as the servers receive them (:func:`~.received.as_received`)."""
    settings = scenario.server_settings
    messages: Sequence[Any] = scenario.messages
    if scenario.source == "calls":
        messages = [as_received(message) for message in messages]
    return tuple(transform(message, settings) for message in messages)
