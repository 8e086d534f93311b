"""A bounded load test: N concurrent clients for T seconds against gunicorn on 127.0.0.1.

    .venv/bin/python scripts/loadtest.py [--clients 20] [--seconds 20] [--workers 2]

Starts gunicorn (wsgi:app, production config, a throwaway SECRET_KEY) on a free
loopback port, then each client loops over a mix of requests — main-page renders
(presets and a permalink), a /render live update, and JSON API replays — until
the time is up.  Prints requests, errors, HTTP 5xx, and p50/p99 latency per kind
and overall, as JSON on the last line.  Exits 1 on any error or 5xx.  Only
loopback addresses are ever contacted, and every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPLAY_BODY = json.dumps(
    {
        "settings": {"tagId": "2612345678901", "enhancedMatch": True, "customProperties": [{"properties": "plan"}]},
        "profile": "sdk-v3",
        "initialTraits": {"email": "load@example.com"},
        "calls": 'rudderanalytics.page("Home");\n'
        'rudderanalytics.identify("u1", {email: "Load@Example.com"});\n'
        'rudderanalytics.track("Order Completed", {revenue: 30, currency: "USD", plan: "pro", '
        'products: [{product_id: "P1", price: 10, quantity: 3}]});',
    }
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Client(threading.Thread):
    def __init__(self, port: int, deadline: float, requests: list[tuple[str, str, str, dict, bytes | None]]) -> None:
        super().__init__(daemon=True)
        self.port, self.deadline, self.requests = port, deadline, requests
        self.samples: list[tuple[str, float, int]] = []  # (kind, seconds, status)
        self.errors: list[str] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        i = 0
        while time.monotonic() < self.deadline:
            kind, method, path, headers, body = self.requests[i % len(self.requests)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                self.samples.append((kind, time.perf_counter() - start, response.status))
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"{kind}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.close()


def build_requests(port: int) -> list[tuple[str, str, str, dict, bytes | None]]:
    from app.pintrk.presets import PRESETS  # the same presets the page offers

    requests: list[tuple[str, str, str, dict, bytes | None]] = []
    for preset in PRESETS:
        requests.append(("page", "GET", f"/?preset={preset.id}", {}, None))
    # a permalink render: follow the preset page's own "Copy link" permalink
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/?preset={PRESETS[0].id}")
    html = conn.getresponse().read().decode()
    conn.close()
    match = re.search(r'data-permalink="([^"]+)"', html)
    if match:
        requests.append(("permalink", "GET", match.group(1).replace("&amp;", "&"), {}, None))
    for _ in range(3):
        requests.append(("api-replay", "POST", "/api/v1/replay", {"Content-Type": "application/json"}, REPLAY_BODY.encode()))
    return requests


def wait_until_up(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 200 and 0 < args.seconds <= 300):
        raise SystemExit("keep it bounded: 1-200 clients, at most 300 seconds")

    port = free_port()
    env = {**os.environ, "SECRET_KEY": "loadtest-only", "PINTRK_CONFIG": "production"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--threads", str(args.threads), "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env,
    )
    try:
        wait_until_up(port)
        requests = build_requests(port)
        deadline = time.monotonic() + args.seconds
        clients = [Client(port, deadline, requests) for _ in range(args.clients)]
        started = time.monotonic()
        for client in clients:
            client.start()
        for client in clients:
            client.join(args.seconds + 60)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(10)

    samples = [s for c in clients for s in c.samples]
    errors = [e for c in clients for e in c.errors]
    report: dict[str, Any] = {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": len(samples),
        "requests_per_second": round(len(samples) / elapsed, 1),
        "errors": len(errors),
        "http_5xx": sum(1 for _, _, status in samples if status >= 500),
        "http_4xx": sum(1 for _, _, status in samples if 400 <= status < 500),
        "p50_ms": round(percentile([t for _, t, _ in samples], 0.50) * 1000, 1),
        "p99_ms": round(percentile([t for _, t, _ in samples], 0.99) * 1000, 1),
        "by_kind": {},
    }
    for kind in sorted({k for k, _, _ in samples}):
        times = [t for k, t, _ in samples if k == kind]
        report["by_kind"][kind] = {
            "requests": len(times),
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "p99_ms": round(percentile(times, 0.99) * 1000, 1),
        }
    for error in errors[:5]:
        print("error:", error, file=sys.stderr)
    print(json.dumps(report))
    return 1 if errors or report["http_5xx"] or report["http_4xx"] else 0


if __name__ == "__main__":
    sys.exit(main())
