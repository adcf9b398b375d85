"""DOCX → PDF/A-2b conversion with LibreOffice.

Two implementations of :class:`Converter`:

- :class:`LibreOfficePool`: N persistent unoserver processes (one per core by default), each
  with its own LibreOffice profile and ports. unoserver's XML-RPC server converts one document at
  a time, so parallelism comes from several servers, not several clients of one. The server runs
  under a Python that can ``import uno`` (Debian's ``/usr/bin/python3`` with ``python3-uno``); the
  client side here is plain XML-RPC and runs in the venv.
- :class:`SofficeCliConverter`: one cold ``soffice --convert-to`` per call (about 0.8 s more per
  document); the fallback when unoserver cannot run.

:func:`get_converter` returns the process-wide converter (started lazily, closed at exit).

Converter processes die with the process that started them, even when it is killed (SIGKILL, OOM)
and no exit handler runs: each runs under a small guard (:data:`GUARD`) that the kernel signals when
its parent dies (``PR_SET_PDEATHSIG``) and that then kills its whole process group — unoserver,
oosplash and soffice.bin. Guards are started from one long-lived thread, because the kernel sends
that signal when the *thread* that started the child ends, and conversions run in short-lived ones.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import ctypes
import functools
import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from doctemplates.errors import ConversionFailed, ConverterUnavailable

PDFA_FILTER_OPTIONS = ["SelectPdfVersion=2"]
PDFA_CLI_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
INSTALL_HINT = (
    "apt-get install --no-install-recommends libreoffice-writer-nogui python3-uno "
    "fonts-dejavu fonts-liberation2 fonts-noto-core fonts-crosextra-carlito"
)


class Converter(ABC):
    """Converts a DOCX document to PDF/A-2b.

    An implementation MUST:
    - return the complete PDF (starting with ``%PDF-`` and ending with ``%%EOF``) declaring
      PDF/A-2b, or raise; never return partial output;
    - raise :class:`ConverterUnavailable` when its engine is not installed, with a message that says
      how to install it, and :class:`ConversionFailed` when a document cannot be converted;
    - bound every conversion by a timeout, so a hung engine never blocks the caller forever;
    - be safe to call from several threads at once.

    An implementation MAY keep engines warm between calls, retry a failed conversion once on a
    fresh engine, and restart engines periodically. ``close()`` releases every process it started.
    """

    @abstractmethod
    def convert_docx_to_pdf(self, docx: bytes) -> bytes:
        """Convert DOCX bytes to PDF/A-2b bytes."""

    def close(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Stop every process this converter started."""


PR_SET_PDEATHSIG = 1
# Runs the converter command as its child, in its own process group; when our process dies the kernel
# sends the guard SIGTERM (PR_SET_PDEATHSIG, set before exec) and the guard kills the whole group.
GUARD = """
import os, signal, subprocess, sys
def _end(*_):
    os.killpg(0, signal.SIGKILL)
signal.signal(signal.SIGTERM, _end)
signal.signal(signal.SIGHUP, _end)
if os.getppid() != int(sys.argv[1]):
    _end()
child = subprocess.Popen(sys.argv[2:])
code = child.wait()
_end() if code < 0 else None
sys.exit(code)
"""


_PRCTL = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: nothing is loaded after fork


def _die_with_parent() -> None:
    """In the forked child before exec: ask for SIGTERM when the parent dies."""
    _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


_SPAWNER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="converter-spawner")


def spawn_guarded(command: list[str], **popen: Any) -> subprocess.Popen[bytes]:
    """Start ``command`` under the guard, in a new session, from the long-lived spawner thread."""
    guarded = [sys.executable, "-c", GUARD, str(os.getpid()), *command]

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(guarded, start_new_session=True, preexec_fn=_die_with_parent, **popen)

    return _SPAWNER.submit(start).result()


def soffice_executable() -> str:
    """The path of LibreOffice's ``soffice``; raises :class:`ConverterUnavailable` when missing.

    ``settings.RECTORATE_SOFFICE``, when set, is the only candidate; otherwise PATH, then Debian's path.
    """
    configured = getattr(settings, "RECTORATE_SOFFICE", None)
    candidates = (
        [configured] if configured else [shutil.which("soffice"), "/usr/lib/libreoffice/program/soffice"]
    )
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return str(candidate)
    raise ConverterUnavailable(
        gettext("LibreOffice is not installed (no soffice found). Install it with: %(command)s")
        % {"command": INSTALL_HINT}
    )


@functools.cache
def _python_with_uno(configured: str | None) -> str | None:
    for candidate in [configured] if configured else [sys.executable, "/usr/bin/python3"]:
        if not candidate or not Path(candidate).exists():
            continue
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            probe = subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
            if probe.returncode == 0:
                return str(candidate)
    return None


def uno_python() -> str:
    """A Python interpreter that can ``import uno``; raises :class:`ConverterUnavailable` if none."""
    python = _python_with_uno(getattr(settings, "RECTORATE_UNO_PYTHON", None))
    if python is None:
        raise ConverterUnavailable(
            gettext(
                "No Python with LibreOffice's UNO bindings (import uno) was found. Install them with: "
                "%(command)s"
            )
            % {"command": INSTALL_HINT}
        )
    return python


def _unoserver_pythonpath(runtime_dir: Path) -> str:
    """A directory exposing only the venv's unoserver package (and its metadata) to another Python."""
    try:
        import unoserver
    except ImportError as exc:
        raise ConverterUnavailable(
            gettext("The unoserver package is not installed in this environment (pip install unoserver).")
        ) from exc
    package_dir = Path(unoserver.__file__).parent
    shim = runtime_dir / "pylib"
    shim.mkdir(parents=True, exist_ok=True)
    for source in [package_dir, *package_dir.parent.glob("unoserver-*.dist-info")]:
        link = shim / source.name
        if not link.exists():
            link.symlink_to(source, target_is_directory=True)
    return str(shim)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def check_pdf(data: Any) -> bytes:
    """Return ``data`` if it looks like a complete PDF, else raise :class:`ConversionFailed`."""
    if not isinstance(data, bytes) or not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise ConversionFailed(gettext("The converter returned an incomplete PDF."))
    return data


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


class _UnoWorker:
    """One unoserver process (and the LibreOffice it starts) with its own ports and profile."""

    def __init__(self, index: int, pool: LibreOfficePool) -> None:
        self.index = index
        self.pool = pool
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.conversions = 0
        self.log_path = pool.runtime_dir / f"unoserver-{index}.log"  # truncated at every start
        self.profile_dir = pool.runtime_dir / f"profile-{index}"
        self.pid_file = pool.runtime_dir / f"soffice-{index}.pid"

    @property
    def alive(self) -> bool:
        """Whether the unoserver process is running."""
        return self.process is not None and self.process.poll() is None

    def soffice_pid(self) -> int | None:
        """The pid of the LibreOffice process this worker's unoserver started."""
        with contextlib.suppress(OSError, ValueError):
            return int(self.pid_file.read_text().strip())
        return None

    def libreoffice_pids(self) -> list[int]:
        """Pids of the LibreOffice processes (oosplash, soffice.bin) in this worker's process group."""
        if self.process is None:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                pid = int(stat.parent.name)
                if int(fields[2]) == self.process.pid and pid != self.process.pid:
                    pids.append(pid)
        return sorted(pids)

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{self.port}", allow_none=True, transport=_TimeoutTransport(timeout)
        )

    def start(self) -> None:
        """(Re)start unoserver and LibreOffice on fresh ports and profile; wait until they answer."""
        self.kill()
        self.port, uno_port = _free_port(), _free_port()
        command = [
            self.pool.python,
            "-m",
            "unoserver.server",
            "--port",
            str(self.port),
            "--uno-port",
            str(uno_port),
            "--user-installation",
            str(self.profile_dir),
            "--executable",
            self.pool.soffice,
            "--conversion-timeout",
            str(max(1, round(self.pool.conversion_timeout))),
            "--libreoffice-pid-file",
            str(self.pid_file),
        ]
        env = {**os.environ, "PYTHONPATH": self.pool.pythonpath} if self.pool.pythonpath else None
        with self.log_path.open("wb") as log:
            self.process = spawn_guarded(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
        deadline = time.monotonic() + self.pool.startup_timeout
        while time.monotonic() < deadline:
            if not self.alive:
                break
            try:
                self._proxy(5).info()
            except (OSError, xmlrpc.client.Error, http.client.HTTPException):
                time.sleep(0.25)
                continue
            # unoserver writes LibreOffice's pid once its start-up is complete; we need the pid to
            # kill a hung LibreOffice.
            if self.soffice_pid() is None:
                time.sleep(0.25)
                continue
            self.conversions = 0
            with self.pool.counter_lock:
                self.pool.starts += 1
            return
        log_tail = self.log_tail()
        self.kill()
        raise ConversionFailed(
            gettext(
                "The LibreOffice converter did not start within %(seconds)s s. Its log ends with: %(log)s"
            )
            % {"seconds": self.pool.startup_timeout, "log": log_tail or "—"}
        )

    def log_tail(self, size: int = 600) -> str:
        """The end of this worker's unoserver log."""
        with contextlib.suppress(OSError):
            return self.log_path.read_bytes()[-size:].decode(errors="replace").strip()
        return ""

    def convert(self, docx: bytes) -> bytes:
        """Convert on this worker's server, waiting at most the conversion timeout (+5 s)."""
        # Arguments in unoserver's XML-RPC order: inpath, indata, outpath, convert_to, filtername,
        # filter_options, update_index, infiltername, password.
        proxy = self._proxy(self.pool.conversion_timeout + 5)
        result = proxy.convert(
            None, xmlrpc.client.Binary(docx), None, "pdf", None, PDFA_FILTER_OPTIONS, False, None, None
        )
        self.conversions += 1
        return check_pdf(getattr(result, "data", None))

    def kill(self) -> None:
        """Kill unoserver and LibreOffice (the whole process group) and remove the profile."""
        soffice_pid = self.soffice_pid()
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        if soffice_pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(soffice_pid, signal.SIGKILL)
        self.process = None
        self.pid_file.unlink(missing_ok=True)
        # A profile left by a killed LibreOffice may be locked or half-written: start afresh.
        shutil.rmtree(self.profile_dir, ignore_errors=True)


class LibreOfficePool(Converter):
    """A pool of persistent unoserver converters, each restarted after a crash, a hang or N uses."""

    def __init__(
        self,
        size: int | None = None,
        *,
        conversion_timeout: float = 60.0,
        startup_timeout: float = 60.0,
        max_conversions: int = 200,
    ) -> None:
        self.soffice = soffice_executable()
        self.python = uno_python()
        self.size = size or int(getattr(settings, "RECTORATE_CONVERTER_POOL_SIZE", 0) or os.cpu_count() or 1)
        self.conversion_timeout = conversion_timeout
        self.startup_timeout = startup_timeout
        self.max_conversions = max_conversions
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="rectorate-unoserver-"))
        self.pythonpath = "" if self.python == sys.executable else _unoserver_pythonpath(self.runtime_dir)
        self.starts = 0
        self.restarts = 0
        self.counter_lock = threading.Lock()
        self.workers = [_UnoWorker(index, self) for index in range(self.size)]
        self._idle: queue.Queue[_UnoWorker] = queue.Queue()
        for worker in self.workers:
            self._idle.put(worker)
        self._closed = False

    def start(self) -> None:
        """Start every converter now (in parallel) instead of on first use."""
        errors: list[BaseException] = []

        def start_one(worker: _UnoWorker) -> None:
            try:
                worker.start()
            except BaseException as exc:  # collected and re-raised below
                errors.append(exc)

        threads = [threading.Thread(target=start_one, args=(w,)) for w in self.workers if not w.alive]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def convert_docx_to_pdf(self, docx: bytes) -> bytes:
        """Convert on an idle converter; on failure retry once on a fresh one, then raise."""
        if self._closed:
            raise ConversionFailed(gettext("The converter pool is closed."))
        worker = self._idle.get()
        try:
            return self._convert_with_retry(worker, docx)
        finally:
            self._idle.put(worker)

    def _convert_with_retry(self, worker: _UnoWorker, docx: bytes) -> bytes:
        failures: list[str] = []
        for attempt in range(2):
            try:
                if attempt or not worker.alive or worker.conversions >= self.max_conversions:
                    if attempt or worker.conversions:
                        with self.counter_lock:
                            self.restarts += 1
                    worker.start()
                return worker.convert(docx)
            except (OSError, xmlrpc.client.Error, http.client.HTTPException, ConversionFailed) as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                worker.kill()
        raise ConversionFailed(
            gettext("The document could not be converted to PDF, even on a fresh converter: %(detail)s")
            % {"detail": " / ".join(failures)}
        )

    def close(self) -> None:
        """Stop every unoserver and LibreOffice process of the pool."""
        self._closed = True
        for worker in self.workers:
            worker.kill()
        shutil.rmtree(self.runtime_dir, ignore_errors=True)


class SofficeCliConverter(Converter):
    """One cold ``soffice --convert-to`` per document, in a throw-away profile."""

    def __init__(self, *, conversion_timeout: float = 120.0) -> None:
        self.soffice = soffice_executable()
        self.conversion_timeout = conversion_timeout

    def convert_docx_to_pdf(self, docx: bytes) -> bytes:
        """Convert with a fresh LibreOffice process; kill it if it exceeds the timeout."""
        with tempfile.TemporaryDirectory(prefix="rectorate-soffice-") as workdir:
            work = Path(workdir)
            source = work / "document.docx"
            source.write_bytes(docx)
            command = [
                self.soffice,
                "--headless",
                "--norestore",
                "--nologo",
                "--nodefault",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to",
                PDFA_CLI_FILTER,
                "--outdir",
                str(work / "out"),
                str(source),
            ]
            process = spawn_guarded(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            try:
                output, _ = process.communicate(timeout=self.conversion_timeout)
            except subprocess.TimeoutExpired as exc:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise ConversionFailed(
                    gettext("LibreOffice did not convert the document within %(seconds)s s.")
                    % {"seconds": self.conversion_timeout}
                ) from exc
            result = work / "out" / "document.pdf"
            if process.returncode != 0 or not result.exists():
                raise ConversionFailed(
                    gettext("LibreOffice could not convert the document: %(detail)s")
                    % {"detail": output.decode(errors="replace").strip()[-500:]}
                )
            return check_pdf(result.read_bytes())


_converter: Converter | None = None
_converter_lock = threading.Lock()


def get_converter() -> Converter:
    """The process-wide converter: a :class:`LibreOfficePool`, or the soffice CLI without unoserver."""
    global _converter
    with _converter_lock:
        if _converter is None:
            try:
                _converter = LibreOfficePool()
            except ConverterUnavailable:
                _converter = SofficeCliConverter()  # raises ConverterUnavailable without LibreOffice
            atexit.register(_converter.close)
        return _converter
