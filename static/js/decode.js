/*
 * Decode beacons: say a HAR file is too large before uploading it (an ES module, like the
 * playground's: deferred, so the form exists when it runs).
 *
 * The server refuses it anyway (with the same words); checking here keeps the pasted URLs and
 * the rest of the form as they are, and saves uploading tens of megabytes for nothing.
 */
const form = document.getElementById("decode-form");
const input = document.getElementById("har");
const error = document.getElementById("error-har");

function watchHarSize() {
  const limit = Number(input.getAttribute("data-max-bytes")) || 0;
  const limitText = input.getAttribute("data-limit-text") || limit + " bytes";

  function tooLarge() {
    const file = input.files && input.files[0];
    return limit > 0 && file && file.size > limit ? file : null;
  }

  // Show or clear the error; true when the chosen file may be sent.
  function check() {
    const file = tooLarge();
    if (file) {
      error.textContent = "“" + file.name + "” is larger than " + limitText + ", the most this page reads. " +
        "Record only the page visit that shows the problem, or paste the request URLs instead.";
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
    } else if (input.getAttribute("aria-invalid") === "true") {
      error.textContent = "";
      error.hidden = true;
      input.removeAttribute("aria-invalid");
    }
    return !file;
  }

  input.addEventListener("change", check);
  form.addEventListener("submit", (event) => {
    if (!check()) {
      event.preventDefault();
      input.focus();
    }
  });
}

if (form && input && error && window.FileReader) watchHarSize();
