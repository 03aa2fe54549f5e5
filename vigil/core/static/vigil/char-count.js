// A character counter under every text box with a maxlength: "1,234 of 20,000 characters".
// The limit itself is the server's (vigil.core.limits); the browser stops typing at it and this
// says how close it is. Line breaks count once, as the server counts them. A screen reader
// hears the count only when it matters (the last tenth, and the limit), not on every key.
// A box the server sent back with more than its limit (a refused save) shows how many over.
(() => {
  const format = (n) => n.toLocaleString("en-US");
  const lengthOf = (box) => box.value.replace(/\r\n/g, "\n").length;

  const attach = (box) => {
    if (box.dataset.charCount) return;
    const limit = Number(box.getAttribute("maxlength"));
    if (!limit) return;
    const id = `${box.id || box.name || "text"}-char-count`;
    const counter = document.createElement("small");
    counter.className = "char-count muted";
    counter.id = id;
    const spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    box.dataset.charCount = id;
    box.setAttribute("aria-describedby", [box.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
    box.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", spoken);
    let band = "";
    const update = () => {
      const used = lengthOf(box);
      const over = used - limit;
      counter.textContent = over > 0
        ? `${format(used)} of ${format(limit)} characters: ${format(over)} too many`
        : `${format(used)} of ${format(limit)} characters`;
      counter.classList.toggle("error", over >= 0);
      counter.classList.toggle("muted", over < 0);
      const now = over >= 0 ? "full" : used >= limit * 0.9 ? "near" : "";
      if (now !== band) {
        band = now;
        spoken.textContent = now === "full"
          ? `Limit of ${format(limit)} characters reached.`
          : now === "near" ? `${format(limit - used)} characters left.` : "";
      }
    };
    box.addEventListener("input", update);
    update();
  };

  const attachAll = (root) => {
    for (const box of root.querySelectorAll("textarea[maxlength]")) attach(box);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => attachAll(document));
  else attachAll(document);
  document.addEventListener("htmx:afterSettle", (event) => attachAll(event.target));
})();
