// A header checkbox with data-tick-all="NAME" ticks or clears every checkbox named NAME.
document.addEventListener("change", (event) => {
  const all = event.target.closest("input[data-tick-all]");
  if (!all) return;
  const name = all.dataset.tickAll;
  document.querySelectorAll(`input[type="checkbox"][name="${name}"]:not(:disabled)`).forEach((box) => {
    box.checked = all.checked;
  });
});
