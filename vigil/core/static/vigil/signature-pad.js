// A finger or mouse signature on a canvas, saved as a PNG data URL in a hidden field.
(function () {
  "use strict";
  for (const canvas of document.querySelectorAll("canvas.signature-pad")) {
    const target = document.getElementById(canvas.dataset.target);
    const context = canvas.getContext("2d");
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.strokeStyle = "#111";
    let drawing = false;
    let drawn = false;
    function point(event) {
      const box = canvas.getBoundingClientRect();
      return [(event.clientX - box.left) * (canvas.width / box.width), (event.clientY - box.top) * (canvas.height / box.height)];
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      context.beginPath();
      context.moveTo(...point(event));
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      context.lineTo(...point(event));
      context.stroke();
      drawn = true;
    });
    function finish() {
      drawing = false;
      if (drawn && target) target.value = canvas.toDataURL("image/png");
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    const clear = canvas.parentElement.querySelector("[data-clear-signature]");
    if (clear) {
      clear.addEventListener("click", function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        if (target) target.value = "";
      });
    }
  }
})();
