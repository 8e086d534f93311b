/*
 * The scenario's link: on #results (data-permalink), in the address bar and on the header's
 * copy-link button. All three always name what is on screen.
 */
import { state } from "./state.js";

/**
 * The address bar holds what is on screen. With no link (a scenario too large for one) it
 * drops the old ?s=, which would otherwise reopen an older scenario.
 */
export function showPermalinkInAddressBar(permalink) {
  if (!history.replaceState) return;
  const target = permalink || location.pathname;
  if (target !== location.pathname + location.search) history.replaceState(history.state, "", target);
  state.address = location.pathname + location.search;
}

/**
 * The header's Copy link and Export log: enabled only when there is something to copy or export
 * (a disabled link is no link at all: no href, role="link", aria-disabled, and it says why).
 */
function updateHeaderTools(permalink, hasResult) {
  const link = document.getElementById("copy-link");
  if (link) {
    link.setAttribute("data-permalink", permalink || "");
    if (permalink) {
      link.setAttribute("href", permalink);
      for (const name of ["role", "aria-disabled", "title"]) link.removeAttribute(name);
    } else {
      link.removeAttribute("href");
      link.setAttribute("role", "link");
      link.setAttribute("aria-disabled", "true");
      link.setAttribute("title", "Run a scenario first: then this copies a link to it");
    }
  }
  const exportButton = document.getElementById("export-log");
  if (exportButton) {
    exportButton.disabled = !hasResult;
    if (hasResult) exportButton.removeAttribute("title");
    else exportButton.setAttribute("title", "Run a scenario first: then this downloads its log");
  }
}

/** After a live update: the new link (or none) everywhere the page shows it. */
export function showPermalink(permalink, hasResult) {
  if (permalink) state.results.setAttribute("data-permalink", permalink);
  else state.results.removeAttribute("data-permalink");
  showPermalinkInAddressBar(permalink);
  updateHeaderTools(permalink, hasResult);
}
