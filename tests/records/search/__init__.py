"""Tests of the registry search: back-office page, export and API."""
