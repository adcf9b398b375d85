"""Academic projections: tables derived from registered documents, rebuilt by `registry replay`.

Nothing here is entered by hand. Rows reference only persons and documents (never each other), so
a rebuild produces the same rows whatever the primary keys; no column holds the time of "now".
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.document import Document
from records.models.org import Person, Programme, StudyGroup


class StudentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    ON_LEAVE = "on_leave", _("On academic leave")
    EXPELLED = "expelled", _("Expelled")
    GRADUATED = "graduated", _("Graduated")


class Funding(models.TextChoices):
    STATE_GRANT = "state_grant", _("State grant")
    PAID = "paid", _("Paid")


class Student(models.Model):
    """A student's state today: the fold of their registered orders in force (effective on or before
    today, in the university's time zone) in effective-date order; later orders wait as pending events."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="student_record"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        StudyGroup, verbose_name=_("study group"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    year_of_study = models.PositiveSmallIntegerField(_("year of study"), null=True)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=StudentStatus.choices, blank=True)
    status_since = models.DateField(_("status since"), null=True)
    final_attestation_admitted = models.BooleanField(_("admitted to final attestation"), default=False)
    degree_awarded = models.CharField(_("degree awarded"), max_length=300, blank=True)
    with_honours = models.BooleanField(_("diploma with honours"), default=False)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["person_id"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"


class StudentStatusEvent(models.Model):
    """One registered order on a student, with the state it leaves the student in."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="status_events"
    )
    document = models.ForeignKey(
        Document, verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    order_type = models.CharField(_("order type"), max_length=50)
    effective_date = models.DateField(_("effective date"))
    registered_at = models.DateTimeField(_("registered at"))
    status = models.CharField(_("status after"), max_length=20, choices=StudentStatus.choices, blank=True)
    changes = models.JSONField(_("changes"), default=dict)
    # Whether the order's effective date has come and the student's row shows it; a pending order
    # (registered before its effective date) is applied by the daily task (apply_due_status_changes).
    in_force = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("student status event")
        verbose_name_plural = _("student status events")
        ordering = ["person_id", "effective_date", "registered_at", "document_id"]
        constraints = [models.UniqueConstraint(fields=["person", "document"], name="unique_status_event")]

    def __str__(self) -> str:
        return f"{self.order_type} {self.effective_date}"


class GradeLine(models.Model):
    """One student's line of a registered exam grade statement (an attempt at a discipline)."""

    class AttemptKind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        RETAKE = "retake", _("Retake")
        AMENDMENT = "amendment", _("Amendment")
        FINAL_ATTESTATION = "final_attestation", _("Final attestation")
        COURSEWORK = "coursework", _("Coursework or course project")
        PRACTICE = "practice", _("Practice")

    person = models.ForeignKey(Person, verbose_name=_("student"), on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        Document, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="+"
    )
    amends = models.ForeignKey(Document, null=True, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered at"))
    discipline_code = models.CharField(_("discipline code"), max_length=40, db_index=True)
    discipline_name = models.CharField(_("discipline"), max_length=300)
    credits = models.PositiveSmallIntegerField(_("credits"))
    group_code = models.CharField(_("study group"), max_length=40)
    term_year = models.PositiveSmallIntegerField(_("academic year"))
    term_period = models.PositiveSmallIntegerField(_("academic period"))
    attempt_kind = models.CharField(_("attempt"), max_length=20, choices=AttemptKind.choices)
    is_retake = models.BooleanField(default=False)
    rating1 = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    rating2 = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    exam = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    admission_rating = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    admitted = models.BooleanField(default=True)
    final_percent = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    letter = models.CharField(max_length=4, blank=True)
    points = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    traditional_mark = models.PositiveSmallIntegerField(null=True)
    counts = models.BooleanField(_("the grade that counts"), default=False)
    in_effect = models.BooleanField(_("not replaced by an amendment"), default=True)
    policy_version = models.CharField(_("policy version"), max_length=40)

    class Meta:
        verbose_name = _("grade line")
        verbose_name_plural = _("grade lines")
        ordering = [
            "person_id",
            "term_year",
            "term_period",
            "discipline_code",
            "registered_at",
            "document_id",
        ]
        constraints = [models.UniqueConstraint(fields=["person", "document"], name="unique_grade_line")]
        indexes = [
            models.Index(fields=["person", "discipline_code"]),
            # The monitoring reads one term at a time (records.selectors.monitoring.session_results).
            models.Index(fields=["term_year", "term_period", "group_code"], name="grade_line_term"),
        ]

    def __str__(self) -> str:
        return f"{self.discipline_code} {self.term_year}-{self.term_period} {self.letter or '—'}"


class StudentGpa(models.Model):
    """Term and cumulative GPA of a student, computed from the grade lines by the policy in force."""

    person = models.ForeignKey(Person, verbose_name=_("student"), on_delete=models.PROTECT, related_name="+")
    term_year = models.PositiveSmallIntegerField(_("academic year"))
    term_period = models.PositiveSmallIntegerField(_("academic period"))
    term_gpa = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    term_credits = models.PositiveIntegerField(default=0)
    cumulative_gpa = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    cumulative_credits = models.PositiveIntegerField(default=0)
    policy_version = models.CharField(_("policy version"), max_length=40)

    class Meta:
        verbose_name = _("student GPA")
        verbose_name_plural = _("student GPAs")
        ordering = ["person_id", "term_year", "term_period"]
        constraints = [
            models.UniqueConstraint(fields=["person", "term_year", "term_period"], name="unique_student_gpa")
        ]
        indexes = [models.Index(fields=["term_year", "term_period"], name="student_gpa_term")]

    def __str__(self) -> str:
        return f"{self.term_year}-{self.term_period}: {self.term_gpa} / {self.cumulative_gpa}"
