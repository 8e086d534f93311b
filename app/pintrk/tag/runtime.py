"""Pinterest's tag, simulated: pintrk calls → the requests it makes and what it logs.

Modelled on recordings of the real tag (build ``0cb4b510``) in Chromium, with
every request answered locally; see ``conformance/tag-runtime.json``.  The
simulation assumes, as in the recordings, that the answer to the tag's first
``/user/`` request (its configuration) arrives before the next call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..jsvalue import (
    UNDEFINED,
    js_keys,
    js_trim,
    loosely_equals_one,
    number_to_string,
    order_keys,
    stringify,
    to_js_string,
    to_number,
    truthy,
)
from ..mapping import Command, Entry
from .console import TAG_STANDARD_EVENTS, TagMessage
from .identifiers import (
    AEM_KEYS,
    IDENTIFIER_KEYS,
    contains_email,
    hash_identifier,
    hash_identifiers,
    merge_external_ids,
)
from .request import AutomaticData, Request

__all__ = ["TagRun", "Withheld", "simulate", "command_name", "gives_consent", "COMMANDS", "START_MS"]

# The commands the tag knows, as its error message lists them (matched lower-cased).
COMMANDS = ("load", "page", "set", "track", "setConsent", "md")
# Runtime settings the tag reads from load()'s options; they never reach partner data.
_CONFIG_KEYS = frozenset(
    {"md_frequency", "chrome_new_user_agent_enabled", "ct_epik_iframe_enabled", "debug_aem_enabled"}
)
# Date.now() of the first call (2024-05-01T10:00:00Z, the scenario's clock); calls come 0.5 s apart.
START_MS = 1_714_557_600_000
_CALL_INTERVAL_MS = 500
# Pinterest advertiser IDs are 2^39 + n; the tag warns when load() gets one.
_ADVERTISER_IDS = range(2**39, 2**40)

_PAGE_LOAD, _TAGS_RECEIVED, _TAGS_ABSENT = "2,PAGE_LOAD", "4,TAGS_RECEIVED", "5,EVENT_TAGS_ABSENT"


@dataclass(frozen=True)
class Withheld:
    """A page or track call that sent nothing because setConsent() had withdrawn consent."""

    command_index: int
    withdrawn_at: int  # the setConsent() call that withdrew it


@dataclass(frozen=True)
class TagRun:
    """Every request in the order made, the tag's console messages, and the calls consent silenced."""

    requests: tuple[Request, ...]
    messages: tuple[TagMessage, ...]
    withheld: tuple[Withheld, ...] = ()

    @property
    def beacons(self) -> tuple[Request, ...]:
        return tuple(r for r in self.requests if r.is_beacon)


def simulate(entries: Iterable[Entry], page: AutomaticData | None = None) -> TagRun:
    """Run pintrk calls (error entries are skipped but keep their index) through the tag."""
    tag = _Tag(page if page is not None else AutomaticData())
    for index, entry in enumerate(entries):
        if isinstance(entry, Command):
            tag.call(index, entry)
        tag.between_calls()
    return TagRun(tuple(tag.requests), tuple(tag.messages), tuple(tag.withheld))


def command_name(method: Any) -> str | None:
    """The command the tag runs for ``method``: the text trimmed and lower-cased (``" LOAD "`` is load)."""
    return js_trim(method).lower() if isinstance(method, str) else None


def _arg(args: Sequence[Any], i: int) -> Any:
    return args[i] if i < len(args) else UNDEFINED


def _absent(value: Any) -> bool:
    return value is None or value is UNDEFINED


@dataclass
class _Tag:
    page: AutomaticData
    tid: str | None = None  # set by the first accepted load()
    # pd: exists once load()/set() got any object.  A change makes a new dict, so the requests
    # that sent the old one keep it as it was.
    partner: dict[str, Any] | None = None
    consent_withdrawn_at: int | None = None  # the setConsent() call that withdrew consent, if it holds
    page_seen: bool = False  # the first page (or track) asks /user/ for the configuration
    config_pending: bool = False
    config_received: bool = False
    requests: list[Request] = field(default_factory=list)
    messages: list[TagMessage] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    # Speed, behind the rules (tests/pintrk/test_tag.py checks they agree): ad is one of two texts
    # per run (before and after the configuration arrives), written once each; pd's JSON is
    # written once per partner data (sdk-v3 sets the same empty keys before every event, and an
    # event sends pd two or three times).
    _ad_json: dict[bool, str] = field(init=False)
    _written: tuple[dict[str, Any], str] | None = None  # the partner data last sent and its JSON

    def __post_init__(self) -> None:
        self._ad_json = {ready: self.page.to_json(ready) for ready in (False, True)}

    # -- dispatch ---------------------------------------------------------------

    def call(self, index: int, command: Command) -> None:
        method, args = command.method, command.args
        name = command_name(method)
        if name is None:
            self._log(index, "wrong-type", "pintrk command", "string", to_js_string(method))
            return
        if name == "load":
            self._load(index, _arg(args, 0), _arg(args, 1))
        elif name == "set":
            self._store(_arg(args, 0))
        elif name == "page":
            self._page(index, _arg(args, 0))
        elif name == "track":
            self._track(index, command, args)
        elif name == "setconsent":
            self.consent_withdrawn_at = None if gives_consent(_arg(args, 0)) else index
        elif name != "md":
            self._log(index, "unsupported-command", method, ",".join(COMMANDS))

    def between_calls(self) -> None:
        """The answer to /user/ arrives: the tag drops the automatic-enhanced-match keys."""
        if self.config_pending:
            self.config_pending, self.config_received = False, True
            if self.partner and any(key in AEM_KEYS for key in self.partner):
                self.partner = {k: v for k, v in self.partner.items() if k not in AEM_KEYS}

    def _withheld(self, index: int) -> bool:
        if self.consent_withdrawn_at is None:
            return False
        self.withheld.append(Withheld(index, self.consent_withdrawn_at))
        return True

    def _log(self, index: int, code: str, *args: str) -> None:
        self.messages.append(TagMessage(index, code, args))

    # -- commands ---------------------------------------------------------------

    def _load(self, index: int, tag_id: Any, options: Any) -> None:
        tid = self._tag_id(index, tag_id, log=True)
        if tid is None:
            return
        if self.tid is not None:
            self._log(index, "load-twice", self.tid, tid)
        self.tid = tid
        if tid.isascii() and tid.isdigit() and int(tid) in _ADVERTISER_IDS:  # "²".isdigit(), but no number
            self._log(index, "advertiser-id")
        self._store(options)

    def _tag_id(self, index: int, value: Any, *, log: bool) -> str | None:
        """The tag ID as the tag reads it: text trimmed, whole numbers as text, nothing else."""
        if not truthy(value):
            return None
        if isinstance(value, str):
            return js_trim(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            return number_to_string(value)
        if log:
            self._log(index, "wrong-type", "Pinterest Tag ID", "string", to_js_string(value))
        return None

    def _store(self, options: Any) -> None:
        """set() and load()'s options: keys merge into partner data, identifiers hashed."""
        if isinstance(options, list):
            options = {str(i): item for i, item in enumerate(options)}
        if not isinstance(options, dict):
            return
        before = self.partner
        partner = dict(before) if before is not None else {}  # pd appears with the first object, even {}
        changed = before is None
        for key in js_keys(options):
            value = options[key]
            if key in _CONFIG_KEYS:
                continue
            if key == "external_id":
                value = merge_external_ids(partner.get(key), value)
            elif key in IDENTIFIER_KEYS or key in AEM_KEYS:
                value = hash_identifiers(value)
            if not _same_text(partner.get(key, UNDEFINED), value):
                partner[key], changed = value, True  # a key set earlier keeps its place
        if not changed:
            return  # the same partner data: the requests that follow share it
        order_keys(partner)  # a new integer-like key moves before the others, as in JavaScript
        self.partner = partner

    def _page(self, index: int, options: Any) -> None:
        if self.tid is None:
            self._log(index, "not-loaded-page")
            return
        ov: Any = None
        if isinstance(options, dict):
            ov = _hash_option_identifiers(options)
        elif isinstance(options, list):
            ov = options
        elif not _absent(options):
            self._log(index, "page-options")
        first, self.page_seen = not self.page_seen, True
        if self._withheld(index):
            return
        sent = dict(command="page", tid=self.tid, ov=ov)
        if first:
            self._send(index, "user", dep=_PAGE_LOAD, **sent)
            self.config_pending = True
        self._send(index, "v3", event="init", **sent)

    def _track(self, index: int, command: Command, args: Sequence[Any]) -> None:
        if self.tid is None:
            self._log(index, "not-loaded-track")
            return
        event = self._event_name(index, _arg(args, 0))
        ed, ed_json = self._event_data(index, command)
        callback = _arg(args, 2)
        if not _absent(callback):  # JSON can't carry a function: anything here is wrong
            self._log(index, "wrong-type", "callback", "function", to_js_string(callback))
        tid = self._tag_id(index, _arg(args, 3), log=False) or self.tid
        options = _arg(args, 4)
        ov = _hash_option_identifiers(options) if isinstance(options, dict) else None
        if self._withheld(index):
            return
        sent = dict(command="track", tid=tid, event=event, ed=ed, ed_json=ed_json, ov=ov)
        if not self.page_seen:  # no page() yet: this track asks for the configuration
            self.page_seen = True
            self._send(index, "user", dep=_PAGE_LOAD, **sent)
            self.config_pending = True
        ready = self.config_received
        state = dict(dep=_TAGS_RECEIVED if ready else _TAGS_ABSENT, stc=ready)
        self._send(index, "user", **state, **sent)
        self._send(index, "v3", **state, **sent)

    def _event_name(self, index: int, name: Any) -> str | None:
        if not truthy(name):  # "" or no name: the beacon goes without an event
            return None
        if not isinstance(name, str):
            self._log(index, "wrong-type", "eventName", "string", to_js_string(name))
            return None
        event = js_trim(name)  # case kept
        if event.lower() not in TAG_STANDARD_EVENTS:
            self._log(index, "non-standard-event", event, ",".join(TAG_STANDARD_EVENTS))
        return event

    def _event_data(self, index: int, command: Command) -> tuple[Any, str | None]:
        """``ed`` and its JSON: value as a number, e-mails hashed, external_id moved to pd."""
        data = _arg(command.args, 1)
        if _absent(data):
            return None, None
        if isinstance(data, list):
            ed = {str(i): item for i, item in enumerate(data)}
        elif isinstance(data, dict):
            ed = dict(data)
        else:
            self._log(index, "wrong-type", "eventData", "object", to_js_string(data))
            return None, None
        changed = isinstance(data, list)
        if "value" in ed:
            number = to_number(ed["value"])
            if number != number:  # NaN: the tag keeps the value and complains
                self._log(index, "wrong-type", "value", "number", to_js_string(ed["value"]))
            elif number is not ed["value"]:
                ed["value"], changed = number, True
        quantity = ed.get("order_quantity")
        if isinstance(quantity, float) and quantity == quantity and not quantity.is_integer():
            self._log(index, "not-an-integer", "order_quantity", to_js_string(quantity))
        for key, value in ed.items():
            if isinstance(value, str) and contains_email(value):
                ed[key], changed = hash_identifier(value), True
        if "external_id" in ed:
            self._store({"external_id": ed.pop("external_id")})
            changed = True
        # Unchanged data is the call's own argument: reuse the JSON the call already wrote.
        return ed, (stringify(ed) or "{}") if changed else command.args_json[1]

    # -- requests ---------------------------------------------------------------

    def _partner_json(self) -> str | None:
        """``stringify(self.partner)``, written once per partner data (it is replaced, never changed)."""
        if self.partner is None:
            return None
        if self._written is None or self._written[0] is not self.partner:
            self._written = (self.partner, stringify(self.partner) or "{}")
        return self._written[1]

    def _send(self, index: int, endpoint: str, *, ov: Any = None, **fields: Any) -> None:
        self.requests.append(
            Request(
                command_index=index,
                endpoint=endpoint,  # type: ignore[arg-type]
                ov=ov,
                ov_json=None if ov is None else stringify(ov) or "{}",
                pd=self.partner,
                pd_json=self._partner_json(),
                cb=START_MS + index * _CALL_INTERVAL_MS,
                ad_json=self._ad_json[self.config_received] if endpoint == "v3" else None,
                **fields,
            )
        )


def _same_text(old: Any, new: Any) -> bool:
    """The same text: only strings are compared (in Python True == 1 == 1.0, which JSON writes differently)."""
    return type(old) is str and type(new) is str and old == new


def _hash_option_identifiers(options: dict[str, Any]) -> dict[str, Any]:
    """page()/track() options (sent as ``ov``): identifiers hashed like set()'s."""
    return {
        key: hash_identifiers(value) if key in IDENTIFIER_KEYS else value for key, value in options.items()
    }


def gives_consent(value: Any) -> bool:
    """setConsent(x): only ``true``, a value ``== 1``, or the text "true" (any case, padded)."""
    if value is True or loosely_equals_one(value):
        return True
    return isinstance(value, str) and js_trim(value).lower() == "true"
