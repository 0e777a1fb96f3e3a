// The orientation sheet's selection on this device (progressive enhancement: every link and
// form works without this script; it only carries the codes from one service page to the
// next). Only service codes are stored, nothing about the person.
(function () {
  "use strict";
  const KEY = "pertutti.sheet";

  function load() {
    try {
      const codes = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(codes) ? codes.filter(function (c) { return typeof c === "string"; }) : [];
    } catch (e) {
      return []; // storage blocked or garbled: start from the link's own codes
    }
  }

  function save(codes) {
    try {
      if (codes.length) localStorage.setItem(KEY, JSON.stringify(codes));
      else localStorage.removeItem(KEY);
    } catch (e) { /* private mode: the URL still carries the selection */ }
  }

  function merge(first, more) {
    const out = first.slice();
    more.forEach(function (code) { if (out.indexOf(code) < 0) out.push(code); });
    return out;
  }

  // "Add to sheet": the link names its own service; add the ones already picked.
  document.querySelectorAll("a[data-sheet-add]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      const url = new URL(link.href, location.href);
      const own = (url.searchParams.get("s") || "").split(",").filter(Boolean);
      url.searchParams.set("s", merge(load(), own).join(","));
      event.preventDefault();
      location.assign(url.toString());
    });
  });

  // The sheet page: what it lists is the selection (removals included).
  const list = document.getElementById("sheet-list");
  if (list) {
    save(Array.prototype.map.call(list.querySelectorAll("li[data-code]"), function (li) {
      return li.dataset.code;
    }));
  } else if (document.getElementById("sheet-codes") && !new URLSearchParams(location.search).has("s")) {
    const stored = load();
    if (stored.length) {
      location.replace(location.pathname + "?s=" + encodeURIComponent(stored.join(",")));
      return;
    }
  }
  document.querySelectorAll("[data-sheet-clear]").forEach(function (link) {
    link.addEventListener("click", function () { save([]); });
  });

  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
