"""Benchmarks: mapping throughput, request cost, scaling and memory, in one run.

    .venv/bin/python -m bench.run [--quick]

Not part of the test run.  Everything is measured on this machine in this run,
each figure beside its baseline: the JSON round-trip floor for mapping, a
minimal route of the same app on the same server for requests.  Prints a table
and, on the last line, the figures as JSON.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.gc_pause import cyclic_gc_paused  # noqa: E402
from app.pintrk import PROFILES, Scenario, parse_settings, replay  # noqa: E402
from app.pintrk.jsvalue import loads  # noqa: E402
from bench.corpus import INITIAL_TRAITS, SETTINGS, corpus, corpus_json  # noqa: E402
from bench.server import HOST, gunicorn_server, percentile  # noqa: E402


def _replay_body(message_texts: list[str]) -> str:
    """A /api/v1/replay request body, spliced from JS-serialised messages."""
    head = json.dumps({"settings": SETTINGS, "profile": "docs", "initialTraits": INITIAL_TRAITS})
    return head[:-1] + ', "messages": [' + ",".join(message_texts) + "]}"


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    """The fastest of ``runs`` timings (least disturbed by the machine)."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def map_all(scenario: Scenario, profile: str) -> None:
    """Messages → commands → beacons, with every output serialised as JSON."""
    with cyclic_gc_paused():  # as the API does for a whole request
        result = replay(scenario, profile)
        _ = result.calls_json
        for beacon in result.beacons:
            _ = beacon.ed_json, beacon.pd_json


def best_of_interleaved(runs: int, tasks: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """The fastest of ``runs`` timings of each task, taken in turns (floor, docs, v1, v3, floor, …)
    so that a busy spell on the machine slows the baseline and the measures alike."""
    best = {name: float("inf") for name in tasks}
    for _ in range(runs):
        for name, task in tasks.items():
            best[name] = min(best[name], best_of(1, task))
    return best


def mapping_throughput(count: int, runs: int) -> dict[str, Any]:
    texts = corpus_json(count)
    messages = tuple(loads(t) for t in texts)
    kb = sum(map(len, texts)) / len(texts) / 1024
    scenario = Scenario(parse_settings(SETTINGS), INITIAL_TRAITS, messages)
    tasks: dict[str, Callable[[], Any]] = {"floor": lambda: [json.dumps(json.loads(t)) for t in texts]}
    for profile in PROFILES:
        tasks[profile] = lambda profile=profile: map_all(scenario, profile)
    best = best_of_interleaved(runs, tasks)
    floor = best.pop("floor")
    rows = {}
    for profile, seconds in best.items():
        rows[profile] = {"msgs_per_s": round(count / seconds), "ratio_to_floor": round(seconds / floor, 2)}
    return {
        "messages": count,
        "avg_kb": round(kb, 2),
        "floor_msgs_per_s": round(count / floor),
        "profiles": rows,
    }


def scaling(sizes: list[int], runs: int) -> dict[str, Any]:
    base = corpus(10_000)
    settings = parse_settings(SETTINGS)
    rows = {}
    for size in sizes:
        messages = tuple(base[i % len(base)] for i in range(size))
        scenario = Scenario(settings, INITIAL_TRAITS, messages)
        seconds = best_of(runs if size <= 10_000 else 2, lambda scenario=scenario: map_all(scenario, "docs"))
        rows[str(size)] = {"seconds": round(seconds, 3), "us_per_msg": round(seconds / size * 1e6, 1)}
    per_msg = [r["us_per_msg"] for r in rows.values()]
    return {"profile": "docs", "sizes": rows, "max_over_min_per_msg": round(max(per_msg) / min(per_msg), 2)}


# -- requests against a real server ------------------------------------------------


def _timed(
    port: int, method: str, path: str | list[str], body: bytes | None, headers: dict[str, str], n: int
) -> dict[str, float]:
    """p50/p99 of n requests; with a list of paths, each request asks for the next one."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    times = []
    for index in range(n):
        path_now = path[index % len(path)] if isinstance(path, list) else path
        start = time.perf_counter()
        conn.request(method, path_now, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - start)
        if response.status != 200:
            raise SystemExit(f"{method} {path_now[:60]} answered {response.status}")
    conn.close()
    return {
        "p50_ms": round(percentile(times, 0.50) * 1000, 2),
        "p99_ms": round(percentile(times, 0.99) * 1000, 2),
    }


def _call_script(count: int, variant: int = 0) -> str:
    """``count`` calls; scripts of different variants differ (page names), not in size."""
    lines = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            lines.append(f'rudderanalytics.page("Page {variant:05}-{i}", {{path: "/p/{i}"}});')
        elif kind == 1:
            lines.append(f'rudderanalytics.identify("user-{i}", {{email: "user{i}@example.com"}});')
        else:
            lines.append(
                f'rudderanalytics.track("Order Completed", {{order_id: "o-{i}", revenue: {i}.5, currency: "USD", '
                f'products: [{{product_id: "P{i}", price: 9.99, quantity: 2}}]}});'
            )
    return "\n".join(lines)


def request_cost(samples: int) -> dict[str, Any]:
    from app.web.state import PlaygroundState

    with gunicorn_server() as port:
        settings = {"tagId": "2612345678901", "enhancedMatch": True}

        def link(calls: int, variant: int) -> str:
            state = PlaygroundState(
                settings=settings, profile="docs", calls=_call_script(calls, variant), initial_traits=""
            )
            return f"/?s={state.to_token()}"

        # Jinja compiles each template on its first use in a process: one page with results,
        # not used below, so that a one-off compile isn't read as a request's p99.
        _timed(port, "GET", link(5, 99_999), None, {}, 1)
        minimal = _timed(port, "GET", "/healthz", None, {}, samples)
        out: dict[str, Any] = {"minimal_route": minimal}
        # The playground page with no scenario (the landing page: kept after its first visitor).
        _timed(port, "GET", "/", None, {}, 1)
        out["empty_main_page"] = _timed(port, "GET", "/", None, {}, samples)
        for calls in (20, 500):
            n = samples if calls == 20 else max(5, samples // 5)
            # First view: every request names a scenario the server hasn't seen (a full render).
            out[f"main_page_{calls}_calls_first_view"] = _timed(
                port, "GET", [link(calls, variant) for variant in range(1, n + 1)], None, {}, n
            )
            # Repeat view: a link opened before (by a colleague, a reload): the kept page.
            repeat = link(calls, 0)
            _timed(port, "GET", repeat, None, {}, 1)
            out[f"main_page_{calls}_calls_repeat_view"] = _timed(port, "GET", repeat, None, {}, samples)
        body = _replay_body(corpus_json(1000)).encode()
        row = _timed(
            port, "POST", "/api/v1/replay", body, {"Content-Type": "application/json"}, max(5, samples // 5)
        )
        out["api_replay_1000_messages"] = row
        for row in out.values():
            if row is not minimal:
                row["ratio_p50"] = round(row["p50_ms"] / minimal["p50_ms"], 1)
                row["ratio_p99"] = round(row["p99_ms"] / minimal["p99_ms"], 1)
        return out


_MEMORY_PROBE = r"""
import json, sys, time
sys.path.insert(0, ".")


def peak_mb():
    # VmHWM: this process's own peak RSS (ru_maxrss would include the parent's, inherited at fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)


from app import create_app
client = create_app("production", SECRET_KEY="bench").test_client()
client.get("/healthz")  # imports and first-request set-up happen before the baseline
body = open(sys.argv[1], "rb").read()
before = peak_mb()
start = time.perf_counter()
response = client.post("/api/v1/replay", data=body, content_type="application/json")
size = sum(len(chunk) for chunk in response.response)  # the streamed answer, read to the end, as a client would
seconds = time.perf_counter() - start
assert response.status_code == 200, response.status_code
print(json.dumps({"seconds": round(seconds, 3), "peak_rss_mb": peak_mb(),
                  "rss_before_mb": before, "request_mb": round(len(body) / 1e6, 1), "response_mb": round(size / 1e6, 1)}))
"""


def api_memory(count: int = 10_000) -> dict[str, Any]:
    """Peak RSS of a fresh app process replaying ``count`` messages through the API."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        handle.write(_replay_body(corpus_json(count)))
    try:
        env = {**os.environ, "SECRET_KEY": "bench-only"}
        proc = subprocess.run(
            [sys.executable, "-c", _MEMORY_PROBE, handle.name],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            raise SystemExit(f"memory probe failed: {proc.stderr[-2000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        os.unlink(handle.name)


def cli_cost(count: int, runs: int) -> dict[str, Any]:
    """``python -m app.pintrk replay`` on ``count`` messages and on one (start-up), beside the
    same CLI entry point called in-process: the per-message costs should agree."""
    import io

    from app.pintrk import cli

    head = json.dumps({"id": "bench", "settings": SETTINGS, "initialTraits": INITIAL_TRAITS})[:-1]
    paths = {}
    for size in (1, count):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            handle.write(head + ', "messages": [' + ",".join(corpus_json(size)) + "]}")
            paths[size] = handle.name
    try:

        def run_cli(path: str) -> None:
            subprocess.run(
                [sys.executable, "-m", "app.pintrk", "replay", path],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )

        start_up = best_of(runs, lambda: run_cli(paths[1]))
        whole = best_of(runs, lambda: run_cli(paths[count]))
        in_process = best_of(runs, lambda: cli.main(["replay", paths[count]], stdout=io.StringIO()))
    finally:
        for path in paths.values():
            os.unlink(path)
    return {
        "messages": count,
        "seconds": round(whole, 3),
        "start_up_seconds": round(start_up, 3),
        "us_per_msg_minus_start_up": round((whole - start_up) / (count - 1) * 1e6, 1),
        "us_per_msg_in_process": round(in_process / count * 1e6, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and no 100k scaling step")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else 5
    report = {
        "mapping": mapping_throughput(10_000, runs),
        "scaling": scaling([1_000, 10_000] if args.quick else [1_000, 10_000, 100_000], runs),
        "requests": request_cost(20 if args.quick else 60),
        "api_10k_memory": api_memory(),
        "cli": cli_cost(10_000, 2 if args.quick else 3),
    }
    m = report["mapping"]
    print(
        f"mapping, {m['messages']} messages of {m['avg_kb']} KB: JSON round-trip floor {m['floor_msgs_per_s']} msg/s"
    )
    for name, row in m["profiles"].items():
        print(f"  {name:7} {row['msgs_per_s']:>7} msg/s   {row['ratio_to_floor']}x the floor")
    print(
        "scaling (docs):",
        ", ".join(f"{k}: {v['us_per_msg']} us/msg" for k, v in report["scaling"]["sizes"].items()),
    )
    for name, row in report["requests"].items():
        ratios = f"  {row['ratio_p50']}x minimal" if "ratio_p50" in row else ""
        if "ratio_p99" in row:
            ratios += f" (p99: {row['ratio_p99']}x)"
        print(f"  {name:34} p50 {row['p50_ms']:>8} ms  p99 {row['p99_ms']:>8} ms{ratios}")
    mem = report["api_10k_memory"]
    print(f"API replay of 10,000 messages: {mem['seconds']} s, peak RSS {mem['peak_rss_mb']} MB")
    c = report["cli"]
    print(
        f"python -m app.pintrk replay, {c['messages']} messages: {c['seconds']} s; start-up {c['start_up_seconds']} s; "
        f"{c['us_per_msg_minus_start_up']} us/msg after start-up, {c['us_per_msg_in_process']} us/msg in-process"
    )
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
