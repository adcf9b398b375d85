"""Monitoring projection: each student's state as dated spells, so counts at any date are one query.

A spell is the state a registered order leaves a student in, from the order's effective date until
the next order's (``valid_to`` exclusive, None while it lasts). It is rebuilt with the Student row
from the same fold of orders (records.projections.students), so `registry replay` rebuilds it too.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.academic import Funding, StudentStatus
from records.models.document import Document
from records.models.org import Person, Programme, StudyGroup


class StudentSpell(models.Model):
    """A student's state between two of their orders (the order that opened it, and the previous programme)."""

    person = models.ForeignKey(Person, verbose_name=_("student"), on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        Document, verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    order_type = models.CharField(_("order type"), max_length=50)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True)
    status = models.CharField(_("status"), max_length=20, choices=StudentStatus.choices)
    programme = models.ForeignKey(Programme, null=True, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(StudyGroup, null=True, on_delete=models.PROTECT, related_name="+")
    previous_programme = models.ForeignKey(Programme, null=True, on_delete=models.PROTECT, related_name="+")
    year_of_study = models.PositiveSmallIntegerField(_("year of study"), null=True)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, blank=True)

    class Meta:
        verbose_name = _("student spell")
        verbose_name_plural = _("student spells")
        ordering = ["person_id", "valid_from", "document_id"]
        constraints = [models.UniqueConstraint(fields=["person", "document"], name="unique_student_spell")]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.status} {self.valid_from}–{self.valid_to or ''}"
