/*
 * Mapping rows without a reload. "+ Add a mapping" and the rows' ✕ buttons are real submit
 * buttons (the server edits the rows). With the script, the same request is sent in the
 * background and only that group of rows is swapped for the server's new version: no page
 * reload, no lost scroll position or focus.
 */
import { state } from "./state.js";
import { scheduleUpdate } from "./live-update.js";
import { formBody, postForm } from "./server.js";
import { announce } from "./status.js";

const ROW_ACTION = /^(add-(mapping|property)|remove-(mapping|property)-(\d+))$/;

/** The server-side way, which always works. */
function submitNormally(button) {
  const form = state.form;
  if (form.requestSubmit) {
    form.requestSubmit(button);
  } else {
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = button.name;
    field.value = button.value;
    form.appendChild(field);
    form.submit();
  }
}

function rowAction(button) {
  const group = button.closest("fieldset");
  if (!group || !group.id) {
    submitNormally(button);
    return;
  }
  const match = ROW_ACTION.exec(button.value);
  const body = formBody();
  body.set(button.name, button.value);
  // While the server answers (milliseconds), keep the group's fields from being edited, so
  // nothing typed there can be lost when the group is swapped.
  group.setAttribute("aria-busy", "true");
  group.inert = true;
  // getAttribute: form.action would be the buttons named "action", not the URL.
  postForm(state.form.getAttribute("action") || location.pathname, body, "text/html")
    .then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    })
    .then((html) => swapGroup(group, html, match))
    .catch(() => {
      group.inert = false;
      group.removeAttribute("aria-busy");
      submitNormally(button);
    });
}

/** Put the server's new version of the group in place of the old one. */
function swapGroup(group, html, match) {
  const fresh = new DOMParser().parseFromString(html, "text/html").getElementById(group.id);
  if (!fresh) throw new Error("no " + group.id + " in the answer");
  const replacement = document.importNode(fresh, true);
  group.replaceWith(replacement);
  focusAfterRowAction(replacement, match);
  announce(match[2] ? "Row added" : "Row removed");
  scheduleUpdate();
}

/** Focus the new, empty row, or the row that took the removed one's place. */
function focusAfterRowAction(group, match) {
  const rows = group.querySelectorAll(".row-item");
  let target = null;
  if (match[2]) {
    target = rows.length ? rows[rows.length - 1] : null;
  } else if (rows.length) {
    target = rows[Math.min(Number(match[4]), rows.length - 1)];
  }
  let field = target && target.querySelector('input:not([type="hidden"]), select, textarea');
  if (!field) field = group.querySelector('button[value^="add-"]');
  if (field) field.focus();
}

export function onFormClick(event) {
  const button = event.target instanceof Element ? event.target.closest('button[name="action"]') : null;
  if (!button || !ROW_ACTION.test(button.value) || !window.DOMParser || !window.fetch) return;
  event.preventDefault();
  rowAction(button);
}
