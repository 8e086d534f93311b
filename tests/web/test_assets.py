"""Static files under fingerprinted URLs with far-future caching, and compressed answers (app/web/assets.py)."""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import brotli
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import ROOT, create_app
from app.pintrk.presets import TAG_ID
from app.web.assets import IMMUTABLE, build_id, static_url_path
from app.web.page_cache import page_cache
from app.web.state import PlaygroundState
from tests.fixtures import make_har
from tests.web.pages import STATIC, csrf_token_in

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCENARIO = PlaygroundState(
    {"tagId": TAG_ID, "enhancedMatch": True},
    "docs",
    'rudderanalytics.identify("u1", {email: "a@example.com"});\nrudderanalytics.track("Order Completed", {revenue: 1});',
    "",
).to_token()
BROTLI = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends
GZIP = {"Accept-Encoding": "gzip"}
IMPORT = re.compile(r'^import [^"]*"(\.[^"]+)";$', re.MULTILINE)


def body_of(response: TestResponse) -> bytes:
    """The answer as the browser reads it, decompressed."""
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(data)
    if encoding == "gzip":
        return gzip.decompress(data)
    assert encoding is None, encoding
    return data


def vary(response: TestResponse) -> set[str]:
    return {part.strip().lower() for part in response.headers.get("Vary", "").split(",")}


# -- the fingerprint --------------------------------------------------------------------


def test_the_app_serves_static_files_under_the_build_id_of_their_contents(app: Flask) -> None:
    assert app.static_url_path == static_url_path(ROOT / "static") == STATIC
    assert re.fullmatch(r"/static/[0-9a-f]{12}", STATIC)
    with app.test_request_context():
        from flask import url_for

        assert url_for("static", filename="css/app.css") == f"{STATIC}/css/app.css"


def test_the_build_id_changes_with_any_file_and_only_then(tmp_path: Path) -> None:
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text("body { color: red; }")
    (tmp_path / "main.js").write_text('import "./state.js";')
    first = build_id(tmp_path)
    assert build_id(tmp_path) == first  # the same contents, the same id (every worker agrees)
    (tmp_path / "css" / "app.css").write_text("body { color: blue; }")
    changed = build_id(tmp_path)
    assert changed != first
    (tmp_path / "css" / "app.css").write_text("body { color: red; }")
    assert build_id(tmp_path) == first  # back to the old bytes: back to the old id
    (tmp_path / "main.js").rename(tmp_path / "entry.js")
    assert build_id(tmp_path) != first  # a renamed file is another site
    (tmp_path / "entry.js").rename(tmp_path / "main.js")
    (tmp_path / "new.svg").write_text("<svg/>")
    assert build_id(tmp_path) != first  # so is an added one
    # Bytes moved from one file's end to the next file's name are not the same folder.
    other = tmp_path / "other"
    other.mkdir()
    (other / "a").write_text("xb")
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "a").write_text("x")
    (moved / "b").write_text("")
    assert build_id(other) != build_id(moved)


def test_a_changed_static_file_changes_every_static_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An app over a copy of the static folder: one edited stylesheet moves every URL, modules too."""
    import app as app_package

    (tmp_path / "templates").symlink_to(ROOT / "templates")
    shutil.copytree(ROOT / "static", tmp_path / "static")
    monkeypatch.setattr(app_package, "ROOT", tmp_path)
    before = create_app("testing")
    assert before.static_url_path == STATIC  # the same bytes as the real folder
    with (tmp_path / "static" / "css" / "app.css").open("a") as css:
        css.write("\n/* changed */\n")
    after = create_app("testing")
    new = after.static_url_path
    assert new != STATIC and re.fullmatch(r"/static/[0-9a-f]{12}", new)
    client = after.test_client()
    urls = _static_urls(client.get("/").text)
    assert f"{new}/css/app.css" in urls and f"{new}/js/playground/main.js" in urls
    assert all(url.startswith(new + "/") for url in urls)
    # A page of the previous build asks the new server for its files: sent on to the new ones.
    moved = client.get(f"{STATIC}/css/app.css")
    assert moved.status_code == 302 and moved.headers["Location"] == f"{new}/css/app.css"
    css = client.get(moved.headers["Location"])
    assert css.status_code == 200 and css.get_data().endswith(b"/* changed */\n")
    css.close()


# -- far-future caching -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["css/app.css", "css/preview.css", "js/playground/main.js", "js/recorder.js", "favicon.svg"]
)
def test_static_files_are_kept_for_a_year(client: FlaskClient, path: str) -> None:
    response = client.get(f"{STATIC}/{path}", headers=BROTLI)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert "Expires" not in response.headers
    assert body_of(response) == (ROOT / "static" / path).read_bytes()
    again = client.get(f"{STATIC}/{path}", headers={**BROTLI, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == IMMUTABLE


def test_a_missing_static_file_is_not_cached(client: FlaskClient) -> None:
    response = client.get(f"{STATIC}/css/no-such.css")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_development_revalidates_instead() -> None:
    # A file edited while the development server runs keeps its URL: the browser must ask again.
    client = create_app("development").test_client()
    response = client.get(f"{STATIC}/css/app.css")
    response.close()
    assert response.status_code == 200 and "immutable" not in response.headers["Cache-Control"]
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    "old",
    ["/static/css/app.css", "/static/0123456789ab/css/app.css", "/static/0123456789ab/js/playground/main.js"],
)
def test_old_urls_are_redirected_to_the_current_build(client: FlaskClient, old: str) -> None:
    response = client.get(old)
    assert response.status_code == 302
    filename = old.removeprefix("/static/").removeprefix("0123456789ab/")
    assert response.headers["Location"] == f"{STATIC}/{filename}"
    assert response.headers["Cache-Control"] == "no-cache"  # the target moves with every build
    followed = client.get(response.headers["Location"])
    followed.close()
    assert followed.status_code == 200


@pytest.mark.parametrize(
    "path", ["/static/no-such.css", "/static/0123456789ab/no-such.css", "/static/../config.py", "/static/css"]
)
def test_old_urls_of_missing_files_are_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def _static_urls(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    urls = [
        str(tag.get(attr))
        for attr in ("src", "href", "data-recorder-url")
        for tag in soup.find_all(attrs={attr: True})
    ]
    return [url for url in urls if url.startswith("/static")]


@pytest.mark.parametrize(
    "path", ["/", "/?preset=identify-then-track", f"/?s={SCENARIO}", "/decode", "/compare", "/api/v1/docs"]
)
def test_every_static_url_a_page_references_is_versioned_and_served(client: FlaskClient, path: str) -> None:
    html = client.get(path).text
    urls = _static_urls(html)
    assert urls, f"{path} references no static file"
    if path.startswith("/?"):
        preview = BeautifulSoup(html, "html.parser").find("iframe", id="live-preview")["src"]
        preview_html = client.get(preview).text
        preview_urls = _static_urls(preview_html)
        assert {f"{STATIC}/js/preview-guard.js", f"{STATIC}/js/recorder.js"} <= set(preview_urls)
        assert f'"{STATIC}/js/recorder.js"' in preview_html  # the tag's loader URL
        urls += preview_urls
    for url in urls:
        assert url.startswith(STATIC + "/"), url
        response = client.get(url)
        response.close()
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE, url


def test_the_modules_relative_imports_resolve_under_the_build(client: FlaskClient) -> None:
    """main.js imports its siblings by relative paths: they land under the same versioned prefix."""
    seen: set[str] = set()
    todo = [f"{STATIC}/js/playground/main.js"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE, url
        todo += [urljoin(url, target) for target in IMPORT.findall(response.text)]
    modules = {path.name for path in (ROOT / "static" / "js" / "playground").glob("*.js")}
    assert seen == {f"{STATIC}/js/playground/{name}" for name in modules}


# -- compression ------------------------------------------------------------------------


@pytest.mark.parametrize("headers, encoding", [(BROTLI, "br"), (GZIP, "gzip"), ({}, None)])
def test_pages_are_compressed_with_their_own_nonce_and_token(
    client: FlaskClient, headers: dict[str, str], encoding: str | None
) -> None:
    response = client.get("/?preset=identify-then-track", headers=headers)
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert "accept-encoding" in vary(response)
    html = body_of(response).decode()
    if encoding:
        assert len(response.get_data()) < len(html) / 3
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)  # type: ignore[union-attr]
    assert "csrf-hole-" not in html and "nonce-hole-" not in html
    # Every nonce in the page is this response's (the page cache's holes are filled before compression).
    assert set(re.findall(r'nonce="([^"]+)"', html)) <= {nonce}
    assert csrf_token_in(html)


def test_kept_pages_are_compressed_per_response(app: Flask, client: FlaskClient) -> None:
    plain = client.get(f"/?s={SCENARIO}")  # rendered and kept
    compressed = client.get(f"/?s={SCENARIO}", headers=BROTLI)  # the kept page, compressed
    with app.app_context():
        assert page_cache().stats()["hits"] == 1
    pages = [plain.get_data().decode(), body_of(compressed).decode()]
    # The same page but for the CSRF token (signed with the second: it may differ).
    assert pages[0].replace(csrf_token_in(pages[0]), "TOKEN") == pages[1].replace(
        csrf_token_in(pages[1]), "TOKEN"
    )
    # The compressed page's CSRF token is this session's: a live update with it is accepted.
    form = {"csrf_token": csrf_token_in(pages[1]), "tag_id": TAG_ID, "calls": "rudderanalytics.page();"}
    assert client.post("/render", data=form).status_code == 200


def test_live_updates_and_the_preview_are_compressed(client: FlaskClient) -> None:
    token = csrf_token_in(client.get("/").text)
    form = {
        "csrf_token": token,
        "tag_id": TAG_ID,
        "calls": 'rudderanalytics.track("Order Completed", {revenue: 1});',
    }
    response = client.post("/render", data=form, headers=BROTLI)
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "br"
    assert "log-row" in json.loads(body_of(response))["results_html"]
    preview = client.get(f"/preview?s={SCENARIO}", headers=BROTLI)
    assert preview.headers["Content-Encoding"] == "br" and b"recorder-commands" in body_of(preview)
    nonce = re.search(r"'nonce-([^']+)'", preview.headers["Content-Security-Policy"]).group(1)  # type: ignore[union-attr]
    assert f'nonce="{nonce}"'.encode() in body_of(preview)


def test_downloads_stay_downloads(client: FlaskClient) -> None:
    for path, name in ((f"/export?s={SCENARIO}", ".json"), (f"/download?s={SCENARIO}", ".html")):
        response = client.get(path, headers=GZIP)
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert name in response.headers["Content-Disposition"]
        assert int(response.headers["Content-Length"]) == len(response.get_data())
        plain = client.get(path)
        assert body_of(response) == plain.get_data()


def test_streamed_api_answers_are_compressed_as_they_stream(client: FlaskClient) -> None:
    body = {"settings": {"tagId": TAG_ID}, "calls": 'rudderanalytics.track("Order Completed", {revenue: 1});'}
    plain = client.post("/api/v1/replay", json=body)
    for headers, encoding in ((BROTLI, "br"), (GZIP, "gzip")):
        response = client.post("/api/v1/replay", json=body, headers=headers)
        assert response.status_code == 200 and response.is_streamed
        assert response.headers["Content-Encoding"] == encoding and "Content-Length" not in response.headers
        assert json.loads(body_of(response)) == json.loads(plain.get_data())


def test_har_answers_are_compressed(client: FlaskClient) -> None:
    har_client = create_app("testing", BEACON_HOSTS=(make_har.STAND_IN_HOST,)).test_client()
    har = (FIXTURES / "pintrk-visit.har").read_bytes()
    api = har_client.post("/api/v1/decode", json={"har": json.loads(har)}, headers=BROTLI)
    assert api.status_code == 200 and api.headers["Content-Encoding"] == "br"
    assert len(json.loads(body_of(api))["beacons"]) == 14
    page = har_client.get("/decode")
    form = {"csrf_token": csrf_token_in(page.text), "urls": "", "har": (io.BytesIO(har), "visit.har")}
    upload = har_client.post("/decode", data=form, content_type="multipart/form-data", headers=BROTLI)
    assert upload.status_code == 200 and upload.headers["Content-Encoding"] == "br"
    assert b"beacon-card" in body_of(upload)


def test_small_answers_are_sent_as_they_are(client: FlaskClient) -> None:
    response = client.get("/healthz", headers=BROTLI)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers


# -- what the pages ask for -------------------------------------------------------------


def test_the_preview_writes_its_stylesheet_in(client: FlaskClient) -> None:
    """The sandboxed preview gets nothing from the HTTP cache: no stylesheet to download there."""
    response = client.get(f"/preview?s={SCENARIO}")
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("link", rel="stylesheet") is None
    # Its one link: the recorder, fetched while the guard runs (the tag's base code asks for it later).
    (preload,) = soup.find_all("link")
    assert preload["rel"] == ["preload"] and preload["as"] == "script"
    assert preload["href"] == f"{STATIC}/js/recorder.js"
    (style,) = soup.find_all("style")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)  # type: ignore[union-attr]
    assert (
        style["nonce"] == nonce
        and f"style-src 'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    )
    assert style.string.strip() == (ROOT / "static" / "css" / "preview.css").read_text().strip()


def test_the_playground_preloads_every_module(client: FlaskClient) -> None:
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    preloaded = {link["href"] for link in soup.find_all("link", rel="modulepreload")}
    modules = {f"{STATIC}/js/playground/{path.name}" for path in (ROOT / "static/js/playground").glob("*.js")}
    entry = f"{STATIC}/js/playground/main.js"
    assert preloaded == modules - {entry}
    assert soup.find("script", type="module")["src"] == entry


def _css_depths(text: str) -> list[tuple[int, str]]:
    """(brace depth, line) for each line of a stylesheet, comments and strings left out of the count."""
    depth, out, i, n = 0, [], 0, len(text)
    line_start = 0
    while i < n:
        ch = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if ch in "\"'":
            end = text.find(ch, i + 1)
            i = n if end < 0 else end + 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "\n":
            out.append((depth, text[line_start:i]))
            line_start = i + 1
        i += 1
    out.append((depth, text[line_start:]))
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "static" / "css").glob("*.css")))
def test_every_stylesheet_closes_its_blocks(name: str) -> None:
    # An unclosed @media swallows every rule after it without a parse error (a merge once did
    # that to the placeholders' style): each section header must start at the top level.
    depths = _css_depths((ROOT / "static" / "css" / name).read_text())
    assert all(depth >= 0 for depth, _ in depths)
    assert depths[-1][0] == 0
    headers = [(depth, line) for depth, line in depths if line.startswith("/* ---")]
    assert all(depth == 0 for depth, _ in headers), [line for depth, line in headers if depth]


def test_the_block_check_finds_an_unclosed_media_rule() -> None:
    depths = _css_depths("@media (max-width: 1px) {\n  a { b: c; }\n/* --- next */\n.x { y: z; }\n")
    assert [depth for depth, line in depths if line.startswith("/* ---")] == [1]
