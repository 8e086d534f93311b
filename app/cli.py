"""``flask pintrk ...``: the core's CLI, reachable through the Flask app too."""

from __future__ import annotations

import sys

import click

from app.pintrk import DEFAULT_PROFILE, PROFILES, run_cli


@click.group("pintrk")
def pintrk_cli() -> None:
    """Pinterest Tag playground commands."""


@pintrk_cli.command("replay")
@click.argument("file")
@click.option("--profile", type=click.Choice(list(PROFILES)), default=DEFAULT_PROFILE, show_default=True)
def replay_command(file: str, profile: str) -> None:
    """Replay scenarios from FILE and print one JSON line per scenario."""
    status = run_cli(["replay", file, "--profile", profile], sys.stdout, sys.stderr)
    if status:
        raise SystemExit(status)


@pintrk_cli.command("cloud")
@click.argument("file")
@click.option("--batch", is_flag=True, help='FILE holds router cases: {"id", "events": [ … ]}')
def cloud_command(file: str, batch: bool) -> None:
    """Print the Conversions API request(s) cloud mode sends for each case in FILE, one JSON line each."""
    status = run_cli(["cloud", file, *(["--batch"] if batch else [])], sys.stdout, sys.stderr)
    if status:
        raise SystemExit(status)
