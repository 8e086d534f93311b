/*
 * Live updates: editing the form re-renders the results via POST /render (debounced). The
 * newest request wins: an older answer arriving late is ignored, and a form the server would
 * refuse as too large is not sent at all.
 */
import { state } from "./state.js";
import { showErrors, showNotes } from "./field-errors.js";
import { showPermalink } from "./permalink.js";
import { resetConfirmation, watchPreview } from "./preview.js";
import { formBody, postForm } from "./server.js";
import { refuseTooLarge, sizeProblems } from "./size-limits.js";
import { clearStale, markStale, showsResult } from "./stale.js";
import { setStatus } from "./status.js";

const DEBOUNCE_MS = 200;
const UP_TO_DATE = ["ok", "Up to date"];
const UP_TO_DATE_INVALID = ["invalid", "Out of date: fix the marked fields, and the results follow"];

/**
 * Only the user's inputs trigger a live update. Controls that need the server to change the
 * form itself (presets, add/remove rows) are submit buttons or opt out with data-live="off".
 */
export function isLiveField(target) {
  if (!target || !target.name || target.closest('[data-live="off"]')) return false;
  const type = (target.type || "").toLowerCase();
  return type !== "submit" && type !== "button" && type !== "reset" && type !== "file";
}

export function scheduleUpdate() {
  clearTimeout(state.live.timer);
  setStatus("pending", "Updating…");
  state.live.timer = setTimeout(sendUpdate, DEBOUNCE_MS);
}

/** The form's text fields as one string: the same string means nothing to send. */
function serialize(data) {
  const parts = [];
  data.forEach((value, key) => {
    if (typeof value === "string") parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(value));
  });
  return parts.join("&");
}

/**
 * The form on screen is what the results show (an example swapped in with both): nothing to send
 * until the next edit, and any update still in flight is older than what is shown.
 */
export function markUpToDate() {
  const live = state.live;
  clearTimeout(live.timer);
  ++live.requestCounter;
  live.lastSent = serialize(formBody());
  live.waiting = false;
  live.lastState = UP_TO_DATE;
  setStatus(UP_TO_DATE[0], UP_TO_DATE[1]);
}

/** Abandon the request in flight (if any): its answer, should it come, is ignored. */
function abandonInFlight() {
  const inFlight = state.live.inFlight;
  if (inFlight && typeof inFlight.abort === "function") inFlight.abort();
}

function sendUpdate() {
  const live = state.live;
  const body = formBody();
  const problems = sizeProblems(body);
  if (problems) {
    // Not sent: the server would refuse it. The next edit checks again.
    live.lastSent = null;
    abandonInFlight();
    ++live.requestCounter;
    live.waiting = false;
    refuseTooLarge(problems);
    return;
  }
  const key = serialize(body);
  if (key === live.lastSent) {
    if (!live.waiting) setStatus(live.lastState[0], live.lastState[1]);
    return;
  }
  live.lastSent = key;
  send(body);
}

function send(body) {
  const live = state.live;
  const id = ++live.requestCounter;
  live.waiting = true;
  abandonInFlight();
  const controller = window.AbortController ? new AbortController() : null;
  live.inFlight = controller;
  setStatus("pending", "Updating…");
  postForm(state.form.getAttribute("data-render-url") || "/render", body, "application/json",
    controller ? controller.signal : undefined)
    .then((response) => {
      const type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        throw new Error("the server answered HTTP " + response.status);
      }
      return response.json();
    })
    .then((data) => onAnswer(id, data))
    .catch((err) => onFailure(id, err));
}

function onAnswer(id, data) {
  const live = state.live;
  if (id !== live.requestCounter) return; // an older answer arriving late
  live.waiting = false;
  try {
    applyUpdate(data);
  } catch (err) {
    live.lastSent = null;
    setStatus("error", "Could not update: " + err.message);
    return;
  }
  live.lastState = data.ok ? UP_TO_DATE : UP_TO_DATE_INVALID;
  setStatus(live.lastState[0], live.lastState[1]);
}

function onFailure(id, err) {
  const live = state.live;
  if (id !== live.requestCounter || (err && err.name === "AbortError")) return;
  live.waiting = false;
  live.lastSent = null; // let the next edit (or the same form) try again
  setStatus("error", "Could not update (" + (err && err.message ? err.message : "network error") +
    "). Use the Run button to submit the form.");
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
  if (!data.has_result && showsResult()) {
    // Unfinished input: keep the last result (and its link and preview) on screen, marked.
    markStale(data.stale_reason);
    return;
  }
  if (typeof data.results_html === "string") replaceResults(data.results_html);
  showPermalink(data.permalink, Boolean(data.has_result));
  if (data.preview_url) state.results.setAttribute("data-preview-url", data.preview_url);
  else state.results.removeAttribute("data-preview-url");
}

function replaceResults(html) {
  clearStale();
  resetConfirmation();
  state.results.innerHTML = html;
  watchPreview();
}
