"""The JSON API under ``/api/v1``: replay, decode, compare and import, for support and QA.

Bodies are JSON only (anything else is a 415), read with JavaScript number
semantics, and answered with ``JSON.stringify``-style text, so numbers come
back exactly as the integration would write them.  Every error is JSON:
``{"error": {"code", "message", "location"}}``.

The blueprint is exempt from CSRF: it takes no cookies or form posts, and a
browser can't send ``application/json`` cross-site without a CORS preflight,
which this API never grants.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from types import GeneratorType
from typing import Any, NoReturn

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.pintrk import jsonstream
from app.pintrk import limits as budget
from app.pintrk.beacons import (
    BeaconError,
    BeaconList,
    compare_beacons,
    decode_text_within,
    decode_url,
    har_too_dense,
    read_har_events,
)
from app.pintrk.calls import CallScriptError, parse_call_script
from app.pintrk.compare import compare_profiles
from app.pintrk.events_import import EventsImportError, import_events
from app.pintrk.jsvalue import JSONInputError, loads, quote, stringify
from app.pintrk.limits import OverBudget, check_text
from app.pintrk.mapping import Command, Entry
from app.pintrk.messages import MessageError, build_messages
from app.pintrk.profiles import DEFAULT_PROFILE, PROFILES
from app.pintrk.replay import Result, Scenario, cyclic_gc_paused, replay
from app.pintrk.reproduction import ReproductionError
from app.pintrk.reproduction import load as load_reproduction
from app.pintrk.settings import SettingsError, parse_settings
from app.pintrk.snippet import render_snippet

from .openapi import LIMITS, openapi_spec, operations

bp = Blueprint("api", __name__, url_prefix="/api/v1")

_SCENARIO_KEYS = ("settings", "profile", "initialTraits", "messages", "calls", "id")
_SOURCE_KEYS = ("urls", "text", "har")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.location = status, code, message, location


def _fail(status: int, code: str, message: str, location: str | None = None) -> NoReturn:
    raise ApiError(status, code, message, location)


def _json(value: Any, status: int = 200) -> Response:
    return Response((stringify(value) or "null") + "\n", status=status, mimetype="application/json")


def _error(status: int, code: str, message: str, location: str | None = None) -> Response:
    return _json({"error": {"code": code, "message": message, "location": location}}, status)


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    return _error(exc.status, exc.code, exc.message, exc.location)


@bp.errorhandler(OverBudget)
def _over_budget(exc: OverBudget) -> Response:
    # Raised by the core before any mapping; the limits are in the OpenAPI document's info.
    return _error(413, "over-budget", exc.message, exc.location)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc: RequestEntityTooLarge) -> Response:
    limit = request.max_content_length
    size = f" ({_megabytes(limit)})" if limit else ""
    return _error(
        413,
        "too-large",
        f"the request body is larger than this endpoint accepts{size}. Send fewer messages, "
        "or, for a HAR file, record only the page visit that shows the problem.",
        "body",
    )


@bp.errorhandler(429)
def _too_many_requests(exc: HTTPException) -> Response:
    # Flask-Limiter's refusal (app/web/ratelimit.py), before the view read anything.
    from .ratelimit import retry_after_seconds

    wait = retry_after_seconds()
    limit = getattr(getattr(exc, "limit", None), "limit", None)
    response = _error(
        429,
        "too-many-requests",
        f"too many requests from your address: this API answers at most {limit or current_app.config['API_RATE_LIMIT']} "
        f"from one client. Wait {wait} second{'s' if wait != 1 else ''} (the Retry-After header), then send it again; "
        "for many scenarios, send fewer, larger requests (up to the limits in /api/v1/docs).",
        None,
    )
    response.headers["Retry-After"] = str(wait)
    return response


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    code = (exc.name or "error").lower().replace(" ", "-")
    return _error(exc.code or 500, code, exc.description or exc.name or "error", None)


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


# -- reading requests --------------------------------------------------------------------


def _body(limit_key: str = "API_MAX_CONTENT_LENGTH") -> dict[str, Any]:
    """The JSON object in the request body, read with JavaScript semantics."""
    _check_json_request()
    request.max_content_length = current_app.config.get(limit_key, LIMITS[limit_key])
    raw = request.get_data(cache=False)
    if not raw.strip():
        _fail(400, "empty-body", "the request body is empty: send a JSON object ({ … })", "body")
    check_text(raw, budget.API, "body", "the request body")  # before it is parsed: 413 over-budget
    try:
        data = loads(raw, max_depth=LIMITS["max_depth"])
    except JSONInputError as exc:
        _fail(
            400,
            "invalid-json",
            f"the body is not valid JSON: {exc.message}",
            f"body: {exc.location}" if exc.location else "body",
        )
    if not isinstance(data, dict):
        _fail(400, "not-an-object", "the body must be a JSON object ({ … })", "body")
    return data


def _check_json_request() -> None:
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        shown = request.content_type or "none"
        _fail(
            415,
            "unsupported-media-type",
            f"send the body as JSON with the header Content-Type: application/json (this request has {shown})",
            "Content-Type",
        )
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        _fail(
            415,
            "unsupported-media-type",
            f"send the JSON as UTF-8 (this request says charset={charset})",
            "Content-Type",
        )


class _Replayable:
    """A stream read once from ``source`` but seekable: what was read is spooled (to disk past 1 MB)."""

    def __init__(self, source: Any) -> None:
        self.source, self.spool, self.position = (
            source,
            tempfile.SpooledTemporaryFile(max_size=1024 * 1024),  # noqa: SIM115 (lives as long as the reader)
            0,
        )

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, position: int) -> None:
        self.position = position

    def read(self, size: int) -> bytes:
        end = self.spool.seek(0, 2)
        if self.position < end:
            self.spool.seek(self.position)
            data = self.spool.read(min(size, end - self.position))
        else:
            data = self.source.read(size)
            self.spool.write(data)
        self.position += len(data)
        return data

    def close(self) -> None:
        self.spool.close()


def _read_decode_body(
    stream: Iterator[tuple[str, Any]], hosts: tuple[str, ...]
) -> tuple[dict[str, Any], BeaconList | None, bool]:
    fields: dict[str, Any] = {}
    har: BeaconList | None = None
    unread = False
    event, _ = next(stream, ("end", None))
    if event == "end":
        _fail(400, "empty-body", "the request body is empty: send a JSON object ({ … })", "body")
    if event != "start_map":
        _fail(400, "not-an-object", "the body must be a JSON object ({ … })", "body")
    for event, key in stream:
        if event == "end_map":
            break
        event, value = next(stream)
        if key == "har" and event == "start_map":
            try:
                har = read_har_events(stream, event, hosts=hosts, max_beacons=LIMITS["max_beacons"])
            except BeaconError as exc:
                _fail(422, "invalid-har", exc.message, f"har.{exc.location}" if exc.location else "har")
            fields[key] = {}  # read above
            if not har.read_whole:
                # Read up to the entries cap, no further: what follows "har" stays unread.
                unread = True
                break
        else:
            fields[key] = jsonstream.build(stream, event, value, max_depth=LIMITS["max_depth"])
    if not unread:
        for _ in stream:  # nothing may follow the object
            pass
    return fields, har, unread


def _decode_body() -> tuple[dict[str, Any], BeaconList | None]:
    """The decode body read as a stream: a HAR in ``har`` is read entry by entry (never whole),
    every other field is built as jsvalue.loads would.  Returns the fields and the HAR's beacons."""
    _check_json_request()
    limit = current_app.config.get("API_MAX_HAR_CONTENT_LENGTH", LIMITS["API_MAX_HAR_CONTENT_LENGTH"])
    request.max_content_length = limit
    # What is read is kept (on disk past 1 MB) so a JSON error can be located by reading it again.
    spool = _Replayable(request.stream)
    hosts = current_app.config["BEACON_HOSTS"]
    source = jsonstream.Source(spool, limit)
    try:
        with jsonstream.located(source):
            fields, har, unread = _read_decode_body(jsonstream.events(source), hosts)
    except jsonstream.SizeLimitError:
        raise RequestEntityTooLarge() from None
    except jsonstream.ValueLimitError as exc:
        _fail(413, "over-budget", har_too_dense(exc.limit), "body")
    except jsonstream.NotUTF8Error as exc:
        _fail(
            400,
            "invalid-json",
            f"the body is not valid JSON: the text is not valid UTF-8 (byte {exc.byte})",
            "body",
        )
    except jsonstream.DepthError as exc:
        _fail(
            400,
            "invalid-json",
            f"the body is not valid JSON: the JSON is nested more than {exc.limit} levels deep",
            "body",
        )
    except jsonstream.JSONStreamError as exc:
        spool.seek(0)
        if source.position <= 4096 and not spool.read(source.position).strip():
            _fail(400, "empty-body", "the request body is empty: send a JSON object ({ … })", "body")
        _fail(
            400,
            "invalid-json",
            f"the body is not valid JSON: {exc.reason}",
            f"body: {exc.location}" if exc.location else "body",
        )
    finally:
        spool.close()
    if har is not None and unread:
        har = replace(
            har,
            notes=(
                *har.notes,
                'The rest of the body, after "har", was not read: put any other fields '
                '(settings, messages, calls…) before "har" to use them with a HAR this large.',
            ),
        )
    return fields, har


def _check_keys(body: Mapping[str, Any], allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    for key in body:
        if key not in allowed:
            _fail(
                400, "unknown-field", f"unknown field {key!r}; this endpoint takes {', '.join(allowed)}", key
            )


def _profile_name(body: Mapping[str, Any], key: str = "profile") -> str:
    name = body.get(key)
    if name is None:
        return DEFAULT_PROFILE
    if not isinstance(name, str):
        _fail(400, "invalid-field", "profile must be text: docs, sdk-v1 or sdk-v3", key)
    if name not in PROFILES:
        _fail(422, "unknown-profile", f"unknown profile {name!r}: choose one of {', '.join(PROFILES)}", key)
    return name


def _scenario(body: Mapping[str, Any]) -> tuple[Scenario, str, list[Any] | None]:
    """The scenario in ``body``, its profile, and the messages built from ``calls`` (if any)."""
    if "format" in body:  # a saved reproduction document
        try:
            reproduction = load_reproduction(body)
            scenario = reproduction.scenario()
        except ReproductionError as exc:
            status = 400 if exc.location in ("format", "version") or exc.location is None else 422
            _fail(status, "invalid-reproduction", exc.message, exc.location)
        from_calls = list(scenario.messages) if reproduction.calls is not None else None
        return scenario, reproduction.profile, from_calls

    profile = _profile_name(body)
    if body.get("pintrk") is not None:  # the tag alone: its calls as they are
        if any(body.get(key) is not None for key in ("calls", "messages", "settings")):
            _fail(
                400,
                "conflicting-fields",
                "send pintrk calls on their own, without settings, messages or calls",
                "pintrk",
            )
        calls = body["pintrk"]
        if isinstance(calls, list) and len(calls) > LIMITS["max_messages"]:
            _fail(
                413,
                "too-many-calls",
                f"{len(calls):,} pintrk calls is more than the API replays at once ({LIMITS['max_messages']:,})",
                "pintrk",
            )
        try:
            return Scenario.from_dict({"id": body.get("id"), "pintrk": calls}), profile, None
        except ValueError as exc:
            _fail(422, "invalid-pintrk", str(exc), "pintrk")
    config = body.get("settings")
    if config is not None and not isinstance(config, dict):
        _fail(
            400,
            "invalid-field",
            'settings must be an object: the destination config ({"tagId": …})',
            "settings",
        )
    try:
        settings = parse_settings(config or {})
    except SettingsError as exc:
        where = "settings" + ("" if not exc.path else f".{exc.path}")
        _fail(422, "invalid-settings", exc.message, where)
    traits = body.get("initialTraits")
    if traits is not None and not isinstance(traits, dict):
        _fail(400, "invalid-field", "initialTraits must be an object ({ … }) of user traits", "initialTraits")
    traits = traits or {}
    has_calls, has_messages = body.get("calls") is not None, body.get("messages") is not None
    if has_calls and has_messages:
        _fail(400, "conflicting-fields", "send either messages or calls, not both", "calls")
    built: list[Any] | None = None
    if has_calls:
        script = body["calls"]
        if not isinstance(script, str):
            _fail(
                400,
                "invalid-field",
                "calls must be a call script (text), e.g. \"rudderanalytics.track('Signed Up');\"",
                "calls",
            )
        try:
            calls = parse_call_script(
                script, max_calls=LIMITS["max_calls"], max_length=LIMITS["max_script_length"]
            )
            built = build_messages(calls, traits)
        except CallScriptError as exc:
            _fail(422, "invalid-calls", exc.message, f"calls: line {exc.line}, column {exc.column}")
        except MessageError as exc:
            where = f"calls: line {exc.call.line}, column {exc.call.column}" if exc.call else "calls"
            _fail(422, "invalid-calls", exc.message, where)
        messages: Any = built
    else:
        messages = body.get("messages")
        if messages is None:
            messages = []
        if not isinstance(messages, list):
            _fail(400, "invalid-field", "messages must be a list ([ … ]) of RudderStack messages", "messages")
        if len(messages) > LIMITS["max_messages"]:
            _fail(
                413,
                "too-many-messages",
                f"{len(messages):,} messages is more than the API replays at once ({LIMITS['max_messages']:,})",
                "messages",
            )
    scenario_id = body.get("id")
    return (
        Scenario(settings, traits, tuple(messages), scenario_id if isinstance(scenario_id, str) else None),
        profile,
        built,
    )


# -- shaping responses ---------------------------------------------------------------------


def command_dict(index: int, entry: Entry) -> dict[str, Any]:
    if isinstance(entry, Command):
        return {
            "index": index,
            "method": entry.method,
            "args": list(entry.args),
            "message": entry.message_index,
            "event": entry.event,
        }
    return {"index": index, "error": entry.error, "message": entry.message_index}


def replay_dict(result: Result) -> dict[str, Any]:
    """The replay answer; its big lists are generators, serialised item by item."""
    return {
        "profile": result.profile.name,
        "commands": (command_dict(i, e) for i, e in enumerate(result.entries)),
        "calls_json": (entry.to_json() for entry in result.entries),
        "requests": (r.to_dict() for r in result.requests),
        "tag_console": [m.to_dict() for m in result.tag_messages],
        "diagnostics": [f.to_dict() for f in result.diagnostics],
        "snippet": render_snippet(result.entries),
    }


def _json_stream(value: dict[str, Any]) -> Iterator[str]:
    """A JSON object written piece by piece: a 10,000-message answer never sits in memory whole."""
    yield "{"
    for i, (key, item) in enumerate(value.items()):
        yield ("," if i else "") + quote(key) + ":"
        if isinstance(item, (GeneratorType, list)):
            yield "["
            for j, element in enumerate(item):
                yield ("," if j else "") + (stringify(element) or "null")
            yield "]"
        else:
            yield stringify(item) or "null"
    yield "}\n"


# -- endpoints ------------------------------------------------------------------------------


@bp.post("/replay")
def replay_endpoint() -> Response:
    # A big replay allocates millions of small acyclic objects: no cycle collection meanwhile.
    with cyclic_gc_paused():
        body = _body()
        if "format" not in body:
            _check_keys(body, _SCENARIO_KEYS)
        scenario, profile, built = _scenario(body)
        data = replay_dict(replay(scenario, profile))
        if built is not None:
            data["messages"] = built
        # Serialised while the response is sent (the cycle collector stays paused for that too).
        return Response(_paused(_json_stream(data)), mimetype="application/json")


def _paused(chunks: Iterator[str]) -> Iterator[str]:
    with cyclic_gc_paused():
        yield from chunks


@bp.post("/decode")
def decode_endpoint() -> Response:
    body, har = _decode_body()
    reproduction = "format" in body
    if not reproduction:
        _check_keys(body, _SOURCE_KEYS + _SCENARIO_KEYS)
    sources = [key for key in _SOURCE_KEYS if body.get(key) is not None]
    if reproduction:
        sources = ["sentBeacons"]
    if len(sources) != 1:
        _fail(
            400,
            "missing-field" if not sources else "conflicting-fields",
            "send the beacons in exactly one of urls (a list of URLs), text (URLs separated by spaces "
            "or new lines) or har (a HAR file's JSON object)",
            None if not sources else sources[1],
        )
    source = sources[0]
    value = body.get(source) if not reproduction else body.get("sentBeacons")
    beacons, notes, truncated, found = _decode(source, har if source == "har" and har is not None else value)
    # At most max_beacons beacons (a cap, stated): "truncated" says more were sent, "found" how many.
    data: dict[str, Any] = {
        "beacons": [b.to_dict() for b in beacons],
        "notes": notes,
        "truncated": truncated,
        "found": found,
    }
    if reproduction or any(body.get(key) is not None for key in _SCENARIO_KEYS if key != "id"):
        scenario, profile, _ = _scenario({k: v for k, v in body.items() if k not in _SOURCE_KEYS})
        result = replay(scenario, profile)
        comparison = compare_beacons(result.beacons, beacons)
        data["comparison"] = {
            "profile": profile,
            "predicted": [b.to_dict() for b in result.beacons],  # the /v3/ requests
            **comparison.to_dict(),
        }
    return _json(data)


def _decode(source: str, value: Any) -> tuple[list[Any], list[str], bool, int]:
    # Only Pinterest's tag host, unless a test configures a local stand-in.
    hosts = current_app.config["BEACON_HOSTS"]
    if source in ("urls", "sentBeacons"):
        if not isinstance(value, list):
            _fail(400, "invalid-field", f"{source} must be a list of beacon URLs (text)", source)
        if len(value) > LIMITS["max_beacons"]:
            _fail(
                413,
                "too-many-beacons",
                f"{len(value):,} URLs is more than the API decodes at once ({LIMITS['max_beacons']:,})",
                source,
            )
        beacons = []
        for i, url in enumerate(value):
            if not isinstance(url, str):
                _fail(400, "invalid-field", "each URL must be text", f"{source}[{i}]")
            try:
                beacons.append(decode_url(url, hosts=hosts, source=f"{source}[{i}]"))
            except BeaconError as exc:
                _fail(422, "not-a-beacon", exc.message, f"{source}[{i}]")
        return beacons, [], False, len(beacons)
    if source == "text":
        if not isinstance(value, str):
            _fail(
                400,
                "invalid-field",
                "text must be text: beacon URLs separated by spaces or new lines",
                "text",
            )
        found = decode_text_within(value, hosts=hosts, max_beacons=LIMITS["max_beacons"])
        notes = list(found.notes)
        if not found.beacons:
            notes.append(f"no {' or '.join(hosts)} beacon URLs were found in the text")
        return list(found.beacons), notes, found.truncated, found.total
    if not isinstance(value, BeaconList):  # read from the body as a stream (_decode_body)
        _fail(400, "invalid-field", 'har must be the HAR file\'s JSON object ({"log": {…}})', "har")
    found = value
    notes = list(found.notes)
    if not found.beacons:
        notes.append(
            f"none of the HAR's {found.entries or 0:,} requests went to {' or '.join(hosts)}: the tag didn't fire "
            "during the recording, or something (an ad blocker, a consent tool) stopped it"
        )
    return list(found.beacons), notes, found.truncated, found.total


@bp.post("/compare")
def compare_endpoint() -> Response:
    body = _body()
    if "format" not in body:
        # "profiles" (a list) replaces "profile" here.
        _check_keys(body, (*(k for k in _SCENARIO_KEYS if k != "profile"), "profiles"))
    names = body.get("profiles")
    if names is None:
        names = list(PROFILES)
    if not isinstance(names, list) or not names:
        _fail(400, "invalid-field", "profiles must be a non-empty list of profile names", "profiles")
    for i, name in enumerate(names):
        if not isinstance(name, str):
            _fail(400, "invalid-field", "each profile must be text", f"profiles[{i}]")
        if name not in PROFILES:
            _fail(
                422,
                "unknown-profile",
                f"unknown profile {name!r}: choose from {', '.join(PROFILES)}",
                f"profiles[{i}]",
            )
        if names.index(name) != i:
            _fail(422, "duplicate-profile", f"profile {name!r} is listed twice", f"profiles[{i}]")
    scenario, _, _ = _scenario({k: v for k, v in body.items() if k not in ("profile", "profiles")})
    return _json(compare_profiles(scenario, names).to_dict())


@bp.post("/import")
def import_endpoint() -> Response:
    body = _body()
    _check_keys(body, ("payload", "text"))
    if ("payload" in body) == ("text" in body):
        _fail(
            400,
            "missing-field" if "payload" not in body else "conflicting-fields",
            "send the pasted events as payload (the JSON value) or as text (the JSON text), not both",
            None,
        )
    if "text" in body and not isinstance(body["text"], str):
        _fail(400, "invalid-field", "text must be the pasted JSON, as text", "text")
    source = "text" if "text" in body else "payload"
    try:
        imported = import_events(
            body[source], max_messages=LIMITS["max_messages"], max_depth=LIMITS["max_depth"]
        )
    except EventsImportError as exc:
        if exc.too_many:
            _fail(413, "too-many-messages", exc.message, _inside(source, exc.location))
        _fail(422, "invalid-payload", exc.message, _inside(source, exc.location))
    data = imported.to_dict()
    for problem in data["problems"]:
        problem["location"] = _inside(source, problem["location"])
    return _json(data)


def _inside(source: str, location: str | None) -> str:
    """A location inside the payload, from the request's point of view."""
    if not location or location == "message":
        return source
    if source == "text" or location.startswith("line"):
        return f"{source}: {location}"
    return f"{source}{location}" if location.startswith("[") else f"{source}.{location}"


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return _json(openapi_spec(_limits()))


@bp.get("/docs")
def docs() -> str:
    limits = _limits()
    spec = openapi_spec(limits)
    return render_template(
        "api_docs.html", spec=spec, limits=limits, operations=operations(spec, request.host_url.rstrip("/"))
    )


def _limits() -> dict[str, Any]:
    return {
        **LIMITS,
        "API_MAX_CONTENT_LENGTH": current_app.config.get(
            "API_MAX_CONTENT_LENGTH", LIMITS["API_MAX_CONTENT_LENGTH"]
        ),
        "API_MAX_HAR_CONTENT_LENGTH": current_app.config.get(
            "API_MAX_HAR_CONTENT_LENGTH", LIMITS["API_MAX_HAR_CONTENT_LENGTH"]
        ),
    }


# JSON answers for wrong methods and unknown paths under /api/v1 (routing fails
# before a blueprint's error handlers apply, so these are routes of their own).
_OTHER_METHODS = ["GET", "PUT", "PATCH", "DELETE"]


def _post_only() -> Response:
    response = _error(405, "method-not-allowed", f"use POST with a JSON body for {request.path}", None)
    response.headers["Allow"] = "POST"
    return response


for _rule in ("/replay", "/decode", "/compare", "/import"):
    bp.add_url_rule(
        _rule, endpoint=f"{_rule.strip('/')}_other_methods", view_func=_post_only, methods=_OTHER_METHODS
    )


@bp.route("/", defaults={"rest": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(rest: str) -> Response:
    if rest in ("openapi.json", "docs"):
        response = _error(405, "method-not-allowed", f"use GET for {request.path}", None)
        response.headers["Allow"] = "GET, HEAD"
        return response
    return _error(
        404,
        "not-found",
        f"there is no /api/v1/{rest}: see /api/v1/docs for the endpoints",
        None,
    )
