// The case page's link box: htmx asks the server as one types (hx-trigger, debounced); this
// holds the request back until the box has data-min-chars characters (one letter matches
// half the records) and clears the results when it is emptied. Arrow keys move from the box
// to the results' "Link" buttons and between them; Escape clears. Without script the box
// is a search form that opens the results page.
(() => {
  const boxes = () => document.querySelectorAll("input[data-min-chars]");
  const resultsOf = (box) => document.getElementById(box.getAttribute("aria-controls"));
  const buttonsOf = (box) => Array.from(resultsOf(box)?.querySelectorAll("a, button") || []);

  document.addEventListener("htmx:confirm", (event) => {
    const box = event.detail.elt;
    if (!(box instanceof HTMLInputElement) || !box.dataset.minChars) return;
    if (box.value.trim().length >= Number(box.dataset.minChars)) return;
    event.preventDefault(); // too short to search: no request
    const results = resultsOf(box);
    if (results) results.replaceChildren();
  });

  const move = (box, from, step) => {
    const buttons = buttonsOf(box);
    if (!buttons.length) return false;
    const at = buttons.indexOf(from);
    const next = at + step;
    if (next < 0) box.focus();
    else buttons[Math.min(next, buttons.length - 1)].focus();
    return true;
  };

  const attach = (box) => {
    if (box.dataset.linkSearch) return;
    box.dataset.linkSearch = "on";
    const results = resultsOf(box);
    box.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && move(box, null, 1)) event.preventDefault();
      if (event.key === "Escape") {
        box.value = "";
        if (results) results.replaceChildren();
      }
    });
    results?.addEventListener("keydown", (event) => {
      const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
      if (step && move(box, document.activeElement, step)) event.preventDefault();
      if (event.key === "Escape") box.focus();
    });
  };

  const start = () => boxes().forEach(attach);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
