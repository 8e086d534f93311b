"""The mapping core: SDK calls → RudderStack messages → pintrk commands → beacons.

Pure Python (no Flask): the web app, the JSON API and the CLI all use it.
"""

from . import jsonstream, limits
from .beacons import (
    BeaconError,
    BeaconList,
    compare_beacons,
    decode_text_within,
    decode_url,
    har_too_dense,
    read_har_events,
)
from .compare import compare_profiles
from .errors import InputError, InputErrors, Location
from .events_import import EventsImportError, import_events
from .jsvalue import JSONInputError, loads, quote, stringify
from .limits import Budget, OverBudget, check_text, size_text
from .mapping import Command, Entry, MappingError
from .profiles import DEFAULT_PROFILE, PROFILES, Profile, get_profile
from .replay import Result, replay
from .reproduction import FORMAT as REPRODUCTION_FORMAT
from .reproduction import ReproductionError
from .reproduction import load as load_reproduction
from .scenario import Scenario, load_scenario
from .settings import EventMapping, Settings, SettingsError, parse_settings
from .snippet import render_snippet

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
    # the JSON API's
    "jsonstream",
    "BeaconError",
    "BeaconList",
    "compare_beacons",
    "decode_text_within",
    "decode_url",
    "har_too_dense",
    "read_har_events",
    "check_text",
    "size_text",
    "compare_profiles",
    "EventsImportError",
    "import_events",
    "JSONInputError",
    "loads",
    "quote",
    "stringify",
    "REPRODUCTION_FORMAT",
    "ReproductionError",
    "load_reproduction",
    "render_snippet",
]
