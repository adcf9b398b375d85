"""The diploma book (книга регистрации дипломов): one row per diploma blank given a series number.

Not a projection: the book is a register of its own. Numbers are gapless per series (allocated under
the registry counter's lock) and unique per series, so a duplicate diploma number is impossible.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.models.document import Document
from records.models.job import Job
from records.models.org import Person


class DiplomaBookEntry(models.Model):
    """One diploma number of the book: who, which documents, issued / spoiled / reissued, and why."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SPOILED = "spoiled", _("Spoiled")
        REISSUED = "reissued", _("Reissued")

    series = models.CharField(_("series"), max_length=10)
    number = models.PositiveIntegerField(_("number"))
    graduate = models.ForeignKey(
        Person, verbose_name=_("graduate"), on_delete=models.PROTECT, related_name="diploma_entries"
    )
    diploma = models.ForeignKey(
        Document, verbose_name=_("diploma"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    supplement = models.ForeignKey(
        Document, verbose_name=_("supplement"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        Job, verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reissue_of = models.ForeignKey(
        "self",
        verbose_name=_("reissue of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reissues",
    )
    issue_date = models.DateField(_("issue date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ISSUED)
    reason = models.TextField(_("reason"), blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("diploma book entry")
        verbose_name_plural = _("diploma book")
        ordering = ["series", "number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="unique_diploma_number"),
            models.UniqueConstraint(
                fields=["batch", "graduate"],
                condition=models.Q(batch__isnull=False),
                name="unique_diploma_per_batch_graduate",
            ),
        ]
        indexes = [models.Index(fields=["issue_date"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        """The number as printed on the diploma: series and seven digits ("BD 0000123")."""
        return f"{self.series} {self.number:07d}"


class EpvoNumber(models.Model):
    """The unique number the Ministry's ЕПВО diploma module gave one graduate's diploma.

    ЕПВО generates it from the student's record there and no exchange with ЕПВО exists here
    (domain.md: the format is unconfirmed), so the registrar enters it from the module before
    issuing; one per graduation (the graduation order), unique across the university. A diploma
    without it is invalid, so issuing refuses a graduate without one.
    """

    graduation_order = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="epvo_number")
    graduate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="epvo_numbers")
    number = models.CharField(_("EPVO number"), max_length=40, unique=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("EPVO number")
        verbose_name_plural = _("EPVO numbers")

    def __str__(self) -> str:
        return self.number


class EpvoNumberEntry(models.Model):
    """One entry of a graduation's ЕПВО number, kept for good: the first and every correction, with
    who entered it and when. EpvoNumber holds the current value (the newest entry); a report reads
    the value as it stood at the end of its registry day (records.selectors.epvo)."""

    graduation_order = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="epvo_entries")
    graduate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("EPVO number"), max_length=40)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("EPVO number entry")
        verbose_name_plural = _("EPVO number entries")
        ordering = ["graduation_order_id", "entered_at", "id"]

    def __str__(self) -> str:
        return f"{self.number} ({self.entered_at:%Y-%m-%d})"
