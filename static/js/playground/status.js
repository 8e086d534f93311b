/*
 * What the page tells the user in words: the live-update status and short announcements.
 * Both are live regions, so screen readers hear them too.
 */
import { state } from "./state.js";

/** The element with this id, or a new polite live region (not yet in the document). */
export function liveRegion(id, className) {
  let el = document.getElementById(id);
  if (!el) {
    el = document.createElement("p");
    el.id = id;
    el.className = className;
    el.setAttribute("role", "status");
    el.setAttribute("aria-live", "polite");
  }
  return el;
}

/** The live-update status: state is ok / pending / invalid / error (the CSS colours it). */
export function setStatus(kind, text) {
  if (!state.status) return;
  state.status.setAttribute("data-state", kind);
  state.status.textContent = text;
}

export function announce(text) {
  if (state.announcer) {
    // Emptied first so that the same words twice are announced twice.
    state.announcer.textContent = "";
    state.announcer.textContent = text;
  }
}
