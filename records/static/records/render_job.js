// Moved out of templates_job.html so that the Content-Security-Policy needs no inline scripts.
(function () {
    const box = document.getElementById("render-job");
    if (box.dataset.finished === "1") { return; }
    const set = (id, value) => { document.getElementById(id).textContent = value; };
    const poll = () => fetch(box.dataset.statusUrl, {credentials: "same-origin"})
        .then((r) => r.json())
        .then((s) => {
            document.getElementById("render-job-bar").value = s.percent;
            set("render-job-state", s.state_label);
            set("render-job-percent", s.percent);
            set("render-job-done", s.done);
            set("render-job-failed", s.failed);
            set("render-job-total", s.total);
            const list = document.getElementById("render-job-failures");
            list.replaceChildren(...Object.entries(s.failures).map(([id, reason]) => {
                const li = document.createElement("li");
                li.textContent = id + ": " + reason;
                return li;
            }));
            if (!s.finished) { setTimeout(poll, 2000); }
        })
        .catch(() => setTimeout(poll, 5000));
    setTimeout(poll, 1000);
})();
