"""The browser pages: the start page, the phone, the moderator screens and the projector.

The pages are thin HTML shells rendered with Jinja (translated with Flask-Babel); the scripts
in ``static/js`` fill them through the public HTTP API and Socket.IO. This blueprint also
serves ``static/`` (fingerprinted URLs are cached for a year) and the join QR code.
"""

from __future__ import annotations

from pinnwand.pages import views  # noqa: F401  (routes)
from pinnwand.pages.blueprint import pages

__all__ = ["pages"]
