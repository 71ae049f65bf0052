"""The ``pages`` blueprint, which also serves the browser files (``pinnwand.static``) at
``/assets/`` (the app's own ``/static/`` route points into the package and stays unused)."""

from __future__ import annotations

import hashlib

from flask import Blueprint, request, url_for
from pinnwand.i18n import remember_language
from pinnwand.pages.static_files import CompressedStatic
from pinnwand.resources import package_folder

STATIC_ROOT = package_folder("pinnwand.static")
LONG_CACHE = 365 * 24 * 3600


class PagesBlueprint(Blueprint):
    """A blueprint whose fingerprinted static files (``?v=…``) are cached for a year;
    other static files are revalidated on every use (cheap ``304`` answers)."""

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        return LONG_CACHE if request.args.get("v") else 0


pages = PagesBlueprint(
    "pages", __name__, static_folder=str(STATIC_ROOT), static_url_path="/assets",
)
pages.after_request(remember_language)
pages.after_request(CompressedStatic(STATIC_ROOT).after_request)

_fingerprints: dict[str, tuple[float, str]] = {}


def asset(filename: str) -> str:
    """The URL of a static file with a content fingerprint, e.g. ``/assets/css/app.css?v=…``."""
    path = STATIC_ROOT / filename
    mtime = path.stat().st_mtime
    known = _fingerprints.get(filename)
    if known is None or known[0] != mtime:
        known = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
        _fingerprints[filename] = known
    return url_for("pages.static", filename=filename, v=known[1])
