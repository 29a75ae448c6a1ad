// Indicators per campaign and period: a table, a bar chart drawn in SVG (share recorded and
// share informed per campaign), and the CSV export of the same figures.
"use strict";

(() => {
  const { api, el, t } = App;
  const form = document.getElementById("kpi-form");
  const table = document.getElementById("kpis");
  const chart = document.getElementById("kpi-chart");
  const csv = document.getElementById("kpi-csv");
  const from = document.getElementById("kpi-from");
  const to = document.getElementById("kpi-to");
  const today = new Date();
  to.value = today.toISOString().slice(0, 10);
  from.value = new Date(today.getTime() - 29 * 86400000).toISOString().slice(0, 10);
  const percent = (share) => (share * 100).toFixed(1) + " %";

  function draw(rows) {
    const ns = "http://www.w3.org/2000/svg";
    const shapes = [];
    const width = 600 / Math.max(1, rows.length);
    rows.forEach((row, i) => {
      [["bar-recorded", row.shareRecorded], ["bar-informed", row.shareInformed]].forEach(([kind, share], j) => {
        const bar = document.createElementNS(ns, "rect");
        const h = share * 180;
        bar.setAttribute("class", kind);
        bar.setAttribute("x", String(i * width + 8 + j * (width / 2 - 8)));
        bar.setAttribute("y", String(190 - h));
        bar.setAttribute("width", String(Math.max(4, width / 2 - 12)));
        bar.setAttribute("height", String(h));
        shapes.push(bar);
      });
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", String(i * width + 8));
      label.setAttribute("y", "212");
      label.textContent = row.campaign || "∑";
      shapes.push(label);
    });
    chart.replaceChildren(...shapes);
  }

  async function load() {
    const query = new URLSearchParams({ from: from.value, to: to.value });
    csv.href = "/api/indicators.csv?" + query;
    const rows = await api("/api/indicators?" + query);
    table.replaceChildren(...rows.map((k) => el("tr", {},
      el("td", {}, k.campaign || "∑"), el("td", {}, k.calls), el("td", {}, percent(k.shareRecorded)), el("td", {}, percent(k.shareInformed)),
      el("td", {}, k.purged), el("td", {}, k.oppositions))));
    draw(rows);
    chart.setAttribute("aria-label", t("kpi.recorded") + " / " + t("kpi.informed"));
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
})();
