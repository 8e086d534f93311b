"""A bounded load test: N concurrent clients for T seconds against gunicorn on 127.0.0.1.

    .venv/bin/python scripts/loadtest.py [--clients 20] [--seconds 20] [--workers W] [--threads T] [--hostile]

Starts gunicorn with gunicorn.conf.py (wsgi:app, production config, a throwaway SECRET_KEY)
on a free loopback port; ``--workers``/``--threads`` override the file's sizing (one worker
per CPU, 4 threads each).  Each client first opens the playground like a browser (a session
cookie and the page's CSRF token), then loops over a mix of requests until the time is up:
main-page renders (every preset), a permalink render, the live preview that page embeds,
``POST /render`` live updates (the form, the token and the cookie, as the page's script
sends them), static files, and JSON API replays.

With ``--hostile`` about 10% of each client's requests are hostile, spread through its mix:
damaged and 100,000-deep links, a live update without its token, non-JSON and too-deep API
bodies, a link full of XSS payloads, and issue 11's inputs: a link that unpacks to an
unclosed string of escaped quotes (on ``/`` and ``/preview``), 32 KB of the same as an API
body, 300 KB of ``(`` pasted into *Decode beacons*, a URL-encoded *Decode beacons* post over
the per-field limit, and ``1e400`` in a link's settings (on ``/`` and ``/reproduction``).  Each
must get its status (or, where the status is another part of issue 11's, any status below 500).
Once, before the load, raw bytes go over a plain socket as no HTTP library would send them:
bytes that are not UTF-8 in a query string and a form body, and URLs of 3 and 10 MB (refused
by gunicorn in under a second).  A half-sent request is held open for the whole run (slowloris).

All clients come from 127.0.0.1, one address: the server gets ``PINTRK_API_RATE_LIMIT`` high
enough that the API's per-client limit (120 per minute by default) never answers them 429.

Prints requests, errors, HTTP 4xx/5xx, and p50/p99 latency overall, for well-formed and for
hostile requests, and per kind, as JSON on the last line.  Exits 1 on any error (a failed
connection, or any status other than the one the request must get: a 4xx where a 200 is due
is an error) or any 5xx.  Only loopback addresses are ever contacted, and every loop is
bounded in time.
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

from bench.server import HOST, gunicorn_server, percentile, raw_exchange  # noqa: E402

CALLS = (
    'rudderanalytics.page("Home");\n'
    'rudderanalytics.identify("u1", {email: "Load@Example.com"});\n'
    'rudderanalytics.track("Order Completed", {revenue: 30, currency: "USD", plan: "pro", '
    'products: [{product_id: "P1", price: 10, quantity: 3}]});'
)
REPLAY_BODY = json.dumps(
    {
        "settings": {
            "tagId": "2612345678901",
            "enhancedMatch": True,
            "customProperties": [{"properties": "plan"}],
        },
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
    expect: int | None = 200  # None: any status below 500
    csrf: bool = (
        False  # send the client's session cookie and CSRF token (header; the live update's form if no body)
    )
    label: str = ""  # what a hostile request is, in the report


def open_session(port: int) -> tuple[str, str]:
    """GET / like a browser: the session cookie and the page's CSRF token."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", "/")
        response = conn.getresponse()
        html = response.read().decode()
        cookies = [
            value.split(";", 1)[0] for name, value in response.getheaders() if name.lower() == "set-cookie"
        ]
    finally:
        conn.close()
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    if response.status != 200 or not match or not cookies:
        raise SystemExit(
            f"could not open a session: HTTP {response.status}, token {bool(match)}, cookies {cookies}"
        )
    return "; ".join(cookies), match.group(1)


class Client(threading.Thread):
    def __init__(self, port: int, deadline: float, requests: list[Request], offset: int) -> None:
        super().__init__(daemon=True)
        self.port, self.deadline, self.requests, self.offset = port, deadline, requests, offset
        self.samples: list[tuple[str, float, int, str]] = []  # (kind, seconds, status, label)
        self.errors: list[str] = []  # well-formed requests'
        self.hostile_errors: list[str] = []

    def run(self) -> None:
        try:
            cookie, token = open_session(self.port)
        except (OSError, http.client.HTTPException, SystemExit) as exc:
            self.errors.append(f"session: {exc!r}")
            return
        render_body = urlencode({**RENDER_FORM, "csrf_token": token}).encode()
        kept = http.client.HTTPConnection(
            HOST, self.port, timeout=30
        )  # the well-formed requests' keep-alive connection
        i = self.offset  # clients start at different points of the mix
        while time.monotonic() < self.deadline:
            request = self.requests[i % len(self.requests)]
            i += 1
            hostile = request.kind == "hostile"
            errors = self.hostile_errors if hostile else self.errors
            # A hostile request gets a connection of its own: a server that refuses it may close the
            # connection without reading the rest, which must not count against the next request.
            conn = http.client.HTTPConnection(HOST, self.port, timeout=30) if hostile else kept
            headers, body = dict(request.headers), request.body
            if request.csrf:
                headers.update({"Cookie": cookie, "X-CSRFToken": token})
                if body is None:
                    headers.update(
                        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
                    )
                    body = render_body
            start = time.perf_counter()
            try:
                conn.request(request.method, request.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                self.samples.append(
                    (request.kind, time.perf_counter() - start, response.status, request.label)
                )
                if response.status != request.expect and (
                    request.expect is not None or response.status >= 500
                ):
                    expected = request.expect or "below 500"
                    errors.append(
                        f"{request.label or request.kind}: HTTP {response.status} (expected {expected}): {data[:200]!r}"
                    )
                elif request.kind == "render" and not json.loads(data).get("ok"):
                    errors.append(f"{request.kind}: the live update reported errors: {data[:200]!r}")
            except (OSError, http.client.HTTPException, ValueError) as exc:
                self.samples.append((request.kind, time.perf_counter() - start, 0, request.label))
                errors.append(f"{request.label or request.kind}: {exc!r}")
                conn.close()
                if not hostile:
                    kept = http.client.HTTPConnection(HOST, self.port, timeout=30)
            if hostile:
                conn.close()
        kept.close()


def hostile_requests() -> list[Request]:
    """Requests that must be refused (or, for the payload link, shown as text), each with its status.

    ``expect=None`` (any status below 500) for issue 11's inputs whose exact answer is another
    part of the issue's (a refusal, or the page with the problem shown): what serving needs is
    that they cost no more than a well-formed request and never a 5xx.
    """
    from app.web.permalink import encode, pack
    from tests.hostile import PAYLOADS

    raw = ('{"s":{"x":' + "[" * 100_000 + "]" * 100_000 + '},"p":"docs","c":"","t":""}').encode()
    deep = pack(raw)  # a hand-made link
    xss = encode(
        {
            "s": {
                "tagId": " ".join(PAYLOADS[:10]),
                "eventsMapping": [{"from": p, "to": p} for p in PAYLOADS],
            },
            "p": "sdk-v3",
            "c": "".join(f"rudderanalytics.track({json.dumps(p)});\n" for p in PAYLOADS),
            "t": "",
        }
    )
    # Issue 11: an unclosed string of escaped quotes, 1 MB unpacked from a 1.3 KB link ...
    quotes = pack(b'{"s":{"x":"' + b'\\"' * ((1024 * 1024 - 16) // 2))
    # ... and 32 KB of it as an API body; a number JSON can't hold in a link's settings.
    quotes_body = b'{"settings":{"tagId":"' + b'\\"' * 16_000
    huge_number = pack(b'{"s":{"tagId":"2612345678901","x":1e400},"p":"docs","c":"","t":""}')
    # Decode beacons: 300 KB of "(" pasted (multipart, as the page sends it), and beacon URLs
    # sent URL-encoded, over the 1 MB per-field limit a multipart form has.
    boundary = "loadtest0boundary"
    parens = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="urls"\r\n\r\n'.encode()
        + b"(" * 300_000
        + f"\r\n--{boundary}--\r\n".encode()
    )
    beacon = "https://ct.pinterest.com/v3/?event=checkout&tid=2612345678901&pd=%7B%7D&cb=1\n"
    over_limit = urlencode({"urls": beacon * (1_100_000 // len(beacon))}).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    as_json = {"Content-Type": "application/json"}
    return [
        Request("hostile", "GET", "/?s=1.AAAA-damaged", expect=400, label="damaged link"),
        Request("hostile", "GET", f"/?s={deep}", expect=400, label="100,000-deep link"),
        Request("hostile", "GET", "/preview?s=%ff%fe", expect=400, label="undecodable link"),
        Request(
            "hostile", "POST", "/render", b"calls=x", form, expect=400, label="live update without token"
        ),
        Request(
            "hostile",
            "POST",
            "/api/v1/replay",
            b"{}",
            {"Content-Type": "text/plain"},
            expect=415,
            label="API not JSON",
        ),
        Request(
            "hostile", "POST", "/api/v1/replay", b"[" * 100_000, as_json, expect=400, label="API 100,000 deep"
        ),
        Request("hostile", "GET", f"/?s={xss}", expect=200, label="XSS link"),
        Request("hostile", "GET", f"/?s={quotes}", expect=None, label="escaped-quotes link /"),
        Request("hostile", "GET", f"/preview?s={quotes}", expect=None, label="escaped-quotes link /preview"),
        Request(
            "hostile",
            "POST",
            "/api/v1/replay",
            quotes_body,
            as_json,
            expect=None,
            label="API 32 KB escaped quotes",
        ),
        Request(
            "hostile",
            "POST",
            "/decode",
            parens,
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
            expect=None,
            csrf=True,
            label="decode 300 KB of (",
        ),
        Request(
            "hostile",
            "POST",
            "/decode",
            over_limit,
            form,
            expect=None,
            csrf=True,
            label="decode URL-encoded over limit",
        ),
        Request("hostile", "GET", f"/?s={huge_number}", expect=None, label="1e400 link /"),
        Request(
            "hostile", "GET", f"/reproduction?s={huge_number}", expect=None, label="1e400 link /reproduction"
        ),
    ]


def mixed(well_formed: list[Request], hostile: list[Request], share: float = 0.10) -> list[Request]:
    """The well-formed mix repeated so that ``hostile`` make about ``share`` of it, spread evenly through it."""
    rounds = max(1, round(len(hostile) * (1 - share) / share / len(well_formed)))
    base = well_formed * rounds
    step = len(base) / len(hostile)
    requests = list(base)
    for n in range(len(hostile)):  # from the end, so earlier positions stay put
        requests.insert(int(step * (len(hostile) - 1 - n)), hostile[len(hostile) - 1 - n])
    return requests


def _raw_exchange(port: int, raw: bytes) -> tuple[int, float]:
    status, _, seconds = raw_exchange(port, raw)
    return status, seconds


def raw_probes(port: int) -> tuple[list[str], dict[str, Any]]:
    """Bytes no HTTP library would send: each must get its status, never a 5xx; the problems, and what each got.

    Bytes that are not UTF-8 (gunicorn itself refuses a request line that is not ASCII; the app
    reads such bytes too, see app/web/requests.py), and URLs of 3 and 10 MB, which gunicorn.conf.py's
    request-line limit refuses before reading them whole.
    """
    cookie, token = open_session(port)
    form = (
        b"csrf_token=" + token.encode() + b"&tag_id=\xff\xfe&calls=rudderanalytics.track(%22\xed\xa0\x80%22)"
    )
    end = b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    probes = [
        ("not UTF-8 in a query", b"GET /?s=\xff\xfe" + end, 400, None),
        ("not UTF-8 in a link", b"GET /preview?s=1.\xed\xa0\x80" + end, 400, None),
        (
            "not UTF-8 in a form",
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: "
            + cookie.encode()
            + b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
            + str(len(form)).encode()
            + b"\r\n\r\n"
            + form,
            200,
            None,
        ),
        ("3 MB URL", b"GET /?s=" + b"A" * 3_000_000 + end, 414, 1.0),
        ("10 MB URL", b"GET /?s=" + b"A" * 10_000_000 + end, 414, 1.0),
    ]
    problems, seen = [], {}
    for label, raw, expected, budget in probes:
        status, seconds = _raw_exchange(port, raw)
        seen[label] = {"status": status, "ms": round(seconds * 1000, 1)}
        if status != expected:
            problems.append(f"{label}: HTTP {status} (expected {expected})")
        if budget is not None and seconds > budget:
            problems.append(f"{label}: answered after {seconds:.2f} s (more than {budget:g} s)")
    return problems, seen


class HalfSentRequest:
    """A slowloris: a request whose head never ends, held open on its own connection."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection((HOST, port), timeout=5)
        self.sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")

    def close(self) -> str:
        """Whether the server was still waiting for the rest when the run ended."""
        self.sock.setblocking(False)
        try:
            state = "closed by the server" if self.sock.recv(1) == b"" else "answered"
        except BlockingIOError:
            state = "held open"
        except OSError as exc:
            state = f"reset ({exc.__class__.__name__})"
        self.sock.close()
        return state


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
    script = re.search(r'<script type="module" src="(/static/[^"]+)"', html)  # its versioned URL
    if not permalink or not preview or not script:
        raise SystemExit("the preset page has no permalink or no live preview: the mix would be incomplete")
    requests.append(Request("permalink", "GET", permalink.group(1).replace("&amp;", "&")))
    requests.append(Request("preview", "GET", preview.group(1).replace("&amp;", "&")))
    requests.append(Request("static", "GET", script.group(1)))
    for _ in range(3):
        requests.append(Request("render", "POST", "/render", csrf=True))
    for _ in range(3):
        requests.append(
            Request("api-replay", "POST", "/api/v1/replay", REPLAY_BODY, {"Content-Type": "application/json"})
        )
    return requests


# All clients are 127.0.0.1, one address to the rate limit: lift the API's limit for this run only.
SERVER_ENV = {"PINTRK_API_RATE_LIMIT": "1000000 per minute"}


def _timings(samples: list[tuple[str, float, int, str]]) -> dict[str, Any]:
    times = [t for _, t, _, _ in samples]
    return {
        "requests": len(times),
        "p50_ms": round(percentile(times, 0.50) * 1000, 1),
        "p99_ms": round(percentile(times, 0.99) * 1000, 1),
        "max_ms": round(max(times, default=0.0) * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--workers", type=int, help="worker processes (default: gunicorn.conf.py's, one per CPU)"
    )
    parser.add_argument("--threads", type=int, help="threads per worker (default: gunicorn.conf.py's)")
    parser.add_argument(
        "--hostile", action="store_true", help="mix in about 10%% requests that must be refused"
    )
    args = parser.parse_args(argv)
    if not (
        1 <= args.clients <= 200
        and 0 < args.seconds <= 300
        and 1 <= (args.workers or 1) <= 16
        and 1 <= (args.threads or 1) <= 64
    ):
        raise SystemExit("keep it bounded: 1-200 clients, at most 300 seconds, 1-16 workers, 1-64 threads")

    slowloris_state = None
    with gunicorn_server(
        workers=args.workers, threads=args.threads, secret="loadtest-only", env=SERVER_ENV
    ) as port:
        requests = build_requests(port)
        probe_errors: list[str] = []
        probes: dict[str, Any] = {}
        slowloris = None
        if args.hostile:
            requests = mixed(requests, hostile_requests())
            probe_errors, probes = raw_probes(port)
            slowloris = HalfSentRequest(port)
        deadline = time.monotonic() + args.seconds
        # Clients start spread evenly through the mix, so a short run still sends all of it.
        clients = [
            Client(port, deadline, requests, offset=i * len(requests) // args.clients)
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for client in clients:
            client.start()
        for client in clients:
            client.join(args.seconds + 60)
        elapsed = time.monotonic() - started
        if slowloris is not None:
            slowloris_state = slowloris.close()

    samples = [s for c in clients for s in c.samples]
    well_formed_errors = [e for c in clients for e in c.errors]
    errors = well_formed_errors + probe_errors + [e for c in clients for e in c.hostile_errors]
    well_formed = [s for s in samples if s[0] != "hostile"]
    hostile = [s for s in samples if s[0] == "hostile"]
    report: dict[str, Any] = {
        "clients": args.clients,
        "workers": args.workers or "gunicorn.conf.py",
        "threads": args.threads or "gunicorn.conf.py",
        "seconds": round(elapsed, 1),
        "requests": len(samples),
        "requests_per_second": round(len(samples) / elapsed, 1) if elapsed else 0.0,
        "errors": len(errors),
        "well_formed_errors": len(well_formed_errors),
        "http_5xx": sum(1 for _, _, status, _ in samples if status >= 500),
        "http_4xx": sum(1 for _, _, status, _ in samples if 400 <= status < 500),
        "p50_ms": round(percentile([t for _, t, _, _ in samples], 0.50) * 1000, 1),
        "p99_ms": round(percentile([t for _, t, _, _ in samples], 0.99) * 1000, 1),
        "well_formed": _timings(well_formed),
        "hostile": {**_timings(hostile), "share": round(len(hostile) / len(samples), 3) if samples else 0.0},
        "by_kind": {},
    }
    for kind in sorted({k for k, _, _, _ in samples}):
        times = [t for k, t, _, _ in samples if k == kind]
        report["by_kind"][kind] = {
            "requests": len(times),
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "p99_ms": round(percentile(times, 0.99) * 1000, 1),
        }
    if args.hostile:
        report["hostile_by_label"] = {
            label: {
                **_timings([s for s in hostile if s[3] == label]),
                "statuses": sorted({status for _, _, status, kind in hostile if kind == label}),
            }
            for label in sorted({s[3] for s in hostile})
        }
        report["raw_probes"] = probes
        report["half_sent_request"] = slowloris_state
    for error in errors[:5]:
        print("error:", error, file=sys.stderr)
    print(json.dumps(report))
    failed = errors or report["http_5xx"] or not samples
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
