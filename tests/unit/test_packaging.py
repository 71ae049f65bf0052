"""The distribution lists every package of ``app/`` under the import name ``pinnwand``."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _configured() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def test_every_package_under_app_ships_as_pinnwand():
    on_disk = {
        ".".join(("pinnwand", *folder.relative_to(ROOT / "app").parts))
        for folder in (init.parent for init in (ROOT / "app").rglob("__init__.py"))
    }
    listed = set(_configured()["packages"])
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - on_disk == {"pinnwand.static", "pinnwand.migrations"}


def test_the_top_level_folders_map_into_the_import_package():
    assert _configured()["package-dir"] == {
        "pinnwand": "app", "pinnwand.static": "static", "pinnwand.migrations": "migrations"}


def test_the_installed_package_finds_its_browser_files_and_migrations():
    from pinnwand.resources import package_folder

    assert (package_folder("pinnwand.static") / "js" / "phone.js").is_file()
    assert (package_folder("pinnwand.migrations") / "env.py").is_file()
