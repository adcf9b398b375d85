"""Converter processes die with the process that started them (issue 11: killed converters left
LibreOffice processes behind). A real pool is started in a child Python, which is then SIGKILLed:
no exit handler runs, yet unoserver, oosplash and soffice.bin all end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

START_POOL = """
import json, os, sys, time
import django
django.setup()
from doctemplates.conversion import LibreOfficePool
from tests.doctemplates.builders import make_docx
pool = LibreOfficePool(size=1)
pool.convert_docx_to_pdf(make_docx("Сәлем"))
worker = pool.workers[0]
pids = [worker.process.pid, *worker.libreoffice_pids(), worker.soffice_pid()]
print(json.dumps(sorted(set(pids))), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status waits to be read


@pytest.mark.libreoffice
def test_a_killed_process_takes_its_libreoffice_converters_with_it() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", START_POOL],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings.test", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        pids = [pid for pid in json.loads(line) if _alive(pid)]
        assert len(pids) >= 3, pids  # the guard, unoserver and LibreOffice at least
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    survivors = pids
    for _ in range(300):  # the kernel signals the guards at once; give them time to end their groups
        survivors = [pid for pid in pids if _alive(pid)]
        if not survivors:
            break
        time.sleep(0.1)
    for pid in survivors:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
