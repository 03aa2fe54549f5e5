// Chart values on hover and on tap. Each mark of a chart (vigil/core/charts.py) carries an
// SVG <title> with its value; browsers show that only after a pause and never on a phone, so
// this script moves it into a tooltip that follows the pointer and opens on tap. Without the
// script the <title> still works on a desktop, and every value is written on the chart anyway.
(() => {
  const marks = document.querySelectorAll(".chart .mark");
  if (!marks.length) return;
  for (const mark of marks) {
    const title = mark.querySelector(":scope > title");
    if (!title) continue;
    mark.dataset.tip = title.textContent;
    title.remove();
  }
  const tip = document.createElement("div");
  tip.className = "chart-tip";
  tip.setAttribute("role", "status");
  tip.hidden = true;
  document.body.append(tip);
  let shown = null;
  const place = (x, y) => {
    const width = tip.offsetWidth;
    const left = Math.max(8, Math.min(x - width / 2, document.documentElement.clientWidth - width - 8));
    tip.style.left = `${left + window.scrollX}px`;
    tip.style.top = `${y + window.scrollY - tip.offsetHeight - 12}px`;
  };
  const show = (mark, x, y) => {
    if (shown && shown !== mark) shown.classList.remove("active");
    shown = mark;
    mark.classList.add("active");
    tip.textContent = mark.dataset.tip;
    tip.hidden = false;
    place(x, y);
  };
  const hide = () => {
    if (shown) shown.classList.remove("active");
    shown = null;
    tip.hidden = true;
  };
  document.addEventListener("pointermove", (event) => {
    const mark = event.target.closest && event.target.closest(".chart .mark[data-tip]");
    if (mark) show(mark, event.clientX, event.clientY);
    else if (event.pointerType === "mouse") hide();
  });
  document.addEventListener("pointerdown", (event) => {
    const mark = event.target.closest && event.target.closest(".chart .mark[data-tip]");
    if (mark) show(mark, event.clientX, event.clientY);
    else hide();
  });
  document.addEventListener("scroll", hide, { passive: true });
})();
