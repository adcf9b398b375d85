"""Signing benchmarks: signatures/s (B-B, B-T, B-LTA) with one loaded key, verifications/s.

Usage:
    .venv/bin/python bench/bench_signing.py [--docs 40]

Creates a local PKI in a temp dir, signs one-page PDFs with prepared fields through ``sign_batch``
(key loaded and checked once, signature size reserved), verifies the results; prints figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(label: str, count: int, work: Callable[[], object]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{label:<34} {count:>4} ops  {count / wall:7.1f}/s wall  {count / cpu:7.1f}/s cpu  {1000 * wall / count:6.1f} ms/op"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=40)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.test"
    import django

    django.setup()
    from signing import pades, pki
    from signing.credentials import load_official
    from signing.verification import verify_pdf
    from tests.signing.conftest import FIELDS, simple_pdf

    directory = Path(tempfile.mkdtemp(prefix="bench-pki-"))
    pki.init_pki(directory)
    pki.issue_certificate(directory, "dean", "Әлия Нұрланқызы", "bench-pass")
    credential = load_official(directory, "dean", "bench-pass")
    source = pades.prepare_signature_fields(simple_pdf(), FIELDS)
    tsa = pades.local_timestamper(directory)
    roots = pki.trust_roots(directory)
    outputs: dict[str, list[bytes]] = {}

    def batch(level: str, **kwargs: object) -> Callable[[], None]:
        def run() -> None:
            outcomes = pades.sign_batch(
                [source] * args.docs,
                credential=credential,
                field_name="Dean",
                certify=True,
                signer_name="Әлия Нұрланқызы",
                role_label="Декан",
                **kwargs,  # type: ignore[arg-type]
            )
            outputs[level] = [o.result.pdf for o in outcomes if o.result is not None]
            assert len(outputs[level]) == args.docs

        return run

    print(f"source PDF {len(source)} B, {args.docs} documents per run, {os.cpu_count()} cores")
    measure("sign B-B (no TSA)", args.docs, batch("B-B", final=False, tsa=None, validation_context=None))
    measure(
        "sign B-T (in-process TSA)", args.docs, batch("B-T", final=False, tsa=tsa, validation_context=None)
    )
    measure(
        "sign B-LTA (TSA + CRLs + doc TS)",
        args.docs,
        batch("B-LTA", final=True, tsa=tsa, validation_context=pades.local_validation_context(directory)),
    )
    for level in ("B-B", "B-T", "B-LTA"):
        print(f"  {level} file size: {len(outputs[level][0])} B")
    for level in ("B-T", "B-LTA"):
        measure(
            f"verify {level}",
            args.docs,
            lambda level=level: [verify_pdf(pdf, trust_roots=roots) for pdf in outputs[level]],  # type: ignore[misc]
        )


if __name__ == "__main__":
    main()
