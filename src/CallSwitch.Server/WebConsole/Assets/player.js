// One recording: its facts, the purpose to choose (the access is decided and audited on the
// server, which then hands a ticket), the audio streamed with HTTP ranges, both channels'
// waveforms with the notice and pause spans, and the annotations at a time position.
"use strict";

(() => {
  const { t, api, el, duration, when, show } = App;
  const id = document.getElementById("recording").dataset.id;
  const error = document.getElementById("player-error");
  const audio = document.getElementById("audio");
  const svgNs = "http://www.w3.org/2000/svg";
  let facts = null;

  function svg(tag, attributes) {
    const node = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  }

  function drawWave(target, peaks, seconds) {
    const shapes = [];
    const x = (s) => (seconds > 0 ? (s / seconds) * 1000 : 0);
    for (const [start, end] of facts.pauses) shapes.push(svg("rect", { class: "span-pause", x: x(start), y: 0, width: Math.max(2, x(end) - x(start)), height: 60 }));
    if (facts.notice !== null) shapes.push(svg("rect", { class: "span-notice", x: x(facts.notice), y: 0, width: 4, height: 60 }));
    const step = 1000 / Math.max(1, peaks.length);
    peaks.forEach((peak, i) => {
      const h = Math.max(1, peak * 58);
      shapes.push(svg("rect", { class: "peak", x: i * step, y: 30 - h / 2, width: Math.max(1, step - 0.5), height: h }));
    });
    const cursor = svg("rect", { class: "cursor", x: 0, y: 0, width: 2, height: 60 });
    shapes.push(cursor);
    target.replaceChildren(...shapes);
    return cursor;
  }

  function showFacts() {
    const r = facts.recording;
    const list = document.getElementById("facts");
    const pairs = [["col.started", when(r.startedAt)], ["col.duration", r.seconds == null ? "—" : duration(r.seconds)], ["col.campaign", r.campaign],
      ["col.agent", r.agent], ["col.number", r.number || "—"], ["col.status", t("status." + r.status)]];
    list.replaceChildren(...pairs.flatMap(([k, v]) => [el("dt", {}, t(k)), el("dd", {}, v)]));
  }

  async function loadAnnotations() {
    const notes = await api("/api/recordings/" + id + "/annotations");
    document.getElementById("annotations").replaceChildren(...notes.map((n) => el("li", {},
      el("button", { type: "button", class: "seek", onclick: () => { audio.currentTime = n.at; } }, duration(n.at)), " ", n.text, " — ", n.author)));
  }

  async function open(event) {
    event.preventDefault();
    show(error, "");
    try {
      const purpose = document.getElementById("purpose").value;
      const reason = document.getElementById("reason").value;
      const ticket = await api("/api/recordings/" + id + "/open", { method: "POST", body: { purpose, reason } });
      audio.src = ticket.audio;
      document.getElementById("player").hidden = false;
      const wave = await api(ticket.waveform);
      const cursors = [drawWave(document.getElementById("wave-agent"), wave.agent, wave.seconds),
        drawWave(document.getElementById("wave-prospect"), wave.prospect, wave.seconds)];
      audio.addEventListener("timeupdate", () => {
        for (const c of cursors) c.setAttribute("x", String(wave.seconds > 0 ? (audio.currentTime / wave.seconds) * 1000 : 0));
      });
      const download = document.getElementById("download");
      if (facts.mayDownload) {
        download.hidden = false;
        download.replaceWith(downloadForm(purpose, reason));
      }
      audio.focus();
    } catch (failure) {
      show(error, failure.message);
    }
  }

  function downloadForm(purpose, reason) {
    return el("form", { method: "post", action: "/api/recordings/" + id + "/download" },
      el("input", { type: "hidden", name: "__csrf", value: App.csrf }),
      el("input", { type: "hidden", name: "purpose", value: purpose }),
      el("input", { type: "hidden", name: "reason", value: reason }),
      el("button", { type: "submit", id: "download" }, t("download")));
  }

  // The extract is made (and audited) on the server; its download is a form POST decided again there.
  async function extract(event) {
    event.preventDefault();
    show(error, "");
    const purpose = document.getElementById("extract-purpose").value;
    const result = document.getElementById("extract-result");
    try {
      const made = await api("/api/recordings/" + id + "/extract", { method: "POST", body: { purpose } });
      result.replaceChildren(t("extract.made") + " " + when(made.keptUntil) + " (" + duration(made.seconds) + ") ",
        el("form", { method: "post", action: made.download, class: "inline" },
          el("input", { type: "hidden", name: "__csrf", value: App.csrf }),
          el("input", { type: "hidden", name: "purpose", value: purpose }),
          el("button", { type: "submit", id: "extract-download", "data-id": made.id }, t("extract.download"))));
      result.hidden = false;
    } catch (failure) {
      show(error, failure.message);
    }
  }

  async function annotate(event) {
    event.preventDefault();
    const text = document.getElementById("annotation-text");
    try {
      await api("/api/recordings/" + id + "/annotations", { method: "POST", body: { at: audio.currentTime || 0, text: text.value } });
      text.value = "";
      await loadAnnotations();
    } catch (failure) {
      show(error, failure.message);
    }
  }

  async function start() {
    try {
      facts = await api("/api/recordings/" + id);
    } catch (failure) {
      show(error, failure.message);
      return;
    }
    showFacts();
    const form = document.getElementById("purpose-form");
    const select = document.getElementById("purpose");
    select.replaceChildren(...facts.purposes.map((p) => el("option", { value: p }, p)));
    form.hidden = !(facts.mayStream && facts.playable);
    form.addEventListener("submit", open);
    const extractForm = document.getElementById("extract-form");
    document.getElementById("extract-purpose").replaceChildren(...facts.purposes.map((p) => el("option", { value: p }, p)));
    extractForm.hidden = !(facts.mayExtract && facts.playable);
    extractForm.addEventListener("submit", extract);
    const annotateForm = document.getElementById("annotate-form");
    annotateForm.hidden = !facts.mayAnnotate;
    annotateForm.addEventListener("submit", annotate);
    await loadAnnotations();
  }

  start();
})();
