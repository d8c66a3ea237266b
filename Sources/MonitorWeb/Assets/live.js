// beatmon bedside page: the live stream (server-sent events) drawn at 25 mm/s.
"use strict";
(() => {
  const leadHeightMm = 30;
  const keepSeconds = 30;                 // trace history kept per lead
  const bufferSeconds = 0.4;              // drawn this far behind the newest sample, to absorb jitter
  const state = { status: null, leads: [], times: [], values: [], rate: 0, newest: -1, display: -1,
                  lastWall: 0, arrivals: [], events: [] };
  // What the browser test reads: how much has arrived and been drawn.
  window.beatmonLive = { messages: 0, samples: 0, framesDrawn: 0, display: -1, banner: "" };

  const $ = (id) => document.getElementById(id);
  const canvas = $("traces");

  function showStatus(status) {
    state.status = status;
    $("hr").textContent = status.heartRate ? Math.round(status.heartRate) : "--";
    $("rhythm").textContent = status.rhythm;
    $("paf").textContent = status.pAF === null || status.pAF === undefined ? "--" : status.pAF.toFixed(2);
    const decided = status.decidedBy;
    $("decided").textContent = !decided ? "--" : decided.method === "beat-net"
      ? "BEAT-Net" : "RR intervals (score " + decided.score.toFixed(2) + ")";
    const technical = $("technical");
    technical.textContent = status.technical.state === "ok" ? "signal OK"
      : status.technical.state === "no source" ? "no source" : status.technical.conditions.join("; ");
    technical.className = status.technical.state === "ok" ? "tech-ok" : status.technical.state === "alarm" ? "tech-alarm" : "tech-none";
    $("source").textContent = status.source;
    $("uptime").textContent = ECG.clock(status.uptime);
    if (status.traceLeads.length && status.traceLeads.join() !== state.leads.join()) {
      state.leads = status.traceLeads;
      state.rate = status.traceFrameRate;
      state.times = state.leads.map(() => []);
      state.values = state.leads.map(() => []);
    }
    showAlarms(status.alarms);
  }

  function showAlarms(alarms) {
    const banner = $("banner");
    banner.replaceChildren();
    const open = alarms.filter((a) => !a.acknowledged);
    banner.className = alarms.length === 0 ? "" : "show " + (open.length === 0 ? "acknowledged"
      : open.some((a) => a.category === "physiological") ? "physiological" : "technical");
    for (const alarm of alarms) {
      const row = document.createElement("div");
      row.className = "alarm";
      const text = document.createElement("span");
      text.textContent = (alarm.acknowledged ? "(acknowledged) " : "") + alarm.kind.toUpperCase() + ": " + alarm.message;
      row.append(text);
      if (!alarm.acknowledged) {
        const button = document.createElement("button");
        button.textContent = "Acknowledge";
        button.dataset.alarm = alarm.key;
        button.addEventListener("click", () => acknowledge(alarm.key));
        row.append(button);
      }
      banner.append(row);
    }
    window.beatmonLive.banner = banner.textContent;
  }

  async function acknowledge(key) {
    const answer = await fetch("api/acknowledge?alarm=" + encodeURIComponent(key) + ECG.tokenQuery("&"), { method: "POST" });
    if (!answer.ok) alert("acknowledge failed: " + (await answer.text()));
  }

  function showEvent(event) {
    const list = $("events");
    const item = document.createElement("li");
    item.className = event.category;
    const when = document.createElement("span");
    when.className = "when";
    when.textContent = event.time.slice(11, 19) + (event.seconds !== null && event.seconds !== undefined ? " (" + ECG.clock(event.seconds) + ")" : "");
    item.append(when, document.createTextNode(event.kind + ": " + event.message));
    list.prepend(item);
    while (list.children.length > 50) list.lastChild.remove();
  }

  function takeTraces(message) {
    if (!state.rate || message.v.length !== state.leads.length) return;
    const step = message.k / state.rate;
    const start = message.s / state.rate;
    message.v.forEach((values, lead) => {
      const times = state.times[lead], kept = state.values[lead];
      values.forEach((v, i) => { times.push(start + i * step); kept.push(v); });
      let drop = 0;
      while (drop < times.length && times[drop] < times[times.length - 1] - keepSeconds) drop++;
      if (drop) { times.splice(0, drop); kept.splice(0, drop); }
    });
    state.newest = start + (message.v[0].length - 1) * step;
    state.arrivals.push([performance.now() / 1000, state.newest]);
    while (state.arrivals.length > 2 && state.arrivals[0][0] < performance.now() / 1000 - 3) state.arrivals.shift();
    window.beatmonLive.messages++;
    window.beatmonLive.samples += message.v[0].length;
  }

  /** Signal seconds per wall second, from the last few seconds of arrivals (a paced replay runs faster). */
  function speed() {
    const a = state.arrivals;
    if (a.length < 2) return 1;
    const wall = a[a.length - 1][0] - a[0][0], signal = a[a.length - 1][1] - a[0][1];
    return wall > 0.5 && signal > 0 ? signal / wall : 1;
  }

  function draw(now) {
    const wall = now / 1000;
    const dt = state.lastWall ? Math.min(0.25, wall - state.lastWall) : 0;
    state.lastWall = wall;
    const target = state.newest - bufferSeconds * speed();
    if (state.display < 0 || Math.abs(target - state.display) > 3 * speed()) state.display = target;
    else state.display += dt * speed() + (target - state.display) * Math.min(1, dt * 2);
    const height = Math.max(1, state.leads.length) * leadHeightMm * ECG.pxPerMm;
    const context = ECG.fit(canvas, height);
    const width = canvas.clientWidth;
    ECG.grid(context, width, height);
    const span = ECG.seconds(width), t0 = state.display - span;
    context.font = "12px system-ui";
    state.leads.forEach((name, lead) => {
      const y0 = (lead + 0.5) * leadHeightMm * ECG.pxPerMm;
      ECG.trace(context, state.times[lead], state.values[lead], t0, state.display, y0, "#111");
      context.fillStyle = "#06c";
      context.fillText(name, 6, y0 - leadHeightMm * ECG.pxPerMm * 0.35);
    });
    if (state.newest >= 0) window.beatmonLive.framesDrawn++;
    window.beatmonLive.display = state.display;
    requestAnimationFrame(draw);
  }

  function connect() {
    const stream = new EventSource("api/stream" + ECG.tokenQuery("?"));
    stream.addEventListener("open", () => {
      // The server replays its recent traces to a new stream: start the history afresh.
      $("connection").textContent = "live";
      state.times = state.leads.map(() => []);
      state.values = state.leads.map(() => []);
    });
    stream.addEventListener("error", () => { $("connection").textContent = "reconnecting"; });
    stream.addEventListener("status", (e) => showStatus(JSON.parse(e.data)));
    stream.addEventListener("event", (e) => showEvent(JSON.parse(e.data)));
    stream.addEventListener("traces", (e) => takeTraces(JSON.parse(e.data)));
  }

  connect();
  requestAnimationFrame(draw);
})();
