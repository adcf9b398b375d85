"""Fixtures of the doctemplates tests: one LibreOffice pool for the session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from doctemplates.conversion import LibreOfficePool


@pytest.fixture(scope="session")
def converter_pool() -> Iterator[LibreOfficePool]:
    """One real unoserver + LibreOffice for every conversion test; started once."""
    pool = LibreOfficePool(1, conversion_timeout=60)
    pool.start()
    yield pool
    pool.close()
