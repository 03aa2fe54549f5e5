// The redaction page: drag rectangles over the picture (or a paused frame of the clip) and
// they are written, in the picture's own pixels, into the form's "areas" field, one a line
// ("x, y, width, height"). The field is the truth: typing in it redraws the boxes, and the
// form works without this script. Buttons remove the last area, clear all, add the faces the
// server found, and (for a clip) take the time range from the player's position.
(() => {
  const root = document.querySelector("[data-redact]");
  if (!root) return;
  const field = document.getElementById(root.dataset.areasField);
  const media = root.querySelector("img, video");
  const layer = root.querySelector(".redact-layer");
  const tools = root.querySelector(".redact-tools");
  const drawToggle = root.querySelector("[data-draw]");
  const frameWidth = Number(root.dataset.width);
  const frameHeight = Number(root.dataset.height);
  if (!field || !media || !layer || !frameWidth || !frameHeight) return;
  const isVideo = media.tagName === "VIDEO";
  tools.hidden = false;

  const scale = () => media.clientWidth / frameWidth || 1;
  const clamp = (value, low, high) => Math.min(Math.max(value, low), high);

  const areas = () =>
    field.value
      .split("\n")
      .map((line) => line.split(/[\s,;]+/).filter(Boolean).map(Number))
      .filter((parts) => parts.length === 4 && parts.every(Number.isFinite));

  const box = (x, y, w, h, label) => {
    const s = scale();
    const element = document.createElement("div");
    element.className = "redact-box";
    Object.assign(element.style, {
      left: `${x * s}px`,
      top: `${y * s}px`,
      width: `${w * s}px`,
      height: `${h * s}px`,
    });
    if (label) element.textContent = label;
    return element;
  };

  const render = () => {
    layer.replaceChildren(...areas().map(([x, y, w, h], i) => box(x, y, w, h, String(i + 1))));
    layer.style.width = `${media.clientWidth}px`;
    layer.style.height = `${media.clientHeight}px`;
  };

  const write = (lines) => {
    field.value = lines.map((parts) => parts.join(", ")).join("\n");
    render();
  };

  // Drawing: pointer position in the picture's pixels, kept inside the frame.
  const at = (event) => {
    const bounds = layer.getBoundingClientRect();
    const s = scale();
    return [
      clamp(Math.round((event.clientX - bounds.left) / s), 0, frameWidth),
      clamp(Math.round((event.clientY - bounds.top) / s), 0, frameHeight),
    ];
  };
  let start = null;
  let ghost = null;
  layer.addEventListener("pointerdown", (event) => {
    if (isVideo && !layer.classList.contains("drawing")) return;
    event.preventDefault();
    layer.setPointerCapture(event.pointerId);
    start = at(event);
    ghost = box(start[0], start[1], 0, 0, "");
    ghost.classList.add("ghost");
    layer.append(ghost);
  });
  const span = (event) => {
    const [x2, y2] = at(event);
    const [x1, y1] = start;
    return [Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1)];
  };
  layer.addEventListener("pointermove", (event) => {
    if (!start) return;
    const [x, y, w, h] = span(event);
    const s = scale();
    Object.assign(ghost.style, {
      left: `${x * s}px`,
      top: `${y * s}px`,
      width: `${w * s}px`,
      height: `${h * s}px`,
    });
  });
  layer.addEventListener("pointerup", (event) => {
    if (!start) return;
    const [x, y, w, h] = span(event);
    start = null;
    if (w >= 2 && h >= 2) write([...areas(), [x, y, w, h]]);
    else render();
  });

  if (drawToggle) {
    drawToggle.addEventListener("click", () => {
      const on = !layer.classList.contains("drawing");
      layer.classList.toggle("drawing", on);
      drawToggle.setAttribute("aria-pressed", String(on));
      if (on) media.pause();
    });
  }
  if (!isVideo) layer.classList.add("drawing");

  root.querySelector("[data-undo]")?.addEventListener("click", () => write(areas().slice(0, -1)));
  root.querySelector("[data-clear]")?.addEventListener("click", () => write([]));
  for (const button of document.querySelectorAll("[data-suggested]")) {
    button.addEventListener("click", () => {
      const found = button.dataset.suggested.split("\n").map((line) => line.split(/,\s*/));
      write([...areas(), ...found]);
      button.disabled = true;
    });
  }
  for (const button of document.querySelectorAll("[data-time]")) {
    if (!isVideo) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const input = document.querySelector(`input[name="${button.dataset.time}"]`);
      if (input) input.value = media.currentTime.toFixed(3);
    });
  }

  field.addEventListener("input", render);
  window.addEventListener("resize", render);
  media.addEventListener(isVideo ? "loadedmetadata" : "load", render);
  if (isVideo ? media.readyState >= 1 : media.complete) render();
})();
