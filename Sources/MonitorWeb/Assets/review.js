// beatmon review station: recordings, their overview, the ECG at 25 mm/s, edits, save.
"use strict";
(() => {
  const leadHeightMm = 30, bandHeight = 18, labelHeight = 16;
  const api = (path) => "api/" + path + ECG.tokenQuery(path.includes("?") ? "&" : "?");
  const $ = (id) => document.getElementById(id);
  const canvas = $("strip");
  const view = { record: null, annotator: null, annotations: [], start: 0, signal: null, selected: -1,
                 boundary: -1, cursor: null, dirty: false };
  // What the browser test reads and drives.
  window.beatmonReview = { ready: false, saved: null, visibleBeats: () => visibleBeats() };

  async function getJSON(path) {
    const answer = await fetch(api(path));
    if (!answer.ok) throw new Error(await answer.text());
    return answer.json();
  }

  function say(text) { $("message").textContent = text; }
  const rate = () => view.record.frameRate;
  const span = () => ECG.seconds(canvas.clientWidth);
  const isBeat = (a) => "NLRBAaJSVrFejnE/fQ?".includes(a.code) && a.code.length === 1;

  async function listRecords() {
    const records = await getJSON("records");
    const list = $("records");
    for (const record of records) {
      const box = document.createElement("div");
      box.className = "record";
      box.dataset.name = record.name;
      box.innerHTML = "<b></b> <span></span><canvas></canvas><div class='help'></div>";
      box.querySelector("b").textContent = record.name;
      box.querySelector("span").textContent = (record.seconds ? ECG.clock(record.seconds) : "") + " · " + record.leads.join(", ");
      box.addEventListener("click", () => openRecord(record.name));
      list.append(box);
      overview(record, box).catch((e) => { box.querySelector(".help").textContent = e.message; });
    }
    const asked = new URLSearchParams(location.search).get("record");
    if (asked) await openRecord(asked); else if (records.length) await openRecord(records[0].name);
  }

  /** The record's card: HR trend, AF bands (orange), S (blue) and V (red) ectopic beats as ticks. */
  async function overview(record, box) {
    const info = await getJSON("records/" + encodeURIComponent(record.name));
    const o = info.overview, plot = box.querySelector("canvas");
    if (!o) { box.querySelector(".help").textContent = "no annotations"; return; }
    const context = ECG.fit(plot, 46), width = plot.clientWidth, total = o.heartRate.length * o.binSeconds;
    const x = (t) => t / total * width;
    context.fillStyle = "#fff"; context.fillRect(0, 0, width, 46);
    for (const band of o.rhythms) if (band.rhythm.startsWith("AF")) {
      context.fillStyle = "#ffd29a"; context.fillRect(x(band.start), 0, Math.max(1, x(band.end) - x(band.start)), 46);
    }
    context.strokeStyle = "#111"; context.beginPath();
    o.heartRate.forEach((hr, i) => { if (hr !== null) { const y = 40 - (hr - 30) / 150 * 36; i ? context.lineTo(x((i + 0.5) * o.binSeconds), y) : context.moveTo(x(0.5 * o.binSeconds), y); } });
    context.stroke();
    for (const [times, colour] of [[o.supraventricular, "#06c"], [o.ventricular, "#c0182b"]]) {
      context.fillStyle = colour; for (const t of times) context.fillRect(x(t), 41, 1, 5);
    }
    const classes = Object.entries(o.beatClasses).map(([k, v]) => k + " " + v).join(", ");
    box.querySelector(".help").textContent = classes + (o.afSeconds > 0 ? " · AF " + ECG.clock(o.afSeconds) : "");
  }

  async function openRecord(name, annotator) {
    const info = await getJSON("records/" + encodeURIComponent(name) + (annotator ? "?annotator=" + encodeURIComponent(annotator) : ""));
    view.record = info.record; view.annotator = info.annotator; view.start = 0; view.selected = -1; view.boundary = -1;
    $("title").textContent = name;
    for (const box of document.querySelectorAll("#records .record")) box.classList.toggle("current", box.dataset.name === name);
    const select = $("annotator");
    select.replaceChildren(...info.annotators.map((a) => { const o = document.createElement("option"); o.textContent = a; return o; }));
    if (info.annotator) select.value = info.annotator;
    view.annotations = info.annotator ? await getJSON("records/" + encodeURIComponent(name) + "/annotations?annotator=" + encodeURIComponent(info.annotator)) : [];
    view.dirty = false;
    await load();
    window.beatmonReview.ready = true;
  }

  async function load() {
    view.signal = view.record.hasSignal
      ? await getJSON("records/" + encodeURIComponent(view.record.name) + "/signal?from=" + view.start + "&seconds=" + Math.ceil(span() + 1))
      : null;
    draw();
  }

  function rhythmBands() {
    const bands = [], end = view.record.seconds || 1e9;
    for (const a of view.annotations) if (a.code === "+" && a.aux && a.aux.startsWith("(")) {
      const t = a.sample / rate();
      if (bands.length) bands[bands.length - 1].end = t;
      bands.push({ start: t, end, rhythm: a.aux.slice(1).replace(/\0/g, ""), annotation: a });
    }
    return bands;
  }

  function visibleBeats() {
    const t0 = view.start, t1 = t0 + span(), rect = canvas.getBoundingClientRect();
    return view.annotations.map((a, index) => ({ a, index })).filter(({ a }) => isBeat(a) && a.sample / rate() >= t0 && a.sample / rate() <= t1)
      .map(({ a, index }) => ({ index, sample: a.sample, code: a.code, x: rect.left + ECG.x(a.sample / rate(), t0), y: rect.top + bandHeight + labelHeight + 20 }));
  }

  function draw() {
    const leads = view.record.leads.length;
    const height = bandHeight + labelHeight + leads * leadHeightMm * ECG.pxPerMm;
    const context = ECG.fit(canvas, height), width = canvas.clientWidth, t0 = view.start, t1 = t0 + span();
    ECG.grid(context, width, height);
    $("position").textContent = ECG.clock(t0) + " – " + ECG.clock(t1);
    for (const band of rhythmBands()) {
      if (band.end < t0 || band.start > t1) continue;
      context.fillStyle = band.rhythm.startsWith("AF") ? "#ffb347" : band.rhythm === "N" ? "#cfe8cf" : "#d7d0f0";
      const x0 = Math.max(0, ECG.x(band.start, t0)), x1 = Math.min(width, ECG.x(band.end, t0));
      context.fillRect(x0, 0, x1 - x0, bandHeight);
      context.fillStyle = "#000"; context.font = "12px system-ui"; context.fillText(band.rhythm, x0 + 3, 13);
      if (band.start >= t0) {
        context.fillStyle = view.annotations.indexOf(band.annotation) === view.boundary ? "#06c" : "#333";
        context.fillRect(ECG.x(band.start, t0) - 1.5, 0, 3, bandHeight);
      }
    }
    if (view.signal) {
      const step = 1 / view.signal.frameRate;
      view.signal.values.forEach((values, lead) => {
        const times = values.map((_, i) => (view.signal.first + i) * step);
        const y0 = bandHeight + labelHeight + (lead + 0.5) * leadHeightMm * ECG.pxPerMm;
        ECG.trace(context, times, values, t0, t1, y0, "#111");
        context.fillStyle = "#06c"; context.fillText(view.signal.leads[lead], 4, y0 - 40);
      });
    } else {
      context.fillStyle = "#c00"; context.fillText("no signal file for this record: annotations only", 10, bandHeight + 40);
    }
    context.font = "bold 12px system-ui";
    view.annotations.forEach((a, index) => {
      const t = a.sample / rate();
      if (t < t0 || t > t1) return;
      const x = ECG.x(t, t0);
      if (isBeat(a)) {
        context.fillStyle = index === view.selected ? "#06c" : a.code === "N" ? "#333" : "#c0182b";
        if (index === view.selected) context.fillRect(x - 9, bandHeight, 18, labelHeight);
        context.fillStyle = index === view.selected ? "#fff" : context.fillStyle;
        context.fillText(a.code, x - 4, bandHeight + 12);
      } else if (a.code === "\"") {
        context.fillStyle = "#06c"; context.fillText("✎ " + (a.aux || ""), x, height - 6);
        context.fillRect(x, bandHeight, 1, height - bandHeight);
      }
    });
    if (view.cursor !== null && view.cursor >= t0 && view.cursor <= t1) {
      context.fillStyle = "#06c8"; context.fillRect(ECG.x(view.cursor, t0), bandHeight, 1, height - bandHeight);
    }
  }

  function changed(text) { view.dirty = true; say(text); draw(); }

  canvas.addEventListener("click", (e) => {
    const rect = canvas.getBoundingClientRect(), x = e.clientX - rect.left, y = e.clientY - rect.top;
    const t = view.start + ECG.seconds(x);
    if (y < bandHeight) {   // a rhythm boundary
      let best = -1, distance = 0.4;
      view.annotations.forEach((a, index) => { if (a.code === "+" && Math.abs(a.sample / rate() - t) < distance) { best = index; distance = Math.abs(a.sample / rate() - t); } });
      view.boundary = best;
      say(best >= 0 ? "boundary selected: click the new place on the ECG, then move boundary" : "no boundary there");
      draw();
      return;
    }
    view.cursor = t;
    let best = -1, distance = 0.2;
    view.annotations.forEach((a, index) => { if (isBeat(a) && Math.abs(a.sample / rate() - t) < distance) { best = index; distance = Math.abs(a.sample / rate() - t); } });
    view.selected = best;
    draw();
  });

  function relabel(code) {
    if (view.selected < 0) { say("select a beat first"); return; }
    const beat = view.annotations[view.selected];
    const before = beat.code;
    beat.code = code;
    changed("beat at " + ECG.clock(beat.sample / rate()) + ": " + before + " → " + code);
  }

  $("relabel").addEventListener("click", () => relabel($("label").value));
  document.addEventListener("keydown", (e) => {
    if (e.target.tagName === "INPUT" || e.target.tagName === "SELECT") return;
    const key = e.key.toUpperCase();
    if (["N", "A", "S", "V", "F", "Q"].includes(key)) relabel(key);
    else if (e.key === "ArrowRight") page(1);
    else if (e.key === "ArrowLeft") page(-1);
    else if (key === "E") nextEvent();
  });

  $("move-boundary").addEventListener("click", () => {
    if (view.boundary < 0 || view.cursor === null) { say("select a boundary in the band, then click the new place"); return; }
    const boundary = view.annotations[view.boundary];
    boundary.sample = Math.max(0, Math.round(view.cursor * rate()));
    view.annotations.sort((a, b) => a.sample - b.sample);
    view.boundary = view.annotations.indexOf(boundary); view.selected = -1;
    changed("boundary " + boundary.aux + " moved to " + ECG.clock(boundary.sample / rate()));
  });

  $("add-note").addEventListener("click", () => {
    const text = $("note").value.trim();
    if (!text || view.cursor === null) { say("click a place on the ECG and type a note"); return; }
    view.annotations.push({ sample: Math.round(view.cursor * rate()), code: "\"", aux: text, channel: 0, subtype: 0, number: 0 });
    view.annotations.sort((a, b) => a.sample - b.sample);
    view.selected = -1; view.boundary = -1; $("note").value = "";
    changed("note added at " + ECG.clock(view.cursor));
  });

  function page(direction) {
    view.start = Math.max(0, view.start + direction * span() * 0.9);
    if (view.record.seconds) view.start = Math.min(view.start, Math.max(0, view.record.seconds - span()));
    load();
  }

  function nextEvent() {
    const after = (view.start + span() * 0.5) * rate();
    const next = view.annotations.find((a) => a.sample > after + 1 && ((isBeat(a) && a.code !== "N") || a.code === "+" || a.code === "\""));
    if (!next) { say("no further event"); return; }
    view.start = Math.max(0, next.sample / rate() - span() * 0.5);
    if (isBeat(next)) view.selected = view.annotations.indexOf(next);
    load();
  }

  $("previous").addEventListener("click", () => page(-1));
  $("next").addEventListener("click", () => page(1));
  $("next-event").addEventListener("click", nextEvent);
  $("annotator").addEventListener("change", (e) => openRecord(view.record.name, e.target.value));
  $("save").addEventListener("click", async () => {
    const name = $("save-name").value.trim();
    const answer = await fetch(api("records/" + encodeURIComponent(view.record.name) + "/annotations?annotator=" + encodeURIComponent(name)),
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(view.annotations) });
    const text = await answer.text();
    if (!answer.ok) { say("not saved: " + text); return; }
    const saved = JSON.parse(text);
    view.dirty = false;
    window.beatmonReview.saved = saved;
    say("saved " + saved.count + " annotations as " + saved.path);
  });
  window.addEventListener("resize", () => view.record && load());

  listRecords().catch((e) => say(e.message));
})();
