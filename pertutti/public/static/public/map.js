/* Progressive map for the services list: Leaflet plus a small grid clustering
   (leaflet.markercluster would not fit the page-weight budget). Without JS, or
   without Leaflet, the page stays a plain list. */
(function () {
  "use strict";
  const GRID = 56; // cluster cell, in layer pixels at the current zoom

  function init() {
    const el = document.getElementById("map");
    if (!el) return;
    const d = el.dataset;
    if (!window.L && !d.leafletJs) {
      el.hidden = true; // no Leaflet: the page stays a plain list
      return;
    }
    nearMe(); // needs no Leaflet, only the browser's position
    if (window.L) return begin(el);
    // Leaflet (45 KB) only when a map will be seen: at once on the map page, when the
    // box comes near the screen elsewhere. The box's size is reserved by CSS meanwhile.
    const go = () => load(d.leafletCss, d.leafletJs).then(() => begin(el), () => (el.hidden = true));
    if (d.load === "now" || !window.IntersectionObserver) return go();
    const io = new IntersectionObserver(
      (seen) => {
        if (!seen.some((e) => e.isIntersecting)) return;
        io.disconnect();
        go();
      },
      { rootMargin: "300px" }
    );
    io.observe(el);
  }

  // Leaflet's stylesheet and script; resolves once both have loaded (Leaflet measures
  // its panes, so its CSS must apply before the map starts).
  function load(css, js) {
    const add = (tag, attrs, parent) =>
      new Promise((ok, fail) => {
        const n = Object.assign(document.createElement(tag), attrs);
        n.onload = ok;
        n.onerror = fail;
        parent.appendChild(n);
      });
    const all = [add("script", { src: js }, document.body)];
    if (css) all.push(add("link", { rel: "stylesheet", href: css }, document.head));
    return Promise.all(all);
  }

  function begin(el) {
    try {
      if (!window.L) throw new Error("Leaflet did not load");
      start(el);
    } catch (e) {
      el.hidden = true; // fall back to the plain list
      console.error(e);
    }
  }

  // Near me: ask for the position on click, or at once when the page was opened for it
  // (the home page's link ends in #near-me); round it for privacy.
  function nearMe() {
    const near = document.getElementById("near-me");
    const err = document.getElementById("near-me-error");
    if (!near || !navigator.geolocation) return;
    near.hidden = false;
    const ask = () => {
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
          u.hash = ""; // not #near-me again: the next page must not ask again
          location.assign(u.href);
        },
        () => {
          if (!err) return;
          err.textContent = err.dataset.denied || "";
          err.hidden = false;
        },
        { timeout: 10000, maximumAge: 60000 }
      );
    };
    near.addEventListener("click", ask);
    if (location.hash === "#near-me" && !new URLSearchParams(location.search).has("lat")) ask();
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
    let listed = [];
    try {
      listed = JSON.parse(src ? src.textContent : "[]");
    } catch (e) { /* no markers */ }
    const ok = (p) => p && Number.isFinite(p.lat) && Number.isFinite(p.lon);
    listed = (Array.isArray(listed) ? listed : []).filter(ok);
    // The page sends only code and position of the services it lists (page weight);
    // name, language, organisation and link are read from the list entry.
    listed.forEach((p) => {
      const li = document.getElementById("svc-" + p.code);
      const a = li && li.querySelector("h2 a");
      if (!a) return;
      p.name = p.name || a.textContent;
      p.lang = p.lang || a.getAttribute("lang") || "";
      p.url = p.url || a.getAttribute("href");
      const org = li.querySelector(".meta");
      p.org = p.org || (org ? org.textContent : "");
    });
    let pts = listed.slice();
    const maxZoom = +d.maxZoom || 18;
    const ll = (p) => [p.lat, p.lon];
    const byCode = {}; // code -> marker currently showing it
    const pop = L.popup({ maxHeight: 260, autoPanPadding: [12, 12] });
    let sel = null;
    let shown = null; // marker whose popup is open

    // aria-busy while the map moves or loads markers: clients (and tests) know when
    // what they see is settled.
    let moving = false;
    let loading = false;
    const busy = () => {
      if (moving || loading) el.setAttribute("aria-busy", "true");
      else el.removeAttribute("aria-busy");
    };
    el.hidden = false;
    el.setAttribute("aria-busy", "true");
    const rtl = getComputedStyle(el).direction === "rtl";
    const map = L.map(el, { zoomControl: false, maxZoom: maxZoom });
    // Right-to-left pages start on the right: zoom there, attribution opposite.
    L.control.zoom({ position: rtl ? "topright" : "topleft" }).addTo(map);
    map.attributionControl.setPrefix(false);
    if (rtl) map.attributionControl.setPosition("bottomleft");
    // Fit to the listed markers once the map has a size.
    let fitted = false;
    const fit = () => {
      if (listed.length && el.clientWidth && el.clientHeight) {
        fitted = true;
        map.fitBounds(L.latLngBounds(listed.map(ll)), { padding: [24, 24], maxZoom: 15, animate: false });
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
      shown = m;
      pop.setLatLng(m.getLatLng()).setContent(node).openOn(map);
    }

    // A service's name, isolated from the text around it, in its own language.
    function name(p, parent) {
      const b = h("bdi", p.name, parent);
      b.dir = "auto";
      if (p.lang) b.lang = p.lang;
      return b;
    }

    // Popup of one service: name, organisation, approx note, link.
    function card(p) {
      const box = h("div");
      box.className = "pt-popup";
      name(p, h("strong", null, box));
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
        const a = h("a", null, h("li", null, ul));
        name(p, a);
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
    let current = new Map(); // cluster key (its codes) -> marker on the map
    // Cluster on a GRID-pixel screen grid at the current zoom. A plain grid
    // splits close points that straddle a cell edge into overlapping markers,
    // so a point joins the first group whose seed is within GRID px in its own
    // or a neighbouring cell; otherwise it seeds a new group in its cell.
    // A cluster that did not change keeps its marker (the element under a finger
    // or the keyboard focus is not replaced when markers arrive).
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
      const next = new Map();
      groups.forEach((g) => {
        const key = g.c.map((p) => p.code).sort().join(" ");
        const m = current.get(key) || marker(g.c).addTo(layer);
        next.set(key, m);
        g.c.forEach((p) => {
          byCode[p.code] = m;
        });
      });
      current.forEach((m, key) => {
        if (!next.has(key)) layer.removeLayer(m);
      });
      current = next;
    }
    build();
    map.on("zoomend", () => {
      build();
      // A cluster that split or merged: its list is no longer what the map shows.
      if (shown && !layer.hasLayer(shown)) map.closePopup();
    });

    // The markers of the visible area, with the page's filters (data-markers): the
    // listed ones above are only the current page of the list. Fetched when a move
    // ends, the previous request aborted; an area already loaded whole is not asked
    // again (zooming in).
    let loaded = null; // bounds loaded whole
    let ctl = null;
    const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v));
    function refresh() {
      if (!d.markers || !window.fetch) return;
      const view = map.getBounds();
      if (loaded && loaded.contains(view)) return;
      const b = view.pad(0.25);
      const box = [
        clamp(b.getSouth(), 90).toFixed(4),
        clamp(b.getWest(), 180).toFixed(4),
        clamp(b.getNorth(), 90).toFixed(4),
        clamp(b.getEast(), 180).toFixed(4),
      ];
      if (ctl) ctl.abort();
      const mine = (ctl = window.AbortController ? new AbortController() : null);
      loading = true;
      busy();
      const url = d.markers + (d.markers.indexOf("?") < 0 ? "?" : "&") + "bbox=" + box.join(",");
      fetch(url, { signal: mine && mine.signal, headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status))))
        .then((data) => {
          if (mine !== ctl) return;
          const got = (Array.isArray(data.markers) ? data.markers : []).filter(ok);
          const all = new Map();
          listed.forEach((p) => all.set(p.code, p));
          got.forEach((p) => {
            if (!all.has(p.code)) all.set(p.code, p);
          });
          pts = Array.from(all.values());
          loaded = data.truncated ? null : L.latLngBounds([+box[0], +box[1]], [+box[2], +box[3]]);
          build();
        })
        .catch(() => { /* the listed markers stay: the map still works */ })
        .then(() => {
          if (mine !== ctl) return; // a newer request is under way
          ctl = null;
          loading = false;
          busy();
        });
    }
    map.on("movestart", () => {
      moving = true;
      busy();
    });
    map.on("moveend", () => {
      moving = false;
      refresh();
      busy();
    });
    refresh();
    busy();

    // List -> map: centre on the service and open its marker or cluster.
    const where = {};
    listed.forEach((p) => {
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
  }

  if (document.readyState === "complete") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
