"""The electronic journal of a discipline × group (× subgroup) for a term: working data, not a record.

The journal is where a teacher writes, class after class, who came and what they earned. It is a
working table written through records.services.journal (every save one audit event naming the cells
that changed), not a projection and not a document: nothing official reads it directly. What counts
officially is registered *from* it — the rating statements (РК1/РК2, records.kinds.rating_statement)
freeze each student's ratings and attendance of a half-semester, the exam statement takes its rating
columns from those registered statements, and the load execution report freezes the classes held.
See records/journal/__init__.py for why it is not a draft document.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.org import OrgUnit, Person, StudyGroup


class ClassKind(models.TextChoices):
    LECTURE = "lecture", _("Lecture")
    PRACTICAL = "practical", _("Practical class")
    LABORATORY = "laboratory", _("Laboratory class")


class Attendance(models.TextChoices):
    UNMARKED = "", _("not marked")
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("absent for a valid reason")


class Journal(models.Model):
    """One discipline taught to one group (or subgroup) in one term by one teacher."""

    department = models.ForeignKey(OrgUnit, verbose_name=_("department"), on_delete=models.PROTECT)
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    teacher = models.ForeignKey(
        Person, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="journals"
    )
    group = models.ForeignKey(StudyGroup, verbose_name=_("study group"), on_delete=models.PROTECT)
    subgroup = models.PositiveSmallIntegerField(_("subgroup"), default=0, help_text="0: the whole group")
    discipline_code = models.CharField(_("discipline code"), max_length=40)
    discipline_name = models.CharField(_("discipline"), max_length=300)
    credits = models.PositiveSmallIntegerField(_("credits"), default=5)
    academic_year = models.PositiveSmallIntegerField(_("academic year"))
    period = models.PositiveSmallIntegerField(_("academic period"))
    students = models.ManyToManyField(Person, related_name="+", verbose_name=_("students"))
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["-academic_year", "-period", "discipline_code", "group_id", "subgroup"]
        constraints = [
            models.UniqueConstraint(
                fields=["discipline_code", "group", "subgroup", "academic_year", "period", "teacher"],
                name="unique_journal",
            )
        ]
        indexes = [models.Index(fields=["academic_year", "period", "department"])]

    def __str__(self) -> str:
        return f"{self.discipline_code} {self.group_id}/{self.subgroup} {self.academic_year}-{self.period}"


class JournalClass(models.Model):
    """One class held (or planned) on a date: its kind and length in academic hours (50 min each)."""

    journal = models.ForeignKey(Journal, on_delete=models.CASCADE, related_name="classes")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of class"), max_length=20, choices=ClassKind.choices)
    hours = models.DecimalField(_("academic hours"), max_digits=4, decimal_places=1, default=2)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    # The midterm control (рубежный контроль) of a half: its marks are that half's РК score.
    midterm = models.BooleanField(_("midterm control"), default=False)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["journal_id", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.hours}"


class JournalMark(models.Model):
    """A student at a class: attendance and an optional current-control mark (0..100)."""

    journal_class = models.ForeignKey(JournalClass, on_delete=models.CASCADE, related_name="marks")
    student = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True, default="")
    mark = models.DecimalField(max_digits=5, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("journal mark")
        verbose_name_plural = _("journal marks")
        constraints = [
            models.UniqueConstraint(fields=["journal_class", "student"], name="unique_journal_mark")
        ]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.attendance} {self.mark}"
