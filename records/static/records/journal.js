/* The journal grid, keyboard-first: arrow keys and Enter move between cells (Tab as usual; typing
   replaces a cell's token), and a
   changed cell is saved when it is left, without reloading the page; the ratings come back with the
   answer. Without this script the form's button saves every cell. No build step. */
(function () {
  "use strict";
  var form = document.getElementById("journal-grid");
  if (!form || form.getAttribute("data-readonly") === "1") { return; }
  var status = document.getElementById("journal-status");
  var csrf = form.querySelector('[name="csrfmiddlewaretoken"]').value;

  function cell(r, c) {
    return form.querySelector('input[data-r="' + r + '"][data-c="' + c + '"]');
  }

  function move(input, dr, dc) {
    var next = cell(parseInt(input.getAttribute("data-r"), 10) + dr, parseInt(input.getAttribute("data-c"), 10) + dc);
    if (next) { next.focus(); next.select(); }
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-r")) { return; }
    // A cell holds one short token, so the arrows always move, as in a spreadsheet's entry mode.
    if (event.key === "ArrowDown" || event.key === "Enter") { move(input, 1, 0); event.preventDefault(); }
    else if (event.key === "ArrowUp") { move(input, -1, 0); event.preventDefault(); }
    else if (event.key === "ArrowRight") { move(input, 0, 1); event.preventDefault(); }
    else if (event.key === "ArrowLeft") { move(input, 0, -1); event.preventDefault(); }
  });

  form.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-r")) {
      input.setAttribute("data-was", input.value);
      input.select();  // typing replaces the token
    }
  });

  function showRatings(ratings) {
    Object.keys(ratings).forEach(function (student) {
      var tr = form.querySelector('tr[data-student="' + student + '"]');
      if (!tr) { return; }
      ["r1", "r2", "admission", "attendance"].forEach(function (col) {
        var td = tr.querySelector('[data-col="' + col + '"]');
        if (td) { td.textContent = ratings[student][col]; }
      });
    });
  }

  // Cells are saved one request at a time, in the order they were left: each answer carries the
  // ratings as the server has them after that save, so the last answer shown is the newest state
  // (concurrent requests could answer out of order and show older ratings over newer ones).
  var queue = Promise.resolve();

  function send(input, body) {
    return fetch(form.action || window.location.href, {
      method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      input.classList.remove("saving");
      if (answer.ok) {
        input.removeAttribute("aria-invalid");
        input.parentNode.classList.remove("error");
        input.setAttribute("data-was", body.get(input.name));
        form.querySelector('[name="lock_version"]').value = answer.data.lock_version;
        showRatings(answer.data.ratings);
        status.textContent = form.getAttribute("data-saved") || "✓";
      } else {
        input.setAttribute("aria-invalid", "true");
        input.parentNode.classList.add("error");
        input.parentNode.title = answer.data.error || "";
        status.textContent = answer.data.error || "";
      }
    }).catch(function () {
      input.classList.remove("saving");
      status.textContent = form.getAttribute("data-offline") || "!";
    });
  }

  function save(input) {
    var body = new FormData();  // the value as it was left, even if typed over while queued
    body.append("csrfmiddlewaretoken", csrf);
    body.append(input.name, input.value);
    input.classList.add("saving");
    queue = queue.then(function () { return send(input, body); });
  }

  form.addEventListener("focusout", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-r")) { return; }
    if (input.value !== input.getAttribute("data-was")) { save(input); }
  });
})();
