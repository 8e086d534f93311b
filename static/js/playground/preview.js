/*
 * Log confirmation: the live-preview iframe runs the generated tag against a recorder
 * (static/js/recorder.js), which reports each command the browser really ran. Each log row is
 * marked confirmed / mismatch / missing, and commands without a row are listed above the log.
 */
import { state } from "./state.js";

const RECORDER = "pintrk-recorder"; // the recorder's messages carry this source
const GRACE_MS = 1000; // after "done", how long a row may still be confirmed before it is "not run"

/** New results, new preview: forget what the old one reported. */
export function resetConfirmation() {
  const confirmation = state.confirmation;
  clearTimeout(confirmation.graceTimer);
  confirmation.graceTimer = null;
  confirmation.seen = {};
  confirmation.strays = {};
}

function previewWindow() {
  const frame = document.getElementById("live-preview");
  return frame ? frame.contentWindow : null;
}

/** The recorder may have reported before this script ran (it is deferred): ask it to repeat. */
export function watchPreview() {
  const frame = document.getElementById("live-preview");
  if (!frame) return;
  const ask = () => {
    const win = frame.contentWindow;
    if (win) win.postMessage({ source: "pintrk-playground", type: "replay" }, "*");
  };
  frame.addEventListener("load", ask);
  ask();
}

function setRowStatus(row, kind, text, browserJson) {
  const cell = row.querySelector(".log-status");
  if (!cell) return;
  cell.setAttribute("data-status", kind);
  cell.textContent = text;
  if (browserJson !== undefined) {
    const label = document.createElement("div");
    label.className = "browser-json-label";
    label.textContent = "The browser ran:";
    const code = document.createElement("code");
    code.className = "browser-json";
    code.textContent = browserJson === null ? "(arguments JSON.stringify cannot write)" : browserJson;
    cell.appendChild(label);
    cell.appendChild(code);
  }
}

function logTable() {
  const row = state.results.querySelector("tr.log-row");
  return row ? row.closest("table") : state.results.querySelector("table.log, #log table, table");
}

/** The banner above the log listing every difference (made on the first one). */
function mismatchBanner() {
  let banner = state.results.querySelector(".log-mismatch");
  if (banner) return banner;
  banner = document.createElement("div");
  banner.className = "log-mismatch";
  banner.setAttribute("role", "alert");
  const title = document.createElement("strong");
  title.textContent = "✕ The browser executed different commands than predicted";
  const list = document.createElement("ul");
  list.className = "log-mismatch-list";
  banner.appendChild(title);
  banner.appendChild(list);
  const table = logTable();
  const anchor = table ? (table.parentNode.classList.contains("table-scroll") ? table.parentNode : table) : null;
  if (anchor) anchor.parentNode.insertBefore(banner, anchor);
  else state.results.insertBefore(banner, state.results.firstChild);
  return banner;
}

function reportMismatch(text) {
  const item = document.createElement("li");
  item.textContent = text;
  mismatchBanner().querySelector(".log-mismatch-list").appendChild(item);
}

function describe(json) {
  return json === null ? "(unreadable arguments)" : json;
}

/** A command the browser ran that has no log row: reported once, unless beyond the rows shown. */
function onStray(index, json) {
  const table = logTable();
  const shown = table ? table.getAttribute("data-shown-commands") : null;
  if (shown !== null && index >= Number(shown)) return; // beyond the rows the page renders
  const strays = state.confirmation.strays;
  if (strays[index]) return;
  strays[index] = true;
  reportMismatch("Command " + (index + 1) + " is not in the log; the browser ran " + describe(json));
}

function onCommand(data) {
  const index = data.index;
  if (typeof index !== "number" || index < 0 || Math.floor(index) !== index) return;
  const json = typeof data.calls_json === "string" ? data.calls_json : null;
  const seen = state.confirmation.seen;
  if (Object.prototype.hasOwnProperty.call(seen, index) && seen[index] === json) return; // a replay
  seen[index] = json;
  const row = state.results.querySelector('tr.log-row[data-command-index="' + index + '"]');
  if (!row) {
    onStray(index, json);
  } else if (json !== null && json === row.getAttribute("data-calls-json")) {
    setRowStatus(row, "confirmed", "✓ ran in browser");
  } else {
    setRowStatus(row, "mismatch", "✕ browser ran something else", json);
    const entry = row.getAttribute("data-entry");
    reportMismatch("Row " + (entry !== null ? Number(entry) + 1 : index + 1) +
      ": predicted " + row.getAttribute("data-calls-json") + ", the browser ran " + describe(json));
  }
}

/** The preview finished: rows still unconfirmed after a grace period were not run. */
function onDone() {
  const confirmation = state.confirmation;
  clearTimeout(confirmation.graceTimer);
  confirmation.graceTimer = setTimeout(() => {
    const cells = state.results.querySelectorAll('tr.log-row .log-status[data-status="expected"]');
    cells.forEach((cell) => {
      const row = cell.closest("tr");
      if (row && row.hasAttribute("data-command-index")) {
        cell.setAttribute("data-status", "missing");
        cell.textContent = "! not run";
      }
    });
  }, GRACE_MS);
}

export function onMessage(event) {
  const win = previewWindow();
  if (!win || event.source !== win) return; // only our own preview iframe, never another frame
  const data = event.data;
  if (!data || typeof data !== "object" || data.source !== RECORDER) return;
  if (data.type === "command") onCommand(data);
  else if (data.type === "done") onDone();
}
