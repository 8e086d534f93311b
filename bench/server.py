"""gunicorn serving this app on a free loopback port, for the benchmark and the load test."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["HOST", "gunicorn_server", "percentile"]

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_until_up(port: int, server: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


@contextmanager
def gunicorn_server(
    *,
    workers: int | None = 1,
    threads: int | None = 1,
    secret: str = "bench-only",
    env: dict[str, str] | None = None,
) -> Iterator[int]:
    """Run ``wsgi:app`` with gunicorn.conf.py (production config, a throwaway SECRET_KEY); yields the port once it answers.

    ``workers``/``threads`` override the config file's (None: the file's, sized from the CPUs);
    ``env`` adds environment variables (e.g. a PINTRK_ setting).
    """
    port = _free_port()
    env = {**os.environ, "SECRET_KEY": secret, "PINTRK_CONFIG": "production", **(env or {})}
    sizing = [
        *(["--workers", str(workers)] if workers else []),
        *(["--threads", str(threads)] if threads else []),
    ]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"{HOST}:{port}",
            *sizing,
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: the workers go with the master below
    )
    try:
        _wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            # A worker stuck in a call that holds the GIL (a runaway regular expression) never
            # runs its signal handlers, and would outlive a killed master: kill the whole group.
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)


def raw_exchange(port: int, raw: bytes, timeout: float = 30.0) -> tuple[int, bytes, float]:
    """Send ``raw`` bytes over a plain socket (what no HTTP library would send); the status (0 if
    none), the answer, and the seconds until the answer was whole."""
    start = time.perf_counter()
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before reading everything: read its answer
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    elapsed = time.perf_counter() - start
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else 0
    return status, answer, elapsed


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0–1) of ``values``, nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]
