"""Scripts and stylesheets as a browser gets them: without comments and needless white space.

The files under static/ are written to be read: long comments, indentation. A phone on a slow
line pays for every byte of them, and the comments make up about a third of the compressed
bytes of the phone's modules. So they are sent minified, made at serve time (no build step),
once per file version (``static_files.py`` and ``inline.py`` keep the result): rJSmin and
rCSSmin drop comments and white space only, rename nothing, and keep comments that start with
``/*!`` (licences). Vendor files are sent as they are (they come minified). A client that
accepts no compression gets the files as they are on disk.

rJSmin reads a template literal as one flat string: a template inside another template's
``${…}`` would lose its spaces, so our scripts write such inner texts with ``+``
(``tests/unit/test_minify.py`` checks that every literal of every script comes out as written).
"""

from __future__ import annotations

import rcssmin
import rjsmin


def minified(filename: str, data: bytes) -> bytes:
    """The bytes of ``filename`` (a path under the static folder) as they are sent: a script or
    stylesheet of our own minified, anything else unchanged."""
    if filename.startswith("vendor/"):
        return data
    if filename.endswith(".js"):
        return rjsmin.jsmin(data.decode("utf-8"), keep_bang_comments=True).encode("utf-8")
    if filename.endswith(".css"):
        return rcssmin.cssmin(data.decode("utf-8"), keep_bang_comments=True).encode("utf-8")
    return data
