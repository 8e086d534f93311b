/*
 * Copy buttons: the header's copy-link (the scenario's permalink) and every [data-copy-target]
 * button (the snippet, the log…). Without the async clipboard the text is selected instead.
 */
import { state } from "./state.js";
import { announce } from "./status.js";

const COPIED_MS = 1600; // how long a button says "Copied"

/** Say what happened on the button itself for a moment, and to screen readers. */
function flash(button, text) {
  if (!button.hasAttribute("data-label")) button.setAttribute("data-label", button.textContent);
  button.textContent = text;
  button.setAttribute("data-copied", "true");
  clearTimeout(state.copyTimers.get(button));
  state.copyTimers.set(button, setTimeout(() => {
    button.textContent = button.getAttribute("data-label");
    button.removeAttribute("data-copied");
  }, COPIED_MS));
  announce(text);
}

function selectNode(node) {
  const selection = window.getSelection();
  const range = document.createRange();
  range.selectNodeContents(node);
  selection.removeAllRanges();
  selection.addRange(range);
}

/**
 * No async clipboard (e.g. plain HTTP on another host name): select the text, try the old
 * copy command, and otherwise leave it selected for Ctrl+C.
 */
function fallbackCopy(button, node) {
  selectNode(node);
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch (err) {
    copied = false;
  }
  flash(button, copied ? "Copied" : "Selected: press Ctrl+C");
}

/** node: a function giving the element to select when the clipboard API is unavailable. */
function copy(button, text, node) {
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(
      () => flash(button, "Copied"),
      () => fallbackCopy(button, node())
    );
  } else {
    fallbackCopy(button, node());
  }
}

/** Somewhere visible to select the link in, next to the button. */
function linkNode(button, url) {
  const id = button.id + "-text";
  let node = document.getElementById(id);
  if (!node) {
    node = document.createElement("output");
    node.id = id;
    node.className = "copy-link-text";
    button.parentNode.insertBefore(node, button.nextSibling);
  }
  node.textContent = url;
  return node;
}

function copyLink(event, link) {
  const permalink = link.getAttribute("data-permalink") ||
    (state.results && state.results.getAttribute("data-permalink"));
  if (!permalink) return;
  event.preventDefault();
  const url = location.origin + permalink;
  copy(link, url, () => linkNode(link, url));
}

/** Clicks anywhere on the page: the copy buttons may be replaced with the results. */
export function onClick(event) {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const link = target.closest("#copy-link");
  if (link) {
    copyLink(event, link);
    return;
  }
  const button = target.closest("[data-copy-target]");
  if (button) {
    const source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) return;
    event.preventDefault();
    copy(button, source.textContent, () => source);
  }
}
