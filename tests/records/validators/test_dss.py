"""EU DSS, the European Commission's reference AdES validator, validates our signed documents offline.

One registered document of every signing route (one official, two, three, the organisation's seal) is
signed through the real services, then ONE DSS run (engines/dss, one JVM) validates them with only our
root trusted and no network source (no AIA, OCSP or CRL download): every signature must be
TOTAL_PASSED. Then ``signatures renew`` re-timestamps them and DSS validates again at FUTURE, long after
every signer's certificate has expired (officials 3 years, the seal 5): the B-LTA documents must still
be TOTAL_PASSED thanks to their archive timestamps and embedded revocation data, while a document
signed only at B-T must not pass.

At 2046 the local TSA's first certificate (15 years, to 2041) has expired, and an archive timestamp
is evidence only while its TSA certificate is valid: DSS answers INDETERMINATE/
OUT_OF_BOUNDS_NOT_REVOKED for the documents renewed today (TSV_IBSTBCEC_ANS). So the test travels
to 2040 (time-machine: the services, pyHanko and the local TSA all see that day) and runs
``signatures renew`` as an operator would then: the local TSA rolls over to a new key and
certificate (valid to the issuing CA's end, 2046-11) and every document gets a document timestamp of
the new TSA. Those documents pass at 2046; the same documents without the 2040 renewal do not.
The diploma route (dean, then rector) is validated by DSS in its own test.
See engines/NOTES.md.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.models import DiplomaBookEntry, Document, Job, Person, Role, Student
from records.selectors.document import document_current_pdf
from records.services.certificates import certificate_request
from records.services.diplomas import diploma_batch_start
from records.services.jobs import job_run
from records.services.signature import documents_sign_batch
from signing import pades
from signing.credentials import load_official
from tests.engines import java_json
from tests.records.academic.conftest import (
    bulk_order,
    enrollment,
    line,
    order,
    register,
    statement,
    students,  # noqa: F401 - the fixture
)
from tests.records.diplomas.conftest import CohortFixture, cohort  # noqa: F401 - the fixture
from tests.signing.conftest import prepared_pdf

DSS_MAIN = "kz.rectorate.engines.DssValidate"
FUTURE = "2040-06-01T00:00:00Z"  # after every signer certificate, before the TSA certificate expires
FAR_FUTURE = "2046-06-01T00:00:00Z"  # after the first TSA certificate, before the issuing CA expires
RENEWAL_DAY = dt.datetime(
    2040, 6, 1, 9, 0, tzinfo=dt.UTC
)  # the operator's renewal, 18 months before the TSA ends
PASSED = "TOTAL_PASSED"


def route_documents(users: dict[str, Any], org: Any, people: list[Person]) -> dict[str, Document]:
    """One registered document per signing route, signed through the real services."""
    a, b, _c = people
    for person in (a, b):
        bulk_order(users, org, "enrollment", enrollment(person, org))
    docs = {
        "rector (internal order)": register(
            users,
            org,
            "internal_order",
            {"subject": "Проверка подписей", "body": "Текст приказа.", "executor": "Офис регистратора"},
        ),
        "examiner, head, registrar (grade statement)": register(
            users, org, "grade_statement", statement(org, [line(a, 80, 90, 90), line(b, 60, 70, 75)])
        ),
    }
    docs["registrar (transcript)"] = register(
        users, org, "transcript", {"student_iin": a.iin, "as_of": "2025-07-01"}
    )
    bulk_order(
        users, org, "final_attestation_admission", order("final_attestation_admission", b, "2028-05-01")
    )
    docs["dean, registrar (final attestation protocol)"] = register(
        users,
        org,
        "final_attestation_protocol",
        {
            "form": "thesis_defence",
            "group_code": org.group.code,
            "academic_year": 2027,
            "date": "2028-06-10",
            "chair": "Председатель ГАК",
            "members": ["Член 1", "Член 2"],
            "lines": [{"student_iin": b.iin, "score": 96, "topic": "Тема"}],
        },
    )
    bootstrap_pki(usernames=set())  # the organisation seal comes with the PKI
    student = Person.objects.get(user=users[Role.STUDENT])
    Student.objects.create(
        person=student,
        programme=org.programme,
        group=org.group,
        year_of_study=2,
        funding="state_grant",
        status="enrolled",
        status_since=dt.date(2024, 9, 1),
    )
    docs["organisation seal (certificate of study)"] = certificate_request(
        by=users[Role.STUDENT], purpose="employer", language="kk"
    )
    for label, doc in docs.items():
        doc.refresh_from_db()
        assert doc.state == "registered", label
    return docs


def b_t_only_pdf(users: dict[str, Any]) -> bytes:
    """A PDF certified by the rector with a signature timestamp but no revocation data (PAdES B-T)."""
    rector = users[Role.RECTOR]
    directory = Path(settings.RECTORATE_PKI_DIR)
    result = pades.sign_pdf(
        prepared_pdf(b"B-T only"),
        credential=load_official(directory, rector.username, demo_passphrase(rector.username)),
        field_name="Rector",
        certify=True,
        signer_name="Rector",
        role_label="Rector",
        final=False,
        tsa=pades.local_timestamper(directory),
        validation_context=None,
    )
    assert result.pades_level == "B-T"
    return result.pdf


def dss(folder: Path, files: dict[str, bytes], *, at: str | None = None) -> dict[str, dict[str, Any]]:
    """DSS's report of each file (one JVM for all), keyed by file name."""
    folder.mkdir()
    for name, pdf in files.items():
        (folder / name).write_bytes(pdf)
    args = ["--trust", str(Path(settings.RECTORATE_PKI_DIR) / "root.cert.pem")]
    if at:
        args += ["--time", at]
    report = java_json("dss", DSS_MAIN, [*args, *(str(folder / name) for name in files)])
    return {entry["file"]: entry for entry in report["files"]}


def summary(entry: dict[str, Any]) -> str:
    lines = []
    for sig in entry["signatures"]:
        lines.append(
            f"  signature {sig['signed_by']} {sig['format']}: {sig['indication']}/{sig['sub_indication']}"
            + "".join(f"\n    error {e}" for e in sig["errors"])
            + "".join(f"\n    warning {w}" for w in sig["warnings"])
        )
    for ts in entry["timestamps"]:
        lines.append(
            f"  timestamp: {ts['indication']}/{ts['sub_indication']}"
            + "".join(f"\n    error {e}" for e in ts["errors"])
        )
    return "\n".join(lines)


@pytest.mark.libreoffice
def test_dss_passes_every_signing_route_now_and_b_lta_decades_ahead(
    users: dict[str, Any],
    org: Any,
    students: list[Person],  # noqa: F811 - the imported fixture
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    docs = route_documents(users, org, students)
    names = {label: f"route-{i}.pdf" for i, label in enumerate(docs)}
    current = {names[label]: document_current_pdf(doc) for label, doc in docs.items()}
    b_t = b_t_only_pdf(users)

    now = dss(tmp_path / "now", {**current, "b-t-only.pdf": b_t})
    problems = []
    for label, name in names.items():
        entry = now[name]
        print(f"DSS now, {label}:\n{summary(entry)}")  # noqa: T201
        assert entry["signatures"], f"{label}: DSS found no signature"
        if any(sig["indication"] != PASSED for sig in entry["signatures"]):
            problems.append(f"{label}:\n{summary(entry)}")
    assert not problems, "DSS did not pass every signature:\n" + "\n".join(problems)
    print(f"DSS now, B-T only:\n{summary(now['b-t-only.pdf'])}")  # noqa: T201

    out = io.StringIO()
    call_command("signatures", "renew", "--margin-days", "100000", stdout=out)
    assert f"renewed {len(docs)}" in out.getvalue(), out.getvalue()
    renewed = {names[label]: document_current_pdf(doc) for label, doc in docs.items()}
    assert all(renewed[n] != current[n] and renewed[n].startswith(current[n]) for n in names.values())

    later = dss(tmp_path / "later", {**renewed, "b-t-only.pdf": b_t}, at=FUTURE)
    problems = []
    for label, name in names.items():
        entry = later[name]
        print(f"DSS at {FUTURE}, {label}:\n{summary(entry)}")  # noqa: T201
        if any(sig["indication"] != PASSED for sig in entry["signatures"]):
            problems.append(f"{label}:\n{summary(entry)}")
    assert not problems, f"DSS at {FUTURE} did not pass every B-LTA signature:\n" + "\n".join(problems)
    b_t_later = later["b-t-only.pdf"]
    print(f"DSS at {FUTURE}, B-T only:\n{summary(b_t_later)}")  # noqa: T201
    assert b_t_later["signatures"]
    assert all(sig["indication"] != PASSED for sig in b_t_later["signatures"]), summary(b_t_later)

    # 2040: the renewal an operator runs then (default margin, two years) rolls the TSA over first.
    # On a copy of the PKI: its 2040 CRLs and TSA certificate must not leak into the tests that follow.
    future_pki = tmp_path / "pki-2040"
    shutil.copytree(settings.RECTORATE_PKI_DIR, future_pki)
    request.getfixturevalue("settings").RECTORATE_PKI_DIR = future_pki
    out = io.StringIO()
    with time_machine.travel(RENEWAL_DAY, tick=True):
        call_command("signatures", "renew", stdout=out)
    assert "local TSA certificate renewed" in out.getvalue(), out.getvalue()
    assert f"renewed {len(docs)}" in out.getvalue(), out.getvalue()
    rolled = {names[label]: document_current_pdf(doc) for label, doc in docs.items()}
    assert all(rolled[n] != renewed[n] and rolled[n].startswith(renewed[n]) for n in names.values())

    far = dss(tmp_path / "far", {**rolled, **{f"old-{n}": pdf for n, pdf in renewed.items()}}, at=FAR_FUTURE)
    problems = []
    for label, name in names.items():
        entry = far[name]
        print(f"DSS at {FAR_FUTURE} after the 2040 roll-over, {label}:\n{summary(entry)}")  # noqa: T201
        if not entry["signatures"] or any(sig["indication"] != PASSED for sig in entry["signatures"]):
            problems.append(f"{label}:\n{summary(entry)}")
        stale = far[f"old-{name}"]
        print(f"DSS at {FAR_FUTURE} without the 2040 renewal, {label}:\n{summary(stale)}")  # noqa: T201
        assert stale["signatures"] and all(sig["indication"] != PASSED for sig in stale["signatures"]), label
    assert not problems, f"DSS at {FAR_FUTURE} did not pass every renewed B-LTA signature:\n" + "\n".join(
        problems
    )


@pytest.mark.libreoffice
def test_dss_passes_the_diploma_route_dean_then_rector(
    users: dict[str, Any],
    cohort: CohortFixture,  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> None:
    """A cohort's diploma and supplement, issued by the batch, signed by the dean and then the rector
    through batch signing (the last signature registers and adds the archive timestamp): every
    signature TOTAL_PASSED, offline, only our root trusted."""
    registrar = users[Role.REGISTRAR]
    bootstrap_pki(usernames={users[Role.DEAN].username, users[Role.RECTOR].username})
    job = job_run(diploma_batch_start(by=registrar, group_code=cohort.group_code, date=cohort.date).pk)
    assert job.state == Job.State.DONE, job.error
    entry = DiplomaBookEntry.objects.filter(batch=job).order_by("number").first()
    assert entry is not None and entry.diploma is not None and entry.supplement is not None
    pair = [entry.diploma, entry.supplement]
    for role in (Role.DEAN, Role.RECTOR):
        signer = users[role]
        report = documents_sign_batch(documents=pair, by=signer, passphrase=demo_passphrase(signer.username))
        assert report.failed == {}, report.failed
    files = {}
    for document in pair:
        document.refresh_from_db()
        assert document.state == "registered", document.kind
        files[f"{document.kind}.pdf"] = document_current_pdf(document)
    now = dss(tmp_path / "diploma", files)
    problems = []
    for name, entry_report in now.items():
        print(f"DSS now, dean then rector ({name}):\n{summary(entry_report)}")  # noqa: T201
        assert len(entry_report["signatures"]) == 2, f"{name}: DSS did not find both signatures"
        if any(sig["indication"] != PASSED for sig in entry_report["signatures"]):
            problems.append(f"{name}:\n{summary(entry_report)}")
    assert not problems, "DSS did not pass the diploma route:\n" + "\n".join(problems)
