/* Search-as-you-type for students (WAI-ARIA combobox with a listbox popup). The server answers
   from the scope-aware selector; the chosen student's name, group and IIN go into the input, and
   the form takes the IIN from it. No build step. */
(function () {
  "use strict";

  function setup(input) {
    var root = input.closest("[data-student-picker-root]");
    var list = root.querySelector('[role="listbox"]');
    var status = root.querySelector('[role="status"]');
    var url = input.getAttribute("data-student-picker");
    var timer = null;
    var active = -1;
    var options = [];
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(index) {
      if (!options[index]) { return; }
      input.value = options[index].getAttribute("data-label");
      close();
      status.textContent = input.value;
    }

    function show(results) {
      list.innerHTML = "";
      options = results.map(function (r, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-label", r.label);
        li.textContent = r.label;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
        return li;
      });
      list.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      status.textContent = options.length + "";
      active = -1;
    }

    function search() {
      var q = input.value.trim();
      if (q.length < 2) { show([]); return; }
      fetch(url + "&q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === q) { show(data.results || []); } })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden && e.key === "ArrowDown") { search(); return; }
      if (list.hidden) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, options.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init() {
    document.querySelectorAll("[data-student-picker]").forEach(setup);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
