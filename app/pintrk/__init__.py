"""The mapping core: SDK calls → RudderStack messages → pintrk commands → beacons.

Pure Python (no Flask): the web app, the JSON API and the CLI all use it.
"""

from .budget import OverBudget
from .decode import (
    DEFAULT_HOSTS,
    MAX_HAR_BYTES,
    BeaconComparison,
    BeaconError,
    BeaconList,
    DecodedBeacon,
    compare_beacons,
    decode_har,
    decode_text_within,
    decode_url,
    har_too_dense,
    read_har_events,
)
from .errors import InputError, Location
from .mapping import Command, Entry, MappingError
from .profiles import DEFAULT_PROFILE, PROFILES, Profile, get_profile
from .replay import Result, Scenario, replay
from .settings import EventMapping, Settings, SettingsError, parse_settings

__all__ = [
    "Command",
    "Entry",
    "InputError",
    "Location",
    "MappingError",
    "OverBudget",
    "Profile",
    "PROFILES",
    "DEFAULT_PROFILE",
    "get_profile",
    "Result",
    "Scenario",
    "replay",
    "EventMapping",
    "Settings",
    "SettingsError",
    "parse_settings",
    # decode: real beacons
    "DEFAULT_HOSTS",
    "MAX_HAR_BYTES",
    "BeaconComparison",
    "BeaconError",
    "BeaconList",
    "DecodedBeacon",
    "compare_beacons",
    "decode_har",
    "decode_text_within",
    "decode_url",
    "har_too_dense",
    "read_har_events",
]
