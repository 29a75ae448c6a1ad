// Recordings search: the form's criteria (a number in any written form; the server normalises
// it) go to /api/recordings; results are paged with the server's cursor.
"use strict";

(() => {
  const { t, api, el, duration, when, show } = App;
  const form = document.getElementById("search");
  const results = document.getElementById("results");
  const error = document.getElementById("search-error");
  const count = document.getElementById("count");
  const first = document.getElementById("first-page");
  const next = document.getElementById("next-page");
  let cursor = null;

  function criteria(after) {
    const query = new URLSearchParams();
    for (const field of ["number", "from", "to", "campaign", "agent", "status"]) {
      const value = form.elements[field].value.trim();
      if (value) query.set(field, value);
    }
    if (after) query.set("after", after);
    return query;
  }

  async function search(after) {
    show(error, "");
    try {
      const page = await api("/api/recordings?" + criteria(after));
      results.replaceChildren(...page.items.map((r) => el("tr", { "data-id": r.id },
        el("td", {}, when(r.startedAt)),
        el("td", {}, r.seconds == null ? "—" : duration(r.seconds)),
        el("td", {}, r.campaign),
        el("td", {}, r.agent),
        el("td", {}, r.number || "—"),
        el("td", {}, t("status." + r.status)),
        el("td", {}, el("a", { href: "/recordings/" + r.id, class: "open" }, t("open"))))));
      count.textContent = page.items.length + " " + t("results");
      cursor = page.next;
      next.hidden = !cursor;
      first.hidden = !after;
    } catch (failure) {
      show(error, failure.message);
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); search(null); });
  next.addEventListener("click", () => search(cursor));
  first.addEventListener("click", () => search(null));
})();
