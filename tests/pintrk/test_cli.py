"""`python -m app.pintrk replay` and `flask pintrk replay`."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.pintrk.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, out, err)
    return status, out.getvalue(), err.getvalue()


def test_replays_the_conformance_file_in_its_format(conformance_path: Path) -> None:
    scenarios = json.loads(conformance_path.read_text())
    for profile in ("docs", "sdk-v1", "sdk-v3"):
        status, out, _ = run(["replay", str(conformance_path), "--profile", profile])
        assert status == 0
        lines = [json.loads(line) for line in out.split("\n") if line]  # not splitlines(): U+2028 is data
        assert [line["id"] for line in lines] == [s["id"] for s in scenarios]
        assert all(
            line["calls_json"] == s["expected"][profile]["calls_json"]
            for line, s in zip(lines, scenarios, strict=True)
        )
        assert set(lines[0]) == {"id", "calls_json", "requests", "console", "diagnostics"}


def test_single_scenario_with_a_call_script(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps(
            {
                "id": "identify-then-track",
                "settings": {"tagId": "2612345678901"},
                "calls": 'rudderanalytics.identify("u", {email: "Test@Emai.com"});\nrudderanalytics.track("Order Completed", {revenue: 5});',
            }
        )
    )
    status, out, _ = run(["replay", str(path)])
    assert status == 0
    [line] = [json.loads(text) for text in out.splitlines()]
    assert line["calls_json"][2:] == ['["set",{"em":"Test@Emai.com"}]', '["track","Checkout",{"value":5}]']
    beacon = line["requests"][-1]
    assert (beacon["path"], beacon["event"]) == ("/v3/", "Checkout")
    assert beacon["pd"]["em"] == hashlib.sha256(b"test@emai.com").hexdigest()
    assert [r["path"] for r in line["requests"]].count("/user/") == 2  # before the page and the track beacon
    assert any(d["code"] == "checkout-incomplete" for d in line["diagnostics"])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "line 1, column 2"),
        ('{"settings": {"tagId": 5}}', "scenario 1: settings.tagId: must be a string"),
        (
            '[{}, {"settings": {"eventsMapping": [{"from": "a", "to": 1}]}}]',
            "scenario 2: settings.eventsMapping[0].to: must be a string",
        ),
        ('{"calls": "rudderanalytics.track(userEmail)"}', "calls: line 1, column"),
        ('{"messages": {}}', "messages must be a list"),
        ('"just text"', "a scenario must be an object"),
        ('{"pintrk": {"load": 1}}', "pintrk must be a list of calls"),
        ('{"pintrk": [["load", "1"], "page"]}', "pintrk[1] must be a call written as a list"),
    ],
)
def test_bad_input_exits_2_with_what_and_where(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    status, out, err = run(["replay", str(path)])
    assert status == 2 and out == ""
    assert str(path) in err and words in err


def test_missing_file_and_bad_profile() -> None:
    status, _, err = run(["replay", "/nonexistent/file.json"])
    assert status == 2 and "cannot read the file" in err
    assert run(["replay", "x.json", "--profile", "nope"])[0] == 2


def test_module_entry_point(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"settings": {"tagId": "2612345678901"}, "messages": []}')
    proc = subprocess.run(
        [sys.executable, "-m", "app.pintrk", "replay", str(path), "--profile", "sdk-v3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["calls_json"] == ['["load","2612345678901"]', '["page"]']


def test_flask_command(runner, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"id": "a", "settings": {"tagId": "2612345678901"}}')
    result = runner.invoke(args=["pintrk", "replay", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["id"] == "a"
    bad = tmp_path / "bad.json"
    bad.write_text("[")
    result = runner.invoke(args=["pintrk", "replay", str(bad)])
    assert result.exit_code == 2


def test_pintrk_calls_replay_every_recorded_probe(tmp_path: Path) -> None:
    """QA's entry: {"id", "pintrk": [...]} goes straight to the tag; every probe of
    tag-runtime.json comes out as recorded (requests and console)."""
    from app.pintrk.jsvalue import loads
    from tests.conformance import comparable, load_vectors

    probes = load_vectors("tag-runtime.json")
    if not probes:
        pytest.skip("tag-runtime.json not found")
    path = tmp_path / "probes.json"
    # The probes' calls_json carry JS number semantics: write them into the file as they are.
    items = [f'{{"id": {json.dumps(p["id"])}, "pintrk": [{", ".join(p["calls_json"])}]}}' for p in probes]
    path.write_text("[" + ",\n".join(items) + "]")
    status, out, err = run(["replay", str(path)])
    assert status == 0, err
    lines = [json.loads(line) for line in out.split("\n") if line]
    assert [line["id"] for line in lines] == [p["id"] for p in probes]
    for line, probe in zip(lines, probes, strict=False):
        assert [loads(c) for c in line["calls_json"]] == [loads(c) for c in probe["calls_json"]]
        assert comparable(line["requests"]) == comparable(probe["requests"]), probe["id"]
        # The exact console text is checked in test_tag_conformance; here: the same messages, in order.
        recorded = [c["text"].partition("%s")[0] for c in probe["console"]]
        assert [m["text"][: len(r)] for m, r in zip(line["console"], recorded, strict=False)] == recorded
        assert len(line["console"]) == len(recorded)


def test_a_hybrid_scenario_line_has_the_server_path_and_the_dedup_check(tmp_path: Path) -> None:
    calls = (
        'rudderanalytics.identify("u", {email: "jane@example.com"});\n'
        'rudderanalytics.track("Order Completed", {revenue: 5, order_id: "o-1"});'
    )
    hybrid = {
        "tagId": "2612345678901",
        "connectionMode": {"web": "hybrid"},
        "advertiserId": "549760000000",
        "sendingUnHashedData": True,
    }
    scenarios = [
        {"id": "hybrid", "settings": hybrid, "calls": calls},
        {"id": "device", "settings": {"tagId": "2612345678901"}, "calls": calls},
    ]
    path = tmp_path / "both.json"
    path.write_text(json.dumps(scenarios))
    status, out, _ = run(["replay", str(path), "--profile", "sdk-v3"])
    assert status == 0
    hybrid_line, device_line = [json.loads(line) for line in out.split("\n") if line]
    assert set(device_line) == {"id", "calls_json", "requests", "console", "diagnostics"}
    assert list(hybrid_line) == ["id", "calls_json", "requests", "console", "diagnostics", "cloud", "dedup"]
    identify, order = hybrid_line["cloud"]
    assert identify["status"] == 400 and set(identify) == {"status", "error"}
    [request] = order["requests"]
    assert request["body"]["event_name"] == "checkout"
    assert request["body"]["user_data"]["em"] == [hashlib.sha256(b"jane@example.com").hexdigest()]
    dedup = hybrid_line["dedup"]
    assert [pair["verdict"] for pair in dedup["pairs"]] == ["not-sent", "deduplicated"]
    assert dedup["summary"] == "The event will be deduplicated"
    # The same event_id both ways: the browser's beacon and the server's request
    beacon = [r for r in hybrid_line["requests"] if r["path"] == "/v3/"][-1]
    assert beacon["ed"]["event_id"] == request["body"]["event_id"] == dedup["pairs"][1]["server"]["event_id"]


def test_a_server_path_over_the_budget_is_refused_before_any_output(tmp_path: Path) -> None:
    rows = [{"from": "Big", "to": f"E{i}"} for i in range(100)]
    message = {"type": "track", "event": "Big", "properties": {"items": list(range(20_000))}}
    cloud = {"advertiserId": "549760000000", "eventsMapping": rows}
    path = tmp_path / "big.json"
    path.write_text(
        json.dumps({"settings": {"tagId": "2612345678901"}, "cloudSettings": cloud, "messages": [message]})
    )
    status, out, err = run(["replay", str(path)])
    assert (status, out) == (2, "")
    assert "scenario 1: " in err and "eventsMapping rows that map the same event send it once per row" in err
