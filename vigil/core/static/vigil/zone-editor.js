// The camera page's zone editor: draw polygons on the camera's picture, in frame fractions
// (0..1), so zones survive a change of stream resolution. Clicks add corners; "Close zone"
// names the polygon and adds it to the list; "Save zones" posts the list as JSON.
(function () {
  "use strict";
  const COLOURS = { exit: "#d9480f", restricted: "#c2255c", high_value: "#f08c00", register: "#1971c2", other: "#2f9e44" };

  function setUp(editor) {
    const canvas = editor.querySelector(".zone-canvas");
    const picture = editor.querySelector(".zone-picture");
    const list = editor.querySelector(".zone-list");
    const form = editor.querySelector(".zone-form");
    const editable = editor.dataset.editable === "true";
    let zones = JSON.parse(editor.dataset.zones || "[]");
    let corners = [];

    function fit() {
      const box = picture.getBoundingClientRect();
      canvas.width = Math.max(1, Math.round(box.width));
      canvas.height = Math.max(1, Math.round(box.height));
      draw();
    }

    function toPixels(point) { return [point[0] * canvas.width, point[1] * canvas.height]; }

    function path(context, points, closed) {
      context.beginPath();
      points.forEach(function (point, index) {
        const [x, y] = toPixels(point);
        if (index === 0) { context.moveTo(x, y); } else { context.lineTo(x, y); }
      });
      if (closed) { context.closePath(); }
    }

    function draw() {
      const context = canvas.getContext("2d");
      context.clearRect(0, 0, canvas.width, canvas.height);
      context.lineWidth = 2;
      context.font = "14px sans-serif";
      zones.forEach(function (zone) {
        const colour = COLOURS[zone.kind] || COLOURS.other;
        path(context, zone.polygon, true);
        context.strokeStyle = colour;
        context.fillStyle = colour + "33";
        context.fill();
        context.stroke();
        const [x, y] = toPixels(zone.polygon[0]);
        context.fillStyle = colour;
        context.fillText(zone.name + " (" + zone.kind + ")", x + 4, y + 16);
      });
      if (corners.length) {
        context.setLineDash([6, 4]);
        context.strokeStyle = "#ffffff";
        path(context, corners, false);
        context.stroke();
        context.setLineDash([]);
        corners.forEach(function (point) {
          const [x, y] = toPixels(point);
          context.fillStyle = "#ffffff";
          context.fillRect(x - 3, y - 3, 6, 6);
        });
      }
      renderList();
    }

    function renderList() {
      list.replaceChildren();
      zones.forEach(function (zone, index) {
        const item = document.createElement("li");
        item.textContent = zone.name + " · " + zone.kind + " · " + zone.polygon.length + " corners ";
        if (editable) {
          const remove = document.createElement("button");
          remove.type = "button";
          remove.className = "secondary outline small";
          remove.textContent = "Remove";
          remove.addEventListener("click", function () { zones.splice(index, 1); sync(); draw(); });
          item.appendChild(remove);
        }
        list.appendChild(item);
      });
    }

    function sync() {
      if (form) { form.querySelector("input[name=zones]").value = JSON.stringify(zones); }
    }

    function round(value) { return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000; }

    if (editable) {
      canvas.addEventListener("click", function (event) {
        const box = canvas.getBoundingClientRect();
        corners.push([round((event.clientX - box.left) / box.width), round((event.clientY - box.top) / box.height)]);
        draw();
      });
      editor.querySelector(".zone-undo").addEventListener("click", function () { corners.pop(); draw(); });
      editor.querySelector(".zone-close").addEventListener("click", function () {
        const name = editor.querySelector(".zone-name");
        if (corners.length < 3) { window.alert("A zone needs at least three corners."); return; }
        if (!name.value.trim()) { name.focus(); return; }
        zones = zones.filter(function (zone) { return zone.name !== name.value.trim(); });
        zones.push({ name: name.value.trim(), kind: editor.querySelector(".zone-kind").value, polygon: corners });
        corners = [];
        name.value = "";
        sync();
        draw();
      });
    }
    if (picture.tagName === "IMG" && !picture.complete) { picture.addEventListener("load", fit); }
    window.addEventListener("resize", fit);
    fit();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".zone-editor").forEach(setUp);
  });
})();
