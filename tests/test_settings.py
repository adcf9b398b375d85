"""The prod profile reads its secrets from the environment and passes Django's deployment checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings.prod", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_prod_passes_check_deploy_without_warnings(tmp_path: Path) -> None:
    result = _check(
        {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "rectorate.example.kz",
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db",
            "RECTORATE_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_prod_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db", "RECTORATE_DATA_DIR": str(tmp_path)}
    result = _check({**env, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
