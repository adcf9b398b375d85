"""The academic policy: grading scale, rating formula, thresholds, honours and scholarship rules.

``AcademicPolicy`` is the data schema of the "academic policy" document kind. Its defaults are the
rules collected in domain.md sections 1-2 (APA/KazNU/ATU grading scale, 60/40 rating formula,
admission rating >= 50, Abai KazNPU transfer GPA thresholds, Model Rules 595 p.52 honours, Decree
No. 116 scholarship). Where domain.md marks a rule as unconfirmed or per-university, it is a field
here, and the default is stated next to it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Category = Literal["excellent", "good", "satisfactory", "unsatisfactory"]
AdmissionMode = Literal["average", "each"]
RetakeCounting = Literal["last", "best", "all"]
Cycle = Literal["general", "basic", "major"]
Component = Literal["compulsory", "university", "elective"]

ONE = Decimal(1)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalizedText(_Frozen):
    """A label in Kazakh, Russian and English."""

    kk: str = Field(min_length=1)
    ru: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        """The label in ``language`` (kk, ru or en; a region suffix is ignored), English otherwise."""
        code = language.split("-")[0].lower()
        return {"kk": self.kk, "ru": self.ru}.get(code, self.en)


EXCELLENT = LocalizedText(kk="өте жақсы", ru="отлично", en="Excellent")
GOOD = LocalizedText(kk="жақсы", ru="хорошо", en="Good")
SATISFACTORY = LocalizedText(kk="қанағаттанарлық", ru="удовлетворительно", en="Satisfactory")
UNSATISFACTORY = LocalizedText(kk="қанағаттанарлықсыз", ru="неудовлетворительно", en="Unsatisfactory")
_TRADITIONAL: dict[str, tuple[LocalizedText, int]] = {
    "excellent": (EXCELLENT, 5),
    "good": (GOOD, 4),
    "satisfactory": (SATISFACTORY, 3),
    "unsatisfactory": (UNSATISFACTORY, 2),
}


class GradeBand(_Frozen):
    """One row of the grading scale: a letter for an inclusive band of whole percents."""

    letter: str = Field(min_length=1, max_length=4)
    points: Decimal = Field(ge=0, le=5)
    percent_low: int = Field(ge=0, le=100)
    percent_high: int = Field(ge=0, le=100)
    category: Category
    traditional: LocalizedText
    traditional_mark: int = Field(ge=2, le=5)

    @property
    def is_positive(self) -> bool:
        """True for a passing grade (A to D), false for FX and F."""
        return self.category != "unsatisfactory"

    @model_validator(mode="after")
    def _low_not_above_high(self) -> GradeBand:
        if self.percent_low > self.percent_high:
            raise ValueError(
                gettext("Grade %(letter)s: the band starts at %(low)s, above its end %(high)s.")
                % {"letter": self.letter, "low": self.percent_low, "high": self.percent_high}
            )
        return self


def _band(letter: str, points: str, low: int, high: int, category: Category) -> GradeBand:
    label, mark = _TRADITIONAL[category]
    return GradeBand(
        letter=letter,
        points=Decimal(points),
        percent_low=low,
        percent_high=high,
        category=category,
        traditional=label,
        traditional_mark=mark,
    )


# domain.md §1.1 (APA Academic Policy §15.1; KazNU §2.17.6; ATU). C+ is "good" (Model Rules 595 p.52).
# FX is printed as 0.5 points (APA); how much it counts in GPA is GpaRules.fx_points (0 by default).
DEFAULT_GRADING_SCALE: tuple[GradeBand, ...] = (
    _band("A", "4.0", 95, 100, "excellent"),
    _band("A-", "3.67", 90, 94, "excellent"),
    _band("B+", "3.33", 85, 89, "good"),
    _band("B", "3.0", 80, 84, "good"),
    _band("B-", "2.67", 75, 79, "good"),
    _band("C+", "2.33", 70, 74, "good"),
    _band("C", "2.0", 65, 69, "satisfactory"),
    _band("C-", "1.67", 60, 64, "satisfactory"),
    _band("D+", "1.33", 55, 59, "satisfactory"),
    _band("D", "1.0", 50, 54, "satisfactory"),
    _band("FX", "0.5", 25, 49, "unsatisfactory"),
    _band("F", "0", 0, 24, "unsatisfactory"),
)


def _weights_sum_to_one(first: Decimal, second: Decimal, what: str) -> None:
    if first + second != ONE:
        raise ValueError(
            gettext("The %(what)s weights must sum to 1, got %(first)s + %(second)s = %(total)s.")
            % {"what": what, "first": first, "second": second, "total": first + second}
        )


class RatingRules(_Frozen):
    """How ratings and the exam make the final grade (domain.md §1.2).

    admission rating = rating1_weight * R1 + rating2_weight * R2 (the average by default);
    final percent = admission_weight * admission rating + exam_weight * exam (60/40 by default).
    """

    rating1_weight: Decimal = Field(default=Decimal("0.5"), ge=0, le=1)
    rating2_weight: Decimal = Field(default=Decimal("0.5"), ge=0, le=1)
    admission_weight: Decimal = Field(default=Decimal("0.6"), ge=0, le=1)
    exam_weight: Decimal = Field(default=Decimal("0.4"), ge=0, le=1)
    # ≥ 50 (syllabus template, KNUS). "average": on the admission rating (syllabus); "each": on both
    # ratings (ATU). domain.md: a per-university parameter.
    admission_threshold: Decimal = Field(default=Decimal(50), ge=0, le=100)
    admission_mode: AdmissionMode = "average"
    # An exam score below this fails the discipline whatever the ratings (KazNU §2.17.4).
    exam_pass_threshold: Decimal = Field(default=Decimal(50), ge=0, le=100)
    # Decimals kept in the admission rating and the final percent (rounded half up, see rounding.py).
    percent_places: int = Field(default=0, ge=0, le=4)

    @model_validator(mode="after")
    def _weights(self) -> RatingRules:
        _weights_sum_to_one(self.rating1_weight, self.rating2_weight, "rating")
        _weights_sum_to_one(self.admission_weight, self.exam_weight, "admission rating and exam")
        return self


class GpaRules(_Frozen):
    """How GPA is computed (domain.md §1.4): Σ(points × credits) / Σ credits."""

    # APA prints FX = 0.5; the Abai KazNPU worked example only shows 0. Unconfirmed: 0 by default.
    fx_points: Decimal = Field(default=Decimal(0), ge=0, le=5)
    fx_letter: str = "FX"  # the letter fx_points applies to
    # Which attempts of a retaken discipline count in the cumulative GPA: the last one (the
    # transcript shows "the latest grades", domain.md §2.3), the best one, or all of them.
    retake_counting: RetakeCounting = "last"
    places: int = Field(default=2, ge=1, le=4)


class TransferThreshold(_Frozen):
    """Minimum GPA to move from ``year_of_study`` to the next one at a degree level."""

    level: str = Field(min_length=1)
    year_of_study: int = Field(ge=1, le=10)
    min_gpa: Decimal = Field(ge=0, le=5)


# Abai KazNPU 2023/24 (domain.md §1.3).
DEFAULT_TRANSFER_THRESHOLDS: tuple[TransferThreshold, ...] = tuple(
    TransferThreshold(level=level, year_of_study=year, min_gpa=Decimal(gpa))
    for level, year, gpa in (
        ("bachelor", 1, "1.80"),
        ("bachelor", 2, "2.00"),
        ("bachelor", 3, "2.10"),
        ("bachelor", 4, "2.20"),
        ("master", 1, "2.30"),
        ("doctoral", 1, "2.33"),
        ("doctoral", 2, "2.67"),
    )
)


class ProgressionRules(_Frozen):
    """Transfer to the next year of study (domain.md §1.3, KazNU §2.24)."""

    transfer_thresholds: tuple[TransferThreshold, ...] = DEFAULT_TRANSFER_THRESHOLDS

    @field_validator("transfer_thresholds")
    @classmethod
    def _unique(cls, rows: tuple[TransferThreshold, ...]) -> tuple[TransferThreshold, ...]:
        seen: set[tuple[str, int]] = set()
        for row in rows:
            key = (row.level, row.year_of_study)
            if key in seen:
                raise ValueError(
                    gettext("Two transfer thresholds for year %(year)s of %(level)s.")
                    % {"year": row.year_of_study, "level": row.level}
                )
            seen.add(key)
        return rows

    def threshold(self, level: str, year_of_study: int) -> Decimal | None:
        """The minimum GPA to leave ``year_of_study`` at ``level``, or None when none is set."""
        for row in self.transfer_thresholds:
            if row.level == level and row.year_of_study == year_of_study:
                return row.min_gpa
        return None


class CurriculumRules(_Frozen):
    """What a working curriculum must satisfy (domain.md §1.5)."""

    credits_per_semester: int = Field(default=30, ge=1)  # inter.kstu.kz: 30 per semester
    credits_per_year: int = Field(default=60, ge=1)  # 60 per year, ~1800 hours
    semesters_per_year: int = Field(default=2, ge=1, le=4)
    min_discipline_credits: int = Field(default=5, ge=1)  # kaznpu.kz: ≥ 5 credits per discipline
    required_cycles: tuple[Cycle, ...] = ("general", "basic", "major")
    required_components: tuple[Component, ...] = ("compulsory", "university", "elective")


# Letters of the default scale by traditional category.
_EXCELLENT_LETTERS = ("A", "A-")
_GOOD_OR_BETTER_LETTERS = ("A", "A-", "B+", "B", "B-", "C+")


class HonoursRules(_Frozen):
    """Diploma with honours (Model Rules 595 p.52 via Abai KazNPU; domain.md §2.4)."""

    allowed_letters: tuple[str, ...] = _GOOD_OR_BETTER_LETTERS  # every exam "excellent" or "good"
    min_gpa: Decimal = Field(default=Decimal("3.5"), ge=0, le=5)
    final_attestation_letters: tuple[str, ...] = _EXCELLENT_LETTERS
    # KazATU: a student who had a retake gets no honours. Unconfirmed as a national rule; on by default.
    retakes_disqualify: bool = True


class ScholarshipRules(_Frozen):
    """State scholarship (Govt Decree No. 116 of 07.02.2008 as amended; domain.md §2.6)."""

    funding_sources: tuple[str, ...] = ("state",)  # state order (государственный заказ)
    # Results "хорошо" or "отлично"; C+ is "good" in the default scale (unconfirmed for scholarship).
    qualifying_letters: tuple[str, ...] = _GOOD_OR_BETTER_LETTERS
    # Increased rate for excellent students; "all A/A-" is unconfirmed, hence a field.
    increased_letters: tuple[str, ...] = _EXCELLENT_LETTERS
    first_year_first_semester: bool = True  # kguti.kz: paid in the 1st semester regardless
    medical_leave_continues: bool = True  # Decree 116 p.14


class JournalRules(_Frozen):
    """The electronic journal and current control (domain.md §1.2; records.journal.rating).

    Rating of a half-semester Р = current_weight·ТК + midterm_weight·РК (ENU/Platonus: (ТК + РК)/2),
    where ТК is the mean of the student's current marks in that half and РК the mark of the half's
    midterm control class. The term's classes run ``term_weeks`` weeks from its start; weeks
    1..midterm_week are the first half (РК1), the rest the second (РК2).
    """

    autumn_start: str = "09-01"  # MM-DD; the autumn term starts in the academic year's first year
    spring_start: str = "01-12"  # the spring term in its second year
    term_weeks: int = Field(default=15, ge=4, le=26)  # semester ≥ 15 weeks (iuth.edu.kz)
    midterm_week: int = Field(default=7, ge=1, le=25)  # РК1 in week 7 (ENU, syllabus), ATU: 8
    current_weight: Decimal = Field(default=Decimal("0.5"), ge=0, le=1)
    midterm_weight: Decimal = Field(default=Decimal("0.5"), ge=0, le=1)
    mark_max: Decimal = Field(default=Decimal(100), gt=0, le=100)  # current marks on a 100-point scale
    # An unexcused absence ("н") at a class where marks were given counts as 0 in ТК (Platonus
    # practice; unconfirmed as a rule, hence a field). An excused absence never counts.
    absence_counts_as_zero: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> JournalRules:
        _weights_sum_to_one(self.current_weight, self.midterm_weight, "current control and midterm")
        for name in ("autumn_start", "spring_start"):
            value = getattr(self, name)
            month, _sep, day = value.partition("-")
            valid = len(value) == 5 and month.isdigit() and day.isdigit()
            if not (valid and 1 <= int(month) <= 12 and 1 <= int(day) <= 31):
                raise ValueError(
                    gettext("%(name)s must be a month and day, MM-DD, got %(value)s.")
                    % {"name": name, "value": value}
                )
        if self.midterm_week >= self.term_weeks:
            raise ValueError(
                gettext("The midterm week (%(week)s) must fall before the last week of the term (%(weeks)s).")
                % {"week": self.midterm_week, "weeks": self.term_weeks}
            )
        return self


class CountingRules(_Frozen):
    """Where coursework/course-project and practice grades count (domain.md §1.2: Platonus keeps them
    as separate columns; whether they weigh in GPA and scholarship is the university's choice)."""

    coursework_in_gpa: bool = True
    coursework_in_scholarship: bool = True
    practice_in_gpa: bool = True
    practice_in_scholarship: bool = True


class AcademicPolicy(_Frozen):
    """The academic policy of a university: the schema of the "academic policy" document kind."""

    grading_scale: tuple[GradeBand, ...] = DEFAULT_GRADING_SCALE
    rating: RatingRules = RatingRules()
    gpa: GpaRules = GpaRules()
    progression: ProgressionRules = ProgressionRules()
    curriculum: CurriculumRules = CurriculumRules()
    honours: HonoursRules = HonoursRules()
    scholarship: ScholarshipRules = ScholarshipRules()
    journal: JournalRules = JournalRules()
    counting: CountingRules = CountingRules()

    @field_validator("grading_scale")
    @classmethod
    def _contiguous_scale(cls, bands: tuple[GradeBand, ...]) -> tuple[GradeBand, ...]:
        if len(bands) < 2:
            raise ValueError(gettext("The grading scale needs at least two grades."))
        letters = [band.letter for band in bands]
        for letter in letters:
            if letters.count(letter) > 1:
                raise ValueError(gettext("Grade %(letter)s appears twice in the scale.") % {"letter": letter})
        ordered = sorted(bands, key=lambda band: band.percent_low)
        if ordered[0].percent_low != 0:
            raise ValueError(
                gettext("The grading scale must start at 0%%, its lowest band starts at %(low)s.")
                % {"low": ordered[0].percent_low}
            )
        if ordered[-1].percent_high != 100:
            raise ValueError(
                gettext("The grading scale must end at 100%%, its highest band ends at %(high)s.")
                % {"high": ordered[-1].percent_high}
            )
        for lower, upper in itertools.pairwise(ordered):
            if upper.percent_low > lower.percent_high + 1:
                raise ValueError(
                    gettext(
                        "Gap in the grading scale: no grade for %(low)s-%(high)s (between %(a)s and %(b)s)."
                    )
                    % {
                        "low": lower.percent_high + 1,
                        "high": upper.percent_low - 1,
                        "a": lower.letter,
                        "b": upper.letter,
                    }
                )
            if upper.percent_low <= lower.percent_high:
                raise ValueError(
                    gettext("Grades %(a)s and %(b)s overlap at %(low)s-%(high)s.")
                    % {
                        "a": lower.letter,
                        "b": upper.letter,
                        "low": upper.percent_low,
                        "high": lower.percent_high,
                    }
                )
            if upper.points < lower.points:
                raise ValueError(
                    gettext("Grade %(b)s is worth fewer points (%(pb)s) than the lower grade %(a)s (%(pa)s).")
                    % {"a": lower.letter, "b": upper.letter, "pa": lower.points, "pb": upper.points}
                )
        if not any(band.category == "unsatisfactory" for band in bands):
            raise ValueError(gettext("The grading scale needs at least one unsatisfactory grade."))
        return tuple(sorted(bands, key=lambda band: band.percent_low, reverse=True))

    @model_validator(mode="after")
    def _letters_exist(self) -> AcademicPolicy:
        known = {band.letter for band in self.grading_scale}
        lists = (
            ("honours.allowed_letters", self.honours.allowed_letters),
            ("honours.final_attestation_letters", self.honours.final_attestation_letters),
            ("scholarship.qualifying_letters", self.scholarship.qualifying_letters),
            ("scholarship.increased_letters", self.scholarship.increased_letters),
        )
        for name, letters in lists:
            _check_letters(name, letters, known)
        _check_letters("gpa.fx_letter", (self.gpa.fx_letter,), known)
        extra = set(self.scholarship.increased_letters) - set(self.scholarship.qualifying_letters)
        if extra:
            raise ValueError(
                gettext(
                    "scholarship.increased_letters must be qualifying letters too; not qualifying: %(letters)s."
                )
                % {"letters": ", ".join(sorted(extra))}
            )
        return self

    def band(self, letter: str) -> GradeBand | None:
        """The scale row of ``letter``, or None when the scale has no such letter."""
        for band in self.grading_scale:
            if band.letter == letter:
                return band
        return None


def _check_letters(name: str, letters: Iterable[str], known: set[str]) -> None:
    unknown = [letter for letter in letters if letter not in known]
    if unknown:
        raise ValueError(
            gettext("%(name)s names grades that are not in the scale: %(letters)s.")
            % {"name": name, "letters": ", ".join(unknown)}
        )
    if not list(letters):
        raise ValueError(gettext("%(name)s must name at least one grade.") % {"name": name})


DEFAULT_POLICY = AcademicPolicy()
