"""Why the object argument (event data, set keys) differs between profiles.

A key only some profiles send is put down to the profile switch that adds it
(event_id, line_items, the limited-data-processing keys, page custom properties);
any other difference is shown as the values each profile sends.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..jsvalue import js_keys, stringify
from ..ldp import LDP_KEYS, NO_LDP
from ..profiles import Profile
from ..settings import Settings
from ..text import shorten
from .difference import ProfileDifference
from .words import names, negative, verb

__all__ = ["data_differences"]


def data_differences(
    data: Mapping[str, Any],
    having: Sequence[Profile],
    profiles: Sequence[Profile],
    kind: Any,
    settings: Settings,
) -> list[ProfileDifference]:
    """Compare the object argument across profiles; ``kind``: the message type, or "set"."""
    keys: list[str] = []
    for p in having:
        value = data[p.name]
        for key in js_keys(value) if isinstance(value, dict) else []:
            if key not in keys:
                keys.append(key)
    return [
        *_keys_sent_by_some(keys, data, having, profiles, kind, settings),
        *_values_that_differ(keys, data, having, profiles),
    ]


def _keys_sent_by_some(
    keys: list[str],
    data: Mapping[str, Any],
    having: Sequence[Profile],
    profiles: Sequence[Profile],
    kind: Any,
    settings: Settings,
) -> Iterator[ProfileDifference]:
    custom = {path for path in settings.custom_properties if path}
    page_keys: list[str] = []
    page_have: list[Profile] = []
    page_lack: list[Profile] = []
    for key in keys:
        have = [p for p in having if isinstance(data[p.name], dict) and key in data[p.name]]
        lack = [p for p in having if p not in have]
        if not have or not lack:
            continue
        subject = tuple(p.name for p in have)
        if key == "event_id" and all(p.event_id_and_ldp for p in have):
            yield ProfileDifference(
                "event-id", f"{names(have, profiles)} {verb(have, 'adds', 'add')} event_id", subject
            )
        elif key == "line_items" and all(p.line_items_always for p in have):
            text = f"{names(have, profiles)} always {verb(have, 'adds', 'add')} line_items"
            yield ProfileDifference("line-items", text, subject)
        elif key in LDP_KEYS and kind == "set" and all(p.event_id_and_ldp for p in have):
            if key == next(iter(NO_LDP)):  # one sentence for the three keys
                text = (
                    f"{names(have, profiles)} {verb(have, 'adds', 'add')} the limited-data-processing keys "
                    f"({', '.join(NO_LDP)}) to identify's set()"
                )
                yield ProfileDifference("identify-ldp", text, subject)
        elif (
            key in custom
            and kind == "page"
            and all(p.page_custom_properties for p in have)
            and not any(p.page_custom_properties for p in lack)
        ):
            page_keys.append(key)
            page_have, page_lack = have, lack
        else:
            yield _value_difference(key, data, having, profiles)
    if page_keys:
        yield ProfileDifference(
            "page-custom-properties",
            f"{names(page_have, profiles)} {verb(page_have, 'sends', 'send')} custom properties on page calls "
            f"({', '.join(page_keys)}); {names(page_lack, profiles)} {negative(page_lack)}",
            tuple(p.name for p in page_have),
        )


def _values_that_differ(
    keys: list[str], data: Mapping[str, Any], having: Sequence[Profile], profiles: Sequence[Profile]
) -> Iterator[ProfileDifference]:
    for key in keys:
        values = {
            p.name: data[p.name][key]
            for p in having
            if isinstance(data[p.name], dict) and key in data[p.name]
        }
        if len(values) < len(having) or len({stringify(v) for v in values.values()}) <= 1:
            continue
        own = [p for p in having if p.event_id_and_ldp]
        rest = [p for p in having if not p.event_id_and_ldp]
        if key == "event_id" and own and rest:
            yield ProfileDifference(
                "event-id",
                f"{names(own, profiles)} {verb(own, 'replaces', 'replace')} the event_id property with "
                f"its own ({shorten(stringify(values[own[0].name]) or '')}, from the deduplication key or "
                f"messageId); {names(rest, profiles)} {verb(rest, 'sends', 'send')} "
                f"{shorten(stringify(values[rest[0].name]) or '')}",
                tuple(p.name for p in own),
            )
            continue
        yield _value_difference(key, data, having, profiles)


def _value_difference(
    key: str, data: Mapping[str, Any], having: Sequence[Profile], profiles: Sequence[Profile]
) -> ProfileDifference:
    groups: dict[str, list[Profile]] = {}
    for p in having:
        value = data[p.name]
        shown = (
            shorten(stringify(value[key]) or "undefined")
            if isinstance(value, dict) and key in value
            else "nothing"
        )
        groups.setdefault(shown, []).append(p)
    text = f"{key}: " + "; ".join(
        f"{names(members, profiles)} {verb(members, 'sends', 'send')} {shown}"
        for shown, members in groups.items()
    )
    return ProfileDifference("data", text, tuple(p.name for p in having))
