"""scripts/loadtest.py, briefly: 4 clients for 3 seconds against gunicorn (gunicorn.conf.py), hostile requests mixed in.

The full run (20 clients x 20 s) is a manual step; this keeps the script itself, the
production config under gunicorn and the per-client CSRF session from rotting. About 5 s.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.load
def test_a_short_load_test_passes() -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "loadtest.py"),
            "--clients",
            "4",
            "--seconds",
            "3",
            "--workers",
            "1",
            "--hostile",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert run.returncode == 0, (run.stdout[-2000:], run.stderr[-2000:])
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["errors"] == 0 and report["http_5xx"] == 0 and report["requests"] > 50
    assert {"page", "permalink", "preview", "render", "api-replay", "hostile"} <= set(report["by_kind"])
    # About 10% hostile requests, every one of the mix sent; the long URLs refused at once; the
    # half-sent request held for the whole run without stopping the others.
    assert 0.05 <= report["hostile"]["share"] <= 0.15 and len(report["hostile_by_label"]) == 14
    assert all(
        probe["status"] == 414 and probe["ms"] < 1000
        for label, probe in report["raw_probes"].items()
        if "MB URL" in label
    )
    assert report["half_sent_request"] == "held open"
