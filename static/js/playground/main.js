/*
 * pintrk playground: progressive enhancement for the main page (the entry module).
 *
 * The page works without these modules (every button is a real form submit). With them:
 *  - live updates: editing the form re-renders the results via POST /render (live-update.js);
 *  - size limits: a form the server would refuse is not sent (size-limits.js);
 *  - log confirmation: the live-preview iframe's recorder reports what the browser really ran,
 *    and each log row is marked confirmed / mismatch / missing (preview.js);
 *  - mapping rows added and removed without a reload (rows.js);
 *  - copy buttons for the snippet and the permalink (copy.js).
 * What they share is in state.js. This module only wires them to the page's events.
 */
import { state } from "./state.js";
import { onClick } from "./copy.js";
import { onExampleClick, onHistoryMove } from "./example-links.js";
import { isLiveField, scheduleUpdate } from "./live-update.js";
import { showPermalinkInAddressBar } from "./permalink.js";
import { onMessage, watchPreview } from "./preview.js";
import { onFormClick } from "./rows.js";
import { onSubmit } from "./size-limits.js";
import { setUpSources } from "./sources.js";
import { liveRegion, setStatus } from "./status.js";

/** The live-update status goes next to the Run button (what it replaces), else above the results. */
function placeStatus(form, results) {
  state.status = liveRegion("live-status", "live-status");
  if (state.status.parentNode) return;
  const runBar = form.querySelector(".run-bar");
  if (runBar) runBar.appendChild(state.status);
  else results.parentNode.insertBefore(state.status, results);
}

function startLiveUpdates(form, results) {
  placeStatus(form, results);
  setStatus("ok", "Live updates on: results follow your edits");
  const onEdit = (event) => {
    if (isLiveField(event.target)) scheduleUpdate();
  };
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  form.addEventListener("click", onFormClick);
  form.addEventListener("submit", onSubmit);
}

window.addEventListener("message", onMessage);
document.addEventListener("click", onClick);
document.addEventListener("click", onExampleClick);
window.addEventListener("popstate", onHistoryMove);
state.announcer = liveRegion("announcer", "visually-hidden");
document.body.appendChild(state.announcer);

if (state.form && state.results) startLiveUpdates(state.form, state.results);
// Cloud mode's fields follow the connection mode (the stylesheet hides them in device mode).
if (state.form) state.form.setAttribute("data-cloud-fields", "follow-mode");
setUpSources(state.form);
if (state.results) {
  watchPreview();
  // After a form submit (POST /) or an example link, show the result's own link as well.
  const permalink = state.results.getAttribute("data-permalink");
  if (permalink) showPermalinkInAddressBar(permalink);
  // After Run or an example, the user asked for a result: put them on it.
  const heading = document.getElementById("results-heading");
  if (heading && state.results.getAttribute("data-focus") === "results") heading.focus();
}
