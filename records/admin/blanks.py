"""The registrar's blank pages: the university's emblem, blank profiles with a live preview over the
scanned blank, printers and their calibration sheets, printing a cohort onto numbered forms, and
marking a misprinted form spoiled (the diploma goes onto the next form)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doctemplates.blanks import ALIGNMENTS, FONTS, draw_preview
from records.admin.base import RegistryView, forbidden
from records.admin.viewsets import AreaLink, AreaViewSet
from records.downloads import content_disposition
from records.errors import NotFoundOrForbidden, RecordsError
from records.models import BlankProfile
from records.permissions import may_issue_diplomas, may_open_diplomas
from records.selectors.blanks import (
    blank_profile_get,
    blank_profiles,
    cohort_entries,
    print_run_get,
    print_runs,
    printable_batches,
    printed_blank_get,
    printer_get,
    printers,
    run_blanks,
)
from records.services.blanks import (
    FIELD_NAMES,
    blank_cohort_print,
    blank_profile_save,
    blank_profile_scan_upload,
    blank_spoil,
    calibration_pdf,
    printer_calibration_save,
    profile_layout,
)
from records.services.university import university_emblem_upload

MAX_UPLOAD = 16 * 1024 * 1024
OPTIONAL_KEYS = ("pitch_mm", "rows")
FIELD_KEYS = (
    "name",
    "x_mm",
    "y_mm",
    "width_mm",
    "height_mm",
    "font",
    "size_pt",
    "align",
    "kind",
    "pitch_mm",
    "rows",
)
EMPTY_ROWS = 3


class BlankView(RegistryView):
    """Base of the blank pages: the registrar's office only."""

    header_icon = "print"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_issue_diplomas(request.user):
            return forbidden(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotFoundOrForbidden:
            raise Http404 from None

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items[:1],
            {"url": reverse("records_diplomas:index"), "label": _("Diplomas")},
            {"url": reverse("records_blanks:index"), "label": _("Blanks")},
            {"url": "", "label": self.get_page_title()},
        ]


def _upload(request: HttpRequest, name: str) -> bytes | None:
    """The uploaded file's bytes, or None with a message (no file, or larger than we read)."""
    upload = request.FILES.get(name)
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
        return None
    if upload.size is None or upload.size > MAX_UPLOAD:
        messages.error(request, _("The file is too large."))
        return None
    return upload.read()


class IndexView(BlankView):
    """Profiles, printers (with their offsets and calibration sheets), recent print runs, the emblem."""

    template_name = "records/admin/blanks/index.html"
    page_title = gettext_lazy("Blanks")

    def get(self, request: HttpRequest) -> HttpResponse:
        profiles = list(blank_profiles(user=request.user))
        context = self.get_context_data(
            profiles=profiles,
            printers=list(printers(user=request.user)),
            runs=list(print_runs(user=request.user)[:20]),
            batches=printable_batches(user=request.user),
        )
        return self.render_to_response(context)

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action")
        try:
            if action == "printer":
                printer = printer_calibration_save(
                    by=request.user,
                    name=request.POST.get("name", ""),
                    offset_x_mm=request.POST.get("offset_x_mm", ""),
                    offset_y_mm=request.POST.get("offset_y_mm", ""),
                )
                messages.success(request, _("Printer %(name)s saved.") % {"name": printer.name})
            elif action == "emblem":
                content = _upload(request, "emblem")
                if content is not None:
                    asset = university_emblem_upload(by=request.user, content=content)
                    messages.success(
                        request, _("Emblem version %(number)s is in use.") % {"number": asset.number}
                    )
            else:
                messages.error(request, _("Unknown action."))
        except RecordsError as exc:
            if exc.code == "forbidden":
                return forbidden(request, exc.message)
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("records_blanks:index"))


def _field_rows(post: Any) -> list[dict[str, Any]]:
    """The fields table of the form: rows with a name; numbers as numbers where they parse."""
    rows = []
    names = post.getlist("f_name")
    for index, name in enumerate(names):
        if not name:
            continue
        row: dict[str, Any] = {"name": name}
        for key in FIELD_KEYS[1:]:
            values = post.getlist("f_" + key)
            value = values[index] if index < len(values) else ""
            if key in ("font", "align", "kind"):
                row[key] = value
            elif key in OPTIONAL_KEYS and not value.strip():
                continue  # left empty: the default (no row pitch, no rows limit)
            else:
                try:
                    row[key] = float(Decimal(value.replace(",", ".")))
                except (ArithmeticError, ValueError):
                    row[key] = value  # the service names the field and says what is wrong
        rows.append(row)
    return rows


class ProfileView(BlankView):
    """Create or edit a profile: the sheet, a table of fields, the scan, and the live preview."""

    template_name = "records/admin/blanks/profile.html"
    page_title = gettext_lazy("Blank profile")

    def _profile(self, pk: int | None) -> BlankProfile | None:
        return None if pk is None else blank_profile_get(user=self.request.user, pk=pk)

    def _render(
        self, profile: BlankProfile | None, values: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        fields = list(values.get("fields", []))
        rows = fields + [{}] * EMPTY_ROWS
        context = self.get_context_data(
            profile=profile,
            values=values,
            rows=rows,
            field_names=FIELD_NAMES,
            fonts=FONTS,
            aligns=ALIGNMENTS,
            kinds=("text", "qr"),
            designs=BlankProfile.Design.choices,
            levels=BlankProfile.Level.choices,
            sides=BlankProfile.Side.choices,
            preview_json=json.dumps(fields),
            scan_url=reverse("records_blanks:scan", args=[profile.pk]) if profile and profile.scan_id else "",
        )
        return self.render_to_response(context, status=status)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        profile = self._profile(pk)
        values: dict[str, Any] = (
            {
                "name": profile.name,
                "design": profile.design,
                "level": profile.level,
                "side": profile.side,
                "width_mm": profile.width_mm,
                "height_mm": profile.height_mm,
                "fields": profile.fields,
            }
            if profile
            else {"design": "diploma", "level": "bachelor", "side": "ru", "width_mm": 297, "height_mm": 210}
        )
        return self._render(profile, values)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        profile = self._profile(pk)
        if request.POST.get("action") == "scan" and profile is not None:
            content = _upload(request, "scan")
            if content is not None:
                try:
                    blank_profile_scan_upload(by=request.user, profile=profile, content=content)
                    messages.success(request, _("The scanned blank is attached."))
                except RecordsError as exc:
                    messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_blanks:profile", args=[profile.pk]))
        values: dict[str, Any] = {
            key: request.POST.get(key, "")
            for key in ("name", "design", "level", "side", "width_mm", "height_mm")
        }
        values["fields"] = _field_rows(request.POST)
        try:
            saved = blank_profile_save(by=request.user, profile=profile, **values)
        except RecordsError as exc:
            messages.error(request, exc.message)
            return self._render(profile, values, status=400)
        messages.success(request, _("Profile %(name)s saved.") % {"name": saved.name})
        return HttpResponseRedirect(reverse("records_blanks:profile", args=[saved.pk]))


class ScanView(BlankView):
    """The profile's scanned blank (PNG re-encoded at upload)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = blank_profile_get(user=request.user, pk=pk)
        if profile.scan is None:
            raise Http404
        return HttpResponse(profile.scan.read(), content_type="image/png")


class PreviewPdfView(BlankView):
    """The profile drawn over its scan with the boxes outlined, each field showing its own name."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        profile = blank_profile_get(user=request.user, pk=pk)
        values = {item["name"]: ("" if item.get("kind") == "qr" else item["name"]) for item in profile.fields}
        values.update(
            {
                item["name"]: "https://example.kz/verify/"
                for item in profile.fields
                if item.get("kind") == "qr"
            }
        )
        pdf = draw_preview(
            profile_layout(profile), values, scan_png=profile.scan.read() if profile.scan else None
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(
            f"blank-profile-{profile.pk}.pdf", attachment=False
        )
        return response


class CalibrationView(BlankView):
    """The calibration sheet of a profile's sheet size, with the printer's current offset."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        printer = printer_get(user=request.user, pk=pk)
        profile = blank_profile_get(user=request.user, pk=request.GET.get("profile", ""))
        pdf = calibration_pdf(by=request.user, profile=profile, printer=printer)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(
            f"calibration-{printer.pk}.pdf", attachment=False
        )
        return response


class PrintView(BlankView):
    """POST: print a diploma batch's cohort onto blanks; then the run's page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            entries = cohort_entries(user=request.user, batch_id=request.POST.get("batch", ""))
            run = blank_cohort_print(
                by=request.user,
                entries=entries,
                profile=blank_profile_get(user=request.user, pk=request.POST.get("profile", "")),
                printer=printer_get(user=request.user, pk=request.POST.get("printer", "")),
                series=request.POST.get("series", ""),
                first_number=request.POST.get("first_number", ""),
            )
        except NotFoundOrForbidden:
            messages.error(request, _("Choose a diploma batch, a blank profile and a printer."))
            return HttpResponseRedirect(reverse("records_blanks:index"))
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_blanks:index"))
        messages.success(request, _("%(count)s blanks are ready to print.") % {"count": run.blanks.count()})
        return HttpResponseRedirect(reverse("records_blanks:run", args=[run.pk]))


class RunView(BlankView):
    """A print run: its PDF, and every form with the diploma on it and a "spoiled" action."""

    template_name = "records/admin/blanks/run.html"
    page_title = gettext_lazy("Print run")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = print_run_get(user=request.user, pk=pk)
        return self.render_to_response(self.get_context_data(run=run, blanks=list(run_blanks(run))))


class RunPdfView(BlankView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = print_run_get(user=request.user, pk=pk)
        response = HttpResponse(run.pdf.read(), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(f"blanks-{run.pk}.pdf", attachment=False)
        return response


class SpoilView(BlankView):
    """POST with a reason: the form is spoiled and its diploma is printed on the next form."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        blank = printed_blank_get(user=request.user, pk=pk)
        try:
            reprint = blank_spoil(by=request.user, blank=blank, reason=request.POST.get("reason", ""))
        except RecordsError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("records_blanks:run", args=[blank.run_id]))
        messages.success(
            request,
            _("Blank %(old)s is spoiled; the diploma goes onto blank %(new)s.")
            % {"old": blank.display_number, "new": reprint.display_number},
        )
        return HttpResponseRedirect(reverse("records_blanks:run", args=[reprint.run_id]))


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("profile/new/", ProfileView.as_view(), name="profile_new"),
    path("profile/<int:pk>/", ProfileView.as_view(), name="profile"),
    path("profile/<int:pk>/scan.png", ScanView.as_view(), name="scan"),
    path("profile/<int:pk>/preview.pdf", PreviewPdfView.as_view(), name="preview"),
    path("printer/<int:pk>/calibration.pdf", CalibrationView.as_view(), name="calibration"),
    path("print/", PrintView.as_view(), name="print"),
    path("run/<int:pk>/", RunView.as_view(), name="run"),
    path("run/<int:pk>/blanks.pdf", RunPdfView.as_view(), name="run_pdf"),
    path("blank/<int:pk>/spoil/", SpoilView.as_view(), name="spoil"),
]

# Mounted beside the diploma area, with its own sidebar item for those who see diplomas.
area = AreaViewSet(
    "records_blanks",
    url_prefix="diplomas/blanks",
    urlpatterns=urlpatterns,
    links=[AreaLink(gettext_lazy("Blanks"), "index", "diploma_blanks", "doc-full", 115, may_open_diplomas)],
)
