// beatmon: the ECG paper both pages draw on. 25 mm/s, 10 mm/mV, 1 mm and 5 mm grid lines.
"use strict";
const ECG = {
  pxPerMm: 4,          // CSS pixels per millimetre of paper (screens differ; the grid is the scale)
  mmPerSecond: 25,
  mmPerMillivolt: 10,

  /** Sizes a canvas to its CSS box at the device's pixel ratio; returns its 2D context. */
  fit(canvas, cssHeight) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || canvas.parentElement.clientWidth;
    if (cssHeight) canvas.style.height = cssHeight + "px";
    const height = cssHeight || canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    return context;
  },

  /** Draws the paper: minor lines every mm, major every 5 mm. */
  grid(context, width, height) {
    const step = this.pxPerMm;
    context.fillStyle = "#fff";
    context.fillRect(0, 0, width, height);
    for (const [every, colour] of [[1, getComputedStyle(document.body).getPropertyValue("--grid-minor") || "#f7d4d4"],
                                   [5, getComputedStyle(document.body).getPropertyValue("--grid-major") || "#e59a9a"]]) {
      context.strokeStyle = colour.trim();
      context.lineWidth = every === 5 ? 1 : 0.5;
      context.beginPath();
      for (let x = 0; x <= width; x += step * every) { context.moveTo(x + 0.5, 0); context.lineTo(x + 0.5, height); }
      for (let y = 0; y <= height; y += step * every) { context.moveTo(0, y + 0.5); context.lineTo(width, y + 0.5); }
      context.stroke();
    }
  },

  /** x of signal time `t` (s) when time `t0` is at x = 0. */
  x(t, t0) { return (t - t0) * this.mmPerSecond * this.pxPerMm; },
  /** Seconds that fit in `width` pixels. */
  seconds(width) { return width / (this.mmPerSecond * this.pxPerMm); },
  /** y of `microvolts` around the baseline `y0`. */
  y(microvolts, y0) { return y0 - microvolts / 1000 * this.mmPerMillivolt * this.pxPerMm; },

  /** Draws one lead: `times` (s) and `values` (µV, null for none) between t0 and t1. */
  trace(context, times, values, t0, t1, y0, colour) {
    context.strokeStyle = colour || "#000";
    context.lineWidth = 1.3;
    context.beginPath();
    let pen = false;
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (t < t0 || t > t1) { pen = false; continue; }
      const v = values[i];
      if (v === null || v === undefined) { pen = false; continue; }
      const x = this.x(t, t0), y = this.y(v, y0);
      if (pen) context.lineTo(x, y); else context.moveTo(x, y);
      pen = true;
    }
    context.stroke();
  },

  /** The ?token= of this page's address, for its own requests (docs/web-ui.md). */
  tokenQuery(prefix) {
    const token = new URLSearchParams(location.search).get("token");
    return token ? prefix + "token=" + encodeURIComponent(token) : "";
  },

  clock(seconds) {
    if (seconds === null || seconds === undefined) return "";
    const s = Math.max(0, seconds), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = (s % 60).toFixed(1);
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + r.padStart(4, "0");
  },
};
