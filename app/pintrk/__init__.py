"""The mapping core: SDK calls → RudderStack messages → pintrk commands → beacons.

Pure Python (no Flask): the web app, the JSON API and the CLI all use it.
"""

from . import limits
from .calls import CallScriptError, SdkCall, parse_call_script
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
from .errors import InputError, InputErrors, Location
from .jsvalue import (
    JSONInputError,
    NumberTooLarge,
    indent_json,
    loads,
    max_bracket_depth,
    quote,
    stringify,
    to_js_string,
)
from .limits import Budget, OverBudget
from .mapping import Command, Entry, MappingError
from .profiles import DEFAULT_PROFILE, PROFILES, Profile, get_profile
from .replay import Result, replay
from .scenario import Scenario, load_scenario
from .settings import EventMapping, Settings, SettingsError, parse_settings
from .text import shorten

__all__ = [
    "Command",
    "Entry",
    "Budget",
    "InputError",
    "InputErrors",
    "Location",
    "limits",
    "load_scenario",
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
    # JavaScript semantics (jsvalue) and call scripts (calls), for the web layer
    "CallScriptError",
    "SdkCall",
    "parse_call_script",
    "JSONInputError",
    "NumberTooLarge",
    "loads",
    "stringify",
    "quote",
    "indent_json",
    "to_js_string",
    "max_bracket_depth",
    "shorten",
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
