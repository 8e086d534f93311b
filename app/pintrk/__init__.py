"""The mapping core: SDK calls → RudderStack messages → pintrk commands → beacons.

Pure Python (no Flask): the web app, the JSON API and the CLI all use it. The web layer
(``app/web``) imports the core only from here: these names are its whole surface
(``tests/test_architecture.py`` checks it). See ``docs/architecture.md``.
"""

from . import jsonstream, limits
from .calls import CallScriptError, SdkCall, parse_call_script
from .cli import main as run_cli
from .cloud import CloudError, CloudOrigin, CloudOutcome, CloudRequest, RouterOutput, cloud_outcomes
from .cloud.cases import cloud_lines, read_cloud_cases, read_router_cases, router_lines
from .compare import (
    FieldMark,
    ModeCell,
    ModeColumn,
    ModeGrid,
    ProfileDifference,
    compare_modes,
    compare_profiles,
    mark_fields,
)
from .decode import DEFAULT_HOSTS as DEFAULT_BEACON_HOSTS
from .decode import (
    MAX_HAR_BYTES,
    BeaconComparison,
    BeaconError,
    BeaconList,
    BeaconVerdict,
    DecodedBeacon,
    beacon_verdicts,
    compare_beacons,
    configuration_notes,
    decode_har,
    decode_text_within,
    decode_url,
    har_too_dense,
    read_har_events,
)
from .dedup import (
    VERDICT_WORDS,
    DedupCheck,
    EventPair,
    Reason,
    SettingFix,
    both_paths,
    check_deduplication,
    is_sha256_hex,
)
from .diagnostics import Finding
from .errors import InputError, InputErrors, Location, field_path, item_path
from .events_import import EventsImportError, ImportedEvents, ImportProblem, import_events
from .jsvalue import (
    JSONInputError,
    NumberTooLarge,
    indent_json,
    max_bracket_depth,
    quote,
    stringify,
    to_js_string,
)
from .jsvalue import loads as load_json
from .limits import API as API_BUDGET
from .limits import (
    MAX_BEACONS,
    MAX_CALL_NESTING,
    MAX_CALLS,
    MAX_DECODE_FORM_EXTRA,
    MAX_FORM_BYTES,
    MAX_FORM_FIELD_BYTES,
    MAX_FORM_PARTS,
    MAX_LINE_LENGTH,
    MAX_LINK_BYTES,
    MAX_LINK_CHARS,
    MAX_MESSAGES,
    MAX_NESTING,
    MAX_PAGE_MESSAGES,
    MAX_RENDERED_ROWS,
    MAX_REPRODUCTION_BYTES,
    MAX_ROWS,
    MAX_TEXT_LENGTH,
    READ_LIMIT_FACTOR,
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
from .reproduction import FORMAT as REPRODUCTION_FORMAT
from .reproduction import Reproduction, ReproductionError
from .reproduction import dump as dump_reproduction
from .reproduction import load as load_reproduction
from .scenario import Scenario, load_scenario
from .server_path import check_server_budget, server_path_dict
from .settings import (
    API_VERSIONS,
    CONNECTION_MODES,
    MASKED_TOKEN,
    STANDARD_EVENTS,
    EventMapping,
    Settings,
    SettingsError,
    mask_config,
    mask_token,
    parse_settings,
)
from .settings import KNOWN_KEYS as KNOWN_SETTINGS_KEYS
from .snippet import render_page as render_tag_page
from .snippet import render_script, render_snippet
from .tag import SIMULATED_PARAMS, Request, TagMessage, command_name
from .text import shorten

__all__ = [
    # input → scenario, and what goes wrong on the way
    "load_scenario",
    "Scenario",
    "InputError",
    "InputErrors",
    "Location",
    "field_path",
    "item_path",
    "SettingsError",
    "CallScriptError",
    "MessageError",
    "EventsImportError",
    "JSONInputError",
    "NumberTooLarge",
    "OverBudget",
    "ReproductionError",
    "BeaconError",
    # settings, profiles, presets
    "Settings",
    "EventMapping",
    "parse_settings",
    "CONNECTION_MODES",
    "API_VERSIONS",
    "MASKED_TOKEN",
    "mask_token",
    "mask_config",
    "KNOWN_SETTINGS_KEYS",
    "STANDARD_EVENTS",
    "Profile",
    "PROFILES",
    "DEFAULT_PROFILE",
    "get_profile",
    "Preset",
    "PRESETS",
    "get_preset",
    # SDK calls and messages
    "SdkCall",
    "parse_call_script",
    "build_messages",
    "ImportedEvents",
    "ImportProblem",
    "import_events",
    # replay: commands, the tag's requests, findings
    "replay",
    "Result",
    "Command",
    "Entry",
    "MappingError",
    "Request",
    "TagMessage",
    "command_name",
    "SIMULATED_PARAMS",
    "Finding",
    "compare_profiles",
    "ProfileDifference",
    "FieldMark",
    "mark_fields",
    "compare_modes",
    "ModeGrid",
    "ModeColumn",
    "ModeCell",
    # cloud mode: the Conversions API request(s) RudderStack's servers send
    "CloudOrigin",
    "CloudRequest",
    "CloudError",
    "CloudOutcome",
    "RouterOutput",
    "cloud_outcomes",
    # the deduplication check
    "DedupCheck",
    "EventPair",
    "Reason",
    "SettingFix",
    "VERDICT_WORDS",
    "check_deduplication",
    "both_paths",
    "is_sha256_hex",
    "read_cloud_cases",
    "read_router_cases",
    "cloud_lines",
    "router_lines",
    # the server path in the API's and the CLI's answers
    "check_server_budget",
    "server_path_dict",
    # snippets
    "render_snippet",
    "render_script",
    "render_tag_page",
    # real beacons
    "DEFAULT_BEACON_HOSTS",
    "MAX_HAR_BYTES",
    "DecodedBeacon",
    "BeaconList",
    "BeaconComparison",
    "decode_url",
    "decode_text_within",
    "decode_har",
    "read_har_events",
    "har_too_dense",
    "compare_beacons",
    "BeaconVerdict",
    "beacon_verdicts",
    "configuration_notes",
    "jsonstream",
    # reproduction files
    "Reproduction",
    "REPRODUCTION_FORMAT",
    "dump_reproduction",
    "load_reproduction",
    # limits: the one table, and the per-request budgets
    "limits",
    "Budget",
    "API_BUDGET",
    "PAGE_BUDGET",
    "SAVE_BUDGET",
    "MAX_BEACONS",
    "MAX_CALLS",
    "MAX_CALL_NESTING",
    "MAX_LINE_LENGTH",
    "MAX_MESSAGES",
    "MAX_NESTING",
    "MAX_PAGE_MESSAGES",
    "MAX_RENDERED_ROWS",
    "MAX_ROWS",
    "MAX_TEXT_LENGTH",
    "MAX_DECODE_FORM_EXTRA",
    "MAX_FORM_BYTES",
    "MAX_FORM_FIELD_BYTES",
    "MAX_FORM_PARTS",
    "MAX_LINK_BYTES",
    "MAX_LINK_CHARS",
    "MAX_REPRODUCTION_BYTES",
    "READ_LIMIT_FACTOR",
    "check_scenario",
    "check_text",
    "showing_first",
    "size_text",
    # the command line (python -m app.pintrk), for `flask pintrk`
    "run_cli",
    # JavaScript's semantics, for showing values as a browser would
    "load_json",
    "stringify",
    "quote",
    "indent_json",
    "to_js_string",
    "max_bracket_depth",
    "shorten",
]
