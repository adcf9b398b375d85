"""veraPDF, the PDF Association's reference validator, checks every kind's default template as PDF/A-2b.

Each kind's default template is rendered in every language it has (with the kind's sample data, as
the template preview does: LibreOffice's PDF/A-2b export plus our signature fields), then ONE veraPDF
run (one JVM, engines/verapdf) validates every file against the PDF/A-2b profile. A failed rule fails
the test, naming the kind, the language, the rule's clause and test number and its description.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from doctemplates.pipeline import render_document
from records.kinds.base import all_kinds
from records.kinds.templates import default_template
from records.models import Role
from records.services.rendering import render_context, verification_url
from records.services.templates import sample_document
from tests.engines import java_json
from tests.signing.conftest import simple_pdf

CASES = [(kind.code, lang) for kind in all_kinds() for lang in kind.template_languages]
VERAPDF_MAIN = "org.verapdf.apps.GreenfieldCliWrapper"


def render_defaults(by: Any, folder: Path) -> dict[str, tuple[str, str]]:
    """Render every (kind, language) default template to `folder`; {file name: (kind, language)}."""
    files = {}
    for code, language in CASES:
        kind = next(k for k in all_kinds() if k.code == code)
        document, version = sample_document(kind, by)
        route = [step.code for step in kind.signing_route] + list(kind.extra_signature_fields)
        docx, _id = default_template(code, language)
        result = render_document(
            docx,
            render_context(document, version),
            signature_fields=route,
            verification_url=verification_url(document),
        )
        name = f"{code}.{language}.pdf"
        (folder / name).write_bytes(result.pdf)
        files[name] = (code, language)
    return files


def verapdf_reports(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """veraPDF's validation report of each file (one JVM for all), keyed by file name."""
    report = java_json("verapdf", VERAPDF_MAIN, ["--flavour", "2b", "--format", "json", *map(str, paths)])
    jobs = report["report"]["jobs"]
    results = {}
    for job in jobs:
        name = Path(job["itemDetails"]["name"]).name
        validation = job.get("validationResult")
        if isinstance(validation, list):  # several profiles would give a list; we ask for one
            validation = validation[0]
        if validation is None:
            pytest.fail(f"veraPDF could not validate {name}: {job.get('taskException') or job}")
        results[name] = validation
    return results


def failed_rules(validation: dict[str, Any]) -> list[str]:
    """'clause test N: description' of every failed rule of one report."""
    rules = validation["details"].get("ruleSummaries", [])
    return [
        f"clause {rule['clause']} test {rule['testNumber']}: {rule['description']} "
        f"({rule.get('failedChecks', '?')} failed checks)"
        for rule in rules
        if rule.get("status") == "failed"
    ]


@pytest.mark.libreoffice
def test_every_default_template_in_every_language_is_pdfa_2b_for_verapdf(
    users: dict[str, Any], tmp_path: Path
) -> None:
    files = render_defaults(users[Role.REGISTRAR], tmp_path)
    # A control in the same run: a plain PDF must fail with its clauses, or the check proves nothing.
    (tmp_path / "control.pdf").write_bytes(simple_pdf())
    reports = verapdf_reports([tmp_path / name for name in [*files, "control.pdf"]])
    control = reports.pop("control.pdf")
    assert not control["compliant"]
    assert any(rule.startswith("clause 6.") for rule in failed_rules(control)), failed_rules(control)
    assert sorted(reports) == sorted(files), "veraPDF did not report on every file"
    problems = []
    for name, (code, language) in sorted(files.items()):
        validation = reports[name]
        assert validation["profileName"].startswith("PDF/A-2B"), validation["profileName"]
        print(f"veraPDF PDF/A-2b {code} [{language}]: {'compliant' if validation['compliant'] else 'FAILED'}")  # noqa: T201
        if not validation["compliant"]:
            rules = failed_rules(validation) or ["(no rule summary)"]
            problems.append(f"{code} [{language}]:\n    " + "\n    ".join(rules))
    assert not problems, "veraPDF: not PDF/A-2b compliant:\n" + "\n".join(problems)
