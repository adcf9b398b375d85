// The live preview of a blank profile: the boxes of the fields table drawn over the scanned blank,
// redrawn on every change of the form (nothing is saved until the form is submitted).
(function () {
    "use strict";
    var form = document.getElementById("blank-profile-form");
    var preview = document.getElementById("blank-preview");
    if (!form || !preview) {
        return;
    }
    var PX_PER_MM = 2.6;
    var PT_TO_MM = 25.4 / 72;

    function number(input) {
        var value = parseFloat(String(input.value).replace(",", "."));
        return isFinite(value) ? value : NaN;
    }

    function draw() {
        var width = number(form.querySelector("#id_width_mm"));
        var height = number(form.querySelector("#id_height_mm"));
        preview.textContent = "";
        if (!(width > 0 && height > 0)) {
            return;
        }
        preview.style.width = width * PX_PER_MM + "px";
        preview.style.height = height * PX_PER_MM + "px";
        if (preview.dataset.scan) {
            var scan = document.createElement("img");
            scan.src = preview.dataset.scan;
            scan.alt = "";
            scan.className = "blank-preview__scan";
            preview.appendChild(scan);
        }
        form.querySelectorAll("[data-field-row]").forEach(function (row) {
            var name = row.querySelector("[name=f_name]").value;
            var x = number(row.querySelector("[name=f_x_mm]"));
            var y = number(row.querySelector("[name=f_y_mm]"));
            var w = number(row.querySelector("[name=f_width_mm]"));
            var h = number(row.querySelector("[name=f_height_mm]"));
            if (!name || [x, y, w, h].some(isNaN)) {
                return;
            }
            var box = document.createElement("div");
            box.className = "blank-preview__box";
            box.dataset.field = name;
            box.style.left = x * PX_PER_MM + "px";
            box.style.top = y * PX_PER_MM + "px";
            box.style.width = w * PX_PER_MM + "px";
            box.style.height = h * PX_PER_MM + "px";
            box.style.textAlign = row.querySelector("[name=f_align]").value;
            var size = number(row.querySelector("[name=f_size_pt]"));
            box.style.fontSize = (size > 0 ? size : 12) * PT_TO_MM * PX_PER_MM + "px";
            box.style.lineHeight = h * PX_PER_MM + "px";
            box.style.fontFamily = row.querySelector("[name=f_font]").value.indexOf("sans") === 0 ? "Liberation Sans, Arial, sans-serif" : "Liberation Serif, Times New Roman, serif";
            box.style.fontWeight = row.querySelector("[name=f_font]").value.indexOf("bold") > 0 ? "bold" : "normal";
            box.textContent = row.querySelector("[name=f_kind]").value === "qr" ? "QR" : name;
            preview.appendChild(box);
        });
    }

    form.addEventListener("input", draw);
    form.addEventListener("change", draw);
    draw();
})();
