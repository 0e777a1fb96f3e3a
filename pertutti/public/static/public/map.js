/* Progressive map for the services list: Leaflet plus a small grid clustering
   (leaflet.markercluster would not fit the page-weight budget). Without JS, or
   without Leaflet, the page stays a plain list. */
(function () {
  "use strict";
  const GRID = 56; // cluster cell, in layer pixels at the current zoom

  function init() {
    const el = document.getElementById("map");
    if (!el || !window.L) return;
    try {
      start(el);
    } catch (e) {
      el.hidden = true; // fall back to the plain list
      console.error(e);
    }
  }

  // Small DOM helper: <tag> with text content, appended to parent.
  function h(tag, text, parent) {
    const n = document.createElement(tag);
    if (text != null) n.textContent = text;
    if (parent) parent.appendChild(n);
    return n;
  }

  function start(el) {
    const d = el.dataset;
    const src = document.getElementById("map-markers");
    let pts = [];
    try {
      pts = JSON.parse(src ? src.textContent : "[]");
    } catch (e) { /* no markers */ }
    const ok = (p) => p && Number.isFinite(p.lat) && Number.isFinite(p.lon);
    pts = (Array.isArray(pts) ? pts : []).filter(ok);
    // The list page sends only code and position (page weight); name, organisation and
    // link are read from the list entry the server already rendered.
    pts.forEach((p) => {
      const li = document.getElementById("svc-" + p.code);
      const a = li && li.querySelector("h2 a");
      if (!a) return;
      p.name = p.name || a.textContent;
      p.url = p.url || a.getAttribute("href");
      const org = li.querySelector(".meta");
      p.org = p.org || (org ? org.textContent : "");
    });
    const maxZoom = +d.maxZoom || 18;
    const ll = (p) => [p.lat, p.lon];
    const byCode = {}; // code -> marker currently showing it
    const pop = L.popup({ maxHeight: 260, autoPanPadding: [12, 12] });
    let sel = null;

    el.hidden = false;
    const map = L.map(el, { zoomControl: true, maxZoom: maxZoom });
    map.attributionControl.setPrefix(false);
    // Fit to the markers once the map has a size (it may be hidden by CSS).
    let fitted = false;
    const fit = () => {
      if (pts.length && el.clientWidth && el.clientHeight) {
        fitted = true;
        map.fitBounds(L.latLngBounds(pts.map(ll)), { padding: [24, 24], maxZoom: 15, animate: false });
      }
    };
    map.setView([+d.lat || 0, +d.lon || 0], +d.zoom || 10);
    fit();
    if (window.ResizeObserver) {
      new ResizeObserver(() => {
        map.invalidateSize();
        if (!fitted) fit();
      }).observe(el);
    }
    if (d.tiles) {
      // Tile errors only leave grey squares: markers and list keep working.
      L.tileLayer(d.tiles, { maxZoom: maxZoom, attribution: d.attribution || "" }).addTo(map);
    }

    function select(code, scroll) {
      if (sel) {
        sel.classList.remove("is-selected");
        sel.removeAttribute("aria-current");
      }
      sel = document.getElementById("svc-" + code);
      if (!sel) return;
      sel.classList.add("is-selected");
      sel.setAttribute("aria-current", "true");
      if (scroll) sel.scrollIntoView({ block: "nearest" });
    }

    function show(m, node) {
      pop.setLatLng(m.getLatLng()).setContent(node).openOn(map);
    }

    // Popup of one service: name, organisation, approx note, link.
    function card(p) {
      const box = h("div");
      box.className = "pt-popup";
      h("strong", p.name, box);
      if (p.org) h("p", p.org, box);
      if (p.approx) h("p", d.labelApprox, box).className = "pt-approx-note";
      const a = (box.focusTarget = h("a", d.labelOpen, box));
      a.href = p.url;
      return box;
    }

    // Popup of a cluster: heading and up to 50 links.
    function list(c, code) {
      const box = h("div");
      box.className = "pt-popup";
      h("strong", label(c.length), box);
      if (c.every((p) => p.approx)) h("p", d.labelApprox, box).className = "pt-approx-note";
      const ul = h("ul", null, box);
      c.slice(0, 50).forEach((p) => {
        const a = h("a", p.name, h("li", null, ul));
        a.href = p.url;
        if (p.code === code) box.focusTarget = a;
      });
      if (c.length > 50) h("li", "…", ul);
      return box;
    }

    const label = (n) => (d.labelCluster || "{n}").replace(/\{n\}/g, n);
    const same = (c) =>
      c.every((p) => Math.abs(p.lat - c[0].lat) < 1e-6 && Math.abs(p.lon - c[0].lon) < 1e-6);

    // Open what a marker stands for: a service card, a list of services, or
    // (clicked cluster that zooming can split) zoom in. `code`: from the list.
    function open(m, code) {
      const c = m.pts;
      const b = L.latLngBounds(c.map(ll));
      let node;
      if (c.length === 1) {
        node = card(c[0]);
        select(c[0].code, !code);
      } else if (code || same(c) || map.getBoundsZoom(b, false, [48, 48]) <= map.getZoom()) {
        node = list(c, code);
        if (code) select(code);
      } else {
        return map.fitBounds(b, { padding: [24, 24] });
      }
      show(m, node);
      if (code && node.focusTarget) node.focusTarget.focus({ preventScroll: true });
    }

    function marker(c) {
      const n = c.length;
      const one = n === 1;
      let lat = 0;
      let lon = 0;
      c.forEach((p) => {
        lat += p.lat;
        lon += p.lon;
      });
      const s = one ? 28 : n < 10 ? 34 : n < 100 ? 40 : 46;
      const icon = L.divIcon({
        className: one ? "pt-marker" + (c[0].approx ? " pt-approx" : "") : "pt-cluster",
        html: one ? "" : String(n),
        iconSize: [s, s],
      });
      const m = L.marker([lat / n, lon / n], {
        icon: icon,
        title: one ? c[0].name : label(n),
        keyboard: true,
        riseOnHover: true,
      });
      m.pts = c;
      m.on("click", () => open(m));
      // Keyboard: Leaflet gives role="button"; Enter and Space activate it.
      m.on("keypress", (e) => {
        const k = e.originalEvent.key;
        if (k === "Enter" || k === " ") {
          L.DomEvent.preventDefault(e.originalEvent);
          open(m);
        }
      });
      return m;
    }

    const layer = L.layerGroup().addTo(map);
    // Cluster on a GRID-pixel screen grid at the current zoom. A plain grid
    // splits close points that straddle a cell edge into overlapping markers,
    // so a point joins the first group whose seed is within GRID px in its own
    // or a neighbouring cell; otherwise it seeds a new group in its cell.
    function build() {
      const z = map.getZoom();
      const cells = new Map();
      const groups = [];
      pts.forEach((p) => {
        const q = map.project(ll(p), z);
        const x = Math.floor(q.x / GRID);
        const y = Math.floor(q.y / GRID);
        let g;
        for (let i = -1; i < 2 && !g; i++) {
          for (let j = -1; j < 2 && !g; j++) {
            g = (cells.get(x + i + "," + (y + j)) || []).find((g) => g.q.distanceTo(q) < GRID);
          }
        }
        if (!g) {
          g = { q: q, c: [] };
          groups.push(g);
          const k = x + "," + y;
          cells.set(k, (cells.get(k) || []).concat(g));
        }
        g.c.push(p);
      });
      map.closePopup();
      layer.clearLayers();
      groups.forEach((g) => {
        const m = marker(g.c).addTo(layer);
        g.c.forEach((p) => {
          byCode[p.code] = m;
        });
      });
    }
    build();
    map.on("zoomend", build);

    // List -> map: centre on the service and open its marker or cluster.
    const where = {};
    pts.forEach((p) => {
      where[p.code] = p;
    });
    document.querySelectorAll(".show-on-map").forEach((b) => {
      const p = where[b.dataset.code];
      if (!p) return; // no position: keep the button hidden
      b.hidden = false;
      b.addEventListener("click", () => {
        // No animation: zoomend (and so build) has run when setView returns.
        map.setView(ll(p), Math.max(map.getZoom(), 15), { animate: false });
        el.scrollIntoView({ block: "nearest" });
        if (byCode[p.code]) open(byCode[p.code], p.code);
      });
    });

    // Near me: ask for the position only on click; round it for privacy.
    const near = document.getElementById("near-me");
    const err = document.getElementById("near-me-error");
    if (near && navigator.geolocation) {
      near.hidden = false;
      near.addEventListener("click", () => {
        if (err) err.hidden = true;
        navigator.geolocation.getCurrentPosition(
          (pos) => {
            const u = new URL(location.href);
            const q = u.searchParams;
            const r = (v) => String(Math.round(v * 1e4) / 1e4);
            q.set("lat", r(pos.coords.latitude));
            q.set("lon", r(pos.coords.longitude));
            q.set("sort", "distance");
            q.delete("page");
            location.assign(u.href);
          },
          () => {
            if (!err) return;
            err.textContent = err.dataset.denied || "";
            err.hidden = false;
          },
          { timeout: 10000, maximumAge: 60000 }
        );
      });
    }
  }

  if (document.readyState === "complete") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
