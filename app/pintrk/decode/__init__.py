"""Real beacons: decode the requests a site's Pinterest tag sent, and compare them with ours.

Support staff get ``ct.pinterest.com/v3/?event=…&ed=…`` URLs (copied from the Network tab, or
a whole HAR file) from a customer.  :func:`decode_url`, :func:`decode_text` and
:func:`decode_har` turn them into :class:`DecodedBeacon` values, and :func:`compare_beacons`
lines them up with the beacons the playground predicts for a scenario and says, one line
each, where they differ.

* ``beacon``: the values (DecodedBeacon, BeaconList) and BeaconError;
* ``url``: one URL → a beacon (JSON parameters, bracket names, problems);
* ``text``: pasted text → the URLs in it;
* ``har``, ``har_entries``: a HAR file, read as a stream → its beacons;
* ``compare``, ``value_diff``, ``difference``: decoded beacons vs the predicted requests;
* ``verdict``: one verdict per beacon, its differences grouped per field (for people).
"""

from .beacon import DEFAULT_HOSTS, BeaconError, BeaconList, DecodedBeacon
from .compare import compare_beacons
from .difference import BeaconComparison, BeaconDifference
from .har import MAX_HAR_BYTES, HarTooLargeError, decode_har, har_too_dense, read_har_events
from .text import decode_text, decode_text_within
from .url import decode_url
from .verdict import BeaconVerdict, FieldDifference, beacon_verdicts, configuration_notes

__all__ = [
    "DEFAULT_HOSTS",
    "MAX_HAR_BYTES",
    "BeaconError",
    "HarTooLargeError",
    "DecodedBeacon",
    "BeaconList",
    "BeaconDifference",
    "BeaconComparison",
    "decode_url",
    "decode_text",
    "decode_text_within",
    "decode_har",
    "har_too_dense",
    "read_har_events",
    "compare_beacons",
    "BeaconVerdict",
    "FieldDifference",
    "beacon_verdicts",
    "configuration_notes",
]
