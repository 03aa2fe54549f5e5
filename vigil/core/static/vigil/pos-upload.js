// Sends the chosen ZIP itself as the request body to the POS API (so it streams to disk),
// then follows the background task that imports and scans it.
(function () {
  "use strict";
  const form = document.getElementById("pos-upload");
  if (!form) return;
  const errorBox = form.querySelector("[data-error]");
  const progress = form.querySelector("progress");
  function csrfToken() {
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }
  function fail(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    progress.hidden = true;
    form.querySelector("button[type=submit]").disabled = false;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.hidden = true;
    const file = form.elements.file.files[0];
    if (!file) { fail("Choose a ZIP file."); return; }
    const query = new URLSearchParams({ name: form.elements.name.value || file.name.replace(/\.zip$/i, "") });
    const request = new XMLHttpRequest();
    request.open("POST", form.dataset.api + "?" + query.toString());
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.setRequestHeader("Content-Type", "application/zip");
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { progress.hidden = false; progress.value = (100 * e.loaded) / e.total; }
    });
    request.addEventListener("load", function () {
      let body = {};
      try { body = JSON.parse(request.responseText); } catch (ignored) { body = {}; }
      if (request.status === 202) { window.location = body.url; }
      else { fail((body.error && body.error.message) || ("Upload refused (" + request.status + ").")); }
    });
    request.addEventListener("error", function () { fail("The connection dropped; nothing was kept. Try again."); });
    form.querySelector("button[type=submit]").disabled = true;
    request.send(file);
  });
})();
