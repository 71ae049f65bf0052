"""Static files, and pages every visitor gets alike, sent compressed at the best quality,
compressed once per version.

Flask-Compress compresses static files as a stream, at a fast level, on every request. Static
files change only with a deployment, so here each one is minified (our own scripts and
stylesheets, ``minify.py``) and compressed once per process, file version (path, size,
modification time) and encoding, at the best quality, and kept in memory
(110–125 KB per encoding for all of them): Brotli where the browser takes it (≈ 17 % fewer
bytes than Flask-Compress sent), gzip otherwise (browsers on plain ``http://``, e.g.
``pinnwand serve`` in a venue's own network, offer gzip and deflate but no Brotli). The first
request of a file pays for its compression once: at most ≈ 45 ms of CPU (the Socket.IO
client), 0.43 s for all 24 files.

The phone page of an event (:class:`CompressedPages`) is rendered for every visitor but comes out
byte for byte the same for all phones of that event (per language): ≈ 140 KB of text, most of
it the stylesheet and scripts written into it. Flask-Compress would compress it anew for every
phone at a fast level (Brotli 4: ≈ 37 KB); at the best one it is ≈ 31 KB, 6 KB (0.12 s on a
slow 3G line) less, but that costs 0.12 s of CPU on an idle core (0.4–0.8 s on a busy one).
So such a page is compressed at the best level once, in a real thread (the live boards do not
wait for it), and kept by the SHA-256 of its text: every further phone of the event gets the
same bytes for the price of a hash (≈ 0.2 ms). Phones that come while it is being made get the
page as before (Flask-Compress, fast level).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

import brotli
from flask import Response, request
from pinnwand.background import run_blocking
from pinnwand.pages.minify import minified
from werkzeug.security import safe_join

ENCODERS = {  # in order of preference
    "br": lambda data: brotli.compress(data, quality=11),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}
COMPRESSIBLE = frozenset({"text/css", "text/javascript", "application/javascript",
                          "image/svg+xml"})


class CompressedStatic:
    """The compressed bytes of static files, keyed by file version and encoding; safe to share
    across threads."""

    def __init__(self, root: Path):
        self.root = root
        self._known: dict[tuple[str, str], tuple[tuple[int, int], bytes]] = {}
        self._lock = threading.Lock()

    def body(self, filename: str, encoding: str) -> bytes | None:
        """The file's bytes in ``encoding`` at its best quality, or ``None`` when there is no
        such file."""
        joined = safe_join(str(self.root), filename)
        if joined is None:
            return None
        path = Path(joined)
        try:
            stat = path.stat()
        except OSError:
            return None
        version = (stat.st_size, stat.st_mtime_ns)
        key = (filename, encoding)
        with self._lock:
            known = self._known.get(key)
        if known is not None and known[0] == version:
            return known[1]
        body = ENCODERS[encoding](minified(filename, path.read_bytes()))
        with self._lock:
            self._known[key] = (version, body)
        return body

    def after_request(self, response: Response) -> Response:
        """On the static files' endpoint: a ``200`` of a text file for a client that accepts
        Brotli or gzip is answered with the cached best compression (and a ``304`` when the
        client already holds that version); everything else passes unchanged."""
        if (request.endpoint != "pages.static" or response.status_code != 200
                or response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers):
            return response
        encoding = preferred_encoding()
        if encoding is None:
            return response
        body = self.body((request.view_args or {}).get("filename", ""), encoding)
        if body is None:
            return response
        response.close()  # the open file send_file would have streamed
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}:{encoding}", weak=weak)
        return response.make_conditional(request)


def preferred_encoding() -> str | None:
    """The encoding of :data:`ENCODERS` the client rates highest (Brotli on a tie), if any."""
    accepted = request.accept_encodings
    rated = [(accepted[name], -rank, name) for rank, name in enumerate(ENCODERS)]
    quality, _rank, name = max(rated)
    return name if quality > 0 else None


class CompressedPages:
    """Pages at their best compression, kept by the SHA-256 of their text (the ``size`` most
    recently used per process); safe to share across threads."""

    def __init__(self, size: int = 64, encoders: dict | None = None):
        self.size = size
        self.encoders = encoders or ENCODERS
        self._known: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
        self._making: set[tuple[str, bytes]] = set()
        self._lock = threading.Lock()

    def body(self, page: bytes, encoding: str) -> bytes | None:
        """``page`` in ``encoding`` at its best quality: made once (off the event loop), then
        kept; ``None`` while another request is making it."""
        key = (encoding, hashlib.sha256(page).digest())
        with self._lock:
            known = self._known.get(key)
            if known is not None:
                self._known.move_to_end(key)
                return known
            if key in self._making:
                return None
            self._making.add(key)
        try:
            body = run_blocking(self.encoders[encoding], page)
        finally:
            with self._lock:
                self._making.discard(key)
        with self._lock:
            self._known[key] = body
            while len(self._known) > self.size:
                self._known.popitem(last=False)
        return body

    def compress(self, response: Response) -> Response:
        """A ``200`` page for a client that accepts Brotli or gzip, in the best compression
        (Flask-Compress leaves a response with a ``Content-Encoding`` as it is); anything else,
        and a page whose best compression is still being made, unchanged."""
        encoding = preferred_encoding()
        if (encoding is None or response.status_code != 200 or response.is_streamed
                or "Content-Encoding" in response.headers):
            return response
        body = self.body(response.get_data(), encoding)
        if body is None:
            return response
        response.set_data(body)
        response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        return response
