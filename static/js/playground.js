/*
 * pintrk playground: progressive enhancement for the main page.
 *
 * The page works without this file (every button is a real form submit). With it:
 *  - live updates: editing the form re-renders the results via POST /render (debounced);
 *  - log confirmation: the live-preview iframe's recorder reports what the browser really ran,
 *    and each log row is marked confirmed / mismatch / missing;
 *  - copy buttons for the snippet and the permalink.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 400;
  var GRACE_MS = 1000; // after "done", how long a row may still be confirmed before it is "not run"
  var COPIED_MS = 1600;

  var form = document.getElementById("playground-form");
  var results = document.getElementById("results");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');

  // ---------------------------------------------------------------- small helpers

  function cssString(value) {
    // A value for an attribute selector ("..."): CSS.escape where available.
    return window.CSS && CSS.escape ? CSS.escape(String(value)) : String(value).replace(/["\\]/g, "\\$&");
  }

  function csrfToken() {
    if (csrfMeta && csrfMeta.content) return csrfMeta.content;
    var field = form && form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  function postForm(url, body, accept, signal) {
    // The page's own form posts: same-origin cookies and the CSRF token as a header.
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: accept },
      signal: signal,
    });
  }

  function liveRegion(id, className) {
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement("p");
      el.id = id;
      el.className = className;
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
    }
    return el;
  }

  // ---------------------------------------------------------------- size limits

  // The server's limits on what one form may carry (config.py). A form over them is not sent:
  // the problem is shown beside the field, and everything typed stays where it is.
  var MAX_FIELD_BYTES = form ? Number(form.getAttribute("data-max-field-bytes")) || 0 : 0;
  var MAX_REQUEST_BYTES = form ? Number(form.getAttribute("data-max-request-bytes")) || 0 : 0;
  var PART_OVERHEAD = 100; // a multipart field's boundary and headers, roughly

  function sentBytes(text) {
    // What a browser sends for a text: UTF-8, each line break as CR LF.
    var bytes = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code === 10) bytes += text.charCodeAt(i - 1) === 13 ? 1 : 2;
      else if (code === 13) bytes += text.charCodeAt(i + 1) === 10 ? 1 : 2;
      else if (code < 0x80) bytes += 1;
      else if (code < 0x800) bytes += 2;
      else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length &&
               text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) < 0xe000) {
        bytes += 4;
        i++;
      } else bytes += 3;
    }
    return bytes;
  }

  function sizeText(bytes) {
    var mb = 1024 * 1024;
    if (bytes >= mb) return (bytes / mb).toFixed(bytes % mb ? 2 : 0) + " MB";
    return Math.round(bytes / 1024) + " KB";
  }

  function errorKey(name) {
    return /^reproduction_/.test(name) ? "reproduction" : name;
  }

  function sizeProblems(body) {
    // {field: [message]} for a form the server would refuse as too large, else null.
    if (!MAX_FIELD_BYTES && !MAX_REQUEST_BYTES) return null;
    var problems = {};
    var found = false;
    var total = 0;
    var largest = null;
    var largestBytes = -1;
    body.forEach(function (value, name) {
      var isFile = typeof value !== "string";
      var bytes = isFile ? value.size || 0 : sentBytes(value);
      total += bytes + PART_OVERHEAD;
      if (bytes > largestBytes) {
        largest = name;
        largestBytes = bytes;
      }
      if (!isFile && MAX_FIELD_BYTES && bytes > MAX_FIELD_BYTES) {
        problems[errorKey(name)] = ["This field is " + sizeText(bytes) + "; the playground accepts at most " +
          sizeText(MAX_FIELD_BYTES) + " in one field. Nothing was sent: shorten it, then try again."];
        found = true;
      }
    });
    if (!found && MAX_REQUEST_BYTES && total > MAX_REQUEST_BYTES && largest !== null) {
      problems[errorKey(largest)] = ["The form is " + sizeText(total) + " in all; the playground accepts at most " +
        sizeText(MAX_REQUEST_BYTES) + " per request. " + (errorKey(largest) === "reproduction" && largest !== "reproduction_text"
          ? "The chosen reproduction file is its largest part (" + sizeText(largestBytes) + "): choose a smaller one."
          : "This field is its largest part (" + sizeText(largestBytes) + "): shorten it, then try again.") +
        " Nothing was sent."];
      found = true;
    }
    return found ? problems : null;
  }

  function refuseTooLarge(problems) {
    showErrors(problems);
    var first = Object.keys(problems)[0];
    var field = first && form.querySelector('[data-error-for="' + cssString(first) + '"]');
    var input = first === "reproduction" ? document.getElementById("reproduction_file") : form.elements.namedItem(first);
    if (input && input.focus && !input.length) input.focus();
    else if (field && field.scrollIntoView) field.scrollIntoView({ block: "center" });
    setStatus("invalid", "Not sent: the form is too large (see the marked field)");
  }

  function onSubmit(event) {
    // Every submit (Run, Save reproduction, Export log, …): check the sizes before sending.
    var body;
    try {
      body = new FormData(form, event.submitter || undefined);
    } catch (err) {
      body = new FormData(form); // browsers without the submitter argument
    }
    var problems = sizeProblems(body);
    if (!problems) return;
    event.preventDefault();
    refuseTooLarge(problems);
  }

  // ---------------------------------------------------------------- live updates

  var status = null;
  var timer = null;
  var requestCounter = 0; // the newest request; older answers are ignored
  var inFlight = null;

  function setStatus(state, text) {
    if (!status) return;
    status.setAttribute("data-state", state);
    status.textContent = text;
  }

  function isLiveField(target) {
    // Only the user's inputs trigger a live update. Controls that need the server to change the
    // form itself (presets, add/remove rows) are submit buttons or opt out with data-live="off".
    if (!target || !target.name || target.closest('[data-live="off"]')) return false;
    var type = (target.type || "").toLowerCase();
    return type !== "submit" && type !== "button" && type !== "reset" && type !== "file";
  }

  function scheduleUpdate() {
    clearTimeout(timer);
    setStatus("pending", "Updating…");
    timer = setTimeout(sendUpdate, DEBOUNCE_MS);
  }

  var lastSent = null; // the form as last sent: an input and then a change event send it once
  var waiting = false; // the newest request has not been answered yet
  var lastState = ["ok", "Up to date"];

  function serialize(data) {
    var parts = [];
    data.forEach(function (value, key) {
      if (typeof value === "string") parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(value));
    });
    return parts.join("&");
  }

  function formBody() {
    // The form as the server reads it, without a reproduction file waiting to be opened
    // (only its own button sends that).
    var body = new FormData(form);
    if (body.delete) body.delete("reproduction_file");
    return body;
  }

  function sendUpdate() {
    var body = formBody();
    var problems = sizeProblems(body);
    if (problems) {
      // Not sent: the server would refuse it. The next edit checks again.
      lastSent = null;
      if (inFlight && typeof inFlight.abort === "function") inFlight.abort();
      ++requestCounter;
      waiting = false;
      refuseTooLarge(problems);
      return;
    }
    var key = serialize(body);
    if (key === lastSent) {
      if (!waiting) setStatus(lastState[0], lastState[1]);
      return;
    }
    lastSent = key;
    var id = ++requestCounter;
    waiting = true;
    if (inFlight && typeof inFlight.abort === "function") inFlight.abort();
    var controller = window.AbortController ? new AbortController() : null;
    inFlight = controller;
    setStatus("pending", "Updating…");
    postForm(form.getAttribute("data-render-url") || "/render", body, "application/json",
      controller ? controller.signal : undefined)
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          throw new Error("the server answered HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (id !== requestCounter) return; // an older answer arriving late
        waiting = false;
        try {
          applyUpdate(data);
        } catch (err) {
          lastSent = null;
          setStatus("error", "Could not update: " + err.message);
          return;
        }
        lastState = data.ok ? ["ok", "Up to date"] : ["invalid", "Up to date: fix the marked fields"];
        setStatus(lastState[0], lastState[1]);
      })
      .catch(function (err) {
        if (id !== requestCounter || (err && err.name === "AbortError")) return;
        waiting = false;
        lastSent = null; // let the next edit (or the same form) try again
        setStatus("error", "Could not update (" + (err && err.message ? err.message : "network error") +
          "). Use the Run button to submit the form.");
      });
  }

  function applyUpdate(data) {
    if (typeof data.results_html !== "string" && typeof data.error === "string") {
      // The request itself failed (e.g. an expired CSRF token): keep everything as it is,
      // and show the server's reasons beside their fields when it gave any.
      if (data.errors && Object.keys(data.errors).length) showErrors(data.errors);
      throw new Error(data.error);
    }
    showErrors(data.errors || {});
    showNotes(data.notes || {});
    if (typeof data.results_html === "string") {
      replaceResults(data.results_html);
    }
    if (data.permalink) {
      results.setAttribute("data-permalink", data.permalink);
    } else {
      results.removeAttribute("data-permalink");
    }
    showPermalinkInAddressBar(data.permalink);
    if (data.preview_url) results.setAttribute("data-preview-url", data.preview_url);
    else results.removeAttribute("data-preview-url");
    // The copy-link button may live outside #results (in the header): keep it in step.
    var link = document.getElementById("copy-link");
    if (link) {
      if (data.permalink) {
        link.setAttribute("data-permalink", data.permalink);
        link.setAttribute("href", data.permalink);
        link.removeAttribute("aria-disabled");
      } else {
        link.setAttribute("data-permalink", "");
        link.setAttribute("aria-disabled", "true");
      }
    }
  }

  function showPermalinkInAddressBar(permalink) {
    // The address bar always holds what is on screen. With no link (a scenario too large for
    // one) it drops the old ?s=, which would otherwise reopen an older scenario.
    if (!history.replaceState) return;
    var target = permalink || location.pathname;
    if (target !== location.pathname + location.search) history.replaceState(history.state, "", target);
  }

  function showErrors(errors) {
    // Clear every old message, then show the new ones. The inputs themselves are never touched
    // (only aria-invalid), so nothing the user typed is lost.
    var containers = document.querySelectorAll("[data-error-for]");
    Array.prototype.forEach.call(containers, function (el) {
      el.textContent = "";
      el.hidden = true;
    });
    Array.prototype.forEach.call(form.querySelectorAll('[aria-invalid="true"]'), function (el) {
      el.removeAttribute("aria-invalid");
    });
    var unplaced = [];
    Object.keys(errors).forEach(function (field) {
      var messages = [].concat(errors[field]).filter(Boolean).map(String);
      if (!messages.length) return;
      var el = document.querySelector('[data-error-for="' + cssString(field) + '"]');
      var input = form.elements.namedItem ? form.elements.namedItem(field) : null;
      if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
      if (!el) {
        unplaced.push(messages.join(" "));
        return;
      }
      el.textContent = messages.join(" ");
      el.hidden = false;
    });
    if (unplaced.length) {
      var general = document.querySelector('[data-error-for="__all__"]');
      if (general) {
        general.textContent = unplaced.join(" ");
        general.hidden = false;
      }
    }
  }

  function showNotes(notes) {
    // Remarks that stop nothing (e.g. a pasted event without a messageId), next to their field.
    Array.prototype.forEach.call(document.querySelectorAll("[data-note-for]"), function (el) {
      var texts = [].concat(notes[el.getAttribute("data-note-for")] || []).filter(Boolean).map(String);
      el.textContent = texts.join("\n");
      el.hidden = !texts.length;
    });
  }

  function replaceResults(html) {
    resetConfirmation();
    results.innerHTML = html;
    watchPreview();
  }

  // ---------------------------------------------------------------- log confirmation

  var RECORDER = "pintrk-recorder";
  var graceTimer = null;
  var seen = {}; // command index -> calls_json already handled (replays repeat reports)
  var strays = {}; // command indexes the browser ran without a log row

  function resetConfirmation() {
    clearTimeout(graceTimer);
    graceTimer = null;
    seen = {};
    strays = {};
  }

  function previewWindow() {
    var frame = document.getElementById("live-preview");
    return frame ? frame.contentWindow : null;
  }

  function watchPreview() {
    // The recorder may have reported before this script ran (it is deferred): ask it to repeat.
    var frame = document.getElementById("live-preview");
    if (!frame) return;
    var ask = function () {
      var win = frame.contentWindow;
      if (win) win.postMessage({ source: "pintrk-playground", type: "replay" }, "*");
    };
    frame.addEventListener("load", ask);
    ask();
  }

  function setRowStatus(row, state, text, browserJson) {
    var cell = row.querySelector(".log-status");
    if (!cell) return;
    cell.setAttribute("data-status", state);
    cell.textContent = text;
    if (browserJson !== undefined) {
      var label = document.createElement("div");
      label.className = "browser-json-label";
      label.textContent = "The browser ran:";
      var code = document.createElement("code");
      code.className = "browser-json";
      code.textContent = browserJson === null ? "(arguments JSON.stringify cannot write)" : browserJson;
      cell.appendChild(label);
      cell.appendChild(code);
    }
  }

  function logTable() {
    var row = results.querySelector("tr.log-row");
    return row ? row.closest("table") : results.querySelector("table.log, #log table, table");
  }

  function mismatchBanner() {
    var banner = results.querySelector(".log-mismatch");
    if (banner) return banner;
    banner = document.createElement("div");
    banner.className = "log-mismatch";
    banner.setAttribute("role", "alert");
    var title = document.createElement("strong");
    title.textContent = "✕ The browser executed different commands than predicted";
    var list = document.createElement("ul");
    list.className = "log-mismatch-list";
    banner.appendChild(title);
    banner.appendChild(list);
    var table = logTable();
    var anchor = table ? (table.parentNode.classList.contains("table-scroll") ? table.parentNode : table) : null;
    if (anchor) anchor.parentNode.insertBefore(banner, anchor);
    else results.insertBefore(banner, results.firstChild);
    return banner;
  }

  function reportMismatch(text) {
    var item = document.createElement("li");
    item.textContent = text;
    mismatchBanner().querySelector(".log-mismatch-list").appendChild(item);
  }

  function onCommand(data) {
    var index = data.index;
    if (typeof index !== "number" || index < 0 || Math.floor(index) !== index) return;
    var json = typeof data.calls_json === "string" ? data.calls_json : null;
    if (Object.prototype.hasOwnProperty.call(seen, index) && seen[index] === json) return; // a replay
    seen[index] = json;
    var row = results.querySelector('tr.log-row[data-command-index="' + index + '"]');
    if (!row) {
      var table = logTable();
      var shown = table ? table.getAttribute("data-shown-commands") : null;
      if (shown !== null && index >= Number(shown)) return; // beyond the rows the page renders
      if (strays[index]) return;
      strays[index] = true;
      reportMismatch("Command " + (index + 1) + " is not in the log; the browser ran " + (json === null ? "(unreadable arguments)" : json));
      return;
    }
    if (json !== null && json === row.getAttribute("data-calls-json")) {
      setRowStatus(row, "confirmed", "✓ ran in browser");
    } else {
      setRowStatus(row, "mismatch", "✕ browser ran something else", json);
      reportMismatch("Row " + (row.getAttribute("data-entry") !== null ? Number(row.getAttribute("data-entry")) + 1 : index + 1) +
        ": predicted " + row.getAttribute("data-calls-json") + ", the browser ran " + (json === null ? "(unreadable arguments)" : json));
    }
  }

  function onDone() {
    clearTimeout(graceTimer);
    graceTimer = setTimeout(function () {
      var cells = results.querySelectorAll('tr.log-row .log-status[data-status="expected"]');
      Array.prototype.forEach.call(cells, function (cell) {
        var row = cell.closest("tr");
        if (row && row.hasAttribute("data-command-index")) {
          cell.setAttribute("data-status", "missing");
          cell.textContent = "! not run";
        }
      });
    }, GRACE_MS);
  }

  function onMessage(event) {
    var win = previewWindow();
    if (!win || event.source !== win) return; // only our own preview iframe, never another frame
    var data = event.data;
    if (!data || typeof data !== "object" || data.source !== RECORDER) return;
    if (data.type === "command") onCommand(data);
    else if (data.type === "done") onDone();
  }

  // ---------------------------------------------------------------- copy buttons

  var announcer = null; // a visually hidden live region for short confirmations

  function announce(text) {
    if (announcer) {
      announcer.textContent = "";
      announcer.textContent = text;
    }
  }

  function flash(button, text) {
    if (!button.hasAttribute("data-label")) button.setAttribute("data-label", button.textContent);
    button.textContent = text;
    button.setAttribute("data-copied", "true");
    clearTimeout(button._copyTimer);
    button._copyTimer = setTimeout(function () {
      button.textContent = button.getAttribute("data-label");
      button.removeAttribute("data-copied");
    }, COPIED_MS);
    announce(text);
  }

  function selectNode(node) {
    var selection = window.getSelection();
    var range = document.createRange();
    range.selectNodeContents(node);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallbackCopy(button, node) {
    // No async clipboard (e.g. plain HTTP on another host name): select the text, try the old
    // copy command, and otherwise leave it selected for Ctrl+C.
    selectNode(node);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (err) {
      copied = false;
    }
    flash(button, copied ? "Copied" : "Selected: press Ctrl+C");
  }

  function copy(button, text, node) {
    // node: a function giving the element to select when the clipboard API is unavailable
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { flash(button, "Copied"); },
        function () { fallbackCopy(button, node()); }
      );
    } else {
      fallbackCopy(button, node());
    }
  }

  function linkNode(button, url) {
    // Somewhere visible to select the link in, next to the button.
    var id = button.id + "-text";
    var node = document.getElementById(id);
    if (!node) {
      node = document.createElement("output");
      node.id = id;
      node.className = "copy-link-text";
      button.parentNode.insertBefore(node, button.nextSibling);
    }
    node.textContent = url;
    return node;
  }

  function onClick(event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var link = target.closest("#copy-link");
    if (link) {
      var permalink = link.getAttribute("data-permalink") || (results && results.getAttribute("data-permalink"));
      if (!permalink) return;
      event.preventDefault();
      var url = location.origin + permalink;
      copy(link, url, function () { return linkNode(link, url); });
      return;
    }
    var button = target.closest("[data-copy-target]");
    if (button) {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      if (!source) return;
      event.preventDefault();
      copy(button, source.textContent, function () { return source; });
    }
  }

  // ---------------------------------------------------------------- mapping rows without a reload

  // "+ Add a mapping" and the rows' ✕ buttons are real submit buttons (the server edits the rows).
  // With the script, the same request is sent in the background and only that group of rows is
  // swapped for the server's new version: no page reload, no lost scroll position or focus.
  var ROW_ACTION = /^(add-(mapping|property)|remove-(mapping|property)-(\d+))$/;

  function submitNormally(button) {
    if (form.requestSubmit) {
      form.requestSubmit(button);
    } else {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = button.name;
      field.value = button.value;
      form.appendChild(field);
      form.submit();
    }
  }

  function rowAction(button) {
    var group = button.closest("fieldset");
    if (!group || !group.id) {
      submitNormally(button);
      return;
    }
    var match = ROW_ACTION.exec(button.value);
    var body = formBody();
    body.set(button.name, button.value);
    // While the server answers (milliseconds), keep the group's fields from being edited, so
    // nothing typed there can be lost when the group is swapped.
    group.setAttribute("aria-busy", "true");
    group.inert = true;
    // getAttribute: form.action would be the buttons named "action", not the URL.
    postForm(form.getAttribute("action") || location.pathname, body, "text/html")
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(group.id);
        if (!fresh) throw new Error("no " + group.id + " in the answer");
        var replacement = document.importNode(fresh, true);
        group.replaceWith(replacement);
        focusAfterRowAction(replacement, match);
        announce(match[2] ? "Row added" : "Row removed");
        scheduleUpdate();
      })
      .catch(function () {
        group.inert = false;
        group.removeAttribute("aria-busy");
        submitNormally(button); // the server-side way always works
      });
  }

  function focusAfterRowAction(group, match) {
    var rows = group.querySelectorAll(".row-item");
    var target = null;
    if (match[2]) {
      target = rows.length ? rows[rows.length - 1] : null; // the new, empty row
    } else if (rows.length) {
      target = rows[Math.min(Number(match[4]), rows.length - 1)]; // the row that took its place
    }
    var field = target && target.querySelector('input:not([type="hidden"]), select, textarea');
    if (!field) field = group.querySelector('button[value^="add-"]');
    if (field) field.focus();
  }

  function onFormClick(event) {
    var button = event.target instanceof Element ? event.target.closest('button[name="action"]') : null;
    if (!button || !ROW_ACTION.test(button.value) || !window.DOMParser || !window.fetch) return;
    event.preventDefault();
    rowAction(button);
  }

  // ---------------------------------------------------------------- start

  window.addEventListener("message", onMessage);
  document.addEventListener("click", onClick);
  announcer = liveRegion("announcer", "visually-hidden");
  document.body.appendChild(announcer);

  if (form && results) {
    status = liveRegion("live-status", "live-status");
    if (!status.parentNode) {
      // Next to the Run button (what it replaces), else just above the results.
      var runBar = form.querySelector(".run-bar");
      if (runBar) runBar.appendChild(status);
      else results.parentNode.insertBefore(status, results);
    }
    setStatus("ok", "Live updates on: results follow your edits");
    form.addEventListener("input", function (event) {
      if (isLiveField(event.target)) scheduleUpdate();
    });
    form.addEventListener("change", function (event) {
      if (isLiveField(event.target)) scheduleUpdate();
    });
    form.addEventListener("click", onFormClick);
    form.addEventListener("submit", onSubmit);
  }
  if (results) {
    watchPreview();
    // After a form submit (POST /) or an example link, show the result's own link as well.
    if (results.getAttribute("data-permalink")) showPermalinkInAddressBar(results.getAttribute("data-permalink"));
  }
})();
