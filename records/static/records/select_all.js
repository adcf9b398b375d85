// Moved out of signing_list.html so that the Content-Security-Policy needs no inline scripts.
(function () {
    var all = document.querySelector("[data-select-all]");
    if (!all) { return; }
    all.addEventListener("change", function () {
        document.querySelectorAll("[data-select-item]").forEach(function (box) { box.checked = all.checked; });
    });
})();
