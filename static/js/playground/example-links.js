/*
 * Examples without a page load: "Try: identify then track" fetches the example's page and swaps
 * in its form and results, instead of navigating. The live preview then starts in the browser
 * process the blank page's warm-up frame already started (a sandboxed frame needs a process of
 * its own, ~200 ms to start), so the rows are ticked about as soon as the log is shown.
 * Any failure falls back to following the link.
 */
import { state } from "./state.js";
import { markUpToDate } from "./live-update.js";
import { showPermalink } from "./permalink.js";
import { resetConfirmation, watchPreview } from "./preview.js";
import { setUpSources } from "./sources.js";
import { clearStale, showsResult } from "./stale.js";

const COPIED_ATTRIBUTES = ["data-permalink", "data-preview-url"];

function isPlainClick(event) {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

function swapIn(page, url) {
  const form = page.getElementById("playground-form");
  const results = page.getElementById("results");
  if (!form || !results) throw new Error("not a playground page");
  const status = state.status;
  state.form.innerHTML = form.innerHTML;
  const runBar = state.form.querySelector(".run-bar");
  if (status && runBar) runBar.appendChild(status); // the status lived in the old form
  setUpSources(state.form);
  resetConfirmation();
  clearStale();
  state.results.innerHTML = results.innerHTML;
  for (const name of COPIED_ATTRIBUTES) {
    const value = results.getAttribute(name);
    if (value === null) state.results.removeAttribute(name);
    else state.results.setAttribute(name, value);
  }
  watchPreview();
  const permalink = results.getAttribute("data-permalink");
  history.pushState(null, "", permalink || url);
  showPermalink(permalink, showsResult(results));
  state.address = location.pathname + location.search;
  markUpToDate();
  const heading = document.getElementById("results-heading");
  if (heading) heading.focus();
}

export function onExampleClick(event) {
  const target = event.target;
  const link = target instanceof Element ? target.closest("a[data-example]") : null;
  if (!link || event.defaultPrevented || !isPlainClick(event) || !state.form || !window.DOMParser) return;
  event.preventDefault();
  const url = link.href;
  fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    })
    .then((html) => swapIn(new DOMParser().parseFromString(html, "text/html"), url))
    .catch(() => {
      location.href = url; // the plain link still works
    });
}

/**
 * Back and Forward across a swap: the address is the truth, so show what it names. (A link to a
 * #row on the page moves in history too, without changing what is on screen: nothing to do.)
 */
export function onHistoryMove() {
  if (location.pathname + location.search !== state.address) location.reload();
}
