"""Compressed responses: pages and static files for phones on slow Wi-Fi, API answers plain."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import brotli
import pytest
from pinnwand.pages.blueprint import STATIC_ROOT
from pinnwand.pages.minify import minified
from pinnwand.pages.static_files import CompressedPages, CompressedStatic

PHONE_SCRIPT = "/assets/js/phone.js"


def original(path: str) -> bytes:
    return (STATIC_ROOT / path.removeprefix("/assets/")).read_bytes()


def served(path: str) -> bytes:
    """The file as it is sent compressed: our own scripts and stylesheets minified."""
    return minified(path.removeprefix("/assets/"), original(path))


@pytest.mark.parametrize(("accepts", "encoding", "decode"), [
    ("gzip, deflate, br, zstd", "br", brotli.decompress),  # Chrome over https and on localhost
    ("gzip, deflate", "gzip", gzip.decompress),  # Chrome over plain http in a venue's network
    ("br;q=0.5, gzip", "gzip", gzip.decompress),
])
def test_static_files_come_at_their_best_compression(client, accepts, encoding, decode):
    for path in (PHONE_SCRIPT, "/assets/css/app.css", "/assets/vendor/socket.io/socket.io.min.js"):
        response = client.get(path, headers={"Accept-Encoding": accepts})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert decode(response.data) == served(path)
        assert int(response.headers["Content-Length"]) == len(response.data)
        best = (brotli.compress(served(path), quality=11) if encoding == "br"
                else gzip.compress(served(path), compresslevel=9, mtime=0))
        assert response.data == best


def test_without_an_accepted_encoding_static_files_come_as_they_are(client):
    for headers in ({}, {"Accept-Encoding": "identity"}):
        response = client.get(PHONE_SCRIPT, headers=headers)
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers
        assert response.data == original(PHONE_SCRIPT)


def test_a_phone_that_holds_the_compressed_version_gets_304(client):
    first = client.get(PHONE_SCRIPT, headers={"Accept-Encoding": "br"})
    assert first.headers["ETag"].endswith(':br"')
    again = client.get(PHONE_SCRIPT, headers={"Accept-Encoding": "br",
                                              "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get(PHONE_SCRIPT, headers={"Accept-Encoding": "gzip",
                                              "If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200 and other.headers["Content-Encoding"] == "gzip"


def test_fingerprinted_static_files_stay_cacheable_for_a_year(client):
    response = client.get(f"{PHONE_SCRIPT}?v=abc", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_missing_static_files_and_paths_outside_are_404(client):
    for path in ("/assets/js/nothing.js", "/assets/../app/config.py", "/assets/js/%2e%2e/x.js"):
        response = client.get(path, headers={"Accept-Encoding": "br"})
        assert response.status_code == 404


def test_a_changed_file_is_compressed_again(tmp_path: Path):
    script = tmp_path / "app.js"
    script.write_text("console.log('one');" * 50)
    cache = CompressedStatic(tmp_path)
    first = cache.body("app.js", "br")
    assert brotli.decompress(first) == script.read_bytes()
    assert cache.body("app.js", "br") is first  # kept, not compressed again
    script.write_text("console.log('two, longer');" * 50)
    stat = script.stat()
    os.utime(script, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert brotli.decompress(cache.body("app.js", "br")) == script.read_bytes()
    assert gzip.decompress(cache.body("app.js", "gzip")) == script.read_bytes()
    assert cache.body("nothing.js", "br") is None
    assert cache.body("../outside.js", "br") is None


def test_pages_are_compressed_and_api_answers_are_not(client, event):
    page = client.get(f"/join/{event['join_code']}", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    assert event["title"].encode() in gzip.decompress(page.data)
    answer = client.post("/api/v1/join", json={"code": event["join_code"], "name": "Ada"},
                         headers={"Accept-Encoding": "gzip, br"})
    assert answer.status_code == 200 and "Content-Encoding" not in answer.headers
    assert answer.json["token"]


BEST = {"br": lambda data: brotli.compress(data, quality=11),
        "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0)}


@pytest.mark.parametrize(("accepts", "encoding"), [("gzip, deflate, br, zstd", "br"),
                                                   ("gzip, deflate", "gzip")])
def test_the_phone_page_comes_at_its_best_compression(client, event, accepts, encoding):
    path = f"/join/{event['join_code']}"
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    for _ in range(2):  # the second phone gets the same bytes
        page = client.get(path, headers={"Accept-Encoding": accepts})
        assert page.status_code == 200 and page.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in page.headers["Vary"]
        assert int(page.headers["Content-Length"]) == len(page.data)
        assert page.data == BEST[encoding](plain.data)
        assert page.headers["Content-Security-Policy"] == plain.headers["Content-Security-Policy"]


def test_a_page_is_compressed_once_per_text_and_the_least_recent_is_dropped():
    pages = CompressedPages(size=2)
    one, two, three = (f"<p>{word}</p>".encode() * 100 for word in ("eins", "zwei", "drei"))
    first = pages.body(one, "br")
    assert brotli.decompress(first) == one
    assert pages.body(one, "br") is first  # kept, not compressed again
    assert gzip.decompress(pages.body(one, "gzip")) == one  # each encoding on its own
    kept = pages.body(two, "br")  # two places: "one" in Brotli has gone
    pages.body(three, "br")  # and now "one" in gzip
    assert pages.body(two, "br") is kept
    again = pages.body(one, "br")
    assert again == first and again is not first  # compressed anew


def test_phones_that_come_while_the_page_is_being_compressed_do_not_wait_for_it():
    asked_meanwhile = []

    def slow_brotli(data: bytes) -> bytes:
        asked_meanwhile.append(pages.body(data, "br"))  # a second phone, meanwhile
        return brotli.compress(data, quality=11)

    pages = CompressedPages(encoders={"br": slow_brotli})
    page = b"<p>Willkommen</p>" * 100
    first = pages.body(page, "br")
    assert asked_meanwhile == [None]  # it gets the page as Flask-Compress makes it
    assert brotli.decompress(first) == page
    assert pages.body(page, "br") is first
    assert asked_meanwhile == [None]  # made once
