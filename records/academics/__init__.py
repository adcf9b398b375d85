"""Academic rules of Kazakh credit technology as pure functions of plain values.

Nothing here touches the database: policies, scores, attempts and facts go in, decisions come out.
Sources for every rule are in ``/work/shared/reference/domain.md`` (sections 1 and 2).

Public API (import from the submodules):

- ``policy.AcademicPolicy``: the academic policy document schema with the defaults of domain.md.
- ``grading.grade_for_percent``: letter, points and traditional grade for a percent.
- ``rating.final_result``: admission rating, admission, final percent and grade of one exam.
- ``gpa.gpa`` / ``gpa.term_gpa`` / ``gpa.gpa_by_term`` / ``gpa.counting_attempts``: credit-weighted GPA.
- ``curriculum.check_curriculum``: problems of a working curriculum against the policy.
- ``progression.may_move_to_next_year``: transfer to the next year of study by GPA.
- ``honours.honours_decision`` / ``honours.honours_for_attempts``: diploma with honours, every refusal reason.
- ``scholarship.scholarship_decision``: state scholarship eligibility, rate and amount.
- ``errors.AcademicInputError`` (a ``records.errors.RecordsError``), ``errors.Decision``, ``errors.Reason``.
- ``rounding.round_half_up``: the one rounding rule (half up) used for scores and GPA.
"""
