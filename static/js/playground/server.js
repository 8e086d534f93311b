/*
 * How the page talks to its server: the form's own posts, with the session cookie and the
 * CSRF token (Flask-WTF reads it from the X-CSRFToken header).
 */
import { state } from "./state.js";

function csrfToken() {
  if (state.csrfMeta && state.csrfMeta.content) return state.csrfMeta.content;
  const field = state.form && state.form.querySelector('input[name="csrf_token"]');
  return field ? field.value : "";
}

export function postForm(url, body, accept, signal) {
  return fetch(url, {
    method: "POST",
    body: body,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken(), Accept: accept },
    signal: signal,
  });
}

/**
 * The form as the server reads it, without a reproduction file waiting to be opened
 * (only its own button sends that).
 */
export function formBody() {
  const body = new FormData(state.form);
  if (body.delete) body.delete("reproduction_file");
  return body;
}
