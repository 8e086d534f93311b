/*
 * The server's limits on what one form may carry (config.py, written on the form as
 * data-max-field-bytes and data-max-request-bytes). A form over them is not sent: the problem
 * is shown beside the field, and everything typed stays where it is.
 */
import { state } from "./state.js";
import { errorContainer, showErrors } from "./field-errors.js";
import { setStatus } from "./status.js";

const MAX_FIELD_BYTES = limitOnForm("data-max-field-bytes");
const MAX_REQUEST_BYTES = limitOnForm("data-max-request-bytes");
const PART_OVERHEAD = 100; // a multipart field's boundary and headers, roughly

function limitOnForm(attribute) {
  return state.form ? Number(state.form.getAttribute(attribute)) || 0 : 0;
}

function isSurrogatePair(text, i) {
  const high = text.charCodeAt(i);
  const low = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
  return high >= 0xd800 && high < 0xdc00 && low >= 0xdc00 && low < 0xe000;
}

/** What a browser sends for a text: UTF-8, each line break as CR LF. */
export function sentBytes(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) bytes += text.charCodeAt(i - 1) === 13 ? 1 : 2;
    else if (code === 13) bytes += text.charCodeAt(i + 1) === 10 ? 1 : 2;
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isSurrogatePair(text, i)) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function sizeText(bytes) {
  const mb = 1024 * 1024;
  if (bytes >= mb) return (bytes / mb).toFixed(bytes % mb ? 2 : 0) + " MB";
  return Math.round(bytes / 1024) + " KB";
}

/** The field whose container shows a problem (the reproduction's parts share one). */
function errorKey(name) {
  return /^reproduction_/.test(name) ? "reproduction" : name;
}

function fieldTooLarge(bytes) {
  return "This field is " + sizeText(bytes) + "; the playground accepts at most " +
    sizeText(MAX_FIELD_BYTES) + " in one field. Nothing was sent: shorten it, then try again.";
}

function formTooLarge(total, largest, largestBytes) {
  const isFile = errorKey(largest) === "reproduction" && largest !== "reproduction_text";
  return "The form is " + sizeText(total) + " in all; the playground accepts at most " +
    sizeText(MAX_REQUEST_BYTES) + " per request. " + (isFile
      ? "The chosen reproduction file is its largest part (" + sizeText(largestBytes) + "): choose a smaller one."
      : "This field is its largest part (" + sizeText(largestBytes) + "): shorten it, then try again.") +
    " Nothing was sent.";
}

/** {field: [message]} for a form the server would refuse as too large, else null. */
export function sizeProblems(body) {
  if (!MAX_FIELD_BYTES && !MAX_REQUEST_BYTES) return null;
  const problems = {};
  let found = false;
  let total = 0;
  let largest = null;
  let largestBytes = -1;
  body.forEach((value, name) => {
    const isFile = typeof value !== "string";
    const bytes = isFile ? value.size || 0 : sentBytes(value);
    total += bytes + PART_OVERHEAD;
    if (bytes > largestBytes) {
      largest = name;
      largestBytes = bytes;
    }
    if (!isFile && MAX_FIELD_BYTES && bytes > MAX_FIELD_BYTES) {
      problems[errorKey(name)] = [fieldTooLarge(bytes)];
      found = true;
    }
  });
  if (!found && MAX_REQUEST_BYTES && total > MAX_REQUEST_BYTES && largest !== null) {
    problems[errorKey(largest)] = [formTooLarge(total, largest, largestBytes)];
    found = true;
  }
  return found ? problems : null;
}

/** Show why the form was not sent, and take the user to the field. */
export function refuseTooLarge(problems) {
  showErrors(problems);
  const first = Object.keys(problems)[0];
  const container = first && errorContainer(first, state.form);
  const input = first === "reproduction"
    ? document.getElementById("reproduction_file")
    : state.form.elements.namedItem(first);
  if (input && input.focus && !input.length) input.focus();
  else if (container && container.scrollIntoView) container.scrollIntoView({ block: "center" });
  setStatus("invalid", "Not sent: the form is too large (see the marked field)");
}

/** Every submit (Run, Save reproduction, Export log, …): check the sizes before sending. */
export function onSubmit(event) {
  let body;
  try {
    body = new FormData(state.form, event.submitter || undefined);
  } catch (err) {
    body = new FormData(state.form); // browsers without the submitter argument
  }
  const problems = sizeProblems(body);
  if (!problems) return;
  event.preventDefault();
  refuseTooLarge(problems);
}
