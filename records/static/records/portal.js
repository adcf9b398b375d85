// Portal and verification pages: a select marked data-submit-on-change submits its form (the
// language switch). A static file, so the Content-Security-Policy needs no inline scripts.
document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
});
