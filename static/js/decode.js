/*
 * Decode beacons: say a HAR file is too large before uploading it.
 *
 * The server refuses it anyway (with the same words); checking here keeps the pasted URLs and
 * the rest of the form as they are, and saves uploading tens of megabytes for nothing.
 */
(function () {
  "use strict";

  var form = document.getElementById("decode-form");
  var input = document.getElementById("har");
  var error = document.getElementById("error-har");
  if (!form || !input || !error || !window.FileReader) return;

  var limit = Number(input.getAttribute("data-max-bytes")) || 0;
  var limitText = input.getAttribute("data-limit-text") || limit + " bytes";

  function tooLarge() {
    var file = input.files && input.files[0];
    return limit > 0 && file && file.size > limit ? file : null;
  }

  function check() {
    var file = tooLarge();
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
  form.addEventListener("submit", function (event) {
    if (!check()) {
      event.preventDefault();
      input.focus();
    }
  });
})();
