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
}

/** The copy-link button may live outside #results (in the header): keep it in step. */
function updateCopyLink(permalink) {
  const link = document.getElementById("copy-link");
  if (!link) return;
  if (permalink) {
    link.setAttribute("data-permalink", permalink);
    link.setAttribute("href", permalink);
    link.removeAttribute("aria-disabled");
  } else {
    link.setAttribute("data-permalink", "");
    link.setAttribute("aria-disabled", "true");
  }
}

/** After a live update: the new link (or none) everywhere the page shows it. */
export function showPermalink(permalink) {
  if (permalink) state.results.setAttribute("data-permalink", permalink);
  else state.results.removeAttribute("data-permalink");
  showPermalinkInAddressBar(permalink);
  updateCopyLink(permalink);
}
