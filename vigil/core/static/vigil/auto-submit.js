// A select marked data-auto-submit sends its form when changed (no inline handlers: the
// Content-Security-Policy allows Vigil's own script files only).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-auto-submit]");
  if (select && select.form) select.form.requestSubmit();
});
