// Floor walks on a phone: every answer is kept on the phone first (localStorage) and sent
// at once; what could not be sent (no signal in the back room) is sent again every few
// seconds and when the phone is back online, and restored into the page if it is reloaded.
// Photos go straight from the phone's camera to the server as the request body.
(function () {
  "use strict";

  function csrf() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function setUpWalk(form) {
    const key = "vigil-walk-" + form.dataset.walk;
    const state = form.querySelector(".save-state");
    const editable = !form.hasAttribute("inert");
    let pending = JSON.parse(window.localStorage.getItem(key) || "{}");

    function say(text) { if (state) { state.textContent = text; } }
    function keep() { window.localStorage.setItem(key, JSON.stringify(pending)); }

    if (!editable) { window.localStorage.removeItem(key); return; }

    function answerOf(item) {
      const checked = form.querySelector("input[name='answer-" + item + "']:checked");
      const field = checked || form.querySelector("[name='answer-" + item + "']:not([type=radio])");
      const note = form.querySelector("[name='note-" + item + "']");
      return { value: field ? field.value : "", note: note ? note.value : "" };
    }

    function restore() {
      Object.keys(pending).forEach(function (item) {
        const saved = pending[item];
        const radio = form.querySelector("input[name='answer-" + item + "'][value='" + saved.value + "']");
        if (radio) { radio.checked = true; }
        const field = form.querySelector("[name='answer-" + item + "']:not([type=radio])");
        if (field) { field.value = saved.value; }
        const note = form.querySelector("[name='note-" + item + "']");
        if (note) { note.value = saved.note; }
      });
    }

    async function send() {
      const items = Object.keys(pending);
      if (!items.length) { return; }
      for (const item of items) {
        const body = new URLSearchParams({ item: item, value: pending[item].value, note: pending[item].note });
        try {
          const response = await fetch(form.dataset.answerUrl, {
            method: "POST", body: body, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin",
          });
          if (response.ok) {
            delete pending[item];
          } else if (response.status === 422) {
            const problem = await response.json();
            delete pending[item];
            say("Not saved: " + problem.error);
            keep();
            return;
          } else {
            throw new Error("HTTP " + response.status);
          }
        } catch (error) {
          keep();
          say("Saved on this phone; it will be sent when the connection is back (" + Object.keys(pending).length + " waiting).");
          return;
        }
      }
      keep();
      say("All answers saved.");
    }

    form.addEventListener("change", function (event) {
      const name = event.target.name || "";
      const match = name.match(/^(answer|note)-(.+)$/);
      if (!match) { return; }
      pending[match[2]] = answerOf(match[2]);
      const item = form.querySelector(".walk-item[data-item='" + match[2] + "']");
      if (item && match[1] === "answer") {
        item.classList.toggle("answered-no", pending[match[2]].value === "no");
      }
      keep();
      send();
    });
    form.addEventListener("submit", function () { keep(); });
    window.addEventListener("online", send);
    window.setInterval(send, 5000);
    restore();
    if (Object.keys(pending).length) { send(); }
  }

  function setUpPhoto(input) {
    input.addEventListener("change", async function () {
      const file = input.files && input.files[0];
      if (!file) { return; }
      const holder = input.closest(".photo");
      const label = input.closest("label");
      if (label) { label.classList.add("busy"); }
      try {
        const response = await fetch(input.dataset.photoUrl, {
          method: "POST", body: file, credentials: "same-origin",
          headers: { "X-CSRFToken": csrf(), "Content-Type": file.type || "application/octet-stream" },
        });
        const answer = await response.json();
        if (!response.ok) { throw new Error(answer.error || ("HTTP " + response.status)); }
        if (input.dataset.reload) { window.location.reload(); return; }
        let image = holder.querySelector("img.item-photo");
        if (!image) {
          image = document.createElement("img");
          image.className = "item-photo";
          image.alt = "Photo just taken";
          holder.prepend(image);
        }
        image.src = input.dataset.photoUrl + "?v=" + answer.photo;
      } catch (error) {
        window.alert("The photo was not saved: " + error.message + ". Try again when you have a signal.");
      } finally {
        if (label) { label.classList.remove("busy"); }
        input.value = "";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.floor-walk").forEach(setUpWalk);
    document.querySelectorAll("input[type=file][data-photo-url]").forEach(setUpPhoto);
  });
})();
