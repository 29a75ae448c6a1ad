// The running configuration's campaigns and their recording rules.
"use strict";

(() => {
  const { api, el, t } = App;
  api("/api/campaigns").then((data) => {
    document.getElementById("config-state").textContent = t("campaigns.reload");
    document.getElementById("campaigns").replaceChildren(...data.campaigns.map((c) => el("tr", {},
      el("td", {}, c.id + " — " + c.name), el("td", {}, c.mode), el("td", {}, c.retentionDays), el("td", {}, c.purposes.join(", ")))));
  });
})();
