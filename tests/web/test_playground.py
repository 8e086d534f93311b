"""The playground page without JavaScript: layout contract, actions, errors that keep input, exports."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from app.pintrk.calls import parse_call_script
from app.pintrk.presets import PRESETS
from app.pintrk.snippet import render_snippet
from app.web.state import PlaygroundState
from tests.web.pages import STATIC, soup_of

ERROR_SCRIPT = 'rudderanalytics.track("Fine");\nrudderanalytics.track(5);\nrudderanalytics.identify({email: "a@b.co"});\n'


# -- the empty state and the page's structure ------------------------------------


def test_empty_state_teaches_and_offers_one_example(playground) -> None:
    page = playground.get("/")
    results = page.soup.find("section", id="results")
    # updates are announced by #live-status, not by re-reading all of #results
    assert results is not None and not results.has_attr("aria-live")
    assert not results.has_attr("data-permalink")
    assert not page.soup.select("tr.log-row")
    buttons = results.select("a.button, button")
    assert len(buttons) == 1
    assert buttons[0].get_text(strip=True) == "Try: identify then track"
    assert buttons[0]["href"] == "/?preset=identify-then-track"
    assert page.soup.find(id="copy-link")["aria-disabled"] == "true"


def test_form_contract(playground) -> None:
    page = playground.get("/")
    form = page.soup.find("form", id="playground-form")
    assert form["method"] == "post" and form["action"] == "/"
    assert form["data-render-url"] == "/render"
    assert form.find("input", attrs={"name": "csrf_token"}) is not None
    # An ES module: deferred like the classic script it replaced, so it runs after the page is parsed.
    script = page.soup.find("script", src=f"{STATIC}/js/playground/main.js")
    assert script is not None and script.get("type") == "module"
    # The default button (Enter in a text field) runs the scenario.
    first_submit = page.soup.select('button[type="submit"]')[0]
    assert first_submit["value"] == "run" and first_submit["form"] == "playground-form"


@pytest.mark.parametrize(
    "field",
    [
        "__all__",
        "tag_id",
        "profile",
        "enhanced_match",
        "send_as_custom_event",
        "deduplication_key",
        "mappings",
        "custom_properties",
        "settings_json",
        "calls",
        "initial_traits",
        "preset",
        "builder_event",
        "builder_data",
    ],
)
def test_every_field_has_an_error_container(playground, field: str) -> None:
    container = playground.get("/").soup.find(attrs={"data-error-for": field})
    assert container is not None
    assert container.name == "p" and "field-error" in container["class"]
    assert container["id"] == f"error-{field}"
    assert container.has_attr("hidden") and not container.get_text(strip=True)


def test_profile_options_explain_themselves(playground) -> None:
    page = playground.get("/")
    options = page.soup.select('input[name="profile"]')
    assert [o["value"] for o in options] == ["docs", "sdk-v1", "sdk-v3"]
    for option in options:
        summary = page.soup.find(id=option["aria-describedby"])
        assert summary is not None and len(summary.get_text(strip=True)) > 20


def test_explanations_are_next_to_their_settings(playground) -> None:
    text = playground.get("/").soup.get_text(" ")
    assert "Send the stored user's e-mail with load()" in text
    assert "SDK v3 only: unmapped events go out as “Custom”" in text
    assert "properties.order_id" in text and "empty = messageId" in text
    assert "traits already stored for a returning visitor".lower() in text.lower()


def test_mapping_target_suggests_the_standard_events(playground) -> None:
    page = playground.get("/?preset=lead")
    target = page.soup.find("input", attrs={"name": "mappings-0-target"})
    assert target["value"] == "Lead" and target["list"] == "pinterest-events"
    options = [o["value"] for o in page.soup.find("datalist", id="pinterest-events").find_all("option")]
    assert options == [
        "Checkout",
        "AddToCart",
        "PageVisit",
        "SignUp",
        "WatchVideo",
        "Lead",
        "Search",
        "ViewCategory",
        "Custom",
    ]


# -- the results: log, timeline, diagnostics, snippet ------------------------------


def test_log_rows_follow_the_contract(playground) -> None:
    page = playground.get("/")
    result_page = playground.submit(page, "run", {"tag_id": "2612345678901", "calls": ERROR_SCRIPT})
    outcome = PlaygroundState({"tagId": "2612345678901"}, "docs", ERROR_SCRIPT, "").run()
    rows = result_page.soup.select("tr.log-row")
    assert len(rows) == len(outcome.result.entries)
    command_index = 0
    for i, (row, entry) in enumerate(zip(rows, outcome.result.entries, strict=False)):
        assert row["id"] == f"entry-{i}" and row["data-entry"] == str(i)
        assert row["data-calls-json"] == entry.to_json()
        status = row.select_one("td.log-status")
        assert status["data-status"] == "expected"
        if hasattr(entry, "method"):
            assert row["data-kind"] == "command"
            assert row["data-command-index"] == str(command_index)
            command_index += 1
        else:
            assert row["data-kind"] == "error"
            assert not row.has_attr("data-command-index")
            assert "log-error" in row["class"]
            assert "event.toLowerCase is not a function" in row.get_text()
    kinds = [row["data-kind"] for row in rows]
    assert kinds == ["command", "command", "command", "error", "command"]


def test_rows_say_where_they_came_from(playground) -> None:
    page = playground.get("/?preset=identify-then-track")
    origins = [
        row.select_one("td.origin").get_text(" ", strip=True) for row in page.soup.select("tr.log-row")
    ]
    assert origins[0] == "initialisation" and origins[1] == "initialisation"
    assert origins[2].startswith("line 1") and 'rudderanalytics.identify("sample_user_id", …)' in origins[2]
    assert origins[3].startswith("line 2") and 'rudderanalytics.track("Order Completed", …)' in origins[3]
    assert page.soup.select("tr.log-row")[3].select_one("td.origin a")["href"] == "#call-1"


def test_arguments_fold_as_pretty_json(playground) -> None:
    page = playground.get("/?preset=custom-properties")
    details = page.soup.select("tr.log-row")[-1].select_one("td.args details")
    pretty = details.select_one("pre.json").get_text()
    assert json.loads(pretty) == [
        "Event",
        {"customProperty.customValue": "2", "someRandomMailId": "user@gmail.com"},
    ]
    assert "\n  " in pretty


def test_timeline_shows_calls_commands_and_requests(playground) -> None:
    page = playground.get("/?preset=identify-then-track")
    steps = page.soup.select("ol.timeline > li.step")
    assert [s["id"] for s in steps] == ["initialisation", "call-0", "call-1"]
    identify = steps[1]
    assert identify.select_one(".step-method").get_text() == "identify"
    assert "set {em}" in identify.get_text() and "no request" in identify.get_text()
    track = steps[2]
    assert "track Checkout" in track.get_text() and "beacon: Checkout" in track.get_text()
    assert track.select_one(".badge").get_text() == "em"
    for link in page.soup.select("ol.timeline a"):
        assert page.soup.find(id=link["href"][1:]) is not None


def test_diagnostics_link_to_what_they_concern(playground) -> None:
    page = playground.get("/")
    result = playground.submit(
        page,
        "run",
        {
            "tag_id": "123",
            "calls": 'rudderanalytics.track("custom");\nrudderanalytics.track(5);',
            "mappings-0-source": "a",
            "mappings-0-target": "checkout",
        },
    )
    findings = result.soup.select("ul.findings li.finding")
    assert findings
    for finding in findings:
        severity = [c for c in finding["class"] if c.startswith("sev-")][0]
        assert (
            finding.select_one(".symbol").get_text()
            == {"sev-error": "✕", "sev-warning": "!", "sev-info": "i"}[severity]
        )
        for link in finding.select("a"):
            assert result.soup.find(id=link["href"][1:]) is not None, link["href"]
    hrefs = {a["href"] for a in result.soup.select("ul.findings a")}
    assert "#field-tag_id" in hrefs and "#field-mappings-0" in hrefs
    assert any(h.startswith("#entry-") for h in hrefs) and any(h.startswith("#call-") for h in hrefs)


def test_no_findings_says_so_with_a_tick(playground) -> None:
    page = playground.get("/?preset=page-view-category")
    assert "✓" in page.soup.find(id="diagnostics").find_next("p").get_text()


def test_snippet_and_preview(playground) -> None:
    page = playground.get("/?preset=identify-then-track")
    outcome = PlaygroundState.from_token(page.soup.find(id="results")["data-permalink"][4:]).run()
    snippet = page.soup.find("pre", id="snippet")
    assert snippet.get_text() == render_snippet(outcome.result.entries)
    copy = page.soup.find(attrs={"data-copy-target": "snippet"})
    assert copy.name == "button" and copy["type"] == "button"
    frame = page.soup.find("iframe", id="live-preview")
    assert frame.get_attribute_list("sandbox") == ["allow-scripts"]
    assert frame["src"].startswith("/preview?s=1.")
    assert frame["title"] == "Live preview: the generated tag running against a local recorder"
    assert page.soup.find(id="results")["data-preview-url"] == frame["src"]
    download = page.soup.find("a", string=re.compile("Download as .html"))
    assert download["href"].startswith("/download?s=1.")


# -- errors keep every input --------------------------------------------------------


def _filled(playground):
    page = playground.get("/?preset=lead")
    return playground.submit(
        page,
        "run",
        {
            "tag_id": "2612345678901 ",
            "profile": "sdk-v1",
            "enhanced_match": True,
            "deduplication_key": "properties.order_id",
            "initial_traits": '{"email": "jane@example.com"}',
            "builder_event": "Keep me",
        },
    )


def _assert_kept(page, before, *, except_=()) -> None:
    for name, value in before.fields.items():
        if name != "csrf_token" and name not in except_:
            assert page.value(name) == value, name


def _submit_bad(playground, action: str, field: str, value: str):
    """Submit a filled form with a bad ``field``: the value comes back as typed, the rest unchanged."""
    before = _filled(playground)
    after = playground.submit(before, action, {field: value})
    assert after.response.status_code == 200
    assert after.value(field) == value
    _assert_kept(after, before, except_=(field,))
    return after


def test_pasted_config_with_a_wrong_type_changes_nothing(playground) -> None:
    config = '{\n  "tagId": 2612345678901,\n  "enhancedMatch": false\n}'
    after = _submit_bad(playground, "fill-from-config", "settings_json", config)
    assert "tagId" in after.error("settings_json") and "text in quotes" in after.error("settings_json")


def test_pasted_config_that_is_not_json_says_where(playground) -> None:
    config = '{"tagId": "1",\n "eventsMapping": [}'
    after = _submit_bad(playground, "fill-from-config", "settings_json", config)
    assert after.error("settings_json").startswith("Line 2, column ")
    assert after.soup.find(id="field-settings_json").has_attr("open")


def test_pasted_config_fills_every_setting(playground) -> None:
    before = _filled(playground)
    config = json.dumps(
        {
            "config": {
                "tagId": "1234567890123",
                "enhancedMatch": False,
                "sendAsCustomEvent": True,
                "deduplicationKey": "messageId",
                "customProperties": [{"properties": "a.b"}],
                "eventsMapping": [{"from": "x", "to": "Lead"}, {"from": "y", "to": "SignUp"}],
                "useNativeSDK": {"web": True},
            }
        }
    )
    after = playground.submit(before, "fill-from-config", {"settings_json": config})
    assert not after.error("settings_json")
    fields = after.fields
    assert fields["tag_id"] == "1234567890123" and "enhanced_match" not in fields
    assert fields["send_as_custom_event"] == "y" and fields["deduplication_key"] == "messageId"
    assert fields["custom_properties-0-path"] == "a.b"
    assert (fields["mappings-1-source"], fields["mappings-1-target"]) == ("y", "SignUp")
    assert json.loads(fields["extra_settings"]) == {"useNativeSDK": {"web": True}}
    assert "useNativeSDK" in after.soup.get_text()
    # The scenario and the profile are untouched.
    assert fields["calls"] == before.value("calls") and fields["profile"] == "sdk-v1"
    assert after.value("settings_json") == config


def test_bad_initial_traits_show_line_and_column(playground) -> None:
    traits = '{\n  "email": "jane@example.com",\n}'
    after = _submit_bad(playground, "run", "initial_traits", traits)
    assert after.error("initial_traits").startswith("Line 3, column 1:")
    assert not after.soup.select("tr.log-row")
    blocked = after.soup.select_one(".results-blocked")
    assert blocked.find("a", href="#field-initial_traits") is not None


def test_initial_traits_must_be_an_object(playground) -> None:
    after = playground.submit(_filled(playground), "run", {"initial_traits": '["jane@example.com"]'})
    assert "object" in after.error("initial_traits")


def test_call_script_error_shows_line_and_column(playground) -> None:
    script = 'rudderanalytics.track("a");\nrudderanalytics.track("b", {x: 1,, });\n'
    after = _submit_bad(playground, "run", "calls", script)
    assert re.match(r"Line 2, column \d+: ", after.error("calls"))
    assert after.soup.find("textarea", id="calls")["aria-invalid"] == "true"


def test_a_call_the_sdk_refuses_names_its_line(playground) -> None:
    after = playground.submit(
        _filled(playground), "run", {"calls": '\n\nrudderanalytics.track("x", "not an object")'}
    )
    assert after.error("calls").startswith("Line 3:")


def test_csrf_failure_is_a_friendly_400_that_keeps_the_input(client: FlaskClient) -> None:
    response = client.post(
        "/", data={"calls": "rudderanalytics.track('kept');", "tag_id": "99", "action": "run"}
    )
    assert response.status_code == 400
    soup = soup_of(response)
    assert "security token" in soup.select_one(".notice").get_text()
    assert soup.find("textarea", id="calls").get_text().strip() == "rudderanalytics.track('kept');"
    assert soup.find("input", id="tag_id")["value"] == "99"


def test_csrf_failure_elsewhere_is_a_friendly_400(client: FlaskClient) -> None:
    response = client.post("/export", data={"calls": ""})
    assert response.status_code == 400
    soup = soup_of(response)
    assert "security token" in soup.get_text() and soup.find("a", href="/") is not None


# -- editing the form without JavaScript ----------------------------------------------


def test_add_and_remove_mapping_rows(playground) -> None:
    page = playground.get("/")
    one = playground.submit(page, "add-mapping")
    assert one.value("mappings-0-source") == "" and one.value("mappings-0-target") == ""
    two = playground.submit(one, "add-mapping", {"mappings-0-source": "First", "mappings-0-target": "Lead"})
    three = playground.submit(
        two, "add-mapping", {"mappings-1-source": "Second", "mappings-1-target": "SignUp"}
    )
    three = playground.submit(three, "run", {"mappings-2-source": "Third", "mappings-2-target": "Custom"})
    assert [three.value(f"mappings-{i}-source") for i in range(3)] == ["First", "Second", "Third"]
    removed = playground.submit(three, "remove-mapping-1")
    fields = removed.fields
    assert [fields.get(f"mappings-{i}-source") for i in range(3)] == ["First", "Third", None]
    assert fields["mappings-1-target"] == "Custom"
    assert (
        removed.soup.find("button", attrs={"value": "remove-mapping-1"})["aria-label"]
        == "Remove mapping row 2"
    )


def test_mapping_rows_drive_the_mapping(playground) -> None:
    page = playground.submit(playground.get("/"), "add-mapping")
    run = playground.submit(
        page,
        "run",
        {
            "tag_id": "2612345678901",
            "mappings-0-source": "Newsletter",
            "mappings-0-target": "Lead",
            "calls": 'rudderanalytics.track("Newsletter")',
        },
    )
    assert json.loads(run.calls_json()[-1]) == ["track", "Lead", {}]


def test_add_and_remove_custom_properties(playground) -> None:
    page = playground.submit(playground.get("/"), "add-property")
    page = playground.submit(page, "add-property", {"custom_properties-0-path": "a.b"})
    page = playground.submit(page, "run", {"custom_properties-1-path": "c"})
    assert page.value("custom_properties-0-path") == "a.b" and page.value("custom_properties-1-path") == "c"
    page = playground.submit(page, "remove-property-0")
    assert page.value("custom_properties-0-path") == "c" and "custom_properties-1-path" not in page.fields


def test_removing_a_row_that_is_not_there_changes_nothing(playground) -> None:
    page = playground.get("/?preset=lead")
    after = playground.submit(page, "remove-mapping-7")
    assert after.value("mappings-0-target") == "Lead"


# -- the call builder -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "method", "args"),
    [
        (
            {
                "builder_method": "track",
                "builder_event": 'Order "Completed" </script>',
                "builder_data": 'revenue=20\ncurrency=USD\norder_id="0042"\ngift=true',
            },
            "track",
            (
                'Order "Completed" </script>',
                {"revenue": 20, "currency": "USD", "order_id": "0042", "gift": True},
            ),
        ),
        (
            {
                "builder_method": "page",
                "builder_name": "Shoes",
                "builder_category": "Catalogue",
                "builder_data": '{"path": "/shoes"}',
            },
            "page",
            ("Catalogue", "Shoes", {"path": "/shoes"}),
        ),
        ({"builder_method": "page", "builder_name": "Home"}, "page", ("Home",)),
        (
            {
                "builder_method": "identify",
                "builder_user_id": "u-1",
                "builder_data": "email=jane@example.com",
            },
            "identify",
            ("u-1", {"email": "jane@example.com"}),
        ),
        (
            {"builder_method": "identify", "builder_data": "email = jane@example.com"},
            "identify",
            ({"email": "jane@example.com"},),
        ),
    ],
)
def test_call_builder_appends_a_line_that_parses_back(playground, changes, method, args) -> None:
    page = playground.get("/?preset=track-me")
    before = page.value("calls")
    after = playground.submit(page, "add-call", changes)
    calls = after.value("calls")
    assert calls.startswith(before)
    added = calls[len(before) :]
    assert added.endswith("\n") and added.count("\n") == 1
    [call] = parse_call_script(added)
    assert (call.method, call.args) == (method, args)
    assert "Added to the scenario" in after.soup.select_one(".notice").get_text()
    for name, value in changes.items():  # the builder keeps its input for the next call
        assert after.value(name) == value
    assert len(after.soup.select("tr.log-row")) > len(page.soup.select("tr.log-row"))


def test_call_builder_adds_a_line_break_when_missing(playground) -> None:
    page = playground.get("/")
    after = playground.submit(page, "add-call", {"calls": "rudderanalytics.page()", "builder_event": "X"})
    assert after.value("calls") == 'rudderanalytics.page()\nrudderanalytics.track("X");\n'


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"builder_method": "track", "builder_event": "  "}, "builder_event", "name"),
        ({"builder_method": "page", "builder_category": "Cat"}, "builder_name", "page name"),
        ({"builder_method": "identify"}, "builder_user_id", "user ID"),
        (
            {"builder_method": "track", "builder_event": "X", "builder_data": '{"a": }'},
            "builder_data",
            "Line 1, column",
        ),
        (
            {"builder_method": "track", "builder_event": "X", "builder_data": "just words"},
            "builder_data",
            "key=value",
        ),
    ],
)
def test_call_builder_errors_sit_next_to_their_field(playground, changes, field, words) -> None:
    page = playground.get("/?preset=track-me")
    after = playground.submit(page, "add-call", changes)
    assert words in after.error(field)
    assert after.value("calls") == page.value("calls")
    for name, value in changes.items():
        assert after.value(name) == value
    assert after.soup.find(id="field-builder").has_attr("open")


# -- /render, /export, /download ------------------------------------------------------


def test_render_returns_the_results_partial(playground, client: FlaskClient) -> None:
    page = playground.get("/?preset=identify-then-track")
    data = dict(playground.form_data(page))
    response = client.post("/render", data=data)
    assert response.status_code == 200 and response.is_json
    body = response.get_json()
    assert set(body) == {
        "ok",
        "has_result",
        "stale_reason",
        "results_html",
        "errors",
        "notes",
        "permalink",
        "preview_url",
    }
    assert body["ok"] is True and body["errors"] == {}
    assert body["has_result"] is True and body["stale_reason"] is None
    assert body["permalink"].startswith("/?s=1.") and body["preview_url"] == body["permalink"].replace(
        "/?s=", "/preview?s="
    )
    partial = BeautifulSoup(body["results_html"], "html.parser")
    assert partial.find("section") is None  # the inside of #results only
    assert [row["data-calls-json"] for row in partial.select("tr.log-row")] == page.calls_json()


def test_render_reports_input_errors_with_200(playground, client: FlaskClient) -> None:
    page = playground.get("/")
    data = dict(playground.form_data(page, {"calls": "rudderanalytics.track(", "initial_traits": "nope"}))
    body = client.post("/render", data=data).get_json()
    assert body["ok"] is False
    assert set(body["errors"]) == {"calls", "initial_traits"}
    assert body["errors"]["calls"][0].startswith("Line 1, column ")
    assert body["preview_url"] is None and body["permalink"].startswith("/?s=")
    assert "Nothing was run" in body["results_html"]
    # What the page says when it keeps the last result on screen: the first problem, where it is.
    assert body["has_result"] is False
    assert body["stale_reason"].startswith(("SDK calls: Line 1, column ", "Initial traits: Line 1, column 1"))
    assert body["stale_reason"].endswith("(and 1 more)")


def test_render_accepts_the_csrf_header(playground, client: FlaskClient) -> None:
    page = playground.get("/?preset=track-me")
    data = dict(playground.form_data(page))
    token = data.pop("csrf_token")
    response = client.post("/render", data=data, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json()["ok"] is True


def test_render_refuses_a_missing_token_or_a_non_form_body(
    playground, client: FlaskClient, csrf_token
) -> None:
    response = client.post("/render", data={"calls": ""})
    assert response.status_code == 400 and response.is_json and response.get_json()["ok"] is False
    token = csrf_token("/")
    response = client.post("/render", json={"calls": ""}, headers={"X-CSRFToken": token})
    assert response.status_code == 400 and response.get_json()["ok"] is False


def test_export_is_a_json_download_of_the_log(playground, client: FlaskClient) -> None:
    page = playground.get("/?preset=identify-then-track")
    token = page.soup.find(id="results")["data-permalink"][4:]
    export_link = page.soup.find("a", string=re.compile("Export log"))
    assert export_link["href"] == f"/export?s={token}"
    response = client.get(export_link["href"])
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="pintrk-log.json"'
    log = json.loads(response.text)
    outcome = PlaygroundState.from_token(token).run()
    assert log["profile"] == "docs"
    assert log["settings"]["tagId"] == "2612345678901"
    assert log["calls_json"] == outcome.result.calls_json
    assert [c["calls_json"] for c in log["commands"]] == outcome.result.calls_json
    assert log["commands"][2] == {
        "entry": 2,
        "call": 0,
        "line": 1,
        "method": "set",
        "args": [{"em": "test@emai.com"}],
        "calls_json": '["set",{"em":"test@emai.com"}]',
    }
    beacons = [r for r in log["requests"] if r["path"] == "/v3/"]
    assert [b["event"] for b in beacons] == ["init", "Checkout"]
    assert beacons[1]["pd"]["em"] == outcome.result.beacons[1].pd["em"]
    assert [r["path"] for r in log["requests"]] == ["/user/", "/v3/", "/user/", "/v3/"]
    assert log["diagnostics"] == [f.to_dict() for f in outcome.result.diagnostics]
    assert log["errors"] == {}


def test_export_from_the_header_posts_the_current_form(playground, client: FlaskClient) -> None:
    page = playground.get("/?preset=track-me")
    button = page.soup.find("button", formaction="/export")
    assert button["form"] == "playground-form" and button["formmethod"] == "post"
    data = dict(playground.form_data(page, {"calls": "rudderanalytics.track('Edited');"}))
    log = json.loads(client.post("/export", data=data).text)
    assert log["calls_json"][-1] == '["track","Edited",{}]'


def test_export_keeps_input_errors(playground, client: FlaskClient) -> None:
    state = PlaygroundState({"tagId": "1"}, "docs", "rudderanalytics.track(", "")
    log = json.loads(client.get(f"/export?s={state.to_token()}").text)
    assert log["commands"] == [] and "calls" in log["errors"]


def test_export_handles_an_absent_tag_id(client: FlaskClient) -> None:
    state = PlaygroundState({}, "docs", "rudderanalytics.track('x')", "")
    log = json.loads(client.get(f"/export?s={state.to_token()}").text)
    assert log["calls_json"][0] == '["load",""]'  # as recorded (fuzz-scenarios.json)
    assert log["commands"][0]["args"] == [""]


def test_download_is_an_html_page_with_the_snippet(playground, client: FlaskClient) -> None:
    page = playground.get("/?preset=ecommerce-funnel")
    href = page.soup.find("a", string=re.compile("Download as .html"))["href"]
    response = client.get(href)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Disposition"] == 'attachment; filename="pintrk-tag.html"'
    assert response.text.startswith("<!doctype html>")
    assert page.soup.find("pre", id="snippet").get_text() in response.text


def test_download_of_a_broken_scenario_explains(client: FlaskClient) -> None:
    state = PlaygroundState({"tagId": "1"}, "docs", "rudderanalytics.track(", "")
    response = client.get(f"/download?s={state.to_token()}")
    assert response.status_code == 400 and "errors" in response.text


# -- error pages ----------------------------------------------------------------------


def test_not_found_page(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    soup = soup_of(response)
    assert soup.find("h1").get_text() and soup.find("a", href="/") is not None


def test_method_not_allowed_page(client: FlaskClient) -> None:
    response = client.get("/render")
    assert response.status_code == 405
    response = client.delete("/")
    assert response.status_code == 405 and soup_of(response).find("a", href="/") is not None


def test_too_large_page_states_the_limit(client: FlaskClient, csrf_token) -> None:
    token = csrf_token("/")
    response = client.post("/", data={"csrf_token": token, "calls": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    text = soup_of(response).get_text()
    assert "2 MB" in text and soup_of(response).find("a", href="/") is not None


def test_lone_surrogates_never_break_a_page(playground) -> None:
    state = PlaygroundState(
        {"tagId": "1"},
        "docs",
        'rudderanalytics.track("\\ud800", {video_title: "\\udc00"})',
        '{"email": "\\ud800"}',
    )
    page = playground.get(f"/?s={state.to_token()}")
    assert page.response.status_code == 200
    assert json.loads(page.calls_json()[-1])[1] == "\ud800"


# -- nothing on any page reaches out to Pinterest (or anywhere else) --------------------


PAGES = ["/", "/no-such-page", "/?s=broken"] + [f"/?preset={p.id}" for p in PRESETS]


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_other_sites(client: FlaskClient, path: str) -> None:
    soup = soup_of(client.get(path))
    for tag, attribute in (
        ("script", "src"),
        ("img", "src"),
        ("link", "href"),
        ("iframe", "src"),
        ("source", "src"),
    ):
        for element in soup.find_all(tag):
            url = element.get(attribute)
            if url is not None:
                assert not urlsplit(url).netloc and not url.startswith("//"), f"<{tag} {attribute}={url}>"
    # Pinterest's hosts appear only as text: inside the snippet and the decoded request URLs.
    for element in soup.find_all(string=re.compile(r"pinimg\.com|pinterest\.com")):
        assert (
            element.find_parent(id="snippet")
            or element.find_parent(class_="url")
            or element.find_parent("p", class_="header-note")
        ), element


@pytest.mark.parametrize(
    "path", ["/", "/?preset=identify-then-track", "/?preset=ecommerce-funnel", "/?s=broken"]
)
def test_pages_are_ready_for_a_strict_csp(client: FlaskClient, path: str) -> None:
    soup = soup_of(client.get(path))
    assert all(script.get("src") for script in soup.find_all("script")), "inline <script>"
    assert not soup.find_all("style"), "inline <style>"
    for element in soup.find_all(True):
        assert "style" not in element.attrs, element.name
        assert not [a for a in element.attrs if a.startswith("on")], element.name


def test_results_html_escapes_what_the_user_typed(playground) -> None:
    page = playground.get("/")
    evil = "<img src=x onerror=alert(1)>"
    after = playground.submit(
        page, "run", {"tag_id": evil, "calls": f"rudderanalytics.track({json.dumps(evil)})"}
    )
    assert after.soup.find("img") is None
    assert after.value("tag_id") == evil


def test_healthz(client: FlaskClient) -> None:
    assert client.get("/healthz").text == "ok"


def test_app_fixture_is_testing(app: Flask) -> None:
    assert app.config["WTF_CSRF_ENABLED"]


@pytest.mark.parametrize(
    "changes",
    [
        {"profile": "sdk-v9"},
        {"extra_settings": '{"a": NaN}'},
        {"extra_settings": "[" * 5000},
        {"extra_settings": '{"tagId": 5, "ok": 1}'},
        {"mappings-0-source": "only a source"},
        {"missing": "tagId deduplicationKey", "tag_id": ""},
    ],
)
def test_odd_posts_never_break_the_page(playground, changes) -> None:
    page = playground.get("/?preset=track-me")
    after = playground.submit(page, "run", changes)
    assert after.response.status_code == 200
    if "profile" in changes:
        assert "Choose a behaviour profile" in after.error("profile")
    else:
        assert after.soup.select("tr.log-row")


def test_a_post_with_only_a_token_says_there_is_nothing_to_run(client: FlaskClient, csrf_token) -> None:
    response = client.post("/", data={"csrf_token": csrf_token("/")})
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select("tr.log-row") == []
    assert "There are no SDK calls" in soup.select_one("#results #nothing-to-run").get_text()


# -- the tag alone: pintrk calls as the scenario ------------------------------------------------

PINTRK_CALLS = json.dumps(
    [
        ["load", "2612345678901", {"em": " Jane@Example.com "}],
        ["page"],
        ["setConsent", False],
        ["track", "Lead"],
        ["setConsent", True],
        ["track", "Checkout", {"value": "10", "contact": "jane@example.com"}],
    ]
)


def test_pintrk_calls_are_a_third_scenario_source(playground) -> None:
    page = playground.submit(playground.get(), "use-pintrk", {"pintrk": PINTRK_CALLS})
    assert page.response.status_code == 200
    assert page.value("scenario_source") == "pintrk"
    assert "Scenario source: pintrk calls" in page.soup.select_one(".notice").get_text()
    shown = [
        p["data-source-panel"] for p in page.soup.select("[data-source-panel]") if not p.has_attr("hidden")
    ]
    assert shown == ["pintrk"]
    assert page.calls_json() == [json.dumps(c, separators=(",", ":")) for c in json.loads(PINTRK_CALLS)]
    # Every request of the tag, labelled: the configuration request and the beacon, case kept.
    beacons = page.soup.select("tr.log-beacon details.beacon")
    assert [d["data-path"] for d in beacons] == ["/user/", "/v3/", "/user/", "/v3/"]
    assert "event=Checkout" in beacons[-1].summary.get_text()
    checkout = beacons[-1].get_text(" ", strip=True)
    assert "Tag ID ( tid )" in checkout and "hashed email ( em )" in checkout and "simulated" in checkout
    # The withdrawn consent is explained on the track that sent nothing.
    findings = page.soup.select_one("ul.findings").get_text(" ", strip=True)
    assert "setConsent() at log row 3 withdrew consent" in findings
    # The calls survive a link.
    link = page.soup.select_one("#copy-link")["data-permalink"]
    again = playground.get(urlsplit(link).path + "?" + urlsplit(link).query)
    assert again.value("pintrk") == PINTRK_CALLS and again.value("scenario_source") == "pintrk"
    assert again.calls_json() == page.calls_json()
    # and a reproduction file: saved, then opened on a blank page, it gives the same log.
    saved = playground.client.get(f"/reproduction?{urlsplit(link).query}")
    assert saved.status_code == 200 and json.loads(saved.text)["pintrk"] == json.loads(PINTRK_CALLS)
    opened = playground.submit(playground.get(), "open-reproduction", {"reproduction_text": saved.text})
    assert (
        opened.value("scenario_source") == "pintrk"
        and "6 pintrk calls for the tag alone" in opened.soup.select_one(".notice").get_text()
    )
    assert opened.calls_json() == page.calls_json()


def test_the_tags_own_console_lines_show_on_their_row(playground) -> None:
    calls = json.dumps([["load", "2612345678901"], ["load", "2619999999999"], ["track", "Newsletter"]])
    page = playground.submit(playground.get(), "use-pintrk", {"pintrk": calls})
    rows = page.soup.select("tr.log-row")
    assert "Previously for tag id '2612345678901', now for tag id '2619999999999'" in rows[1].get_text()
    assert "'Newsletter' is not a standard event name" in rows[2].get_text()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[["load", "2612345678901"],\n ["page"', "Line 2, column"),
        ('{"load": 1}', "pintrk must be a list of calls"),
        ('[["load", "1"], "page"]', "pintrk[1] must be a call written as a list"),
    ],
)
def test_bad_pintrk_calls_are_refused_beside_the_field_and_kept(playground, text: str, words: str) -> None:
    page = playground.submit(playground.get(), "use-pintrk", {"pintrk": text})
    assert page.response.status_code == 200
    assert words in page.error("pintrk")
    assert page.value("pintrk") == text


def test_pintrk_calls_with_an_unknown_profile_still_run(playground) -> None:
    """pintrk calls go to the tag as they are: a forged or stale profile is not a 500."""
    page = playground.submit(playground.get(), "use-pintrk", {"pintrk": PINTRK_CALLS, "profile": "nope"})
    assert page.response.status_code == 200
    assert page.calls_json() == [json.dumps(c, separators=(",", ":")) for c in json.loads(PINTRK_CALLS)]
    assert page.value("pintrk") == PINTRK_CALLS
