/*
 * While the input is unfinished (a half-typed call, a field with an error), the results panel
 * keeps the last result that ran, marked "out of date" with the reason, instead of going blank.
 * The note is a polite live region: screen readers hear it when they are idle, never mid-word.
 */
import { state } from "./state.js";

const NOTE_ID = "stale-note";

/** Whether the panel (or a results section from elsewhere) shows a result: one worth keeping. */
export function showsResult(results = state.results) {
  return Boolean(results && results.querySelector("#log-heading"));
}

export function markStale(reason) {
  let note = document.getElementById(NOTE_ID);
  if (!note) {
    note = document.createElement("p");
    note.id = NOTE_ID;
    note.className = "stale-note";
    note.setAttribute("role", "status");
    note.setAttribute("aria-live", "polite");
    state.results.insertBefore(note, state.results.firstChild);
  }
  note.textContent = "Out of date: " + (reason || "the form has a problem") +
    " The results below are from your last complete input; they follow again once it is fixed.";
  state.results.classList.add("is-stale");
}

export function clearStale() {
  const note = document.getElementById(NOTE_ID);
  if (note) note.remove();
  if (state.results) state.results.classList.remove("is-stale");
}
