"""The transfer tests use the records-management tests' file plan (series 01-05: internal orders)."""

from tests.records.archive.conftest import plan  # noqa: F401 - a fixture, used by name
