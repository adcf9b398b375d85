"""Fixtures of the language tests."""

from tests.records.admin.conftest import staff  # noqa: F401 - re-exported fixture
