// Moved out of signing_batch.html so that the Content-Security-Policy needs no inline scripts.
(function () {
    var box = document.getElementById("batch");
    var url = box.dataset.batchStatusUrl;
    function set(id, value) { document.getElementById(id).textContent = value; }
    function poll() {
        fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
            document.getElementById("batch-bar").value = s.percent;
            set("batch-percent", s.percent); set("batch-done", s.done); set("batch-failed", s.failed);
            set("batch-total", s.total); set("batch-state", s.state_label);
            if (s.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
        }).catch(function () { setTimeout(poll, 1000); });
    }
    setTimeout(poll, 1000);
})();
