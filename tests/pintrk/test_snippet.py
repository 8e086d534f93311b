"""The generated snippet stays valid JavaScript and can't break out of <script>."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from app.pintrk import Scenario, parse_settings, replay
from app.pintrk.snippet import PINTEREST_CORE_JS, render_page, render_script, render_snippet, script_json

HOSTILE = [
    "</script><script>window.__xss()</script>",
    "</SCRIPT >",
    "<!--",
    "<!-- <script>",
    "-->",
    "\"'`\\",
    "\\u2028",
    "line\u2028separator\u2029paragraph",
    "${window.__xss()}",
    "{{7*7}}",
    "\x00\x07\x1b",
    "bad\ud800surrogate",
    "]]>",
    "');window.__xss();//",
    '");window.__xss();//',
    "<img src=x onerror=window.__xss()>",
]

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is needed for `node --check`")


def hostile_result(text: str):
    settings = parse_settings(
        {
            "tagId": text,
            "enhancedMatch": True,
            "customProperties": [{"properties": text}],
            "eventsMapping": [{"from": text, "to": text}],
        }
    )
    messages = (
        {
            "type": "track",
            "event": text,
            "properties": {text: text, "order_id": text, "products": [{"name": text}]},
            "messageId": text,
        },
        {"type": "page", "name": text, "category": text, "properties": {}, "messageId": "m2"},
        {"type": "identify", "messageId": "m3", "context": {"traits": {"email": text}}},
        {"type": "track", "event": 5, "properties": {}, "messageId": "m4"},  # an error entry
    )
    return replay(Scenario(settings, {"email": text}, messages), "sdk-v3")


def node_check(source: str) -> None:
    proc = subprocess.run(
        ["node", "--check", "-"], input=source.encode("utf-8", "surrogatepass"), capture_output=True
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")


def inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, flags=re.S)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_values_stay_data(text: str) -> None:
    entries = hostile_result(text).entries
    snippet = render_snippet(entries)
    [script] = inline_scripts(snippet)  # exactly one script: nothing broke out
    assert "<!--" not in script and "</script" not in script.lower()
    assert "\u2028" not in script and "\u2029" not in script
    node_check(script)
    node_check(render_script(entries, loader_url=text))
    page = render_page(entries, title=text)
    assert len(inline_scripts(page)) == 1


def test_snippet_has_base_code_calls_and_noscript() -> None:
    settings = parse_settings({"tagId": "2612345678901", "enhancedMatch": True})
    result = replay(Scenario(settings, {"email": "a@b.c"}, ()))
    snippet = render_snippet(result.entries)
    assert PINTEREST_CORE_JS in snippet
    assert 'pintrk("load", "2612345678901", {"em":"a@b.c"});' in snippet
    assert 'pintrk("page");' in snippet
    assert "<noscript>" in snippet and "event=init&amp;tid=2612345678901&amp;pd[em]=" in snippet
    node_check(inline_scripts(snippet)[0])


def test_script_json_escapes_html_sensitive_characters() -> None:
    assert script_json("</script>&") == '"\\u003c/script\\u003e\\u0026"'
