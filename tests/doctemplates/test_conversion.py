"""Real LibreOffice conversion to PDF/A-2b, and a pool that survives hung and crashed converters."""

import io
import os
import signal
from collections.abc import Iterator

import pikepdf
import pytest
from django.test import override_settings

from doctemplates.conversion import (
    ConversionFailed,
    ConverterUnavailable,
    LibreOfficePool,
    SofficeCliConverter,
    check_pdf,
)
from doctemplates.provenance import pdf_fonts, pdf_text, pdfa_status
from tests.doctemplates.builders import KAZAKH_LETTERS, make_docx

pytestmark = pytest.mark.libreoffice

KAZAKH_LINE = "Әл-Фараби атындағы Қазақ ұлттық университеті"
RUSSIAN_LINE = "Ведомость экзамена: «Том & Джерри» <ТОО>"
ENGLISH_LINE = "Grade statement, autumn term"


def trilingual_docx() -> bytes:
    return make_docx(KAZAKH_LINE, f"Әріптер тексеру: {KAZAKH_LETTERS}", RUSSIAN_LINE, ENGLISH_LINE)


def assert_archival_pdf(pdf: bytes) -> None:
    assert pdfa_status(pdf) == "2B"
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert "/OutputIntents" in document.Root
    fonts = pdf_fonts(pdf)
    assert fonts and all(font["embedded"] for font in fonts), fonts
    text = pdf_text(pdf)
    for line in (KAZAKH_LINE, RUSSIAN_LINE, ENGLISH_LINE):
        assert line in text
    for letter in KAZAKH_LETTERS.split():
        assert letter in text, letter


def test_pool_converts_kazakh_russian_english_to_pdfa_2b(converter_pool):
    """Every Kazakh letter (and capital) survives; the PDF claims PDF/A-2b and embeds its fonts."""
    assert_archival_pdf(converter_pool.convert_docx_to_pdf(trilingual_docx()))


def test_soffice_cli_fallback_converts_to_pdfa_2b():
    assert_archival_pdf(SofficeCliConverter().convert_docx_to_pdf(trilingual_docx()))


def test_soffice_cli_that_exceeds_its_timeout_fails_clearly():
    converter = SofficeCliConverter(conversion_timeout=0.2)
    with pytest.raises(ConversionFailed, match=r"within 0\.2 s"):
        converter.convert_docx_to_pdf(trilingual_docx())


def test_check_pdf_refuses_truncated_output():
    with pytest.raises(ConversionFailed):
        check_pdf(b"%PDF-1.6\n1 0 obj")
    with pytest.raises(ConversionFailed):
        check_pdf(None)


def test_missing_libreoffice_is_reported_with_the_install_command():
    with override_settings(RECTORATE_SOFFICE="/nonexistent/soffice"):
        with pytest.raises(ConverterUnavailable, match="apt-get install"):
            LibreOfficePool(1)
        with pytest.raises(ConverterUnavailable, match="libreoffice-writer-nogui"):
            SofficeCliConverter()


def test_missing_uno_python_is_reported_with_the_install_command():
    with override_settings(RECTORATE_UNO_PYTHON="/nonexistent/python3"):
        with pytest.raises(ConverterUnavailable, match="python3-uno"):
            LibreOfficePool(1)


@pytest.fixture(scope="module")
def fault_pool() -> Iterator[LibreOfficePool]:
    """A pool of one converter with a short timeout, to be hung and killed by the tests."""
    pool = LibreOfficePool(1, conversion_timeout=4, max_conversions=3)
    pool.start()
    yield pool
    pool.close()


def test_hung_converter_is_restarted_and_the_conversion_retried(fault_pool):
    worker = fault_pool.workers[0]
    fault_pool.convert_docx_to_pdf(make_docx("warm"))
    hung_pids = worker.libreoffice_pids()
    assert len(hung_pids) >= 1
    restarts = fault_pool.restarts
    for pid in hung_pids:
        os.kill(pid, signal.SIGSTOP)  # LibreOffice stops answering, as in unoserver #108
    pdf = fault_pool.convert_docx_to_pdf(trilingual_docx())
    assert pdfa_status(pdf) == "2B"
    assert fault_pool.restarts == restarts + 1
    assert not set(worker.libreoffice_pids()) & set(hung_pids)
    for pid in hung_pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # the hung LibreOffice was killed, not left behind


def test_crashed_converter_is_restarted_and_the_conversion_retried(fault_pool):
    worker = fault_pool.workers[0]
    fault_pool.convert_docx_to_pdf(make_docx("warm"))
    crashed_pids = worker.libreoffice_pids()
    assert crashed_pids
    restarts = fault_pool.restarts
    for pid in crashed_pids:
        os.kill(pid, signal.SIGKILL)
    assert KAZAKH_LINE in pdf_text(fault_pool.convert_docx_to_pdf(trilingual_docx()))
    assert fault_pool.restarts == restarts + 1
    assert not set(worker.libreoffice_pids()) & set(crashed_pids)


def test_converter_is_recycled_after_max_conversions(fault_pool):
    worker = fault_pool.workers[0]
    fault_pool.convert_docx_to_pdf(make_docx("one"))  # make sure a fresh worker exists
    while worker.conversions < fault_pool.max_conversions:
        fault_pool.convert_docx_to_pdf(make_docx("again"))
    old_pid = worker.soffice_pid()
    restarts = fault_pool.restarts
    fault_pool.convert_docx_to_pdf(make_docx("after"))
    assert fault_pool.restarts == restarts + 1
    assert worker.conversions == 1
    assert worker.soffice_pid() != old_pid


def test_converter_that_never_gets_ready_fails_clearly_after_a_retry():
    """No half output: after the retry on a fresh converter the caller gets ConversionFailed."""
    pool = LibreOfficePool(1, startup_timeout=1)
    try:
        with pytest.raises(ConversionFailed, match="even on a fresh converter"):
            pool.convert_docx_to_pdf(make_docx("x"))
    finally:
        pool.close()
    assert all(worker.process is None for worker in pool.workers)


def test_get_converter_is_one_lazily_started_pool_per_process(monkeypatch):
    from doctemplates import conversion
    from doctemplates.conversion import get_converter

    # Start from a process without a converter (earlier tests may have used the shared one).
    monkeypatch.setattr(conversion, "_converter", None)
    converter = get_converter()
    assert converter is get_converter()
    assert isinstance(converter, LibreOfficePool)
    assert all(worker.process is None for worker in converter.workers)  # nothing started until used
    converter.close()
