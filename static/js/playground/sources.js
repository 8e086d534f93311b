/*
 * The scenario's source switch: SDK calls | pasted RudderStack events | pintrk calls.
 *
 * Without scripts each tab is a submit button (actions use-calls, use-events, use-pintrk) and the
 * server switches. Here the same buttons become ARIA tabs that switch at once: the hidden
 * scenario_source field is set, that source's panel is shown and the others hidden (their text
 * stays in the form and is sent with it), and the results follow with a live update. Left and right
 * arrows, Home and End move between the tabs (automatic activation: a switch costs one live update).
 *
 * The offers beside the pasted events (a note with one button) are shown and hidden with their
 * note, which live updates fill (field-errors.js showNotes).
 */
import { scheduleUpdate } from "./live-update.js";

const KEY_STEPS = { ArrowRight: 1, ArrowLeft: -1 };

function sourceTabs(list) {
  return Array.prototype.slice.call(list.querySelectorAll("[data-source]"));
}

function panelOf(form, tab) {
  return form.querySelector('[data-source-panel="' + tab.getAttribute("data-source") + '"]');
}

/** Show ``source``'s panel, select its tab; other sources' fields are hidden, not removed. */
function select(form, list, source) {
  sourceTabs(list).forEach((tab) => {
    const chosen = tab.getAttribute("data-source") === source;
    tab.setAttribute("aria-selected", chosen ? "true" : "false");
    tab.tabIndex = chosen ? 0 : -1;
    const panel = panelOf(form, tab);
    if (panel) panel.hidden = !chosen;
  });
}

function choose(form, list, tab) {
  const field = form.elements.namedItem("scenario_source");
  const source = tab.getAttribute("data-source");
  if (!field || field.value === source) {
    select(form, list, source);
    return;
  }
  field.value = source;
  select(form, list, source);
  scheduleUpdate();
}

/** The server's buttons become a tablist: roles, labels, and one tab stop. */
function makeTabs(form, list) {
  list.setAttribute("role", "tablist");
  sourceTabs(list).forEach((tab) => {
    tab.setAttribute("role", "tab");
    tab.removeAttribute("aria-current");
    const panel = panelOf(form, tab);
    if (!panel) return;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
  });
  const field = form.elements.namedItem("scenario_source");
  const tabs = sourceTabs(list);
  const current = tabs.filter((tab) => field && tab.getAttribute("data-source") === field.value)[0];
  select(form, list, (current || tabs[0]).getAttribute("data-source"));
}

function onKeyDown(form, list, event) {
  const tabs = sourceTabs(list);
  const at = tabs.indexOf(event.target);
  if (at === -1) return;
  let next = null;
  if (event.key in KEY_STEPS) next = tabs[(at + KEY_STEPS[event.key] + tabs.length) % tabs.length];
  else if (event.key === "Home") next = tabs[0];
  else if (event.key === "End") next = tabs[tabs.length - 1];
  if (!next) return;
  event.preventDefault();
  next.focus();
  choose(form, list, next);
}

/** Each offer box shows while its note has text (live updates hide and show the note). */
function followNotes(form) {
  const boxes = form.querySelectorAll("[data-offer]");
  if (!boxes.length || !window.MutationObserver) return;
  const observer = new MutationObserver(() => {
    boxes.forEach((box) => {
      const note = box.querySelector("[data-note-for]");
      box.hidden = !note || note.hidden;
    });
  });
  boxes.forEach((box) => {
    const note = box.querySelector("[data-note-for]");
    if (note) observer.observe(note, { attributes: true, attributeFilter: ["hidden"] });
  });
}

export function setUpSources(form) {
  const list = form ? form.querySelector("[data-source-switch]") : null;
  if (!list) return;
  makeTabs(form, list);
  list.addEventListener("click", (event) => {
    const tab = event.target instanceof Element ? event.target.closest("[data-source]") : null;
    if (!tab) return;
    event.preventDefault(); // no round trip: the switch is instant
    choose(form, list, tab);
  });
  list.addEventListener("keydown", (event) => onKeyDown(form, list, event));
  followNotes(form);
}
