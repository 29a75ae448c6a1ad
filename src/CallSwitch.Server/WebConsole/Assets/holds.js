// Legal holds (dpo): the active holds, placing one (recording, call, campaign or number: a
// number is kept as its keyed hash only), releasing one with a reason.
"use strict";

(() => {
  const { t, api, el, when, show } = App;
  const table = document.getElementById("holds");
  const error = document.getElementById("hold-error");

  async function load() {
    const holds = await api("/api/holds");
    table.replaceChildren(...holds.map((h) => el("tr", { "data-id": h.id },
      el("td", {}, h.target), el("td", {}, h.reason), el("td", {}, h.requestedBy), el("td", {}, when(h.placedAt) + " — " + h.placedBy),
      el("td", {}, el("button", { type: "button", onclick: () => release(h) }, t("holds.release"))))));
  }

  async function release(hold) {
    const reason = window.prompt(t("reason"));
    if (!reason) return;
    try {
      await api("/api/holds/" + hold.id + "/release", { method: "POST", body: { reason } });
      await load();
    } catch (failure) {
      show(error, failure.message);
    }
  }

  document.getElementById("hold-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    show(error, "");
    const value = (name) => document.getElementById(name).value.trim();
    try {
      await api("/api/holds", { method: "POST", body: { scope: value("hold-scope"), target: value("hold-target"), reason: value("hold-reason"), requestedBy: value("hold-requested-by") } });
      event.target.reset();
      await load();
    } catch (failure) {
      show(error, failure.message);
    }
  });
  load().catch((failure) => show(error, failure.message));
})();
