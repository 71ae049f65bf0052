"""The phone page carries its stylesheet, its first screen's script, the board's styles and the
Socket.IO client inline (one request until the name field works, app/pages/inline.py), and its
Content-Security-Policy allows exactly those texts by their hashes — nothing else inline runs.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from pinnwand.pages.minify import minified

STATIC = Path(__file__).resolve().parents[2] / "static"


class _Inline(HTMLParser):
    """The texts of the page's inline scripts (not JSON data blocks) and styles."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._open: list[str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "style" or (tag == "script" and "src" not in attributes
                              and attributes.get("type") in (None, "module")):
            self._open, self._text = (self.styles if tag == "style" else self.scripts), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open is not None and tag in ("script", "style"):
            self._open.append("".join(self._text))
            self._open = None


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"no {name} in {policy}")


def test_the_policy_allows_exactly_the_inline_texts_of_the_page(client, event):
    page = client.get(f"/join/{event['join_code']}")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    found = _Inline()
    found.feed(page.get_data(as_text=True))
    assert len(found.scripts) == 2 and len(found.styles) == 2
    assert sorted(directive(policy, "script-src")) == sorted(
        ["'self'", *map(sha256_source, found.scripts)])
    assert sorted(directive(policy, "style-src")) == sorted(
        ["'self'", *map(sha256_source, found.styles)])
    for file in ("css/app.css", "css/steps.css", "js/phone-start.js",
                 "vendor/socket.io/socket.io.min.js", "js/phone-transport.js"):
        text = minified(file, (STATIC / file).read_bytes()).decode("utf-8")
        assert any(text in inline for inline in found.scripts + found.styles), \
            f"{file} is not inline as it is served"
    assert 'rel="icon" href="data:image/svg+xml,' in page.get_data(as_text=True)


def test_other_pages_allow_nothing_inline(client, event):
    for path in ("/", "/moderator"):
        policy = client.get(path).headers["Content-Security-Policy"]
        assert directive(policy, "script-src") == ["'self'"]
        assert directive(policy, "style-src") == ["'self'"]


def test_the_phone_opens_its_transport_with_every_pages_socket_options():
    literal = re.compile(r"const SOCKET_OPTIONS = (\{.*?\n\s*\});", re.DOTALL)

    def options(file: str) -> str:
        found = literal.search((STATIC / "js" / file).read_text(encoding="utf-8"))
        assert found, f"no SOCKET_OPTIONS in {file}"
        return re.sub(r"\s+", "", found.group(1))

    assert options("phone-transport.js") == options("common.js")
