// The clip player on an evidence item's page: seek ±10 s and step one frame at a time at
// the clip's own frame rate (data-frame-step, in seconds), with the position shown to the
// millisecond and, where the rate is known, as a frame number. Keys "," and "." step too,
// as in most video tools. Without this script the buttons stay hidden and the browser's
// own controls still play and seek the clip.
(() => {
  const pad = (value, width) => String(value).padStart(width, "0");
  const clock = (seconds) => {
    const millis = Math.round(seconds * 1000);
    const h = Math.floor(millis / 3600000);
    const m = Math.floor(millis / 60000) % 60;
    const s = Math.floor(millis / 1000) % 60;
    return `${h}:${pad(m, 2)}:${pad(s, 2)}.${pad(millis % 1000, 3)}`;
  };

  for (const player of document.querySelectorAll("[data-clip-player]")) {
    const video = player.querySelector("video");
    const controls = player.querySelector(".clip-controls");
    const position = player.querySelector(".clip-position");
    const step = Number(player.dataset.frameStep) || 1 / 30;
    const framesKnown = "frameRateKnown" in player.dataset;
    if (!video || !controls) continue;

    const show = () => {
      const frame = Math.floor(video.currentTime / step + 1e-6) + 1;
      const where = clock(video.currentTime);
      position.value = framesKnown ? `${where} · frame ${frame.toLocaleString()}` : where;
    };
    const seekTo = (time) => {
      const end = Number.isFinite(video.duration) ? video.duration : Infinity;
      video.currentTime = Math.min(Math.max(time, 0), end);
    };
    const stepFrames = (frames) => {
      video.pause();
      // Land in the middle of the target frame, so rounding never shows its neighbour.
      const current = Math.floor(video.currentTime / step + 1e-6);
      seekTo((current + frames + 0.5) * step);
    };

    controls.hidden = false;
    controls.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.dataset.frames) stepFrames(Number(button.dataset.frames));
      if (button.dataset.seek) seekTo(video.currentTime + Number(button.dataset.seek));
    });
    player.addEventListener("keydown", (event) => {
      if (event.key === "," || event.key === ".") {
        event.preventDefault();
        stepFrames(event.key === "," ? -1 : 1);
      }
    });
    video.addEventListener("timeupdate", show);
    video.addEventListener("seeked", show);
    video.addEventListener("loadedmetadata", show);
  }
})();
