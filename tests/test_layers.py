"""The architecture is checked, not described: the import contracts of pyproject.toml hold, and every
back-office area is one ViewSet registered from the one list in records/wagtail_hooks.py."""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
from pathlib import Path

import pytest
from django.urls import reverse
from importlinter.cli import lint_imports
from wagtail import hooks

import records.admin
from records import wagtail_hooks
from records.admin.viewsets import AreaViewSet

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    """Capabilities never import records; records' layers only import downwards (see pyproject.toml)."""
    assert lint_imports(no_cache=True, no_logo=True) == 0


def test_the_layers_contract_covers_interfaces_services_selectors_and_models() -> None:
    """A layers contract that named nothing would pass vacuously: it names the layers of DESIGN.md."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (layers,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    named = {name.strip() for layer in layers["layers"] for name in layer.replace(":", "|").split("|")}
    assert {
        "admin",
        "api",
        "portal",
        "management",
        "monitoring",
        "services",
        "selectors",
        "permissions",
    } <= named
    assert {"kinds", "projections", "academics", "models"} <= named
    assert layers["layers"].index("services") < layers["layers"].index("selectors : search_projection")


def test_every_admin_area_module_is_in_the_one_list() -> None:
    """A module of records/admin/ that defines an `area` is registered by wagtail_hooks.AREAS, and no
    area registers itself through a side module (the old *_hooks.py)."""
    modules = [m.name for m in pkgutil.iter_modules(records.admin.__path__)]
    assert not [name for name in modules if name.endswith("_hooks")]
    areas = [
        importlib.import_module(f"records.admin.{name}").area
        for name in modules
        if hasattr(importlib.import_module(f"records.admin.{name}"), "area")
    ]
    areas.append(importlib.import_module("records.monitoring.area").area)  # the monitoring package's area
    assert len(areas) == len(wagtail_hooks.AREAS) == len(set(map(id, wagtail_hooks.AREAS)))
    assert all(area in wagtail_hooks.AREAS for area in areas)


@pytest.mark.django_db
def test_every_area_link_leads_into_its_area() -> None:
    """Each sidebar item of an area points under /admin/<its prefix>/ and is registered with Wagtail."""
    reverse("wagtailadmin_home")  # loads the admin URLs, which registers the areas (their on_register)
    registered = {item.name for fn in hooks.get_hooks("register_admin_menu_item") for item in [fn()]}
    searched = {area.name for fn in hooks.get_hooks("register_admin_search_area") for area in [fn()]}
    viewsets = [area for area in wagtail_hooks.AREAS if isinstance(area, AreaViewSet)]
    assert viewsets
    for area in viewsets:
        assert area.links, area.name
        for link in area.links:
            url = reverse(f"{area.name}:{link.url_name}")
            assert url.startswith(f"/admin/{area.url_prefix}/"), (area.name, url)
            assert link.name in (searched if link.search else registered), link.name


INTERFACES = ("admin", "api", "portal", "management", "monitoring")


def test_interfaces_neither_query_the_orm_nor_write_audit_events() -> None:
    """Views, the API and commands read through selectors and act through services: no `Model.objects`
    and no `audit_record(` in records/admin, api, portal or management (reads are recorded through
    the one service call, services.audit.access_record)."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in INTERFACES
        for path in sorted((ROOT / "records" / package).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ".objects." in line or "audit_record(" in line
    ]
    assert found == []
