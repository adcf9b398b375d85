"""Org structure and people: units, programmes, groups, persons, roles with scope."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from doctemplates.morphology_ru import sex_of_name
from records.iin import validate_iin


class TrilingualName(models.Model):
    """Names in Kazakh, Russian and English; `name` picks the active language."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        lang = (get_language() or "ru")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_ru

    def __str__(self) -> str:
        return self.name


class OrgUnit(TrilingualName):
    """A node of the university tree; `path` ("/1/4/9/") makes scope checks a prefix match."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        FACULTY = "faculty", _("Faculty")
        DEPARTMENT = "department", _("Department")
        OFFICE = "office", _("Office")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)

    def faculty(self) -> OrgUnit | None:
        """The faculty this unit belongs to (itself when it is one)."""
        unit: OrgUnit | None = self
        while unit is not None:
            if unit.kind == self.Kind.FACULTY:
                return unit
            unit = unit.parent
        return None


class Programme(TrilingualName):
    """An educational programme (e.g. 6B06101 Computer Science)."""

    class Level(models.TextChoices):
        BACHELOR = "bachelor", _("Bachelor")
        MASTER = "master", _("Master")
        DOCTOR = "doctor", _("Doctor (PhD)")

    code = models.CharField(_("code"), max_length=20, unique=True)
    level = models.CharField(_("degree level"), max_length=20, choices=Level.choices)
    department = models.ForeignKey(OrgUnit, verbose_name=_("department"), on_delete=models.PROTECT)
    credits_total = models.PositiveIntegerField(_("credits in total"), default=240)

    class Meta:
        verbose_name = _("educational programme")
        verbose_name_plural = _("educational programmes")
        ordering = ["code"]


class StudyForm(models.TextChoices):
    """Form of study (the forms the national statistics count, domain.md §2.8)."""

    FULL_TIME = "full_time", _("Full-time")
    EVENING = "evening", _("Evening")
    EXTRAMURAL = "extramural", _("Extramural")
    DISTANCE = "distance", _("Distance")


class StudyGroup(models.Model):
    """A study group of one programme and intake year."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT)
    intake_year = models.PositiveIntegerField(_("intake year"))
    language = models.CharField(_("language of study"), max_length=2, choices=settings.LANGUAGES)
    study_form = models.CharField(
        _("form of study"), max_length=20, choices=StudyForm.choices, default=StudyForm.FULL_TIME
    )

    class Meta:
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Person(models.Model):
    """A staff member or a student, with names in three languages and a validated IIN."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        STUDENT = "student", _("Student")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    iin = models.CharField(_("IIN"), max_length=12, unique=True, validators=[validate_iin])
    last_name_kk = models.CharField(_("last name (Kazakh)"), max_length=100)
    first_name_kk = models.CharField(_("first name (Kazakh)"), max_length=100)
    last_name_ru = models.CharField(_("last name (Russian)"), max_length=100)
    first_name_ru = models.CharField(_("first name (Russian)"), max_length=100)
    last_name_en = models.CharField(_("last name (English)"), max_length=100)
    first_name_en = models.CharField(_("first name (English)"), max_length=100)
    patronymic_kk = models.CharField(_("patronymic (Kazakh)"), max_length=100, blank=True)
    patronymic_ru = models.CharField(_("patronymic (Russian)"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    citizenship = models.CharField(
        _("citizenship"), max_length=2, default="KZ", help_text=_("ISO 3166 country code, KZ for Kazakhstan")
    )
    group = models.ForeignKey(
        StudyGroup,
        verbose_name=_("study group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="students",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name_ru", "first_name_ru"]
        indexes = [models.Index(fields=["last_name_ru"]), models.Index(fields=["last_name_en"])]

    def full_name(self, lang: str | None = None) -> str:
        """The full name in `lang` (the active language by default)."""
        lang = (lang or get_language() or "ru")[:2]
        if lang not in ("kk", "ru", "en"):
            lang = "ru"
        parts = [getattr(self, f"last_name_{lang}"), getattr(self, f"first_name_{lang}")]
        if lang != "en":
            parts.append(getattr(self, f"patronymic_{lang}"))
        return " ".join(p for p in parts if p)

    @property
    def sex(self) -> str:
        """ "male" or "female": as the patronymic shows it (the sentence agrees with the name), else
        as the IIN's seventh digit does (odd: male, even: female), else ""."""

        for name in (self.full_name("ru"), self.full_name("kk")):
            if sex := sex_of_name(name):
                return sex
        digit = self.iin[6:7]
        if digit in ("1", "3", "5"):
            return "male"
        if digit in ("2", "4", "6"):
            return "female"
        return ""

    def all_spellings(self) -> list[str]:
        """Every spelling of the name, for search."""
        return sorted({self.full_name(lang) for lang in ("kk", "ru", "en")})

    def __str__(self) -> str:
        return self.full_name()


class Role(models.TextChoices):
    RECTOR = "rector", _("Rector")
    VICE_RECTOR = "vice_rector", _("Vice-rector")
    DEAN = "dean", _("Dean")
    HEAD_OF_DEPARTMENT = "head_of_department", _("Head of department")
    TEACHER = "teacher", _("Teacher")
    REGISTRAR = "registrar", _("Registrar")
    ARCHIVIST = "archivist", _("Archivist")
    AUDITOR = "auditor", _("Auditor")
    STUDENT = "student", _("Student")
    ADMINISTRATOR = "administrator", _("Administrator")
    METHODOLOGIST = "methodologist", _("Methodologist")
    EXPERT_COMMISSION = "expert_commission", _("Expert commission")


class RoleAssignment(models.Model):
    """A role a person holds, scoped to an org unit and everything below it."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("scope"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "org_unit"], name="unique_role_scope")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.org_unit}"

    def clean(self) -> None:
        if self.role == Role.DEAN and self.org_unit.kind != OrgUnit.Kind.FACULTY:
            raise ValidationError(_("A dean's scope must be a faculty."))
