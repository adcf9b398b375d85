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


class TermResultCell(models.Model):
    """Session results of one term for one group, discipline and statement (the examiner's), counted
    from the grade lines in effect (final attestation left out): the results that count (after
    retakes) — all, positive, excellent or good by the policy in force at the term's start, FX/F —,
    the students and debtors among them, and the regular attempts graded FX/F.

    A per-term projection of GradeLine (records.projections.term_results), rebuilt with it by the
    registration of a statement and by `registry replay`; the monitoring's session results read it.
    """

    term_year = models.PositiveSmallIntegerField(_("academic year"))
    term_period = models.PositiveSmallIntegerField(_("academic period"))
    group_code = models.CharField(_("study group"), max_length=40)
    discipline_code = models.CharField(_("discipline code"), max_length=40)
    document = models.ForeignKey(
        Document, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="+"
    )
    examiner = models.CharField(_("examiner"), max_length=300, blank=True)
    results = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    open_fails = models.PositiveIntegerField(default=0)
    students = models.PositiveIntegerField(default=0)
    debtors = models.PositiveIntegerField(default=0)
    session_fails = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("term result")
        verbose_name_plural = _("term results")
        ordering = ["term_year", "term_period", "group_code", "discipline_code", "document_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["term_year", "term_period", "group_code", "discipline_code", "document"],
                name="unique_term_result_cell",
            )
        ]
        indexes = [models.Index(fields=["term_year", "term_period", "group_code"], name="term_result_term")]

    def __str__(self) -> str:
        return f"{self.term_year}-{self.term_period} {self.group_code} {self.discipline_code}"


class TermStudentResult(models.Model):
    """A student's results of one term in one study group: whether one of them counts (after retakes),
    whether a counting one is FX/F (academic debt), and the latest registered of them — a student with
    results in two groups of a term (moved mid-term) has two rows; the latest in the viewer's scope
    places their term GPA."""

    person = models.ForeignKey(Person, verbose_name=_("student"), on_delete=models.PROTECT, related_name="+")
    term_year = models.PositiveSmallIntegerField(_("academic year"))
    term_period = models.PositiveSmallIntegerField(_("academic period"))
    group_code = models.CharField(_("study group"), max_length=40)
    counted = models.BooleanField(default=False)
    debtor = models.BooleanField(default=False)
    last_registered = models.DateTimeField()
    last_document_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("term student result")
        verbose_name_plural = _("term student results")
        ordering = ["term_year", "term_period", "group_code", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "term_year", "term_period", "group_code"], name="unique_term_student_result"
            )
        ]
        indexes = [models.Index(fields=["term_year", "term_period", "group_code"], name="term_student_term")]

    def __str__(self) -> str:
        return f"{self.term_year}-{self.term_period} {self.group_code} {self.person_id}"
