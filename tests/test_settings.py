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


def example_environment() -> dict[str, str]:
    """deploy/rectorate.env.example as a dict (KEY=VALUE lines; comments and blanks skipped)."""
    env = {}
    for line in (ROOT / "deploy" / "rectorate.env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    return env


def test_prod_with_the_example_environment_passes_check_deploy(tmp_path: Path) -> None:
    """The operator's example environment (PostgreSQL, Elasticsearch, shared blobs) is production-safe
    once its one placeholder, the secret key, is filled in."""
    env = example_environment()
    assert env["DJANGO_SETTINGS_MODULE"] == "settings.prod"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["RECTORATE_SEARCH_BACKEND"] == "elasticsearch" and env["RECTORATE_ELASTICSEARCH_URL"]
    for key in ("WEB_CONCURRENCY", "RECTORATE_CONVERTER_POOL_SIZE", "RECTORATE_BLOB_DIR"):
        assert env[key], key
    env.update(
        RECTORATE_DATA_DIR=str(tmp_path / "data"),
        RECTORATE_BLOB_DIR=str(tmp_path / "blobs"),
        RECTORATE_CACHE_DIR=str(tmp_path / "cache"),
    )
    result = _check({**env, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # the blob storage is the shared path of the example, not the data directory
    shown = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.STORAGES['blobs'])",
        ],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert str(tmp_path / "blobs") in shown.stdout, shown.stdout + shown.stderr


def test_prod_refuses_the_example_placeholder_secret(tmp_path: Path) -> None:
    env = {**example_environment(), "RECTORATE_DATA_DIR": str(tmp_path)}
    result = _check(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_run_profile_serves_static_files_with_debug_off_and_a_generated_key(tmp_path: Path) -> None:
    """./scripts/run's profile: DEBUG off, WhiteNoise, a secret key made once in the data directory."""
    code = (
        "from django.conf import settings; "
        "print(settings.DEBUG, 'whitenoise.middleware.WhiteNoiseMiddleware' in settings.MIDDLEWARE, "
        "settings.SECRET_KEY)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.run", "RECTORATE_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SECRET_KEY", None)
    runs = [
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        for _ in range(2)
    ]
    first, second = (r.stdout.split() for r in runs)
    assert first[:2] == ["False", "True"], runs[0].stderr
    assert len(first[2]) >= 50 and first[2] == second[2]  # generated once, then kept
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
