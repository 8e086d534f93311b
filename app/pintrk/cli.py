"""``python -m app.pintrk replay FILE [--profile P]``: one JSON line per scenario;
``python -m app.pintrk cloud FILE [--batch]``: the Conversions API request(s) per case (cloud_cli.py).

Pure standard library (argparse) so the core stays free of Flask; the Flask
app wraps :func:`main` as ``flask pintrk replay``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .cloud_cli import cloud_lines_of, write_cloud_lines
from .errors import InputError
from .jsvalue import JSONInputError, loads, stringify
from .limits import CLI
from .profiles import DEFAULT_PROFILE, PROFILES
from .replay import Result, replay
from .scenario import Scenario, load_scenario
from .server_path import check_server_budget, server_path_dict

__all__ = ["main", "load_scenarios", "result_line", "InputError"]


def load_scenarios(text: str | bytes, source: str = "input") -> list[Scenario]:
    """One scenario or a list of them, from JSON text (each through :func:`load_scenario`)."""
    try:
        data = loads(text)
    except JSONInputError as exc:
        raise InputError(f"{source}: {exc}") from None
    items = data if isinstance(data, list) else [data]
    scenarios = []
    for i, item in enumerate(items):
        try:
            scenario = load_scenario(item, budget=CLI)
            check_server_budget(scenario, CLI)
            scenarios.append(scenario)
        except InputError as exc:
            raise InputError(f"{source}: scenario {i + 1}: {exc}") from None
    return scenarios


def result_line(result: Result) -> str:
    """The CLI's JSON line for one replayed scenario; with ``cloud`` and ``dedup`` when
    RudderStack's servers send its events too (cloud or hybrid mode, or ``cloudSettings``)."""
    line = {
        "id": result.scenario.id,
        "calls_json": result.calls_json,
        "requests": [r.to_dict() for r in result.requests],
        "console": [m.to_dict() for m in result.tag_messages],
        "diagnostics": [f.to_dict() for f in result.diagnostics],
    }
    return stringify({**line, **(server_path_dict(result) or {})}) or "{}"


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m app.pintrk", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    replay_cmd = commands.add_parser("replay", help="replay scenarios and print one JSON line each")
    replay_cmd.add_argument("file", help="JSON file with one scenario or a list ('-' for standard input)")
    replay_cmd.add_argument("--profile", choices=list(PROFILES), default=DEFAULT_PROFILE)
    cloud_cmd = commands.add_parser(
        "cloud", help="the Conversions API request(s) cloud mode sends, one JSON line a case"
    )
    cloud_cmd.add_argument(
        "file", help='JSON file: a list of {"id", "destination_config", "message"} (\'-\' for standard input)'
    )
    cloud_cmd.add_argument(
        "--batch", action="store_true", help='router cases: {"id", "events": [ … ]}, batched requests'
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage error
        return int(exc.code or 0)

    try:
        text, source = _read_input(args.file)
        if args.command == "cloud":
            lines = cloud_lines_of(text, source, args.batch)
        else:
            scenarios = load_scenarios(text, source)
    except InputError as exc:
        print(f"error: {exc}", file=err)
        return 2
    try:
        if args.command == "cloud":
            write_cloud_lines(lines, out)
            return 0
        for scenario in scenarios:
            # Within the budget: load_scenario checked it, before any output.
            out.write(result_line(replay(scenario, args.profile, CLI)) + "\n")
        out.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return 0


def _read_input(name: str) -> tuple[str | bytes, str]:
    """The file's bytes (standard input for "-") and how to name it in errors."""
    if name == "-":
        return sys.stdin.buffer.read(), "standard input"
    try:
        return Path(name).read_bytes(), name
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror})") from None
