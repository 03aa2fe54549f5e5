// Streams the chosen file to the API as the request body (so the server hashes it as it
// arrives), with the description in the query string; then opens the new evidence item.
(function () {
  "use strict";
  const form = document.getElementById("evidence-upload");
  if (!form) return;
  const progress = form.querySelector("progress");
  const errorBox = form.querySelector("[data-error]");
  const now = form.querySelector("[data-now]");
  if (now && !now.value) {
    const d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    now.value = d.toISOString().slice(0, 16);
  }
  function csrfToken() {
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }
  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    progress.hidden = true;
    form.querySelector("button[type=submit]").disabled = false;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.hidden = true;
    const file = form.elements.file.files[0];
    if (!file) { showError("Choose a file."); return; }
    const query = new URLSearchParams();
    for (const element of form.elements) {
      if (!element.name || element.name === "file" || element.value === "") continue;
      query.set(element.name, element.value);
    }
    query.set("filename", file.name);
    if (query.has("acquired_at")) {
      // The officer's device clock and zone: send an explicit offset.
      const local = new Date(query.get("acquired_at"));
      query.set("acquired_at", local.toISOString());
    }
    const request = new XMLHttpRequest();
    request.open("POST", form.dataset.api + "?" + query.toString());
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { progress.hidden = false; progress.value = (100 * e.loaded) / e.total; }
    });
    request.addEventListener("load", function () {
      let body = {};
      try { body = JSON.parse(request.responseText); } catch (ignored) { body = {}; }
      if (request.status === 201) {
        window.location = form.dataset.detail.replace("NUMBER", body.number);
      } else {
        showError((body.error && body.error.message) || ("Upload refused (" + request.status + ")."));
      }
    });
    request.addEventListener("error", function () { showError("The connection dropped; nothing was stored. Try again."); });
    form.querySelector("button[type=submit]").disabled = true;
    request.send(file);
  });
})();
