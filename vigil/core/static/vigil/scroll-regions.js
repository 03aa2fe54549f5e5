// A table wider than the screen scrolls sideways inside its box (.table-scroll, Pico's
// .overflow-auto). A keyboard user can only scroll a box that takes focus, so a box that
// overflows gets tabindex="0" and a name ("Cases, scrolls sideways"), and gives both back when
// the screen is wide enough: a box with nothing to scroll is no tab stop. Checked on load, on
// resize and after each htmx swap (a refreshed feed).
(() => {
  const BOXES = ".table-scroll, .overflow-auto";
  const nameOf = (box) => {
    const caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    let node = box;
    while (node && node !== document.body) {
      for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
        const heading = before.matches("h1, h2, h3, h4") ? before : before.querySelector("h1, h2, h3, h4");
        if (heading && heading.textContent.trim()) return heading.textContent.trim();
      }
      node = node.parentElement;
    }
    return "Table";
  };
  const mark = () => {
    for (const box of document.querySelectorAll(BOXES)) {
      const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        // Only what the page did not set itself is added, and later taken back.
        const added = { tabindex: "0", role: "region", "aria-label": `${nameOf(box)}, scrolls sideways` };
        for (const name of Object.keys(added)) {
          if (box.hasAttribute(name)) delete added[name];
          else box.setAttribute(name, added[name]);
        }
        box.dataset.scrollRegion = Object.keys(added).join(" ");
      } else if (!scrolls && "scrollRegion" in box.dataset) {
        for (const name of box.dataset.scrollRegion.split(" ").filter(Boolean)) box.removeAttribute(name);
        delete box.dataset.scrollRegion;
      }
    }
  };
  let pending = 0;
  const later = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(mark);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", later);
})();
