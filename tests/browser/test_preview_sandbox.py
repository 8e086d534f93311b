"""The preview's sandbox in real Chromium: an opaque origin even opened directly, and no WebRTC.

CSP's connect-src does not cover WebRTC: before static/js/preview-guard.js, a script in the
preview (embedded or opened on its own) could make an RTCPeerConnection, a data channel and an
offer, and Chromium then sent STUN requests to any address (here: a UDP socket on loopback that
counts them). A probe, run inside the preview, tries every way we know to get a peer connection:
the names themselves, putting them back, the prototype chain, and fresh globals (child frames
made every way HTML can be made, workers). A control runs the same probe on a page with the old
policy and shows that it finds what it looks for.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import ConsoleMessage, Frame, Page, expect

from app.pintrk.presets import TAG_ID
from app.web.state import PlaygroundState

CALLS = 'rudderanalytics.identify("u1", {email: "jane@example.com"});\nrudderanalytics.track("Order Completed", {revenue: 20});\n'
STATE = PlaygroundState({"tagId": TAG_ID}, "docs", CALLS, "")
TOKEN = STATE.to_token()
COMMANDS = len(STATE.run().result.commands)
COMMAND_ROWS = 'tr.log-row[data-kind="command"]'
WEBRTC_NAMES = [
    "RTCPeerConnection",
    "webkitRTCPeerConnection",
    "RTCDataChannel",
    "RTCIceCandidate",
    "RTCSessionDescription",
    "RTCIceTransport",
    "RTCDtlsTransport",
    "RTCSctpTransport",
    "RTCRtpSender",
    "RTCRtpReceiver",
    "RTCRtpTransceiver",
    "RTCCertificate",
]

# Runs inside the preview: every attempt ends as "reached: …" or "blocked: <error name>".
PROBE = """
async ([stunPort, names]) => {
  const out = {names: {}, construct: {}, restore: {}, media: {}, realms: {}, page: {}};
  const config = {iceServers: [{urls: "stun:127.0.0.1:" + stunPort}]};
  const children = [];
  addEventListener("message", (e) => { if (e.data && e.data.probe === "child") children.push(e.data); });
  const attempt = (fn) => { try { return "reached: " + String(fn()).slice(0, 120); } catch (e) { return "blocked: " + e.name; } };

  for (const name of names) out.names[name] = typeof window[name];
  out.liveNames = [];  // any WebRTC-looking name still holding a function, anywhere on the chain
  for (let o = window; o; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (!/^(webkit|moz)?RTC/.test(name)) continue;
      const d = Object.getOwnPropertyDescriptor(o, name);
      if (typeof d.value === "function" || d.get) out.liveNames.push(name);
    }
  }

  // What the finding did: a peer connection, a data channel, an offer, then ICE gathering (STUN).
  const connect = async (Ctor) => {
    const pc = new Ctor(config);
    const channel = pc.createDataChannel("probe");
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    pc.close();
    return "offer made, channel " + channel.readyState;
  };
  const tryConnect = async (label, get) => {
    try { out.construct[label] = "reached: " + await connect(get()); } catch (e) { out.construct[label] = "blocked: " + e.name; }
  };
  await tryConnect("RTCPeerConnection", () => RTCPeerConnection);
  await tryConnect("webkitRTCPeerConnection", () => webkitRTCPeerConnection);
  await tryConnect("globalThis lookup", () => globalThis["RTC" + "PeerConnection"]);
  await tryConnect("prototype chain", () => {
    for (let o = Object.getPrototypeOf(window); o; o = Object.getPrototypeOf(o)) {
      const d = Object.getOwnPropertyDescriptor(o, "RTCPeerConnection");
      if (d) return d.value || d.get.call(window);
    }
    return undefined;
  });
  await tryConnect("session description's realm", () => new RTCSessionDescription({type: "offer"}).constructor);

  // Putting it back.
  out.restore.delete = attempt(() => delete window.RTCPeerConnection);
  out.restore.assign = attempt(() => { window.RTCPeerConnection = function () {}; return typeof window.RTCPeerConnection; });
  out.restore.define = attempt(() => { Object.defineProperty(window, "RTCPeerConnection", {value: function () {}}); return "defined"; });
  out.restore.after = typeof RTCPeerConnection;

  out.media.mediaDevices = typeof navigator.mediaDevices;
  out.media.getUserMedia = typeof navigator.getUserMedia;
  out.media.webkitGetUserMedia = typeof navigator.webkitGetUserMedia;

  // Fresh globals. An empty child frame: can we read its interfaces?
  out.realms["about:blank iframe"] = attempt(() => {
    const f = document.createElement("iframe");
    document.body.appendChild(f);
    return typeof f.contentWindow.RTCPeerConnection;
  });
  out.realms["window[0]"] = attempt(() => typeof window[0].RTCPeerConnection);
  // Child documents that run a script of their own (with the page's nonce, which a script can read):
  // each reports typeof RTCPeerConnection in its own, unguarded global.
  const nonce = (document.querySelector("script[nonce]") || {}).nonce || "";
  const child = (route) => '<script nonce="' + nonce + '">parent.postMessage({probe: "child", route: ' + JSON.stringify(route) +
    ', rtc: typeof RTCPeerConnection}, "*")<\\/script>';
  const markup = (route) => '<iframe srcdoc="' + child(route).replace(/&/g, "&amp;").replace(/"/g, "&quot;") + '"></iframe>';
  const frameWith = (set) => { const f = document.createElement("iframe"); set(f); document.body.appendChild(f); return "made"; };
  const routes = {
    "srcdoc property": () => frameWith((f) => { f.srcdoc = child("srcdoc property"); }),
    "srcdoc attribute": () => frameWith((f) => { f.setAttribute("srcdoc", child("srcdoc attribute")); }),
    "srcdoc Attr node": () => frameWith((f) => {
      const a = document.createAttribute("srcdoc"); a.value = child("srcdoc Attr node"); f.setAttributeNode(a);
    }),
    "innerHTML": () => { const d = document.createElement("div"); d.innerHTML = markup("innerHTML"); document.body.appendChild(d); return "made"; },
    "insertAdjacentHTML": () => { document.body.insertAdjacentHTML("beforeend", markup("insertAdjacentHTML")); return "made"; },
    "DOMParser": () => {
      const doc = new DOMParser().parseFromString(markup("DOMParser"), "text/html");
      document.body.appendChild(document.adoptNode(doc.body.firstChild)); return "made";
    },
    "createContextualFragment": () => {
      document.body.appendChild(document.createRange().createContextualFragment(markup("createContextualFragment"))); return "made";
    },
    "setHTMLUnsafe": () => { const d = document.createElement("div"); d.setHTMLUnsafe(markup("setHTMLUnsafe")); document.body.appendChild(d); return "made"; },
    "setHTML": () => { const d = document.createElement("div"); d.setHTML(markup("setHTML")); document.body.appendChild(d); return "made"; },
    "execCommand insertHTML": () => {
      const d = document.createElement("div"); d.contentEditable = "true"; document.body.appendChild(d);
      getSelection().selectAllChildren(d); document.execCommand("insertHTML", false, markup("execCommand insertHTML")); return "made";
    },
    "data: URL frame": () => frameWith((f) => { f.src = "data:text/html," + encodeURIComponent(child("data: URL frame")); }),
    "blob: URL frame": () => frameWith((f) => { f.src = URL.createObjectURL(new Blob([child("blob: URL frame")], {type: "text/html"})); }),
    "blob: worker": () => {
      const w = new Worker(URL.createObjectURL(new Blob(['postMessage({probe: "child", route: "blob: worker", rtc: typeof RTCPeerConnection})'])));
      w.onmessage = (e) => children.push(e.data); return "made";
    },
    // The recorder's URL: the one script URL the guard's Trusted Types policy lets through.
    "same-site worker": () => { new Worker(document.querySelector("script[data-recorder-url]").dataset.recorderUrl); return "made"; },
    "window.open": () => window.open("about:blank"),
  };
  for (const [route, make] of Object.entries(routes)) out.realms[route] = attempt(make);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  out.children = children;

  out.page.origin = attempt(() => window.origin);
  out.page.cookie = attempt(() => document.cookie);
  out.page.localStorage = attempt(() => localStorage.length);
  out.page.sessionStorage = attempt(() => sessionStorage.length);
  out.page.indexedDB = attempt(() => indexedDB.open("probe"));
  return out;
}
"""

# The preview's policy before the sandbox work: connect-src 'none', and nothing else about WebRTC.
OLD_POLICY = (
    "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'report-sample'; connect-src 'none'; img-src 'self'; "
    "style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


class StunCounter:
    """A UDP socket on loopback that counts what arrives: a peer connection's STUN requests."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.packets = 0
        self._thread = threading.Thread(target=self._count, name="stun-counter", daemon=True)
        self._thread.start()

    def _count(self) -> None:
        while True:
            try:
                self.sock.recvfrom(2048)
            except OSError:  # closed
                return
            self.packets += 1

    def close(self) -> None:
        self.sock.close()
        self._thread.join(timeout=2)


@pytest.fixture
def stun() -> Iterator[StunCounter]:
    counter = StunCounter()
    yield counter
    counter.close()


def run_probe(frame: Frame, stun: StunCounter) -> dict[str, Any]:
    return frame.evaluate(PROBE, [stun.port, WEBRTC_NAMES])


def assert_no_webrtc(result: dict[str, Any], stun: StunCounter) -> None:
    assert result["names"] == {name: "undefined" for name in WEBRTC_NAMES}
    assert result["liveNames"] == []
    assert all(v.startswith("blocked: TypeError") for v in result["construct"].values()), result["construct"]
    restore = result["restore"]
    assert restore["delete"] in ("reached: false", "blocked: TypeError"), restore
    assert restore["define"] == "blocked: TypeError" and restore["after"] == "undefined", restore
    assert result["media"] == {
        "mediaDevices": "undefined",
        "getUserMedia": "undefined",
        "webkitGetUserMedia": "undefined",
    }
    # No fresh global: an empty child frame is another origin; nothing builds a child document that runs.
    realms = result["realms"]
    assert (
        realms["about:blank iframe"] == "blocked: SecurityError"
        and realms["window[0]"] == "blocked: SecurityError"
    ), realms
    assert not any("function" in outcome for outcome in realms.values()), realms
    for route in (
        "srcdoc property",
        "srcdoc attribute",
        "innerHTML",
        "insertAdjacentHTML",
        "DOMParser",
        "createContextualFragment",
        "setHTMLUnsafe",
    ):
        assert realms[route] == "blocked: TypeError", (
            route,
            realms[route],
        )  # Trusted Types refuse the string
    assert realms["same-site worker"] == "blocked: SecurityError", realms
    assert result["children"] == [], "a child document or worker ran with its own WebRTC"
    assert stun.packets == 0, f"{stun.packets} STUN packets left the preview"


def assert_opaque_origin(result: dict[str, Any]) -> None:
    page = result["page"]
    assert page["origin"] == "reached: null"
    for name in ("cookie", "localStorage", "sessionStorage", "indexedDB"):
        assert page[name] == "blocked: SecurityError", (name, page[name])


def console_problems(messages: list[ConsoleMessage]) -> list[str]:
    """Warnings and errors the preview logged on its own (an unknown Permissions-Policy feature, …)."""
    return [
        f"{m.type}: {m.text}"
        for m in messages
        if m.type in ("error", "warning") and not m.location.get("url", "").endswith("/favicon.ico")
    ]


def test_no_webrtc_in_the_embedded_preview(page: Page, live_server: str, network, stun: StunCounter) -> None:
    messages: list[ConsoleMessage] = []
    page.on("console", lambda message: messages.append(message))
    page.goto(f"{live_server}/?s={TOKEN}")
    # The preview still does its job: every log row gets the browser's tick.
    expect(page.locator(COMMAND_ROWS)).to_have_count(COMMANDS)
    expect(page.locator(COMMAND_ROWS + ' .log-status[data-status="confirmed"]')).to_have_count(COMMANDS)
    expect(page.locator(COMMAND_ROWS + " .log-status").first).to_have_text("✓ ran in browser")
    assert console_problems(messages) == []

    frame = page.frame(url=re.compile(r"/preview\?s="))
    assert frame is not None
    result = run_probe(frame, stun)
    assert_no_webrtc(result, stun)
    assert_opaque_origin(result)
    network.assert_only_own_origin()


def test_no_webrtc_and_an_opaque_origin_when_opened_directly(
    page: Page, live_server: str, network, stun: StunCounter
) -> None:
    page.context.add_cookies([{"name": "canary", "value": "app-secret", "url": live_server}])
    messages: list[ConsoleMessage] = []
    page.on("console", lambda message: messages.append(message))
    response = page.goto(f"{live_server}/preview?s={quote(TOKEN)}")
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"].startswith("sandbox allow-scripts;")
    expect(page.locator("#recorder-commands li")).to_have_count(
        COMMANDS
    )  # the tag and the recorder still ran
    assert page.evaluate("window.pintrk.recorded.length") == COMMANDS
    assert console_problems(messages) == []

    result = run_probe(page.main_frame, stun)
    assert_opaque_origin(result)  # not the app's origin: the app's cookie and storage are out of reach
    assert_no_webrtc(result, stun)
    network.assert_only_own_origin()


def test_the_error_answer_is_sandboxed_too(page: Page, live_server: str, network) -> None:
    response = page.goto(f"{live_server}/preview?s=not-a-token")
    assert response is not None and response.status == 400
    assert page.evaluate("window.origin") == "null"
    assert (
        page.evaluate("(() => { try { return document.cookie; } catch (e) { return e.name; } })()")
        == "SecurityError"
    )


def test_the_probe_finds_webrtc_under_the_old_policy(
    page: Page, live_server: str, network, stun: StunCounter
) -> None:
    """The control: on a page with the preview's old policy, the probe reaches WebRTC every way it knows."""
    nonce = "control-nonce-0123456789abcdef"
    body = f'<!doctype html><title>old preview policy</title><body><script nonce="{nonce}">window.tagRan = true;</script>'
    page.route(
        live_server + "/__old-preview",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": OLD_POLICY.format(nonce=nonce)},
            body=body,
        ),
    )
    page.goto(live_server + "/__old-preview")
    assert page.evaluate("window.tagRan") is True

    result = run_probe(page.main_frame, stun)
    assert result["names"]["RTCPeerConnection"] == "function"
    assert result["construct"]["RTCPeerConnection"] == "reached: offer made, channel connecting"
    assert result["realms"]["about:blank iframe"] == "reached: function"
    assert {"route": "srcdoc property", "probe": "child", "rtc": "function"} in result["children"]
    assert result["page"]["origin"] == f"reached: {live_server}"
    assert stun.packets > 0, "connect-src 'none' does not stop WebRTC: STUN requests should have arrived"
