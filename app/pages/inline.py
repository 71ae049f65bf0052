"""Static files written into a page instead of fetched (the phone's first screen on slow Wi-Fi).

Each request a page makes costs a round trip (400 ms on a slow 3G line) and, on HTTP/1.1, one of
the browser's six connections to the host. The phone page therefore carries its stylesheet and
its first screen's script inside the HTML. The Content-Security-Policy still forbids every
inline script and style, except these exact texts: the page's policy lists their SHA-256
hashes (:func:`policy_for`), so nothing injected into a page can run.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup
from pinnwand.pages.blueprint import STATIC_ROOT
from pinnwand.pages.minify import minified
from pinnwand.security import policy_with_hashes


@dataclass(frozen=True)
class Inline:
    """A static file's text to write into a ``<style>`` or ``<script>`` element, and the CSP
    source (``'sha256-…'``) that allows exactly this text."""

    text: Markup
    source: str


_known: dict[tuple[str, ...], tuple[tuple[tuple[int, int], ...], Inline]] = {}
_lock = threading.Lock()


def inline_file(*filenames: str) -> Inline:
    """The files under the static folder (e.g. ``"css/app.css"``), minified as when they are
    served (``minify.py``), one after the other in one element; read once per version."""
    paths = [STATIC_ROOT / filename for filename in filenames]
    version = tuple((stat.st_size, stat.st_mtime_ns) for stat in (p.stat() for p in paths))
    with _lock:
        known = _known.get(filenames)
    if known is not None and known[0] == version:
        return known[1]
    text = "\n".join(minified(name, path.read_bytes()).decode("utf-8")
                     for name, path in zip(filenames, paths, strict=True))
    if "</" in text:
        raise ValueError(f"{filenames} contain '</' and cannot be written into a page")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    found = Inline(Markup(text), f"'sha256-{digest}'")  # our own static files, checked above
    with _lock:
        _known[filenames] = (version, found)
    return found


def policy_for(*, scripts: tuple[Inline, ...] = (), styles: tuple[Inline, ...] = ()) -> str:
    """The Content-Security-Policy of a page that carries these inline scripts and styles."""
    return policy_with_hashes(scripts=[s.source for s in scripts],
                              styles=[s.source for s in styles])


def data_url(filename: str) -> str:
    """A small SVG file under the static folder as a ``data:`` URL (the page's icon, without a
    request of its own; the policy's ``img-src`` allows ``data:``)."""
    svg = (STATIC_ROOT / filename).read_text(encoding="utf-8").strip()
    return "data:image/svg+xml," + quote(svg, safe=" =:/,.")
