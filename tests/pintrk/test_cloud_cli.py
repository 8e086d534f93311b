"""`python -m app.pintrk cloud FILE [--batch]` and `flask pintrk cloud`, on RudderStack's recorded files."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.pintrk.cli import main
from app.pintrk.jsvalue import loads
from tests.conformance import load_vectors, missing_message, vector_file

ROOT = Path(__file__).resolve().parents[2]
CASES_FILE, ROUTER_FILE = vector_file("cloud/cases.json"), vector_file("cloud/router.json")


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, out, err)
    return status, out.getvalue(), err.getvalue()


def lines_of(out: str) -> list[Any]:
    return [loads(line) for line in out.split("\n") if line]  # not splitlines(): U+2028 is data


def needs(path: Path) -> None:
    if not path.is_file():
        pytest.skip(missing_message(path))


def test_every_processor_case_prints_its_expected_line() -> None:
    needs(CASES_FILE)
    cases = load_vectors("cloud/cases.json")
    status, out, err = run(["cloud", str(CASES_FILE)])
    assert (status, err) == (0, "")
    lines = lines_of(out)
    assert [line["id"] for line in lines] == [case["id"] for case in cases]
    for line, case in zip(lines, cases, strict=True):
        expected = case["expected"]
        assert line["status"] == expected["status"], case["id"]
        if expected["status"] == 200:
            assert set(line) == {"id", "status", "requests"}
            assert line["requests"] == (expected.get("requests") or [expected["request"]]), case["id"]
        else:
            assert line == {"id": case["id"], "status": expected["status"], "error": expected["error"]}


def test_every_router_case_prints_its_batches_then_its_failures() -> None:
    needs(ROUTER_FILE)
    cases = load_vectors("cloud/router.json")
    status, out, err = run(["cloud", str(ROUTER_FILE), "--batch"])
    assert (status, err) == (0, "")
    lines = lines_of(out)
    assert [line["id"] for line in lines] == [case["id"] for case in cases]
    for line, case in zip(lines, cases, strict=True):
        wanted = [
            {
                key: output[key]
                for key in ("batched", "status", "metadata", "request", "error")
                if key in output
            }
            for output in case["expected"]
        ]
        assert line["outputs"] == wanted, case["id"]


def test_one_case_from_standard_input_through_a_subprocess() -> None:
    case = {
        "id": "one",
        "destination_config": {"advertiserId": "549", "eventsMapping": []},
        "message": {"type": "identify", "channel": "web"},
    }
    proc = subprocess.run(
        [sys.executable, "-m", "app.pintrk", "cloud", "-"],
        input=json.dumps(case),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "id": "one",
        "status": 400,
        "error": "message type identify is not supported: Workflow: procWorkflow, Step: validateInput, "
        "ChildStep: undefined, OriginalError: message type identify is not supported",
    }


@pytest.mark.parametrize(
    ("content", "batch", "words"),
    [
        ("[{", False, "line 1, column 3"),
        ('"text"', False, "must be a list of cases"),
        ("[1]", False, '[0]: must be a case: {"id", "destination_config", "message"}'),
        ('[{"message": {}}]', False, "[0].destination_config: must be the destination's config"),
        ('[{"destination_config": {}, "message": 1}]', False, "[0].message: must be the RudderStack event"),
        (
            '[{"destination_config": {"eventsMapping": [{"to": 5}]}, "message": {}}]',
            False,
            "[0].destination_config.eventsMapping[0].to: must be a string",
        ),
        ('[{"events": {}}]', True, "[0].events: must be a list of events"),
        (
            '[{"events": [{"destination_config": {}, "message": {}}, 7]}]',
            True,
            "[0].events[1]: must be an event",
        ),
        ("[" * 150 + "]" * 150, False, "nested"),
    ],
)
def test_bad_input_exits_2_with_what_and_where(tmp_path: Path, content: str, batch: bool, words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    status, out, err = run(["cloud", str(path), *(["--batch"] if batch else [])])
    assert (status, out) == (2, "")
    assert err.startswith(f"error: {path}: ") and words in err, err


def test_too_many_cases_are_refused_before_any_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    import app.pintrk.cloud_cli as cloud_cli

    monkeypatch.setattr(cloud_cli, "CLI", replace(cloud_cli.CLI, messages=2))
    path = tmp_path / "many.json"
    path.write_text(json.dumps([{"destination_config": {}, "message": {}}] * 3))
    status, out, err = run(["cloud", str(path)])
    assert (status, out) == (2, "") and "more than 2 cases" in err


def test_flask_command(runner, tmp_path: Path) -> None:
    needs(ROUTER_FILE)
    result = runner.invoke(args=["pintrk", "cloud", str(ROUTER_FILE), "--batch"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.output.splitlines()] == [
        "router-00",
        "router-01",
        "router-02",
        "api-router-failure-test",
    ]
    bad = tmp_path / "bad.json"
    bad.write_text("[")
    assert runner.invoke(args=["pintrk", "cloud", str(bad)]).exit_code == 2
