// The phone menu: the "Menu" button opens and closes the shell's menu. Without this script
// the button stays hidden and the menu open, so every page is still reachable. At 768 px and
// wider the stylesheet shows the menu whatever the button says.
(() => {
  const button = document.querySelector("button.menu-toggle[aria-controls]");
  if (!button) return;
  const header = button.closest(".shell-header");
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-open", open);
  };
  header.classList.add("menu-collapsible");
  button.hidden = false;
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
