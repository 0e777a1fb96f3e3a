/* The service form, made quicker with JavaScript; without it the form works as a plain
   formset and typed coordinates.
   - hours: "copy to the other days, Monday to Friday" and "add a row" on the hours table;
   - place: a map with a marker one drags (or a click) that fills latitude and longitude,
     and follows what is typed. Leaflet is the vendored copy the public map uses. */
(function () {
  "use strict";

  /* ---- Opening hours ------------------------------------------------------------ */

  function hoursEditor() {
    const box = document.getElementById("hours-rows");
    const template = document.getElementById("hours-template");
    if (!box || !template) return;
    const d = box.dataset;
    const prefix = d.prefix || "hours";
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    const status = document.getElementById("hours-status");
    if (!total) return;

    const say = (text) => {
      if (status) status.textContent = text;
    };
    const field = (row, name) => row.querySelector('[name$="-' + name + '"]');
    const rows = () => Array.from(box.querySelectorAll(".hours-row"));
    const isEmpty = (row) =>
      !field(row, "weekday").value && !field(row, "opens").value && !field(row, "closes").value;

    function addRow() {
      const count = +total.value;
      if (max && count >= +max.value) {
        say(d.labelFull || "");
        return null;
      }
      const html = template.innerHTML.replace(/__prefix__/g, String(count));
      const holder = document.createElement("div");
      holder.innerHTML = html; // our own server-rendered template, no user text
      const row = holder.querySelector(".hours-row");
      row.setAttribute("aria-label", row.getAttribute("aria-label") + " " + (count + 1));
      box.appendChild(row);
      total.value = String(count + 1);
      decorate(row);
      return row;
    }

    function copy(row) {
      const day = field(row, "weekday").value;
      const opens = field(row, "opens").value;
      const closes = field(row, "closes").value;
      const label = field(row, "label").value;
      if (day === "" || !opens || !closes) {
        say(d.labelIncomplete || "");
        return;
      }
      let copied = 0;
      for (let target = 0; target <= 4; target++) {
        if (String(target) === day) continue;
        const same = rows().some(
          (r) =>
            field(r, "weekday").value === String(target) &&
            field(r, "opens").value === opens &&
            field(r, "closes").value === closes
        );
        if (same) continue;
        const free = rows().find(isEmpty) || addRow();
        if (!free) break;
        field(free, "weekday").value = String(target);
        field(free, "opens").value = opens;
        field(free, "closes").value = closes;
        field(free, "label").value = label;
        copied++;
      }
      say((d.labelCopied || "{n}").replace("{n}", String(copied)));
    }

    function decorate(row) {
      if (row.querySelector(".copy-days")) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn-secondary copy-days";
      button.textContent = d.labelCopy || "Copy";
      button.addEventListener("click", () => copy(row));
      const p = document.createElement("p");
      p.appendChild(button);
      row.appendChild(p);
    }

    rows().forEach(decorate);
    const add = document.createElement("button");
    add.type = "button";
    add.className = "btn-secondary";
    add.textContent = d.labelAdd || "+";
    add.addEventListener("click", () => {
      const row = addRow();
      if (row) field(row, "weekday").focus();
    });
    const p = document.createElement("p");
    p.appendChild(add);
    box.after(p);
  }

  /* ---- The place on the map ----------------------------------------------------- */

  function placeMap() {
    const el = document.getElementById("location-map");
    const lat = document.getElementById("id_latitude");
    const lon = document.getElementById("id_longitude");
    if (!el || !lat || !lon || !window.L) return;
    try {
      startMap(el, lat, lon);
    } catch (e) {
      el.hidden = true; // the typed coordinates still work
      console.error(e);
    }
  }

  function number(input) {
    const v = parseFloat(String(input.value).replace(",", "."));
    return Number.isFinite(v) ? v : null;
  }

  function startMap(el, lat, lon) {
    const d = el.dataset;
    el.hidden = false;
    const map = L.map(el, { zoomControl: true, maxZoom: 19 });
    map.attributionControl.setPrefix(false);
    if (d.tiles) {
      L.tileLayer(d.tiles, { maxZoom: 19, attribution: d.attribution || "" }).addTo(map);
    }
    const bounds = L.latLngBounds([+d.south, +d.west], [+d.north, +d.east]);
    // The territory's edge: a place outside it is refused by the form.
    L.rectangle(bounds, { fill: false, weight: 2, dashArray: "6 6", interactive: false }).addTo(map);
    const icon = L.divIcon({ className: "pt-marker", iconSize: [28, 28] });
    let marker = null;

    function fill(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      [lat, lon].forEach((input) => input.dispatchEvent(new Event("change", { bubbles: true })));
    }

    function place(latlng, pan) {
      if (!marker) {
        marker = L.marker(latlng, {
          icon: icon,
          draggable: true,
          keyboard: true,
          title: d.labelMarker || "",
          alt: d.labelMarker || "",
        }).addTo(map);
        marker.on("dragend", () => fill(marker.getLatLng()));
      } else {
        marker.setLatLng(latlng);
      }
      if (pan) map.panTo(latlng);
    }

    const y = number(lat);
    const x = number(lon);
    if (y !== null && x !== null && bounds.contains([y, x])) {
      map.setView([y, x], 16);
      place([y, x], false);
    } else if (y !== null && x !== null) {
      // A refused place: show the territory, where a click puts the marker.
      map.fitBounds(bounds, { animate: false });
    } else {
      map.setView([+d.lat || 0, +d.lon || 0], +d.zoom || 10);
    }
    map.on("click", (e) => {
      place(e.latlng, false);
      fill(e.latlng);
    });
    const follow = () => {
      const a = number(lat);
      const b = number(lon);
      if (a !== null && b !== null) place([a, b], true);
    };
    lat.addEventListener("input", follow);
    lon.addEventListener("input", follow);
    if (window.ResizeObserver) new ResizeObserver(() => map.invalidateSize()).observe(el);
  }

  function init() {
    hoursEditor();
    placeMap();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
