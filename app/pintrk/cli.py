"""``python -m app.pintrk replay FILE [--profile P]``: one JSON line per scenario.

Pure standard library (argparse) so the core stays free of Flask; the Flask
app wraps :func:`main` as ``flask pintrk replay``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .errors import InputError
from .jsvalue import JSONInputError, loads, stringify
from .limits import CLI
from .profiles import DEFAULT_PROFILE, PROFILES
from .replay import Result, replay
from .scenario import Scenario, load_scenario

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
            scenarios.append(load_scenario(item, budget=CLI))
        except InputError as exc:
            raise InputError(f"{source}: scenario {i + 1}: {exc}") from None
    return scenarios


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
            # Within the budget: load_scenario checked it, before any output.
            out.write(result_line(replay(scenario, args.profile, CLI)) + "\n")
        out.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return 0
