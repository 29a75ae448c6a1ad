// The audit log (dpo): search by actor and date, and the hash chain's verification.
"use strict";

(() => {
  const { api, el, when } = App;
  const entries = document.getElementById("entries");

  async function search() {
    const query = new URLSearchParams();
    const actor = document.getElementById("audit-actor").value.trim();
    const from = document.getElementById("audit-from").value;
    if (actor) query.set("actor", actor);
    if (from) query.set("from", from);
    const list = await api("/api/audit?" + query);
    entries.replaceChildren(...list.map((e) => el("tr", {},
      el("td", {}, "#" + e.seq + " " + when(e.at)), el("td", {}, e.actor), el("td", {}, e.action), el("td", {}, e.purpose + (e.detail ? " — " + e.detail : "")))));
  }

  document.getElementById("audit-form").addEventListener("submit", (event) => { event.preventDefault(); search(); });
  document.getElementById("audit-verify").addEventListener("click", async () => {
    const result = await api("/api/audit/verify", { method: "POST" });
    document.getElementById("verify-result").textContent = result.intact
      ? "✓ " + result.entries
      : "✗ #" + result.firstBad + " " + (result.problem || "");
  });
  search();
})();
