// Moved out of templates_index.html so that the Content-Security-Policy needs no inline scripts.
(function () {
    var alert = document.querySelector("[data-template-problems]") || document.querySelector("form .error-message");
    if (alert) { alert.scrollIntoView({ block: "start" }); if (alert.focus) { alert.focus(); } }
})();
