/*
 * pintrk preview guard: the first script on the live-preview page, before the tag and the recorder.
 *
 * The preview's CSP forbids every connection (connect-src 'none'), but CSP does not cover WebRTC:
 * without this file, a script in the preview could open a peer connection and send packets
 * (STUN requests, data channels) to any address. So, before any other script runs:
 *
 *  1. Every WebRTC interface (RTCPeerConnection, webkitRTCPeerConnection, RTCDataChannel, ...) is
 *     deleted from the window and replaced by a read-only, non-configurable `undefined`: later
 *     code can neither use it, nor put it back, nor delete the placeholder. The same for
 *     navigator.mediaDevices and the old getUserMedia (the preview uses no camera or microphone).
 *
 *  2. A fresh window would bring fresh interfaces, and the only fresh window a script here could
 *     reach is a child frame whose document it writes itself (`srcdoc`): URLs are refused by
 *     frame-src 'none', and an about:blank child of this sandboxed page is another origin. The
 *     CSP requires Trusted Types for every HTML/script sink and allows one policy, "default",
 *     created here first: it turns no string into HTML or script, so no srcdoc, innerHTML,
 *     document.write or DOMParser can build a document, and it lets exactly one script URL
 *     through, the recorder's, which the tag's base code loads with `script.src = url`.
 *
 * The recorder's URL comes from this element's data-recorder-url (the server's url_for).
 */
(function () {
  "use strict";

  // Named even where a browser lacks some of them, so the placeholder is always there.
  var WEBRTC_NAMES = [
    "RTCPeerConnection", "webkitRTCPeerConnection", "mozRTCPeerConnection",
    "RTCDataChannel", "RTCIceCandidate", "mozRTCIceCandidate", "RTCSessionDescription",
    "mozRTCSessionDescription", "RTCIceTransport", "RTCDtlsTransport", "RTCSctpTransport",
    "RTCRtpSender", "RTCRtpReceiver", "RTCRtpTransceiver", "RTCCertificate", "RTCRtpScriptTransform",
  ];
  var MEDIA_NAMES = ["mediaDevices", "getUserMedia", "webkitGetUserMedia", "mozGetUserMedia"];
  var recorderUrl = document.currentScript ? document.currentScript.getAttribute("data-recorder-url") : null;

  function isWebRtcName(name) {
    return name.indexOf("RTC") === 0 || name.indexOf("webkitRTC") === 0 || name.indexOf("mozRTC") === 0;
  }

  function forget(target, name) {
    try {
      delete target[name];
    } catch (err) {
      // Not configurable (or a named-properties object): the own placeholder below shadows it.
    }
  }

  function seal(target, name) {
    try {
      Object.defineProperty(target, name, { value: undefined, writable: false, enumerable: false, configurable: false });
    } catch (err) {
      // Already sealed.
    }
  }

  // Every WebRTC name on the window and on its prototype chain, whatever this browser calls them.
  var names = WEBRTC_NAMES.slice();
  for (var proto = window; proto; proto = Object.getPrototypeOf(proto)) {
    Object.getOwnPropertyNames(proto).forEach(function (name) {
      if (isWebRtcName(name)) {
        if (names.indexOf(name) < 0) names.push(name);
        forget(proto, name);
      }
    });
  }
  names.forEach(function (name) {
    forget(window, name);
    seal(window, name);
  });

  var NavigatorProto = window.Navigator && window.Navigator.prototype;
  MEDIA_NAMES.forEach(function (name) {
    if (NavigatorProto) {
      forget(NavigatorProto, name);
      seal(NavigatorProto, name);
    }
    seal(navigator, name);
  });

  if (window.trustedTypes && window.trustedTypes.createPolicy) {
    window.trustedTypes.createPolicy("default", {
      // No createHTML and no createScript: every string sent to an HTML or script sink is refused.
      createScriptURL: function (url) {
        return recorderUrl !== null && url === recorderUrl ? url : null;
      },
    });
  }
})();
