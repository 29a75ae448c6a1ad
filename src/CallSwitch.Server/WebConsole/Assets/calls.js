// The live board: the server's event stream keeps the table up to date (calls join, change and
// leave), durations tick every second on the page, and a call can be listened to live: the
// WebSocket's 16-bit PCM is scheduled on a Web Audio clock through an analyser whose level is shown.
"use strict";

(() => {
  const { t, api, el, duration } = App;
  const rows = document.getElementById("calls");
  const empty = document.getElementById("calls-empty");
  const state = document.getElementById("feed-state");
  const calls = new Map();
  let clockOffset = 0;

  function seconds(call) {
    const since = call.answeredAt || call.startedAt;
    return (Date.now() + clockOffset - since) / 1000;
  }

  function actions(entry) {
    const call = entry.call;
    const cell = el("td", { class: "actions" });
    if (call.phase === "connected" || call.phase === "on-hold") {
      cell.append(el("button", { type: "button", class: "listen", "data-call": call.id, onclick: () => Listening.start(call) }, t("btn.listen")));
    }
    if (entry.mayControl && call.recording === "recording") {
      cell.append(el("button", { type: "button", class: "pause", onclick: () => control(call, "pause") }, t("btn.pause")));
    } else if (entry.mayControl && call.recording === "paused") {
      cell.append(el("button", { type: "button", class: "resume", onclick: () => control(call, "resume") }, t("btn.resume")));
    }
    return cell;
  }

  function row(entry) {
    const call = entry.call;
    return el("tr", { id: "call-" + call.id, "data-call": call.id, "data-phase": call.phase, "data-recording": call.recording },
      el("td", {}, call.agent),
      el("td", {}, call.campaign || "—"),
      el("td", {}, t("dir." + call.direction)),
      el("td", { class: "phase" }, t("phase." + call.phase)),
      el("td", { class: "duration", "data-seconds": "0" }, duration(seconds(call))),
      el("td", { class: "recording rec-" + call.recording }, t("rec." + call.recording)),
      actions(entry));
  }

  function render() {
    const ordered = [...calls.values()].sort((a, b) => a.call.startedAt - b.call.startedAt);
    rows.replaceChildren(...ordered.map(row));
    empty.hidden = ordered.length > 0;
    tick();
  }

  function tick() {
    for (const tr of rows.children) {
      const entry = calls.get(tr.dataset.call);
      if (!entry) continue;
      const cell = tr.querySelector(".duration");
      const s = Math.floor(seconds(entry.call));
      cell.textContent = duration(s);
      cell.dataset.seconds = String(s);
    }
  }

  async function control(call, action) {
    try {
      await api("/api/calls/" + encodeURIComponent(call.id) + "/recording/" + action, { method: "POST" });
    } catch (error) {
      state.textContent = t("error") + ": " + error.message;
    }
  }

  function connect() {
    const source = new EventSource("/api/calls/events");
    source.onopen = () => { state.textContent = t("calls.connection") + " ✓"; };
    source.onerror = () => { state.textContent = t("calls.connection") + " …"; };
    source.onmessage = (event) => {
      const message = JSON.parse(event.data);
      clockOffset = message.now - Date.now();
      if (message.snapshot) calls.clear();
      for (const entry of message.calls) calls.set(entry.call.id, entry);
      for (const id of message.removed) {
        calls.delete(id);
        if (Listening.callId === id) Listening.stop(t("listen.ended"));
      }
      render();
    };
  }

  const Listening = {
    callId: null,
    socket: null,
    context: null,
    analyser: null,
    next: 0,
    start(call) {
      this.stop();
      const panel = document.getElementById("listen");
      const meter = document.getElementById("listen-level");
      this.callId = call.id;
      this.context = new AudioContext({ sampleRate: 8000 });
      this.analyser = this.context.createAnalyser();
      this.analyser.fftSize = 512;
      this.analyser.connect(this.context.destination);
      this.next = 0;
      panel.hidden = false;
      document.getElementById("listen-call").textContent = call.agent + " — " + (call.campaign || "");
      const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      const socket = new WebSocket(scheme + window.location.host + "/api/calls/" + encodeURIComponent(call.id) + "/listen");
      socket.binaryType = "arraybuffer";
      socket.onmessage = (event) => { if (typeof event.data !== "string") this.play(event.data); };
      socket.onclose = () => { if (this.socket === socket) this.stop(t("listen.ended")); };
      this.socket = socket;
      const samples = new Float32Array(this.analyser.fftSize);
      const measure = () => {
        if (!this.analyser) return;
        this.analyser.getFloatTimeDomainData(samples);
        let peak = 0;
        for (const s of samples) peak = Math.max(peak, Math.abs(s));
        meter.value = peak;
        meter.dataset.peak = String(Math.max(Number(meter.dataset.peak || 0), peak));
        window.requestAnimationFrame(measure);
      };
      meter.dataset.peak = "0";
      window.requestAnimationFrame(measure);
      document.getElementById("listen-stop").focus();
    },
    play(buffer) {
      const pcm = new Int16Array(buffer);
      const audio = this.context.createBuffer(1, pcm.length, 8000);
      const channel = audio.getChannelData(0);
      for (let i = 0; i < pcm.length; i++) channel[i] = pcm[i] / 32768;
      const source = this.context.createBufferSource();
      source.buffer = audio;
      source.connect(this.analyser);
      // A little ahead of the clock, so that network jitter does not cut the sound.
      const now = this.context.currentTime;
      if (this.next < now + 0.05) this.next = now + 0.15;
      source.start(this.next);
      this.next += audio.duration;
    },
    stop(message) {
      const socket = this.socket;
      this.socket = null;
      if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, "stopped");
      if (this.context) this.context.close();
      this.context = null;
      this.analyser = null;
      this.callId = null;
      const panel = document.getElementById("listen");
      if (message) document.getElementById("listen-call").textContent = message;
      else panel.hidden = true;
    },
  };

  document.getElementById("listen-stop").addEventListener("click", () => Listening.stop());
  window.setInterval(tick, 1000);
  connect();
})();
