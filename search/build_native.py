"""Build the compiled analysis hot path (search/_native.c) next to its source.

    .venv/bin/python search/build_native.py [--out DIR]

Run by scripts/setup.sh; needs a C compiler and the Python headers (nothing from the network). The
module records the SHA-256 of the source it was built from: ``search.analysis`` uses it only when
that matches the source beside it, else it keeps the Python path (the reference) and says so.
"""

from __future__ import annotations

import argparse
import hashlib
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "_native.c"


def source_digest() -> str:
    """SHA-256 of the C source."""
    return hashlib.sha256(SOURCE.read_bytes()).hexdigest()


def build(out_dir: Path | str | None = None, defines: dict[str, int] | None = None) -> Path:
    """Compile the extension into ``out_dir`` (default: beside the source) and return its path.

    ``defines`` override compile-time constants (the tests build a tiny word table)."""
    directory = Path(out_dir) if out_dir is not None else SOURCE.parent
    target = directory / f"_native{sysconfig.get_config_var('EXT_SUFFIX') or '.so'}"
    compiler = shlex.split(sysconfig.get_config_var("CC") or "cc")
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        built = Path(tmp) / target.name
        subprocess.run(
            [
                *compiler,
                "-O2",
                "-fPIC",
                "-shared",
                "-Wall",
                f"-I{sysconfig.get_paths()['include']}",
                f'-DSOURCE_SHA256="{source_digest()}"',
                *(f"-D{name}={value}" for name, value in (defines or {}).items()),
                str(SOURCE),
                "-o",
                str(built),
            ],
            check=True,
        )
        # Atomic: a process that already loaded the old file keeps its mapping.
        built.replace(target)
    return target


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="directory of the built module (default: search/)")
    sys.stdout.write(f"built {build(parser.parse_args().out)}\n")


if __name__ == "__main__":
    main()
