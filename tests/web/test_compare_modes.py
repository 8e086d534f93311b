"""The compare page's second view, profile × connection mode (``?view=modes``), without JavaScript."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient

from app.web.permalink import decode
from app.web.server_view import VERDICT_SYMBOLS
from app.web.state import PlaygroundState
from tests.web.pages import Playground

TID = "2612345678901"
SHOP_CALLS = (
    'rudderanalytics.identify("u-1", {email: " Jane.Doe@Example.com "});\n'
    'rudderanalytics.page("Shop", "Shoes");\n'
    'rudderanalytics.track("Order Completed", {order_id: "ord-1", revenue: 30, currency: "USD"});\n'
)
SETTINGS = {
    "tagId": TID,
    "connectionMode": {"web": "hybrid"},
    "advertiserId": "549764492980",
    "sendingUnHashedData": True,
    "enhancedMatch": True,
}
SHOP = PlaygroundState(SETTINGS, "docs", SHOP_CALLS, "")


def _words(node: object) -> str:
    return " ".join(node.get_text(" ", strip=True).split())  # type: ignore[attr-defined]


def _modes_url(state: PlaygroundState = SHOP) -> str:
    return f"/compare?s={state.to_token()}&view=modes"


def test_the_two_views_link_to_each_other(playground: Playground) -> None:
    token = SHOP.to_token()
    for url, current in (
        (f"/compare?s={token}", "Commands by profile"),
        (_modes_url(), "Profile × connection mode"),
    ):
        page = playground.get(url)
        nav = page.soup.select_one("nav.compare-views[aria-label]")
        links = {_words(a): a["href"] for a in nav.select("a")}
        assert links == {
            "Commands by profile": f"/compare?s={token}",
            "Profile × connection mode": f"/compare?s={token}&view=modes",
        }
        assert _words(nav.select_one("a[aria-current='page']")) == current
        assert _words(page.soup.select_one("h1")) == (
            "Compare profiles" if "Commands" in current else current
        )
    # The commands view stays as it was: its table, and no grid.
    profiles_view = playground.get(f"/compare?s={token}&view=nonsense")
    assert profiles_view.soup.select_one("table.compare-table") and not profiles_view.soup.select(
        "table.modes-table"
    )


def test_the_grid_has_a_row_per_profile_and_a_column_per_mode(playground: Playground) -> None:
    page = playground.get(_modes_url())
    section = page.soup.select_one(".modes-page")
    assert section is not None
    assert page.soup.title.get_text() == "Profile × connection mode · pintrk playground"
    assert not page.soup.select("table.compare-table")
    table = section.select_one(".modes-scroll[tabindex='0'][role='region'] table.modes-table")
    assert table is not None and "under each profile (rows)" in _words(table.select_one("caption"))
    heads = table.select("thead th[scope='col']")
    assert [_words(th.select_one(".mode-label")) for th in heads[1:]] == [
        "Device mode",
        "Cloud mode",
        "Hybrid mode",
    ]
    rows = table.select("tbody tr")
    assert [row.select_one("th[scope='row'] code").get_text() for row in rows] == ["docs", "sdk-v1", "sdk-v3"]
    texts = [
        [_words(td.select_one("a.mode-link")).split(" — ")[0] for td in row.select("td")] for row in rows
    ]
    device, cloud = "2 events from the browser only", "2 events from the server only (1 rejected)"
    assert texts == [
        [device, cloud, "2 of 2 events will count twice"],
        [device, cloud, "2 of 2 events will count twice"],
        [device, cloud, "All 2 events will be deduplicated"],
    ]
    # The verdict counts as the results panel's tags: a symbol and words, never colour alone.
    docs_hybrid = table.select_one("td[data-profile='docs'][data-column='hybrid']")
    tags = [_words(li) for li in docs_hybrid.select(".mode-counts li")]
    symbols = VERDICT_SYMBOLS
    assert tags == [
        f"{symbols['count-twice']} Will count twice 2",
        f"{symbols['not-sent']} Not sent as an event 1",
    ]
    assert docs_hybrid.select_one(".verdict-tag.verdict-count-twice") is not None
    cloud_cell = table.select_one("td[data-profile='sdk-v3'][data-column='cloud']")
    assert _words(cloud_cell.select_one(".mode-rejected")) == "Rejected by RudderStack's servers: identify"
    # The playground's own profile and mode is marked; the one that deduplicates everything too.
    assert "your playground" in _words(docs_hybrid) and "mode-current" in docs_hybrid["class"]
    assert table.select("td.mode-all-deduplicated") == [
        table.select_one("td[data-profile='sdk-v3'][data-column='hybrid']")
    ]
    assert (
        _words(section.select_one("#modes-conclusion"))
        == "Only sdk-v3 in hybrid mode deduplicates every event."
    )
    assert page.soup.select_one(".page-foot a")["href"] == f"/?s={SHOP.to_token()}"


def test_each_cell_links_to_the_playground_with_its_profile_and_mode(playground: Playground) -> None:
    page = playground.get(_modes_url())
    for cell in page.soup.select("table.modes-table td.mode-cell"):
        link = urlsplit(cell.select_one("a.mode-link")["href"])
        assert link.path == "/"
        state = PlaygroundState.from_token(parse_qs(link.query)["s"][0])
        assert state.profile == cell["data-profile"]
        assert state.settings == {**SETTINGS, "connectionMode": {"web": cell["data-column"]}}
        assert (state.calls, state.initial_traits) == (SHOP.calls, SHOP.initial_traits)
        link_words = _words(cell.select_one("a.mode-link .visually-hidden"))
        assert link_words == f"— open {cell['data-profile']} in {cell['data-column']} mode in the playground"


def test_a_cells_link_opens_the_playground_with_that_check(playground: Playground) -> None:
    compare = playground.get(_modes_url())
    href = compare.soup.select_one("td[data-profile='sdk-v3'][data-column='hybrid'] a.mode-link")["href"]
    page = playground.get(href)
    assert page.soup.select_one("input[name='profile'][value='sdk-v3']").has_attr("checked")
    assert _words(page.soup.select_one("#dedup-summary strong")).startswith(
        "All 2 events will be deduplicated"
    )


def test_pintrk_calls_have_no_grid(client: FlaskClient) -> None:
    """pintrk calls go to the tag as they are: no profile or connection mode applies."""
    state = PlaygroundState({"tagId": TID}, "docs", "", "", pintrk='[["load", "2612345678901"], ["page"]]')
    response = client.get(_modes_url(state))
    assert response.status_code == 200
    assert b"compare-table" in response.data
    assert b"modes-table" not in response.data and b"compare-views" not in response.data


def test_a_separate_server_destination_gives_destination_columns_and_links(playground: Playground) -> None:
    secret = "pinterest-conversion-token-123"
    browser = {**SETTINGS, "connectionMode": {"web": "device"}}
    server = {**SETTINGS, "connectionMode": {"web": "cloud"}, "conversionToken": secret}
    state = PlaygroundState(browser, "sdk-v3", SHOP_CALLS, "", cloud_settings=json.dumps(server))
    page = playground.get(_modes_url(state))
    assert _words(page.soup.select_one("h1")) == "Profile × destination"
    heads = page.soup.select("table.modes-table thead .mode-label")
    assert [_words(h) for h in heads] == [
        "Browser destination only",
        "Server destination only",
        "Both destinations",
    ]
    both = page.soup.select_one("td[data-profile='sdk-v3'][data-column='both']")
    assert _words(both.select_one("a.mode-link")).startswith("All 2 events will be deduplicated")
    assert "your playground" in _words(both)
    expected = {
        "browser-destination": ("device", False),
        "server-destination": ("cloud", True),
        "both": ("device", True),
    }
    for cell in page.soup.select("table.modes-table td.mode-cell"):
        token = parse_qs(urlsplit(cell.select_one("a.mode-link")["href"]).query)["s"][0]
        assert secret not in json.dumps(decode(token))  # the conversion token never in clear in a link
        linked = PlaygroundState.from_token(token)
        mode, keeps_server = expected[cell["data-column"]]
        assert linked.profile == cell["data-profile"]
        assert linked.settings["connectionMode"] == {"web": mode}
        assert (linked.cloud_settings is not None) == keeps_server
    assert secret not in page.response.get_data(as_text=True)
