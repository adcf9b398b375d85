"""Document kinds: one module per kind; `load_all` imports them so they register."""

from importlib import import_module

KIND_MODULES = [
    "records.kinds.internal_order",
    "records.kinds.academic_policy",
    "records.kinds.student_order",
    "records.kinds.grade_statement",
    "records.kinds.rating_statement",
    "records.kinds.coursework_practice",
    "records.kinds.transcript",
    "records.kinds.curriculum",
    "records.kinds.final_attestation",
    "records.kinds.student_certificate",
    "records.kinds.scholarship_order",
    "records.kinds.diploma",
    "records.kinds.reports",
    "records.kinds.fileplan",
    "records.kinds.disposition",
    "records.kinds.transfer_act",
    "records.kinds.teaching_load",
    "records.kinds.teaching_plan",
]
_loaded = False


def load_all() -> None:
    global _loaded
    if not _loaded:
        for module in KIND_MODULES:
            import_module(module)
        _loaded = True
