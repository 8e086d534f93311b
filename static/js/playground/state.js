/*
 * The one object the page's modules share: the page's elements and every value that changes
 * while the page is open. Modules keep only constants of their own, so what one section can
 * see of another is all here.
 *
 * Module scripts run after the document is parsed (they are deferred), so the elements exist.
 */
export const state = {
  // The page's parts: absent on pages without the playground form.
  form: document.getElementById("playground-form"),
  results: document.getElementById("results"),
  csrfMeta: document.querySelector('meta[name="csrf-token"]'),

  // What the page says (both made by main.js): the live-update status beside the Run button,
  // and a visually hidden live region for short confirmations ("Copied", "Row added").
  status: null,
  announcer: null,

  // Live updates: one request in flight at a time; answers to older ones are ignored.
  live: {
    timer: null, // the debounce timer of the next update
    requestCounter: 0, // the newest request's number
    inFlight: null, // its AbortController
    lastSent: null, // the form as last sent: an input and then a change event send it once
    waiting: false, // the newest request has not been answered yet
    lastState: ["ok", "Up to date"], // the status to show again when nothing needs sending
  },

  // Log confirmation from the live preview (reset whenever the results are replaced).
  confirmation: {
    graceTimer: null, // after "done": rows still unconfirmed then are "not run"
    seen: {}, // command index -> calls_json already handled (replays repeat reports)
    strays: {}, // command indexes the browser ran without a log row
  },

  // The address of what is on screen (path and query; a #fragment is only a place on the page).
  address: location.pathname + location.search,

  // Copy buttons: each button's timer that restores its label.
  copyTimers: new WeakMap(),
};
