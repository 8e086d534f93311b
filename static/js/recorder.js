/*
 * pintrk recorder: the playground's local stand-in for Pinterest's core.js.
 *
 * The preview page's base code loads this file instead of https://s.pinimg.com/ct/core.js.
 * Like core.js it takes over window.pintrk: it runs the queued commands in order, then
 * replaces the queue stub with a function that runs each later command at once.
 *
 * For every command it runs it tells the parent page (the playground) what ran:
 *   {source: "pintrk-recorder", type: "command", index: k, method: args[0], calls_json: JSON.stringify(args)}
 * and once the initial queue is drained:
 *   {source: "pintrk-recorder", type: "done", count: n}
 * The parent may ask for everything again (it may have attached its listener late) with
 *   {source: "pintrk-playground", type: "replay"}
 * and the recorder re-sends every report so far, in order (reports are idempotent).
 *
 * It simulates the tag only as far as the page needs to show something (tid, em, set keys).
 * It never makes a network request: no Image, no fetch, no sendBeacon, no XHR.
 */
(function () {
  "use strict";

  var SOURCE = "pintrk-recorder";
  var stub = window.pintrk;
  var queue = stub && Array.isArray(stub.queue) ? stub.queue.slice() : [];

  // What the real tag would keep between calls: the tag ID, the email and set() keys.
  var state = { tid: null, em: null, set: {} };
  var reports = []; // every message sent to the parent, for replay
  var executed = [];

  function post(message) {
    reports.push(message);
    send(message);
  }

  function send(message) {
    // Opened on its own (not in the playground's iframe) the parent is the page itself: harmless.
    // The data is the scenario's own commands, already shown on the parent page: "*" leaks nothing,
    // and a sandboxed (opaque-origin) frame cannot name its parent's origin reliably anyway.
    try {
      window.parent.postMessage(message, "*");
    } catch (err) {
      // A parent that cannot receive messages must not stop the tag.
    }
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function simulate(method, params) {
    if (method === "load") {
      state.tid = params[0] === undefined ? null : params[0];
      if (isObject(params[1]) && "em" in params[1]) state.em = params[1].em;
    } else if (method === "set" && isObject(params[0])) {
      Object.keys(params[0]).forEach(function (key) {
        state.set[key] = params[0][key];
        if (key === "em") state.em = params[0][key];
      });
    }
    // page and track would make a beacon here; the playground shows them from the server's model.
  }

  function execute(argsLike) {
    var args = Array.prototype.slice.call(argsLike);
    var method = args[0];
    var callsJson;
    try {
      callsJson = JSON.stringify(args);
    } catch (err) {
      callsJson = null; // a cyclic or BigInt argument: report it, the parent flags the mismatch
    }
    var index = executed.length;
    executed.push({ method: method, calls_json: callsJson });
    try {
      simulate(method, args.slice(1));
    } catch (err) {
      // The real tag ignores what it cannot understand; so does the recorder.
    }
    post({
      source: SOURCE,
      type: "command",
      index: index,
      method: typeof method === "string" ? method : String(method),
      calls_json: callsJson,
    });
    render();
  }

  // -- a small read-out on the preview page (text only, never markup) ------------------------

  function render() {
    var list = document.getElementById("recorder-commands");
    var summary = document.getElementById("recorder-state");
    if (list && list.children.length < executed.length) {
      for (var i = list.children.length; i < executed.length; i++) {
        var item = document.createElement("li");
        var code = document.createElement("code");
        code.textContent = "pintrk(" + String(executed[i].calls_json).replace(/^\[|\]$/g, "") + ")";
        item.appendChild(code);
        list.appendChild(item);
      }
    }
    if (summary) {
      var setKeys = Object.keys(state.set);
      summary.textContent =
        executed.length + " command" + (executed.length === 1 ? "" : "s") + " ran" +
        "; tag ID: " + (state.tid === null ? "none" : String(state.tid)) +
        "; email: " + (state.em === null || state.em === undefined || state.em === "" ? "none" : "stored (the tag hashes it before sending)") +
        "; set keys: " + (setKeys.length ? setKeys.join(", ") : "none") + ".";
    }
  }

  function recorder() {
    execute(arguments);
  }
  recorder.version = stub && stub.version ? stub.version : "3.0";
  recorder.queue = { push: function (args) { execute(args); } }; // code that pushes directly still works
  recorder.recorded = executed;
  recorder.state = state;

  window.pintrk = recorder;

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.source === window) return;
    var data = event.data;
    if (!data || data.source !== "pintrk-playground" || data.type !== "replay") return;
    reports.slice().forEach(send);
  });

  for (var i = 0; i < queue.length; i++) {
    execute(queue[i]);
  }
  post({ source: SOURCE, type: "done", count: executed.length });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
