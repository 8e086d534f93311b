"""A bounded load test: N concurrent clients for T seconds against gunicorn on 127.0.0.1.

    .venv/bin/python scripts/loadtest.py [--clients 20] [--seconds 20] [--workers 2] [--threads 4] [--hostile]

Starts gunicorn (wsgi:app, production config, a throwaway SECRET_KEY) on a free
loopback port.  Each client first opens the playground like a browser (a session
cookie and the page's CSRF token), then loops over a mix of requests until the time
is up: main-page renders (every preset), a permalink render, the live preview that
page embeds, ``POST /render`` live updates (the form, the token and the cookie, as the
page's script sends them), static files, and JSON API replays.  With ``--hostile``
the mix also has requests that must be refused (damaged and 100,000-deep links, a
live update without its token, non-JSON and too-deep API bodies, a link full of XSS
payloads) and, once before the load, raw bytes that are not UTF-8 in a query string
and in a form body, sent over a plain socket as no HTTP library would.

Prints requests, errors, HTTP 4xx/5xx, and p50/p99 latency per kind and overall, as
JSON on the last line.  Exits 1 on any error (a failed connection, or any status other
than the one the request must get: a 4xx where a 200 is due is an error) or any 5xx.
Only loopback addresses are ever contacted, and every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import socket
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import HOST, gunicorn_server, percentile  # noqa: E402

CALLS = (
    'rudderanalytics.page("Home");\n'
    'rudderanalytics.identify("u1", {email: "Load@Example.com"});\n'
    'rudderanalytics.track("Order Completed", {revenue: 30, currency: "USD", plan: "pro", '
    'products: [{product_id: "P1", price: 10, quantity: 3}]});'
)
REPLAY_BODY = json.dumps(
    {
        "settings": {"tagId": "2612345678901", "enhancedMatch": True, "customProperties": [{"properties": "plan"}]},
        "profile": "sdk-v3",
        "initialTraits": {"email": "load@example.com"},
        "calls": CALLS,
    }
).encode()
# What the page's script posts to /render on an edit (the form's fields; the token is added per client).
RENDER_FORM = {
    "tag_id": "2612345678901",
    "profile": "sdk-v3",
    "enhanced_match": "y",
    "mappings-0-source": "Order Completed",
    "mappings-0-target": "Checkout",
    "custom_properties-0-path": "plan",
    "deduplication_key": "properties.order_id",
    "calls": CALLS,
    "initial_traits": '{"email": "load@example.com"}',
}


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expect: int = 200
    csrf: bool = False  # send the client's session cookie and CSRF token (form field and header)


def open_session(port: int) -> tuple[str, str]:
    """GET / like a browser: the session cookie and the page's CSRF token."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", "/")
        response = conn.getresponse()
        html = response.read().decode()
        cookies = [value.split(";", 1)[0] for name, value in response.getheaders() if name.lower() == "set-cookie"]
    finally:
        conn.close()
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    if response.status != 200 or not match or not cookies:
        raise SystemExit(f"could not open a session: HTTP {response.status}, token {bool(match)}, cookies {cookies}")
    return "; ".join(cookies), match.group(1)


class Client(threading.Thread):
    def __init__(self, port: int, deadline: float, requests: list[Request], offset: int) -> None:
        super().__init__(daemon=True)
        self.port, self.deadline, self.requests, self.offset = port, deadline, requests, offset
        self.samples: list[tuple[str, float, int]] = []  # (kind, seconds, status)
        self.errors: list[str] = []

    def run(self) -> None:
        try:
            cookie, token = open_session(self.port)
        except (OSError, http.client.HTTPException, SystemExit) as exc:
            self.errors.append(f"session: {exc!r}")
            return
        render_body = urlencode({**RENDER_FORM, "csrf_token": token}).encode()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        i = self.offset  # clients start at different points of the mix
        while time.monotonic() < self.deadline:
            request = self.requests[i % len(self.requests)]
            i += 1
            headers, body = dict(request.headers), request.body
            if request.csrf:
                headers.update({"Cookie": cookie, "X-CSRFToken": token,
                                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
                body = render_body
            start = time.perf_counter()
            try:
                conn.request(request.method, request.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                self.samples.append((request.kind, time.perf_counter() - start, response.status))
                if response.status != request.expect:
                    self.errors.append(f"{request.kind}: HTTP {response.status} (expected {request.expect}): {data[:200]!r}")
                elif request.csrf and not json.loads(data).get("ok"):
                    self.errors.append(f"{request.kind}: the live update reported errors: {data[:200]!r}")
            except (OSError, http.client.HTTPException, ValueError) as exc:
                self.errors.append(f"{request.kind}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        conn.close()


def hostile_requests() -> list[Request]:
    """Requests that must be refused (or, for the payload link, shown as text), each with its status."""
    from app.web.permalink import encode, pack
    from tests.hostile import PAYLOADS

    raw = ('{"s":{"x":' + "[" * 100_000 + "]" * 100_000 + '},"p":"docs","c":"","t":""}').encode()
    deep = pack(raw)  # a hand-made link
    xss = encode({"s": {"tagId": " ".join(PAYLOADS[:10]), "eventsMapping": [{"from": p, "to": p} for p in PAYLOADS]},
                  "p": "sdk-v3", "c": "".join(f"rudderanalytics.track({json.dumps(p)});\n" for p in PAYLOADS), "t": ""})
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    return [
        Request("hostile", "GET", "/?s=1.AAAA-damaged", expect=400),
        Request("hostile", "GET", f"/?s={deep}", expect=400),
        Request("hostile", "GET", "/preview?s=%ff%fe", expect=400),
        Request("hostile", "POST", "/render", b"calls=x", form, expect=400),  # no CSRF token
        Request("hostile", "POST", "/api/v1/replay", b"{}", {"Content-Type": "text/plain"}, expect=415),
        Request("hostile", "POST", "/api/v1/replay", b"[" * 100_000, {"Content-Type": "application/json"}, expect=400),
        Request("hostile", "GET", f"/?s={xss}", expect=200),
    ]


def raw_probes(port: int) -> list[str]:
    """Bytes that are not UTF-8 where no HTTP library would put them: each must get its status, never a 5xx.

    (gunicorn itself refuses a request line that is not ASCII; the app reads such bytes too, see app/web/requests.py.)
    """
    cookie, token = open_session(port)
    form = b"csrf_token=" + token.encode() + b"&tag_id=\xff\xfe&calls=rudderanalytics.track(%22\xed\xa0\x80%22)"
    probes = [
        (b"GET /?s=\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400),
        (b"GET /preview?s=1.\xed\xa0\x80 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: " + cookie.encode()
         + b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + str(len(form)).encode()
         + b"\r\n\r\n" + form, 200),
    ]
    problems = []
    for raw, expected in probes:
        with socket.create_connection((HOST, port), timeout=30) as sock:
            sock.sendall(raw)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
        if status != expected:
            problems.append(f"raw bytes: HTTP {status} (expected {expected}) for {raw[:60]!r}")
    return problems


def build_requests(port: int) -> list[Request]:
    from app.pintrk.presets import PRESETS  # the same presets the page offers

    requests = [Request("page", "GET", f"/?preset={preset.id}") for preset in PRESETS]
    # A permalink render, and the preview that page embeds: follow a preset page's own links.
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", f"/?preset={PRESETS[0].id}")
    html = conn.getresponse().read().decode()
    conn.close()
    permalink = re.search(r'id="copy-link"[^>]*data-permalink="(/\?s=[^"]+)"', html)
    preview = re.search(r'<iframe[^>]*src="(/preview\?s=[^"]+)"', html)
    if not permalink or not preview:
        raise SystemExit("the preset page has no permalink or no live preview: the mix would be incomplete")
    requests.append(Request("permalink", "GET", permalink.group(1).replace("&amp;", "&")))
    requests.append(Request("preview", "GET", preview.group(1).replace("&amp;", "&")))
    requests.append(Request("static", "GET", "/static/js/playground.js"))
    for _ in range(3):
        requests.append(Request("render", "POST", "/render", csrf=True))
    for _ in range(3):
        requests.append(Request("api-replay", "POST", "/api/v1/replay", REPLAY_BODY, {"Content-Type": "application/json"}))
    return requests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--hostile", action="store_true", help="mix in requests that must be refused")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 200 and 0 < args.seconds <= 300 and 1 <= args.workers <= 16 and 1 <= args.threads <= 64):
        raise SystemExit("keep it bounded: 1-200 clients, at most 300 seconds, 1-16 workers, 1-64 threads")

    with gunicorn_server(workers=args.workers, threads=args.threads, secret="loadtest-only") as port:
        requests = build_requests(port)
        probe_errors: list[str] = []
        if args.hostile:
            requests += hostile_requests()
            probe_errors = raw_probes(port)
        deadline = time.monotonic() + args.seconds
        clients = [Client(port, deadline, requests, offset=i * 7) for i in range(args.clients)]
        started = time.monotonic()
        for client in clients:
            client.start()
        for client in clients:
            client.join(args.seconds + 60)
        elapsed = time.monotonic() - started

    samples = [s for c in clients for s in c.samples]
    errors = probe_errors + [e for c in clients for e in c.errors]
    report: dict[str, Any] = {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": len(samples),
        "requests_per_second": round(len(samples) / elapsed, 1) if elapsed else 0.0,
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
    failed = errors or report["http_5xx"] or not samples
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
