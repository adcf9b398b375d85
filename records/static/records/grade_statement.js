/* Live results of the grade statement grid: posts the scores to the compute endpoint (the academic
   policy on the server is the single source of truth) and fills the computed cells. No build step. */
(function () {
  "use strict";
  var form = document.getElementById("grade-statement");
  if (!form) { return; }
  var url = form.getAttribute("data-compute-url");
  var timer = null;
  var pending = null;

  function value(name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.value : "";
  }

  function rows() {
    var result = [];
    var count = parseInt(value("rows-count"), 10) || 0;
    for (var i = 0; i < count; i++) {
      var p = "rows-" + i + "-";
      result.push({ rating1: value(p + "rating1"), rating2: value(p + "rating2"), exam: value(p + "exam") });
    }
    return result;
  }

  function show(results) {
    results.forEach(function (r, i) {
      var tr = form.querySelector('tr[data-row="' + i + '"]');
      if (!tr) { return; }
      ["admission_rating", "final_percent", "letter", "points", "traditional"].forEach(function (col) {
        var cell = tr.querySelector('[data-col="' + col + '"]');
        if (cell) { cell.textContent = r[col] || ""; }
      });
      var admitted = tr.querySelector('[data-col="admitted"]');
      if (admitted) {
        admitted.textContent = r.admitted === true ? form.getAttribute("data-yes")
          : r.admitted === false ? form.getAttribute("data-no") : "";
      }
      var note = form.querySelector('tr[data-error-for="' + i + '"]');
      var text = r.error || r.reason || "";
      if (note) {
        note.hidden = !text;
        note.lastElementChild.textContent = text;
        note.lastElementChild.className = r.error ? "error-message" : "help";
      }
      if (r.error) { tr.setAttribute("aria-invalid", "true"); } else { tr.removeAttribute("aria-invalid"); }
    });
  }

  function compute() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": value("csrfmiddlewaretoken") },
      body: JSON.stringify({ exam_date: value("exam_date"), rows: rows() }),
      credentials: "same-origin",
      signal: pending.signal
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && data.rows) { show(data.rows); }
    }).catch(function () { /* aborted or offline: the server checks again on save */ });
  }

  // The amendment's number and reason belong to an amendment only: shown when it is chosen.
  var kind = form.querySelector('[name="attempt_kind"]');
  function showAmendmentFields() {
    var amendment = kind && kind.value === "amendment";
    form.querySelectorAll("[data-amendment-field]").forEach(function (item) { item.hidden = !amendment; });
  }
  if (kind) { kind.addEventListener("change", showAmendmentFields); showAmendmentFields(); }

  // Keyboard grid: ↑/↓ (and Enter) move to the same column of the row above/below, as in the journal,
  // instead of stepping the number or submitting the form half-filled; Tab moves along the row.
  form.addEventListener("keydown", function (event) {
    var match = /^rows-(\d+)-(rating1|rating2|exam)$/.exec(event.target.name || "");
    if (!match || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var step = event.key === "ArrowDown" || event.key === "Enter" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    if (!step) { return; }
    event.preventDefault();
    var next = form.querySelector('[name="rows-' + (parseInt(match[1], 10) + step) + "-" + match[2] + '"]');
    if (next) { next.focus(); if (next.select) { next.select(); } }
  });

  form.addEventListener("input", function (event) {
    var name = event.target.name || "";
    if (/^rows-\d+-(rating1|rating2|exam)$/.test(name) || name === "exam_date") {
      clearTimeout(timer);
      timer = setTimeout(compute, 250);
    }
  });
})();
