"""``python -m app.pintrk replay FILE [--profile P]``: one JSON line per scenario.

Pure standard library (argparse) so the core stays free of Flask; the Flask
app wraps :func:`main` as ``flask pintrk replay``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from app.gc_pause import cyclic_gc_paused

from .budget import OverBudget
from .calls import CallScriptError, parse_call_script
from .jsvalue import JSONInputError, loads, stringify
from .messages import MessageError, build_messages
from .profiles import DEFAULT_PROFILE, PROFILES
from .replay import Result, Scenario, replay
from .settings import SettingsError

__all__ = ["main", "load_scenarios", "result_line", "InputError"]


class InputError(ValueError):
    """Bad input, said with where it is (file, scenario, field)."""


def scenario_from_data(data: Any, where: str) -> Scenario:
    """A conformance-format scenario; ``calls`` (a call script) or ``pintrk`` (the tag's calls)
    may replace ``messages``."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: a scenario must be an object ({{ … }})")
    use_calls = "calls" in data and "messages" not in data and "pintrk" not in data
    try:
        scenario = Scenario.from_dict({**data, "messages": []} if use_calls else data)
    except SettingsError as exc:
        raise InputError(f"{where}: settings: {exc}") from None
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None
    if not use_calls:
        return scenario
    script = data["calls"]
    if not isinstance(script, str):
        raise InputError(
            f"{where}: calls must be a call script (text), e.g. \"rudderanalytics.track('Signed Up');\""
        )
    try:
        messages = build_messages(parse_call_script(script), scenario.initial_traits)
    except (CallScriptError, MessageError) as exc:
        raise InputError(f"{where}: calls: {exc}") from None
    return dataclasses.replace(scenario, messages=tuple(messages))


def load_scenarios(text: str | bytes, source: str = "input") -> list[Scenario]:
    """One scenario or a list of them, from JSON text."""
    try:
        data = loads(text)
    except JSONInputError as exc:
        raise InputError(f"{source}: {exc}") from None
    items = data if isinstance(data, list) else [data]
    return [scenario_from_data(item, f"{source}: scenario {i + 1}") for i, item in enumerate(items)]


def result_line(result: Result) -> str:
    """The CLI's JSON line for one replayed scenario."""
    return (
        stringify(
            {
                "id": result.scenario.id,
                "calls_json": result.calls_json,
                "requests": [r.to_dict() for r in result.requests],
                "console": [m.to_dict() for m in result.tag_messages],
                "diagnostics": [f.to_dict() for f in result.diagnostics],
            }
        )
        or "{}"
    )


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m app.pintrk", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    replay_cmd = commands.add_parser("replay", help="replay scenarios and print one JSON line each")
    replay_cmd.add_argument("file", help="JSON file with one scenario or a list ('-' for standard input)")
    replay_cmd.add_argument("--profile", choices=list(PROFILES), default=DEFAULT_PROFILE)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage error
        return int(exc.code or 0)

    try:
        if args.file == "-":
            text: str | bytes = sys.stdin.buffer.read()
            source = "standard input"
        else:
            path = Path(args.file)
            try:
                text = path.read_bytes()
            except OSError as exc:
                raise InputError(f"{args.file}: cannot read the file ({exc.strerror})") from None
            source = args.file
        scenarios = load_scenarios(text, source)
    except InputError as exc:
        print(f"error: {exc}", file=err)
        return 2
    try:
        for scenario in scenarios:
            try:
                with cyclic_gc_paused():  # a process-wide switch: the entry point's to choose
                    out.write(result_line(replay(scenario, args.profile)) + "\n")
            except OverBudget as exc:
                label = f"scenario {scenario.id!r}" if scenario.id else "a scenario"
                print(f"error: {label} ({exc.location}): {exc.message}", file=err)
                return 2
        out.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return 0
