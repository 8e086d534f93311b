"""``event_time``: a message's timestamp in whole seconds, as ``new Date(t).getTime() / 1000``.

JavaScript's ``Date`` reads numbers (milliseconds) and the ISO 8601 texts RudderStack's SDKs
send (``2020-08-14T05:30:30.118Z``, ``…+05:30``, a date alone).  A text in any other form is
read by each engine in its own way; here it is not a time (the workflow then refuses the event
with "event_time is required").  A time without an offset is taken as UTC, the servers' zone.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..jsvalue import UNDEFINED, to_js_string

__all__ = ["to_seconds", "MAX_TIME_MS"]

# ECMAScript's time range: 100,000,000 days either side of 1970.
MAX_TIME_MS = 8.64e15

_ISO = re.compile(
    r"(?P<year>[+-]\d{6}|\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?"
)


def to_seconds(timestamp: Any) -> int | float | None:
    """``Math.floor(new Date(timestamp).getTime() / 1000)``; None where that is NaN."""
    if timestamp is UNDEFINED:
        return None
    if timestamp is None or isinstance(timestamp, bool):
        milliseconds: float | None = float(bool(timestamp))
    elif isinstance(timestamp, (int, float)):
        milliseconds = float(timestamp)
    elif isinstance(timestamp, (str, list)):
        milliseconds = _parse(to_js_string(timestamp).strip())
    else:
        milliseconds = None
    if milliseconds is None or not math.isfinite(milliseconds) or abs(milliseconds) > MAX_TIME_MS:
        return None
    return math.floor(math.trunc(milliseconds) / 1000)


def _parse(text: str) -> float | None:
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    part = match.groupdict()
    year = int(part["year"])
    month, day = int(part["month"] or 1), int(part["day"] or 1)
    hour, minute, second = int(part["hour"] or 0), int(part["minute"] or 0), int(part["second"] or 0)
    if part["year"] == "-000000" or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if hour > 24 or minute > 59 or second > 59 or (hour == 24 and (minute or second or part["fraction"])):
        return None
    fraction = int((part["fraction"] or "0")[:3].ljust(3, "0"))
    days = _days_from_civil(year, month, day)
    milliseconds = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + fraction
    zone = part["zone"]
    if zone and zone != "Z":
        sign = -1 if zone[0] == "+" else 1
        milliseconds += sign * (int(zone[1:3]) * 60 + int(zone[4:6])) * 60_000
    return float(milliseconds)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (any year)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468
