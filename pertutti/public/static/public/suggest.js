// Suggestions while typing (progressive enhancement): the search works without this.
(function () {
  "use strict";
  const input = document.getElementById("q");
  if (!input || !window.fetch) return;
  const list = document.createElement("datalist");
  list.id = "q-suggestions";
  input.after(list);
  input.setAttribute("list", list.id);
  const lang = document.documentElement.lang;
  let timer = 0;
  let last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2 || text === last) return;
    timer = setTimeout(function () {
      last = text;
      fetch("/api/v1/suggest?q=" + encodeURIComponent(text) + "&lang=" + encodeURIComponent(lang))
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          list.replaceChildren.apply(list, items.map(function (item) {
            const option = document.createElement("option");
            option.value = item.text; // textContent-safe: a value, never HTML
            return option;
          }));
        })
        .catch(function () { /* offline: no suggestions, search still works */ });
    }, 200);
  });
})();
