"""Rendering throughput: one-page certificates per minute with the pool, a 10-page statement, memory.

Run: cd /work/main && PYTHONPATH=. DJANGO_SETTINGS_MODULE=settings.dev .venv/bin/python bench/bench_rendering.py
"""

from __future__ import annotations

import datetime as dt
import io
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
django.setup()

from docx import Document  # noqa: E402

from doctemplates.conversion import LibreOfficePool  # noqa: E402
from doctemplates.defaults import Field, SignatureSlot, build_template  # noqa: E402
from doctemplates.pipeline import render_document  # noqa: E402

CERTIFICATES = 60
POOL_SIZE = int(os.environ.get("BENCH_POOL_SIZE", os.cpu_count() or 1))


def certificate_template() -> bytes:
    return build_template(
        title={"kk": "Анықтама", "ru": "Справка", "en": "Certificate"},
        fields=[
            Field({"kk": "Студент", "ru": "Студент", "en": "Student"}, "student|surname_upper"),
            Field({"kk": "Күні", "ru": "Дата", "en": "Date"}, "date|date_{lang}"),
            Field({"kk": "Курс", "ru": "Курс", "en": "Year"}, "year"),
        ],
        signature_slots=[
            SignatureSlot("registrar", {"kk": "Тіркеуші", "ru": "Регистратор", "en": "Registrar"})
        ],
        header_expression="university",
    )


def statement_template() -> bytes:
    document = Document()
    document.add_paragraph("{{ university }}")
    document.add_paragraph("Емтихан ведомосы / Экзаменационная ведомость: {{ discipline }}")
    table = document.add_table(rows=3, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["№", "Студент", "Балл", "Әріп", "Баға"], strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for s in students %}"
    row = [
        "{{ loop.index }}",
        "{{ s.name|short_name }}",
        "{{ s.score }}",
        "{{ s.score|letter_grade }}",
        "{{ s.score|grade_word('kk') }}",
    ]
    for cell, text in zip(table.rows[2].cells, row, strict=True):
        cell.text = text
    table.add_row().cells[0].text = "{%tr endfor %}"
    document.add_paragraph("{{ signature_field('examiner') }}")
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def pool_rss_mb(pool: LibreOfficePool) -> float:
    """Resident memory of every process of the pool (unoserver + LibreOffice), in MB."""
    total = 0
    for worker in pool.workers:
        if worker.process is None:
            continue
        for pid in [worker.process.pid, *worker.libreoffice_pids()]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
    return total / 1024


def main() -> None:
    pool = LibreOfficePool(POOL_SIZE)
    started = time.perf_counter()
    pool.start()
    print(f"pool of {POOL_SIZE}: started in {time.perf_counter() - started:.1f} s")
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, pool_rss_mb(pool))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        template = certificate_template()

        def certificate(index: int) -> bytes:
            context = {
                "student": f"Сәрсенбаева Гүлнұр {index}",
                "date": dt.date(2026, 11, 28),
                "year": 2,
                "university": "ҚазҰУ",
            }
            return render_document(
                template,
                context,
                signature_fields=["registrar"],
                verification_url=f"https://r.kz/v/{index}/",
                converter=pool,
            ).pdf

        for index in range(POOL_SIZE):  # warm-up
            certificate(index)
        started = time.perf_counter()
        with ThreadPoolExecutor(POOL_SIZE) as executor:
            list(executor.map(certificate, range(CERTIFICATES)))
        elapsed = time.perf_counter() - started
        print(
            f"one-page certificates (render + PDF/A + QR + field): {CERTIFICATES / elapsed * 60:.0f}/min ({CERTIFICATES} in {elapsed:.1f} s)"
        )

        statement = statement_template()
        surnames = ["Әлібеков", "Нұрланова", "Ғабитов", "Құдайбергенова", "Өтегенов", "Иванова", "Smith"]
        students = [{"name": f"{surnames[i % 7]} Данияр Серікұлы", "score": 40 + i % 61} for i in range(200)]
        context = {"university": "ҚазҰУ", "discipline": "Математика", "students": students}
        timings = []
        pages = 0
        for _ in range(5):
            started = time.perf_counter()
            result = render_document(statement, context, signature_fields=["examiner"], converter=pool)
            timings.append(time.perf_counter() - started)
            from pypdf import PdfReader

            pages = len(PdfReader(io.BytesIO(result.pdf)).pages)
        print(
            f"grade statement of 200 students ({pages} pages): median {statistics.median(timings):.2f} s, min {min(timings):.2f} s"
        )
    finally:
        stop.set()
        sampler.join()
        print(f"peak RSS of the pool: {peak:.0f} MB ({POOL_SIZE} unoserver + LibreOffice)")
        pool.close()


if __name__ == "__main__":
    main()
