"""Fixtures of the service tests."""

from tests.records.admin.conftest import staff  # noqa: F401 - the fixture
