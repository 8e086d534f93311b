/*
 * Messages beside the fields ([data-error-for] and [data-note-for] containers). The inputs
 * themselves are never touched (only aria-invalid), so nothing the user typed is lost.
 */
import { state } from "./state.js";

/** A value for an attribute selector ("..."): CSS.escape where available. */
export function cssString(value) {
  return window.CSS && CSS.escape ? CSS.escape(String(value)) : String(value).replace(/["\\]/g, "\\$&");
}

/** The container of a field's error message, or null. */
export function errorContainer(field, root = document) {
  return root.querySelector('[data-error-for="' + cssString(field) + '"]');
}

function clearErrors() {
  document.querySelectorAll("[data-error-for]").forEach((el) => {
    el.textContent = "";
    el.hidden = true;
  });
  state.form.querySelectorAll('[aria-invalid="true"]').forEach((el) => el.removeAttribute("aria-invalid"));
}

/** Clear every old message, then show errors ({field: [message]}); unknown fields go to __all__. */
export function showErrors(errors) {
  clearErrors();
  const unplaced = [];
  Object.keys(errors).forEach((field) => {
    const messages = [].concat(errors[field]).filter(Boolean).map(String);
    if (!messages.length) return;
    const el = errorContainer(field);
    const input = state.form.elements.namedItem ? state.form.elements.namedItem(field) : null;
    if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
    if (!el) {
      unplaced.push(messages.join(" "));
      return;
    }
    el.textContent = messages.join(" ");
    el.hidden = false;
  });
  const general = unplaced.length ? errorContainer("__all__") : null;
  if (general) {
    general.textContent = unplaced.join(" ");
    general.hidden = false;
  }
}

/** Remarks that stop nothing (e.g. a pasted event without a messageId), next to their field. */
export function showNotes(notes) {
  document.querySelectorAll("[data-note-for]").forEach((el) => {
    const texts = [].concat(notes[el.getAttribute("data-note-for")] || []).filter(Boolean).map(String);
    el.textContent = texts.join("\n");
    el.hidden = !texts.length;
  });
}
