"""Teaching load: staff positions (entered in the back office) and the projections of the registered
load calculation and distribution (rebuilt by `registry replay`).

Projection rows reference only persons and documents and name units, groups and disciplines by code,
so a rebuild produces the same rows whatever the primary keys.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.document import Document
from records.models.org import OrgUnit, Person


class StaffPosition(models.Model):
    """A teacher's position in a department for an academic year: its kind and rate (hours when hourly)."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        INTERNAL_PART_TIME = "internal_part_time", _("Internal part-time")
        EXTERNAL_PART_TIME = "external_part_time", _("External part-time")
        HOURLY = "hourly", _("Hourly")

    person = models.ForeignKey(Person, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    academic_year = models.PositiveSmallIntegerField(_("academic year"))
    kind = models.CharField(_("kind of position"), max_length=20, choices=Kind.choices, default=Kind.STAFF)
    rate = models.DecimalField(
        _("rate"),
        max_digits=3,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("1.5"))],
    )
    contracted_hours = models.DecimalField(
        _("contracted hours (hourly)"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("staff position")
        verbose_name_plural = _("staff positions")
        ordering = ["department_id", "academic_year", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "department", "academic_year", "kind"], name="unique_staff_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.department.code} {self.academic_year} ({self.rate})"


class LoadLineRow(models.Model):
    """One line of a department's registered load calculation (the latest in force for its year)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    department_code = models.CharField(max_length=40, db_index=True)
    academic_year = models.PositiveSmallIntegerField(_("academic year"))
    key = models.CharField(max_length=400)
    term = models.PositiveSmallIntegerField(_("term"))
    discipline_code = models.CharField(_("discipline code"), max_length=40)
    discipline_name = models.CharField(_("discipline"), max_length=300)
    kind = models.CharField(_("kind of work"), max_length=30)
    group_codes = models.CharField(_("groups"), max_length=400)
    students = models.PositiveIntegerField(_("students"))
    units = models.PositiveIntegerField()
    base = models.DecimalField(max_digits=9, decimal_places=2)
    norm_item = models.CharField(max_length=50)
    norm_value = models.DecimalField(max_digits=7, decimal_places=2)
    hours = models.DecimalField(_("hours"), max_digits=9, decimal_places=2)
    curriculum_number = models.CharField(max_length=40, blank=True)
    curriculum_semester = models.PositiveSmallIntegerField(null=True)

    class Meta:
        verbose_name = _("load line")
        verbose_name_plural = _("load lines")
        indexes = [models.Index(fields=["department_code", "academic_year"], name="load_line_dept_year")]

    def __str__(self) -> str:
        return f"{self.key}: {self.hours}"


class TeachingAssignment(models.Model):
    """Hours of a load line a teacher carries, from the department's registered distribution."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Person, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="+")
    department_code = models.CharField(max_length=40, db_index=True)
    academic_year = models.PositiveSmallIntegerField(_("academic year"))
    line_key = models.CharField(max_length=400)
    term = models.PositiveSmallIntegerField(_("term"))
    discipline_code = models.CharField(_("discipline code"), max_length=40)
    kind = models.CharField(_("kind of work"), max_length=30)
    group_codes = models.CharField(_("groups"), max_length=400)
    hours = models.DecimalField(_("hours"), max_digits=9, decimal_places=2)
    # The hours done (records.projections.teaching_done): classes held, a statement or protocol
    # registered; None until computed. Classroom kinds count classes dated up to a day: the latest
    # counted class and the earliest not yet counted say for which days the figure holds.
    done = models.DecimalField(_("hours done"), max_digits=9, decimal_places=2, null=True)
    counted_until = models.DateField(null=True)
    next_class = models.DateField(null=True)

    class Meta:
        verbose_name = _("teaching assignment")
        verbose_name_plural = _("teaching assignments")
        indexes = [
            models.Index(fields=["academic_year", "teacher"], name="assignment_year_teacher"),
            models.Index(fields=["academic_year", "discipline_code"], name="assignment_year_discipline"),
        ]

    def __str__(self) -> str:
        return f"{self.line_key}: {self.hours}"


class TeachingEvidence(models.Model):
    """A registered, never revoked rating statement or final attestation protocol, by the keys the
    teaching load's execution reads of it (records.projections.teaching_done): its academic year,
    period (0 when it names none), discipline and group."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    academic_year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    discipline_code = models.CharField(max_length=40)
    group_code = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("teaching evidence")
        verbose_name_plural = _("teaching evidence")
        indexes = [models.Index(fields=["academic_year", "group_code"], name="teaching_evidence_year_group")]

    def __str__(self) -> str:
        return f"{self.kind} {self.academic_year}-{self.period} {self.discipline_code} {self.group_code}"
