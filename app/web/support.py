"""Support pages: profiles side by side, real beacons decoded and compared, reproductions.

Each page takes the playground's permalink token (``?s=``), so support staff go from
the playground to a comparison and back without retyping anything.  Views only
translate HTTP ↔ core (compare.py, beacons.py, reproduction.py) and arrange the
core's values for the templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from app.pintrk import PROFILES
from app.pintrk.beacons import (
    MAX_HAR_BYTES,
    BeaconComparison,
    BeaconError,
    DecodedBeacon,
    compare_beacons,
    decode_har,
    decode_text_within,
)
from app.pintrk.compare import ProfileDifference, compare_profiles
from app.pintrk.jsvalue import stringify, to_js_string
from app.pintrk.limits import MAX_BEACONS, MAX_RENDERED_ROWS, showing_first
from app.pintrk.mapping import Command, Entry
from app.pintrk.replay import Result, replay
from app.pintrk.tag import Request

from . import errors
from .forms import PlaygroundForm, errors_in_words, field_label, state_from_values, values_from_form
from .limits import size_text
from .log import IDENTIFIER_LABELS, PARAM_LABELS, Source, pretty_json, scenario_sources
from .main import _attachment, _state_from_link, render_playground
from .pages import html_response
from .reproductions import SaveError, save_text
from .state import Outcome, PlaygroundState, sentence

__all__ = ["bp", "init_app"]

bp = Blueprint("support", __name__)

# Room for the decode form's other fields (pasted URLs, token) and multipart overhead,
# on top of the HAR file's own limit.
FORM_ALLOWANCE = 1024 * 1024


def init_app(app: Any, csrf: Any) -> None:
    """Register the blueprint. /decode checks CSRF itself, after raising the body limit for HAR files."""
    app.register_blueprint(bp)
    csrf.exempt(decode)


# -- shared ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Playground:
    """A scenario opened from a permalink, and what the page needs to say about it."""

    token: str
    state: PlaygroundState
    outcome: Outcome
    result: Result
    sources: list[Source]
    # Results under other profiles (/decode compares with any of them), each replayed once.
    _other_results: dict[str, Result] = field(default_factory=dict, compare=False, repr=False)

    @property
    def back_url(self) -> str:
        return url_for("main.index", s=self.token)

    def result_for(self, profile: str) -> Result:
        """The scenario's result under ``profile``."""
        if profile == self.state.profile:
            return self.result
        if profile not in self._other_results:
            self._other_results[profile] = replay(self.result.scenario, profile)
        return self._other_results[profile]


def _open(token: str | None, *, purpose: str) -> Playground | Response | None:
    """The scenario in ``token`` (None when there is no token); a friendly 400 when it can't be used."""
    if token is None or token == "":
        return None
    state = _state_from_link(token)
    if isinstance(state, Response):
        return state
    outcome = state.run()
    if outcome.result is None:
        return errors.error_page(
            400,
            f"This scenario has input errors, so there is nothing to {purpose}: {errors_in_words(outcome.errors)} "
            "Open it in the playground, fix the marked fields, then try again.",
            title="This scenario can't be run yet",
        )
    return Playground(token, state, outcome, outcome.result, scenario_sources(outcome))


def _message_label(playground: Playground, index: int | None) -> tuple[str, str]:
    if index is None:
        return "Initialisation", "when the tag loads"
    if index < len(playground.sources):
        source = playground.sources[index]
        return source.where, source.what
    return f"message {index + 1}", ""


# -- compare profiles ----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldView:
    key: str
    value: str  # JSON as the integration writes it; "" for a missing field
    status: str  # "same" | "changed" | "added" | "missing"


@dataclass(frozen=True)
class CommandView:
    method: str
    label: str  # the event name, the Tag ID, …; "" when there is none
    json: str
    differs: bool
    label_differs: bool
    only_in: bool  # some profile has no such command here
    fields: list[FieldView]
    error: str | None = None


@dataclass(frozen=True)
class CompareRow:
    index: int | None
    where: str
    what: str
    cells: list[list[CommandView]]  # in the order of the profiles
    differences: tuple[ProfileDifference, ...]


@bp.get("/compare")
def compare() -> Response:
    opened = _open(request.args.get("s", ""), purpose="compare")
    if opened is None:
        return errors.error_page(
            400,
            "This page compares a playground scenario under each profile, so it needs the scenario's link. "
            "Open a scenario in the playground, then use “Compare profiles” above its results.",
        )
    if isinstance(opened, Response):
        return opened
    comparison = compare_profiles(opened.result.scenario)
    # The table shows the first MAX_RENDERED_ROWS rows; the summary counts them all.
    shown = comparison.rows[:MAX_RENDERED_ROWS]
    rows = [_compare_row(opened, row, comparison.profiles) for row in shown]
    differing_rows = sum(1 for row in comparison.rows if row.differences)
    cut = None
    if len(shown) < len(comparison.rows):
        hidden = differing_rows - sum(1 for row in shown if row.differences)
        cut = showing_first(len(shown), len(comparison.rows), "rows") + (
            f" {hidden:,} more row{'s' if hidden != 1 else ''} below {'differ' if hidden != 1 else 'differs'}: "
            "the JSON API's /api/v1/compare lists every row."
            if hidden
            else " The rows after them are the same in every profile."
        )
    html = render_template(
        "compare.html",
        playground=opened,
        profiles=[PROFILES[name] for name in comparison.profiles],
        current=opened.state.profile,
        rows=rows,
        total_rows=len(comparison.rows),
        rows_cut=cut,
        summary=comparison.summary,
        differing_rows=differing_rows,
        decode_url=url_for("support.decode", s=opened.token),
    )
    return html_response(html)


def _compare_row(playground: Playground, row: Any, names: Sequence[str]) -> CompareRow:
    where, what = _message_label(playground, row.message_index)
    jsons = {name: [e.to_json() for e in row.commands[name]] for name in names}
    cells = []
    for name in names:
        views = []
        seen: dict[tuple[str, bool], int] = {}
        for entry in row.commands[name]:
            key = _pair_key(entry)
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            others = {other: _nth(row.commands[other], key, occurrence) for other in names if other != name}
            differs = bool(row.differences) and any(entry.to_json() not in jsons[o] for o in others)
            views.append(_command_view(entry, others, differs))
        cells.append(views)
    return CompareRow(row.message_index, where, what, cells, row.differences)


def _pair_key(entry: Entry) -> tuple[str, bool]:
    """Commands are paired across profiles by method (the limited-data-processing set() apart)."""
    if not isinstance(entry, Command):
        return ("error", False)
    return (entry.method, entry.is_ldp_set)


def _nth(entries: Sequence[Entry], key: tuple[str, bool], n: int) -> Entry | None:
    matching = [e for e in entries if _pair_key(e) == key]
    return matching[n] if n < len(matching) else None


def _command_view(entry: Entry, others: Mapping[str, Entry | None], differs: bool) -> CommandView:
    if not isinstance(entry, Command):
        return CommandView(
            "error", "", entry.to_json(), differs, False, differs and None in others.values(), [], entry.error
        )
    counterparts = [c for c in others.values() if isinstance(c, Command)]
    label = _command_label(entry)
    label_differs = differs and any(_command_label(c) != label for c in counterparts)
    fields: list[FieldView] = []
    data = entry.data if isinstance(entry.data, dict) else None
    other_data = [c.data if isinstance(c.data, dict) else {} for c in counterparts]
    if data is not None:
        for key, value in data.items():
            shown = stringify(value) or "undefined"
            status = "same"
            if differs:
                if any(key not in d for d in other_data):
                    status = "added"
                elif any((stringify(d[key]) or "undefined") != shown for d in other_data):
                    status = "changed"
            fields.append(FieldView(key, shown, status))
    if differs:
        missing: list[str] = []
        for d in other_data:
            for key in d:
                if (data is None or key not in data) and key not in missing:
                    missing.append(key)
        fields.extend(FieldView(key, "", "missing") for key in missing)
    only_in = differs and any(c is None for c in others.values())
    return CommandView(entry.method, label, entry.to_json(), differs, label_differs, only_in, fields)


def _command_label(command: Command) -> str:
    if command.method == "track":
        return (
            command.event
            if command.event is not None
            else (stringify(command.args[0]) if command.args else "")
        )
    if command.method == "load" and command.args:
        return to_js_string(command.args[0])
    return ""


# -- decode real beacons ---------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str  # what the row is called ("hashed email", "tid", a key)
    key: str | None  # the parameter or key, shown in code; None for a label-only row
    value: str  # JSON or text as sent; "" for a field that was not sent
    status: str = "same"  # "same" | "changed" | "added" | "missing" (when compared)
    block: bool = False  # an object or list: show pretty-printed


@dataclass
class BeaconCard:
    number: int  # 1-based
    beacon: DecodedBeacon
    general: list[Row]
    event_data: list[Row]
    partner_data: list[Row]
    ed_pretty: str | None
    predicted: int | None = None  # the paired predicted beacon (0-based)
    predicted_label: str | None = None
    differences: list[str] = field(default_factory=list)
    extra: bool = False  # sent, but not in the prediction
    ignored: bool = False  # not compared (a /user/ request)

    @property
    def anchor(self) -> str:
        return f"beacon-{self.number}"


@dataclass(frozen=True)
class PairView:
    predicted: int | None
    predicted_event: str | None
    sent: int | None  # 0-based
    sent_event: str | None
    status: str  # "same" | "differs" | "missing" | "extra"
    count: int  # differences on this pair


@dataclass
class DecodeView:
    cards: list[BeaconCard]
    notes: list[str]
    comparison: BeaconComparison | None = None
    pairs: list[PairView] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # texts of predicted beacons that were not sent
    profile: str | None = None
    source: str = "the pasted URLs"  # where the beacons came from, in words
    decoded: int = 0  # beacons decoded (cards are made for the first MAX_RENDERED_ROWS)
    total: int = 0  # beacons found in the input, decoded or not
    showing: str | None = None  # "Showing the first 500 of 7,546 beacons." when cards were left out
    pair_counts: dict[str, int] = field(default_factory=dict)  # pairs by status, all of them


@bp.route("/decode", methods=["GET", "POST"])
def decode() -> Response:
    limit = int(current_app.config.get("MAX_HAR_BYTES") or MAX_HAR_BYTES)
    if request.method == "POST":
        # The page's form carries the scenario's token in its address too, so a request that
        # can't be read (over a limit, an expired token) still comes back with its comparison.
        token = request.args.get("s") or None
        # A HAR can be far larger than the playground's other forms: raise the body limit for
        # this request only, and only for a multipart upload (the one way to send a file), then
        # check the CSRF token (exempted from the automatic check, which would read the body
        # under the app-wide limit first).
        if request.mimetype == "multipart/form-data":
            request.max_content_length = limit + FORM_ALLOWANCE
        try:
            request.form  # noqa: B018 (parses the body, within the limits above)
        except RequestEntityTooLarge:
            return _refused(
                limit,
                token,
                413,
                {
                    "har": [
                        f"That was too much to send: the HAR file can be at most {size_text(limit)} "
                        f"and the pasted URLs at most {size_text(_form_memory())}. Nothing was decoded. "
                        "Record only the page visit that shows the problem, or paste fewer ct.pinterest.com request URLs."
                    ],
                    "urls": [
                        "The pasted URLs could not be kept: the request was refused before they could be read. Paste them again "
                        "(at most " + size_text(_form_memory()) + ")."
                    ],
                },
            )
        from app import csrf  # late: app/__init__ imports the blueprints

        try:
            csrf.protect()
        except CSRFError:
            return _refused(
                limit,
                request.form.get("s") or token,
                400,
                {
                    "urls": [
                        "Nothing was decoded: the form's security token was missing or had expired (for example after the "
                        "browser's cookies were cleared). Your text is below, unchanged: press Decode again."
                    ]
                },
                text=request.form.get("urls", ""),
                profile=request.form.get("profile"),
            )
    source = request.form if request.method == "POST" else request.args
    token = source.get("s") or request.args.get("s") or None
    opened = _open(token, purpose="compare with")
    if isinstance(opened, Response):
        return opened
    profile = source.get("profile") or (opened.state.profile if opened else None)
    if profile is not None and profile not in PROFILES:
        profile = opened.state.profile if opened else None
    text = source.get("urls", "") if request.method == "POST" else ""
    if request.method == "GET":
        return _decode_page(limit, playground=opened, profile=profile, text=text)

    hosts = current_app.config["BEACON_HOSTS"]
    field_errors: dict[str, list[str]] = {}
    notes: list[str] = []
    beacons: list[DecodedBeacon] | None = None
    total = 0
    upload = request.files.get("har")
    if upload is not None and upload.filename:
        try:
            found = decode_har(upload.stream, hosts=hosts, max_bytes=limit)
        except BeaconError as exc:
            where = f" (at {exc.location})" if exc.location and not exc.location.startswith("log") else ""
            field_errors["har"] = [
                f"“{upload.filename}” can't be read{where}: {sentence(exc.message)} Nothing was decoded."
            ]
        else:
            beacons, notes, total = list(found.beacons), list(found.notes), found.total
            if text.strip():
                notes.insert(
                    0,
                    "The pasted URLs were not decoded: a HAR file was chosen, and only one source is read at a time. Submit again without a file to decode the URLs.",
                )
            if not beacons:
                field_errors["har"] = [
                    f"No beacons in “{upload.filename}”: none of its requests went to {' or '.join(hosts)}. "
                    "The tag didn't fire during the recording, or something (an ad blocker, a consent tool) stopped it. "
                    "Record again with the Network tab open from the start (tick “Preserve log”)."
                ]
    elif text.strip():
        found = decode_text_within(text, hosts=hosts)
        beacons, notes, total = list(found.beacons), list(found.notes), found.total
        if not beacons:
            field_errors["urls"] = [
                f"No {' or '.join(hosts)} beacon URLs were found in the pasted text. Paste the request URLs "
                "(they start with https://ct.pinterest.com/v3/?), one per line."
            ]
    else:
        field_errors["urls"] = ["Paste one or more beacon URLs, or choose a HAR file, then press Decode."]
    view = _decode_view(beacons or [], notes, opened, profile, total) if beacons else None
    if view is not None and upload is not None and upload.filename:
        view.source = f"the HAR file “{upload.filename}”"
    return _decode_page(
        limit,
        playground=opened,
        profile=profile,
        text=text,
        errors=field_errors,
        view=view,
        status=200,
    )


def _refused(
    limit: int,
    token: str | None,
    status: int,
    errors: Mapping[str, list[str]],
    *,
    text: str = "",
    profile: str | None = None,
) -> Response:
    """The decode page again after a request that was not read: its text (when it could be read)
    and its comparison (the token) kept, the reason beside the fields."""
    opened = _open(token, purpose="compare with") if token else None
    if isinstance(opened, Response):
        opened = None
    if profile not in PROFILES:
        profile = opened.state.profile if opened else None
    return _decode_page(
        limit, playground=opened, profile=profile, text=text, errors=errors, status=status, token=token
    )


def _decode_page(
    limit: int,
    *,
    playground: Playground | None = None,
    profile: str | None = None,
    text: str = "",
    errors: Mapping[str, list[str]] | None = None,
    view: DecodeView | None = None,
    status: int = 200,
    token: str | None = None,
) -> Response:
    predicted = playground.result_for(profile) if playground and profile else None
    html = render_template(
        "decode.html",
        playground=playground,
        token=playground.token if playground else token,
        profile=profile,
        profiles=PROFILES,
        predicted=predicted.beacons if predicted else None,
        text=text,
        errors=errors or {},
        view=view,
        limit=limit,
        limit_text=size_text(limit),
        max_rows=MAX_RENDERED_ROWS,
        max_beacons=MAX_BEACONS,
    )
    return html_response(html, status)


def _form_memory() -> int:
    return int(current_app.config.get("MAX_FORM_MEMORY_SIZE") or 500_000)


def _decode_view(
    beacons: list[DecodedBeacon],
    notes: list[str],
    playground: Playground | None,
    profile: str | None,
    total: int = 0,
) -> DecodeView:
    # Cards for the first MAX_RENDERED_ROWS beacons only: the page stays small whatever was sent.
    shown = min(len(beacons), MAX_RENDERED_ROWS)
    cards = [_card(i, beacon) for i, beacon in enumerate(beacons[:shown])]
    view = DecodeView(cards, notes, profile=profile, decoded=len(beacons), total=max(total, len(beacons)))
    if len(beacons) > shown:
        view.showing = showing_first(shown, len(beacons), "beacons")
    if playground is None or profile is None:
        return view
    predicted = playground.result_for(profile).beacons
    comparison = compare_beacons(predicted, beacons)
    view.comparison = comparison
    # Differences grouped by pair once (a scan per pair would grow with the square of the beacons).
    by_pair: dict[tuple[int | None, int | None], list[Any]] = {}
    for d in comparison.differences:
        by_pair.setdefault((d.predicted, d.sent), []).append(d)
    for p, s in comparison.pairs:
        found = by_pair.get((p, s), [])
        if s is None:
            view.missing.extend(d.text for d in found)
            status = "missing"
        elif p is None:
            status = "extra"
        else:
            status = "differs" if found else "same"
        view.pair_counts[status] = view.pair_counts.get(status, 0) + 1
        if len(view.pairs) < MAX_RENDERED_ROWS:
            view.pairs.append(
                PairView(
                    p,
                    predicted[p].event if p is not None else None,
                    s,
                    beacons[s].event if s is not None else None,
                    status,
                    len(found),
                )
            )
        if s is not None and s < shown:
            card = cards[s]
            card.predicted = p
            card.predicted_label = predicted[p].event if p is not None else None
            card.extra = p is None
            card.differences = [d.text for d in found]
            _mark(card, found, predicted[p] if p is not None else None)
    for s in comparison.ignored:
        if s < shown:
            cards[s].ignored = True
    return view


def _card(index: int, beacon: DecodedBeacon) -> BeaconCard:
    general = [
        Row(PARAM_LABELS["event"], "event", beacon.event if beacon.event is not None else ""),
        Row(PARAM_LABELS["tid"], "tid", beacon.tid if beacon.tid is not None else ""),
        Row(PARAM_LABELS["cb"], "cb", beacon.cb if beacon.cb is not None else ""),
        Row("noscript", "noscript", "yes (the <noscript> pixel)" if beacon.noscript else "no"),
    ]
    if beacon.ov is not None:
        general.append(_value_row(PARAM_LABELS["ov"], "ov", beacon.ov))
    if beacon.ad is not None:
        general.append(_value_row(PARAM_LABELS["ad"], "ad", beacon.ad))
    for key, value in beacon.other.items():
        general.append(Row(PARAM_LABELS.get(key, key), key, value))
    ed = beacon.ed if isinstance(beacon.ed, dict) else {}
    event_data = [_value_row(key, key, value) for key, value in ed.items()]
    partner = [_value_row(_partner_label(key), key, value) for key, value in beacon.pd.items()]
    pretty = pretty_json(stringify(beacon.ed) or "{}") if isinstance(beacon.ed, dict) else None
    return BeaconCard(index + 1, beacon, general, event_data, partner, pretty)


def _partner_label(key: str) -> str:
    return IDENTIFIER_LABELS.get(key, key)


def _value_row(label: str, key: str, value: Any) -> Row:
    block = isinstance(value, (dict, list)) and bool(value)
    text = pretty_json(stringify(value) or "null") if block else (stringify(value) or "undefined")
    return Row(label, key, text, block=block)


def _mark(card: BeaconCard, differences: Sequence[Any], predicted: Request | None) -> None:
    """Flag the rows the comparison found different, and add rows for fields that were not sent."""
    for difference in differences:
        path = difference.field or ""
        if path in ("event", "tid", "ov"):
            _flag(card.general, path, "changed")
            continue
        part, _, rest = path.partition(".")
        if part not in ("ed", "pd") or not rest:
            continue
        key = _top_key(rest)
        rows = card.event_data if part == "ed" else card.partner_data
        sent = card.beacon.ed if part == "ed" else card.beacon.pd
        if isinstance(sent, dict) and key in sent:
            ours = (predicted.ed if part == "ed" else predicted.pd) if predicted is not None else None
            status = "changed" if isinstance(ours, Mapping) and key in ours else "added"
            _flag(rows, key, status)
        elif not any(r.key == key for r in rows):
            ours = (predicted.ed if part == "ed" else predicted.pd) if predicted is not None else None
            value = stringify(ours.get(key)) if isinstance(ours, Mapping) and key in ours else None
            label = _partner_label(key) if part == "pd" else key
            rows.append(Row(label, key, value or "", "missing"))


def _flag(rows: list[Row], key: str, status: str) -> None:
    for i, row in enumerate(rows):
        if row.key == key and row.status == "same":
            rows[i] = Row(row.label, row.key, row.value, status, row.block)


def _top_key(path: str) -> str:
    for i, char in enumerate(path):
        if char in ".[":
            return path[:i]
    return path


# -- save a reproduction ------------------------------------------------------------------


@bp.get("/reproduction")
@bp.post("/reproduction")
def reproduction() -> Response:
    if request.method == "POST":
        values = values_from_form(PlaygroundForm())
        state = state_from_values(values)
    else:
        token = request.args.get("s", "")
        linked = _state_from_link(token)
        if isinstance(linked, Response):
            return linked
        state, values = linked, None
    try:
        text = save_text(state)
    except SaveError as exc:
        if values is None:
            return errors.error_page(
                400,
                f"The reproduction was not saved: {exc.message} Open the playground from this link, fix it, then save again.",
            )
        # The posted form comes back as it was, with the reason next to the save button.
        return render_playground(
            values,
            extra_errors={
                "reproduction": [
                    f"The reproduction was not saved: {exc.message} Fix it above ({field_label(exc.field)}), then save again."
                ]
            },
            notice=f"The reproduction was not saved: {exc.message}",
            notice_kind="error",
        )
    return _attachment(text, "application/json", "pintrk-reproduction.json")
