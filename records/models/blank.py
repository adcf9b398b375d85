"""Printing diplomas onto the numbered blank forms the university buys (бланки строгой отчётности).

A blank profile says where each field goes on one blank design; a printer calibration is the
printer's shift; a print run is one PDF for the printer, and each printed blank records which form
(series and number) a diploma went onto. A misprinted blank is spoiled and the diploma goes onto the
next one. The registered, signed PDF remains the electronic original; the blank is its paper copy.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.blob import Blob
from records.models.diploma import DiplomaBookEntry
from records.models.document import Document


class BlankProfile(models.Model):
    """One blank design: diploma or supplement, degree level, language side; sheet size and fields."""

    class Design(models.TextChoices):
        DIPLOMA = "diploma", _("Diploma")
        SUPPLEMENT = "diploma_supplement", _("Diploma supplement")

    class Level(models.TextChoices):
        BACHELOR = "bachelor", _("Bachelor")
        MASTER = "master", _("Master")
        DOCTOR = "doctor", _("Doctor")

    class Side(models.TextChoices):
        KK = "kk", _("Kazakh side")
        RU = "ru", _("Russian side")
        EN = "en", _("English side")

    name = models.CharField(_("name"), max_length=120)
    design = models.CharField(_("design"), max_length=30, choices=Design.choices)
    level = models.CharField(_("degree level"), max_length=20, choices=Level.choices)
    side = models.CharField(_("language side"), max_length=2, choices=Side.choices)
    width_mm = models.DecimalField(_("sheet width, mm"), max_digits=6, decimal_places=1)
    height_mm = models.DecimalField(_("sheet height, mm"), max_digits=6, decimal_places=1)
    # [{name, x_mm, y_mm, width_mm, height_mm, font, size_pt, align, kind, pitch_mm}], checked by the service.
    fields = models.JSONField(_("fields"), default=list)
    scan = models.ForeignKey(
        Blob,
        verbose_name=_("scanned blank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("blank profile")
        verbose_name_plural = _("blank profiles")
        ordering = ["design", "level", "side", "name"]
        constraints = [
            models.UniqueConstraint(fields=["design", "level", "side", "name"], name="unique_blank_profile"),
        ]

    def __str__(self) -> str:
        return self.name


class PrinterCalibration(models.Model):
    """A printer's measured shift: added to every position printed on it (mm, +x right, +y down)."""

    name = models.CharField(_("printer"), max_length=120, unique=True)
    offset_x_mm = models.DecimalField(_("offset x, mm"), max_digits=5, decimal_places=1, default=0)
    offset_y_mm = models.DecimalField(_("offset y, mm"), max_digits=5, decimal_places=1, default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("printer calibration")
        verbose_name_plural = _("printer calibrations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BlankPrintRun(models.Model):
    """One PDF sent to the printer: a cohort in book order, or the reprint after a spoiled blank."""

    profile = models.ForeignKey(BlankProfile, verbose_name=_("blank profile"), on_delete=models.PROTECT)
    printer = models.ForeignKey(PrinterCalibration, verbose_name=_("printer"), on_delete=models.PROTECT)
    offset_x_mm = models.DecimalField(max_digits=5, decimal_places=1)
    offset_y_mm = models.DecimalField(max_digits=5, decimal_places=1)
    pdf = models.ForeignKey(
        Blob, verbose_name=_("PDF for the printer"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("printed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blank print run")
        verbose_name_plural = _("blank print runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.profile} #{self.pk}"


class PrintedBlank(models.Model):
    """One numbered form: which diploma went onto it, in which run, and whether it was spoiled."""

    class Status(models.TextChoices):
        PRINTED = "printed", _("Printed")
        SPOILED = "spoiled", _("Spoiled")

    series = models.CharField(_("blank series"), max_length=10)
    number = models.PositiveIntegerField(_("blank number"))
    run = models.ForeignKey(
        BlankPrintRun, verbose_name=_("print run"), on_delete=models.PROTECT, related_name="blanks"
    )
    page = models.PositiveIntegerField(_("page"))
    entry = models.ForeignKey(
        DiplomaBookEntry,
        verbose_name=_("diploma book entry"),
        on_delete=models.PROTECT,
        related_name="blanks",
    )
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PRINTED)
    reason = models.TextField(_("reason"), blank=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("reprinted on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("printed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("printed blank")
        verbose_name_plural = _("printed blanks")
        ordering = ["series", "number"]
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="unique_blank_form")]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        """The form's number as pre-printed on it ("ЖБ-Б 0001234")."""
        return f"{self.series} {self.number:07d}"
