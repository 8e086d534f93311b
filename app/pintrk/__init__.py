"""The mapping core: SDK calls → RudderStack messages → pintrk commands → beacons.

Pure Python (no Flask): the web app, the JSON API and the CLI all use it.
"""

# The web layer (app/web) imports the core only from here: these names are its whole surface.
from . import limits
from .beacons import DEFAULT_HOSTS as DEFAULT_BEACON_HOSTS
from .beacons import (
    BeaconComparison,
    BeaconError,
    DecodedBeacon,
    compare_beacons,
    decode_har,
    decode_text_within,
)
from .calls import CallScriptError, SdkCall, parse_call_script
from .compare import ProfileDifference, compare_profiles
from .diagnostics import Finding
from .errors import InputError, InputErrors, Location
from .events_import import EventsImportError, ImportedEvents, ImportProblem, import_events
from .jsvalue import JSONInputError, NumberTooLarge, indent_json, max_bracket_depth, stringify, to_js_string
from .jsvalue import loads as load_json
from .limits import API as API_BUDGET
from .limits import (
    MAX_BEACONS,
    MAX_CALL_NESTING,
    MAX_CALLS,
    MAX_HAR_BYTES,
    MAX_LINE_LENGTH,
    MAX_MESSAGES,
    MAX_NESTING,
    MAX_PAGE_MESSAGES,
    MAX_RENDERED_ROWS,
    MAX_ROWS,
    MAX_TEXT_LENGTH,
    Budget,
    OverBudget,
    check_scenario,
    check_text,
    showing_first,
    size_text,
)
from .limits import PAGE as PAGE_BUDGET
from .limits import SAVE as SAVE_BUDGET
from .mapping import Command, Entry, MappingError
from .messages import MessageError, build_messages
from .presets import PRESETS, Preset, get_preset
from .profiles import DEFAULT_PROFILE, PROFILES, Profile, get_profile
from .replay import Result, replay
from .reproduction import Reproduction, ReproductionError
from .reproduction import dump as dump_reproduction
from .reproduction import load as load_reproduction
from .scenario import Scenario, load_scenario
from .settings import KNOWN_KEYS as KNOWN_SETTINGS_KEYS
from .settings import STANDARD_EVENTS, EventMapping, Settings, SettingsError, parse_settings
from .snippet import render_page as render_tag_page
from .snippet import render_script, render_snippet
from .tag import SIMULATED_PARAMS, Request, TagMessage, command_name
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
    # the web layer's names
    "API_BUDGET",
    "PAGE_BUDGET",
    "SAVE_BUDGET",
    "MAX_BEACONS",
    "MAX_CALLS",
    "MAX_CALL_NESTING",
    "MAX_LINE_LENGTH",
    "MAX_NESTING",
    "MAX_ROWS",
    "MAX_TEXT_LENGTH",
    "size_text",
    "MAX_HAR_BYTES",
    "MAX_MESSAGES",
    "MAX_PAGE_MESSAGES",
    "MAX_RENDERED_ROWS",
    "check_scenario",
    "check_text",
    "showing_first",
    "DEFAULT_BEACON_HOSTS",
    "BeaconComparison",
    "BeaconError",
    "DecodedBeacon",
    "compare_beacons",
    "decode_har",
    "decode_text_within",
    "CallScriptError",
    "SdkCall",
    "parse_call_script",
    "ProfileDifference",
    "compare_profiles",
    "Finding",
    "EventsImportError",
    "ImportedEvents",
    "ImportProblem",
    "import_events",
    "JSONInputError",
    "NumberTooLarge",
    "indent_json",
    "load_json",
    "max_bracket_depth",
    "stringify",
    "to_js_string",
    "MessageError",
    "build_messages",
    "PRESETS",
    "Preset",
    "get_preset",
    "Reproduction",
    "ReproductionError",
    "dump_reproduction",
    "load_reproduction",
    "KNOWN_SETTINGS_KEYS",
    "STANDARD_EVENTS",
    "render_tag_page",
    "render_script",
    "render_snippet",
    "SIMULATED_PARAMS",
    "Request",
    "TagMessage",
    "command_name",
    "shorten",
]
