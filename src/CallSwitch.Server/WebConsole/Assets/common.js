// Shared by every page: the words of the page's language, the antiforgery token, JSON requests,
// and small helpers to build elements (never innerHTML with data: everything is text).
"use strict";

const App = (() => {
  const words = JSON.parse(document.getElementById("words").textContent);
  const csrf = document.querySelector('meta[name="csrf"]').content;

  function t(key) {
    return Object.prototype.hasOwnProperty.call(words, key) ? words[key] : key;
  }

  async function api(path, options = {}) {
    const init = { method: options.method || "GET", headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (init.method !== "GET") {
      init.headers["X-CSRF-Token"] = csrf;
    }
    if (options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(path, init);
    if (response.status === 401) {
      window.location.assign("/signin?return=" + encodeURIComponent(window.location.pathname + window.location.search));
      throw new Error("signed out");
    }
    const text = await response.text();
    const data = text.length > 0 && (response.headers.get("Content-Type") || "").includes("json") ? JSON.parse(text) : null;
    if (!response.ok) {
      const error = new Error((data && data.error) || text || response.statusText);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "onclick") node.addEventListener("click", value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function duration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (n) => String(n).padStart(2, "0");
    return (h > 0 ? h + ":" + pad(m) : m) + ":" + pad(s % 60);
  }

  function when(iso) {
    return new Date(iso).toLocaleString(document.documentElement.lang);
  }

  function show(node, message) {
    node.textContent = message || "";
    node.hidden = !message;
  }

  return { t, api, el, duration, when, show, csrf };
})();
