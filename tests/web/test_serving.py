"""gunicorn with gunicorn.conf.py, for real, on 127.0.0.1: what the README's "Serving in production" promises.

A half-sent request must not stop /healthz; the longest link the app makes must open; a
URL of megabytes, or a head of too many large headers, must be refused at once (it used to
take gunicorn seconds, quadratically); and the settings gunicorn reads are the README's.
"""

from __future__ import annotations

import os
import random
import re
import socket
import string
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from app.web.permalink import MAX_TOKEN_LENGTH
from app.web.state import PlaygroundState
from bench.server import HOST, gunicorn_server, raw_exchange

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.load


def _exchange(port: int, raw: bytes, timeout: float = 30.0) -> tuple[int, bytes, float]:
    return raw_exchange(port, raw, timeout)


def _get(port: int, target: str, *, headers: bytes = b"") -> tuple[int, bytes, float]:
    return _exchange(
        port, f"GET {target} HTTP/1.1\r\nHost: {HOST}\r\n".encode() + headers + b"Connection: close\r\n\r\n"
    )


def _longest_link_token() -> str:
    """A real playground link whose token is within 64 characters of the longest the app accepts."""

    def token(length: int) -> str:
        # Random text barely compresses, so the token grows with it.
        text = "".join(random.Random(11).choices(string.ascii_letters + string.digits, k=length))
        calls = f'rudderanalytics.track("Order Completed", {{note: "{text}"}});'
        return PlaygroundState(
            settings={"tagId": "2612345678901"}, profile="sdk-v3", calls=calls, initial_traits=""
        ).to_token()

    low, high = 1_000, 120_000
    while high - low > 16:
        middle = (low + high) // 2
        if len(token(middle)) <= MAX_TOKEN_LENGTH:
            low = middle
        else:
            high = middle
    found = token(low)
    assert MAX_TOKEN_LENGTH - 64 <= len(found) <= MAX_TOKEN_LENGTH
    return found


@pytest.fixture(scope="module")
def one_worker() -> Iterator[int]:
    """gunicorn.conf.py as it is, but one worker: the held requests and /healthz share a process."""
    with gunicorn_server(workers=1, threads=None, secret="serving-test-only") as port:
        yield port


def _config_threads() -> int:
    return int(_printed_config({})["threads"])


def test_healthz_answers_while_half_sent_requests_hold_all_threads_but_one(one_worker: int) -> None:
    held = _config_threads() - 1
    assert held >= 1, "one thread per worker: a half-sent request would block the worker"
    with ExitStack() as stack:
        for _ in range(held):
            sock = stack.enter_context(socket.create_connection((HOST, one_worker), timeout=10))
            sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: ".encode())  # the head never ends
        time.sleep(0.5)  # each has its thread, blocked reading the rest
        for _ in range(5):
            status, _, elapsed = _get(one_worker, "/healthz")
            assert status == 200 and elapsed < 1.0, (status, elapsed)


@pytest.mark.parametrize("path", ["/", "/reproduction", "/preview"])
def test_the_longest_link_the_app_accepts_opens(one_worker: int, path: str) -> None:
    token = _longest_link_token()
    request_line = f"GET {path}?s={token} HTTP/1.1"
    status, answer, _ = _get(one_worker, f"{path}?s={token}")
    assert status == 200, (len(request_line), answer[:300])


def test_a_link_over_the_apps_limit_gets_the_apps_own_message(one_worker: int) -> None:
    status, answer, elapsed = _get(one_worker, "/?s=1." + "A" * (MAX_TOKEN_LENGTH + 30_000))
    assert status == 400 and b"This link is too long" in answer and elapsed < 1.0


@pytest.mark.parametrize("megabytes", [3, 10])
def test_a_url_of_megabytes_is_refused_at_once(one_worker: int, megabytes: int) -> None:
    status, answer, elapsed = _get(one_worker, "/?s=" + "A" * (megabytes * 1_000_000))
    assert 400 <= status < 500 and elapsed < 1.0, (status, answer[:100], elapsed)
    assert _get(one_worker, "/healthz")[0] == 200


def test_a_head_of_many_large_headers_is_refused_at_once(one_worker: int) -> None:
    headers = b"".join(b"X-Filler-%d: " % i + b"a" * 8_000 + b"\r\n" for i in range(200))
    status, answer, elapsed = _get(one_worker, "/healthz", headers=headers)
    assert 400 <= status < 500 and elapsed < 1.0, (status, answer[:100], elapsed)


# -- the settings gunicorn reads are the README's ---------------------------------------------------


def _printed_config(env: dict[str, str]) -> dict[str, str]:
    """gunicorn's own reading of gunicorn.conf.py (``--print-config``) under ``env``."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("WEB_CONCURRENCY", "WEB_THREADS", "GUNICORN_CMD_ARGS", "PORT")
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--print-config",
            "wsgi:app",
        ],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "serving-test-only", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(re.findall(r"^(\w+)\s+= (.*)$", run.stdout, re.MULTILINE))


def _readme_settings() -> dict[str, str]:
    """The settings table under "Serving in production": `name` -> its value as written."""
    section = README.split("## Serving in production", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", section, re.MULTILINE))


def test_the_readme_documents_the_settings_gunicorn_reads() -> None:
    documented = _readme_settings()
    printed = _printed_config({})
    assert {
        "worker_class",
        "workers",
        "threads",
        "timeout",
        "graceful_timeout",
        "keepalive",
        "limit_request_line",
        "limit_request_fields",
        "limit_request_field_size",
    } <= set(documented)
    for name, value in documented.items():
        if name == "workers":
            assert value.startswith("one per CPU")
            assert int(printed["workers"]) == len(os.sched_getaffinity(0))
        else:
            assert value.startswith("`"), (name, value)
            assert value.split("`")[1] == printed[name], (name, value, printed[name])


def test_the_environment_sizes_the_server() -> None:
    printed = _printed_config(
        {"WEB_CONCURRENCY": "3", "WEB_THREADS": "7", "GUNICORN_CMD_ARGS": "--keep-alive 75"}
    )
    assert (printed["workers"], printed["threads"], printed["keepalive"]) == ("3", "7", "75")


def test_the_request_line_limit_fits_the_longest_link_with_room() -> None:
    longest = len("GET /reproduction?s= HTTP/1.1") + MAX_TOKEN_LENGTH
    limit = int(_printed_config({})["limit_request_line"])
    assert longest < limit == 2 * MAX_TOKEN_LENGTH, (longest, limit)
