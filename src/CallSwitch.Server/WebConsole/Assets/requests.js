// Data-subject requests and the do-not-call list (dpo): open a request with the number as the
// person wrote it (the server normalises it and answers it masked), list and filter them, show one
// with its steps from the audit log, fulfil, reject or lift it, download an access bundle; list,
// add and remove do-not-call numbers.
"use strict";

(() => {
  const { t, api, el, when, show } = App;
  const table = document.getElementById("requests");
  const error = document.getElementById("req-error");
  const detail = document.getElementById("request");
  const dncTable = document.getElementById("dnc");
  const dncError = document.getElementById("dnc-error");
  const value = (id) => document.getElementById(id).value.trim();
  let current = null;

  async function load() {
    const query = new URLSearchParams();
    if (value("req-status")) query.set("status", value("req-status"));
    if (document.getElementById("req-overdue").checked) query.set("overdue", "1");
    const requests = await api("/api/requests?" + query);
    table.replaceChildren(...requests.map((r) => el("tr", { "data-id": r.id, "data-status": r.status, class: r.overdue ? "overdue" : null },
      el("td", {}, r.code), el("td", {}, t("kind." + r.kind)), el("td", { class: "number" }, r.number),
      el("td", {}, when(r.receivedAt)), el("td", {}, when(r.dueAt), r.overdue ? el("strong", { class: "refused" }, " " + t("req.late")) : null),
      el("td", {}, t("req.status." + r.status)),
      el("td", {}, el("button", { type: "button", class: "show", onclick: () => open(r.id) }, t("req.show"))))));
  }

  async function open(id, answer) {
    const shown = await api("/api/requests/" + id);
    const r = shown.request;
    current = r;
    document.getElementById("request-title").textContent = r.code + " — " + t("kind." + r.kind);
    const pairs = [["col.number", r.number], ["req.received", when(r.receivedAt)], ["req.due", when(r.dueAt)],
      ["col.status", t("req.status." + r.status) + (r.overdue ? " — " + t("req.late") : "")], ["req.opened", shown.openedBy]];
    if (r.reference) pairs.push(["req.reference", r.reference]);
    if (r.campaign) pairs.push(["col.campaign", r.campaign]);
    if (shown.outcome) pairs.push(["req.outcome", shown.outcome + " — " + shown.closedBy + ", " + when(shown.closedAt)]);
    document.getElementById("request-facts").replaceChildren(...pairs.flatMap(([k, v]) => [el("dt", {}, t(k)), el("dd", {}, v)]));
    document.getElementById("req-fulfil").hidden = r.status !== "open";
    document.getElementById("req-reject").hidden = r.status !== "open";
    document.getElementById("req-lift").hidden = !r.restrictionInForce;
    const bundle = document.getElementById("req-bundle");
    bundle.hidden = !shown.bundle;
    if (shown.bundle) bundle.setAttribute("href", "/api/requests/" + r.id + "/bundle");
    const lines = answer ? [...answer.lines, ...answer.receipts.map((c) => c.recording + ": " + t("req.receipt") + " " + c.key)] : [];
    document.getElementById("request-answer").replaceChildren(...lines.map((line) => el("li", {}, line)));
    document.getElementById("request-steps").replaceChildren(...shown.steps.map((s) => el("li", {},
      when(s.at) + " — " + s.actor + " — " + s.action + (s.recording ? " — " + s.recording : "") + (s.detail ? " — " + s.detail : ""))));
    detail.hidden = false;
  }

  async function act(path, body) {
    show(error, "");
    try {
      const answer = await api("/api/requests/" + current.id + "/" + path, { method: "POST", body });
      await load();
      await open(current.id, path === "fulfil" ? answer : null);
    } catch (failure) {
      show(error, failure.message);
    }
  }

  document.getElementById("req-fulfil").addEventListener("click", () => {
    if (window.confirm(t("req.confirm"))) act("fulfil", {});
  });
  document.getElementById("req-reject").addEventListener("click", () => {
    const reason = window.prompt(t("reason"));
    if (reason) act("reject", { reason });
  });
  document.getElementById("req-lift").addEventListener("click", () => {
    const reason = window.prompt(t("reason"));
    if (reason) act("lift", { reason });
  });

  document.getElementById("request-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    show(error, "");
    try {
      const opened = await api("/api/requests", { method: "POST", body: {
        kind: value("req-kind"), number: value("req-number"), reference: value("req-reference"), received: value("req-received"), campaign: value("req-campaign") } });
      event.target.reset();
      await load();
      await open(opened.id);
    } catch (failure) {
      show(error, failure.message);
    }
  });
  document.getElementById("req-filter").addEventListener("change", () => load().catch((failure) => show(error, failure.message)));

  async function loadList() {
    const entries = await api("/api/do-not-call");
    dncTable.replaceChildren(...entries.map((e) => el("tr", {},
      el("td", { class: "number" }, e.number), el("td", {}, e.campaign || t("dnc.every")), el("td", {}, when(e.addedAt) + " — " + e.addedBy),
      el("td", {}, e.source))));
  }

  document.getElementById("dnc-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    show(dncError, "");
    try {
      await api("/api/do-not-call", { method: "POST", body: { number: value("dnc-number"), campaign: value("dnc-campaign") } });
      event.target.reset();
      await loadList();
    } catch (failure) {
      show(dncError, failure.message);
    }
  });

  // The list shows numbers masked: a number comes off by being written again, with the reason.
  document.getElementById("dnc-remove").addEventListener("click", async () => {
    show(dncError, "");
    const reason = value("dnc-number") ? window.prompt(t("reason")) : null;
    if (!reason) return;
    try {
      await api("/api/do-not-call/remove", { method: "POST", body: { number: value("dnc-number"), campaign: value("dnc-campaign"), reason } });
      document.getElementById("dnc-form").reset();
      await loadList();
    } catch (failure) {
      show(dncError, failure.message);
    }
  });

  load().catch((failure) => show(error, failure.message));
  loadList().catch((failure) => show(dncError, failure.message));
})();
