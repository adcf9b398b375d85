"""The file plan (nomenclature of files), filing, holds: the records-management tables.

`FileSeries` is a projection of the registered nomenclatures (kind ``file_plan``): registering one
materialises its series; a replay rebuilds them. `Filing` is where each registered document is filed
(the series of the nomenclature in force on its registration date, or the archivist's re-filing)
and when its retention runs out. `Hold` is a legal or audit hold that blocks disposition and the
editing of metadata while it is active.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.document import Document
from records.models.org import OrgUnit, Person


class FinalAction(models.TextChoices):
    """What happens to a series' records when their retention runs out."""

    DESTROY = "destroy", _("Destroy")
    REVIEW = "review", _("Review")
    TRANSFER = "transfer", _("Transfer to the state archive")


class FileSeries(models.Model):
    """One series (file) of a registered nomenclature, in force from the nomenclature's effective date."""

    plan = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="file_series")
    index = models.CharField(_("index"), max_length=30)
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title_kk = models.CharField(max_length=300)
    title_ru = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    retention_years = models.PositiveIntegerField(
        _("retention (years)"), null=True, blank=True
    )  # None: permanent
    basis = models.CharField(_("basis"), max_length=200, blank=True)  # article of the standard list
    final_action = models.CharField(_("final action"), max_length=20, choices=FinalAction.choices)
    kinds = models.JSONField(default=list)  # kinds filed here by default
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("file series")
        verbose_name_plural = _("file series")
        ordering = ["plan", "index"]
        constraints = [models.UniqueConstraint(fields=["plan", "index"], name="unique_series_index")]
        indexes = [models.Index(fields=["effective_from", "index"])]

    def __str__(self) -> str:
        return f"{self.index} {self.title_ru}"

    def title(self, language: str) -> str:
        return str(getattr(self, f"title_{language}", "") or self.title_ru)


class Filing(models.Model):
    """Where a registered document is filed and when its retention runs out (None: kept permanently)."""

    document = models.OneToOneField(
        Document, primary_key=True, on_delete=models.PROTECT, related_name="filing"
    )
    plan = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    series_index = models.CharField(_("series"), max_length=30, blank=True, db_index=True)
    retention_years = models.PositiveIntegerField(null=True, blank=True)
    final_action = models.CharField(_("final action"), max_length=20, choices=FinalAction.choices)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    transfer_marked_at = models.DateTimeField(_("marked for transfer"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed at"))
    # Copies of the registered document's fixed facts, so the due list (1,000,000 records) is read from
    # this table alone: set when filed, `disposed` by the dispose effect; `registry replay` re-derives
    # them from the documents (and --check compares). A registered document's number, kind, title,
    # year, unit path and subject do not change; only its state becomes "disposed".
    disposed = models.BooleanField(default=False)
    registry_number = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=500, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    org_path = models.CharField(max_length=255, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        indexes = [
            models.Index(fields=["due_on", "series_index"]),
            models.Index(
                fields=["due_on", "document"], condition=models.Q(disposed=False), name="filing_due_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} in {self.series_index or '-'}"


class HoldScope(models.TextChoices):
    DOCUMENT = "document", _("A document")
    SERIES = "series", _("A series")
    STUDENT = "student", _("A student")
    QUERY = "query", _("A search query")


class HoldReason(models.TextChoices):
    LEGAL = "legal", _("Legal hold")
    AUDIT = "audit", _("Audit hold")


class Hold(models.Model):
    """A legal or audit hold: while not lifted, nothing in its scope is destroyed or re-described."""

    kind = models.CharField(_("kind"), max_length=10, choices=HoldReason.choices)
    reason = models.TextField(_("reason"))
    scope = models.CharField(_("scope"), max_length=10, choices=HoldScope.choices)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    series_index = models.CharField(max_length=30, blank=True)
    student = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    query = models.CharField(max_length=500, blank=True)  # a saved search: ?q=&kind=&org_unit=&year=
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("placed at"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True, db_index=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-placed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None
