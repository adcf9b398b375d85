"""What people read instead of schema names: field labels, option words and validation sentences.

Every kind's schema speaks in identifiers (`student_iin`, `leave_grounds`, `illness`); the back
office, the API's error messages and the document page show these translated words instead. A
field or option missing here falls back to its schema title, then to its name made readable; a
test (tests/records/kinds/test_labels.py) keeps every top-level field of every kind labelled.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError

FIELD_LABELS: dict[str, Promise] = {
    "academic_year": _("Academic year"),
    "actual_total": _("Actual total, hours"),
    "amends_number": _("Number of the amended statement"),
    "annual_max_per_rate": _("Annual maximum per staff rate, hours"),
    "archive": _("Receiving archive"),
    "as_of": _("As of"),
    "assigned_total": _("Assigned total, hours"),
    "assignments": _("Assignments to teachers"),
    "attempt_kind": _("Kind of statement"),
    "awarded": _("Students awarded"),
    "bag_identifier": _("Bag"),
    "balances": _("Balances per teacher"),
    "base_amount": _("Base amount"),
    "basis": _("Grounds of the destruction"),
    "body": _("Text"),
    "book_number": _("Book entry number"),
    "calculation_number": _("Number of the load calculation"),
    "calculation_total": _("Calculated total, hours"),
    "chair": _("Chair of the commission"),
    "classroom_share": _("Minimum classroom share"),
    "commission_per_student": _("Attestation commission (ГАК/ИАК): hours per student"),
    "consultation_per_group": _("Pre-exam consultation: hours per group"),
    "control": _("Rating control (1: the first half-semester; 2: the second)"),
    "coursework_per_work": _("Coursework or course project: hours per work"),
    "credits": _("Credits"),
    "credits_earned": _("Credits earned"),
    "curriculum": _("Curriculum rules"),
    "date": _("Date"),
    "degree": _("Degree"),
    "degree_awarded": _("Degree awarded"),
    "degree_level": _("Degree level"),
    "department_code": _("Department code"),
    "department_name": _("Department"),
    "diploma_number": _("Diploma number"),
    "discipline_code": _("Discipline code"),
    "discipline_name": _("Discipline name"),
    "distribution_number": _("Number of the load distribution"),
    "doctoral_supervision_per_student": _("Doctoral supervision: hours per student"),
    "done_total": _("Done total, hours"),
    "effective_date": _("Effective from"),
    "end_date": _("Until"),
    "entries": _("Records in the act"),
    "epvo_number": _("Unique number in the national education database (EPVO)"),
    "exam_date": _("Exam date"),
    "exam_per_student": _("Exam: hours per student"),
    "examiner": _("Examiner"),
    "excluded": _("Students not awarded"),
    "executor": _("Executor"),
    "faculty_code": _("Faculty code"),
    "faculty_name": _("Faculty"),
    "final_attestation": _("Final attestation"),
    "form": _("Form"),
    "full_name": _("Full name"),
    "funding": _("Funding"),
    "gpa": _("GPA"),
    "grading_scale": _("Grading scale"),
    "graduation_order": _("Graduation order"),
    "grounds": _("Grounds"),
    "group": _("Study group"),
    "group_code": _("Study group"),
    "group_max": _("Most students in a practical group"),
    "honours": _("Honours rules"),
    "iin": _("IIN"),
    "increased_amount": _("Increased amount"),
    "intake_year": _("Intake year"),
    "issue_city": _("City of issue"),
    "issue_date": _("Date of issue"),
    "laboratory_per_hour": _("Laboratory class: hours per subgroup hour"),
    "language": _("Language"),
    "leave_grounds": _("Reason for the leave"),
    "lecture_per_hour": _("Lecture: hours per stream hour"),
    "lines": _("Lines"),
    "manifest_sha256": _("Manifest SHA-256"),
    "master_supervision_per_student": _("Master's supervision: hours per student"),
    "members": _("Members of the commission"),
    "midterm_per_student": _("Midterm control: hours per student"),
    "midterms": _("Midterm controls per discipline"),
    "norms_version": _("Norms version"),
    "order_type": _("Order type"),
    "other_work": _("Methodical, research and organisational work"),
    "payload_oxum": _("Payload-Oxum"),
    "period": _("Period"),
    "planned_total": _("Planned total, hours"),
    "policy_version": _("Policy version"),
    "practical_per_hour": _("Practical class: hours per group hour"),
    "practice_code": _("Practice code"),
    "practice_kind": _("Kind of practice"),
    "practice_name": _("Practice"),
    "practice_per_student_week": _("Practice supervision: hours per student-week"),
    "practice_week_hours": _("Student hours in a practice week"),
    "programme_code": _("Programme code"),
    "programme_name": _("Programme"),
    "progression": _("Progression rules"),
    "protocol_date": _("Protocol date"),
    "protocol_number": _("Protocol number"),
    "purpose": _("Purpose"),
    "purpose_text": _("Purpose (in words)"),
    "rating": _("Rating rules"),
    "reason": _("Reason"),
    "records": _("Registry numbers of the records"),
    "reissue_reason": _("Reason for the reissue"),
    "release": _("Release the registry's copy"),
    "remark": _("Remark"),
    "rows": _("Rows"),
    "scholarship": _("Scholarship rules"),
    "semester": _("Semester"),
    "semesters": _("Semesters"),
    "series": _("Series"),
    "session_label": _("Session"),
    "status": _("Status"),
    "stream_max": _("Most students in a lecture stream"),
    "student": _("Student"),
    "student_iin": _("Student"),
    "study_form": _("Form of study"),
    "subgroup_max": _("Most students in a laboratory subgroup"),
    "subject": _("Subject"),
    "supersedes_document": _("Replaces document"),
    "supervisor": _("Supervisor"),
    "teacher": _("Teacher"),
    "teacher_iin": _("Teacher's IIN"),
    "teacher_name": _("Teacher"),
    "term_label": _("Term"),
    "terms": _("Terms"),
    "thesis_review_per_student": _("Thesis review: hours per student"),
    "thesis_supervision_per_student": _("Thesis supervision: hours per student"),
    "total": _("Total, hours"),
    "total_amount": _("Total amount"),
    "total_credits": _("Total credits"),
    "totals": _("Totals by kind of work"),
    "unassigned": _("Unassigned, hours"),
    "university": _("University"),
    "warnings": _("Warnings"),
    "with_honours": _("With honours"),
    "work_kind": _("Kind of work"),
    "year_of_study": _("Year of study"),
}

# Option values of the schemas' choices, and reason codes shown in documents, as words.
OPTION_LABELS: dict[str, Promise] = {
    "academic_leave": _("Academic leave"),
    "all": _("All attempts"),
    "amendment": _("Amendment"),
    "average": _("Average of the ratings"),
    "bachelor": _("Bachelor"),
    "basic": _("Basic disciplines"),
    "best": _("Best attempt"),
    "childbirth": _("Pregnancy, childbirth or childcare"),
    "comprehensive_exam": _("Comprehensive exam"),
    "compulsory": _("Compulsory component"),
    "coursework": _("Coursework"),
    "doctor": _("Doctor"),
    "each": _("Each rating"),
    "elective": _("Elective component"),
    "employer": _("For the employer"),
    "enrollment": _("Enrollment"),
    "exam": _("Exam"),
    "excellent": _("Excellent"),
    "expulsion": _("Expulsion"),
    "final_attestation": _("Final attestation"),
    "final_attestation_admission": _("Admission to final attestation"),
    "general": _("General disciplines"),
    "good": _("Good"),
    "graduation": _("Graduation"),
    "illness": _("Illness"),
    "increased": _("Increased rate"),
    "last": _("Last attempt"),
    "major": _("Major disciplines"),
    "master": _("Master"),
    "military": _("For the military office"),
    "military_service": _("Military service"),
    "next_year": _("Transfer to the next year"),
    "not_state_funded": _("Not state funded"),
    "other": _("Other"),
    "paid": _("Paid"),
    "practice": _("Practice"),
    "regular": _("Regular"),
    "reinstatement": _("Reinstatement"),
    "retake": _("Retake"),
    "return_from_leave": _("Return from leave"),
    "satisfactory": _("Satisfactory"),
    "social": _("For social services"),
    "state_grant": _("State grant"),
    "thesis_defence": _("Thesis defence"),
    "transfer": _("Transfer"),
    "tuberculosis": _("Tuberculosis"),
    "university": _("University component"),
    "unsatisfactory": _("Unsatisfactory"),
    "base": _("Base rate"),
    "kk": _("Kazakh"),
    "ru": _("Russian"),
    "en": _("English"),
}


def field_label(name: str, schema: type[BaseModel] | None = None) -> str:
    """The translated label of a schema field: ours, else the schema's title, else the name."""
    label = FIELD_LABELS.get(name)
    if label is not None:
        return str(label)
    info = schema.model_fields.get(name) if schema is not None else None
    if info is not None and info.title:
        return gettext(info.title)
    return gettext(capfirst(name.replace("_", " ")))


def option_label(value: Any) -> str:
    """The translated word for an option value (the value itself when it has none)."""
    label = OPTION_LABELS.get(value) if isinstance(value, str) else None
    return str(label) if label is not None else str(value)


def _limit(ctx: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in ctx:
            return ctx[key]
    return ""


def error_sentence(err: Any, schema: type[BaseModel] | None = None) -> str:
    """One pydantic error as a sentence in the active language naming the field.

    Known error types get their own sentence; any other says the value is not accepted (the
    technical message, in English and in pydantic's terms, never reaches a person).
    """
    loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
    name = loc[-1] if loc else ""
    field = field_label(name, schema) if name else ""
    ctx = err.get("ctx") or {}
    kind = err.get("type", "")
    params = {"field": field, "limit": _limit(ctx, "min_length", "max_length", "ge", "le", "gt", "lt")}
    if kind == "missing" or (kind in ("string_too_short", "too_short") and params["limit"] == 1):
        text = gettext("%(field)s: this field is required.")
    elif kind == "string_pattern_mismatch" and name.endswith("iin"):
        text = gettext("%(field)s: an IIN is 12 digits.")
    elif kind == "string_pattern_mismatch":
        text = gettext("%(field)s: the value does not have the expected form.")
    elif kind in ("string_too_short", "too_short"):
        text = gettext("%(field)s: at least %(limit)s characters are needed.")
    elif kind in ("string_too_long", "too_long"):
        text = gettext("%(field)s: at most %(limit)s characters are allowed.")
    elif kind in ("greater_than_equal", "greater_than"):
        text = gettext("%(field)s: the value must be at least %(limit)s.")
    elif kind in ("less_than_equal", "less_than"):
        text = gettext("%(field)s: the value must be at most %(limit)s.")
    elif kind in ("literal_error", "enum"):
        text = gettext("%(field)s: choose one of the offered options.")
    elif kind.startswith("date") or kind.startswith("datetime"):
        text = gettext("%(field)s: enter a valid date.")
    elif kind.startswith(("int_", "float_", "decimal_")):
        text = gettext("%(field)s: enter a number.")
    elif kind == "value_error":
        # A model rule raised ValueError("..."): its English text is a sentence of the schema.
        raw = str(ctx.get("error", "")) or str(err.get("msg", ""))
        raw = raw.removeprefix("Value error, ")
        text = gettext(raw) if raw else gettext("The values do not fit together.")
        return text if not field else f"{field}: {text}"
    else:
        text = gettext("%(field)s: this value is not accepted.")
    if not field:
        return text.replace("%(field)s: ", "") % params
    return text % params


def error_sentences(exc: ValidationError, schema: type[BaseModel] | None = None) -> list[str]:
    """Every error of a validation failure as a sentence (see `error_sentence`)."""
    return [error_sentence(err, schema) for err in exc.errors()]
