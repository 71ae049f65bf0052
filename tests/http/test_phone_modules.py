"""The phone page's modules: what the join page preloads, and what the board's code imports.

On slow venue Wi-Fi the phone asks for every module it runs early, so no module waits for the
one that imports it to arrive: the first screen's at once (the join page's ``modulepreload``
links), the board's own once the name is sent (``data-board-code``, asked for by the page's
first script, static/js/phone-start.js); the other steps' views (``phone-steps.js``) once the
board is up, so they never hold up its first idea. The board's code (the outbox and the step
views, which ``phone.js`` imports once the first screen is up) is fetched again under a new URL
after a failed fetch; a module that failed to load stays failed
under its URL in many browsers, so the board's code may import only modules the first screen
has already loaded (``tests/browser/test_phone_code_loading.py`` shows the recovery).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"
STATIC_IMPORT = re.compile(r"""^\s*import\s+(?:[^"';]*?\bfrom\s+)?"(\.{1,2}/[^"]+\.js)";""",
                           re.MULTILINE)
BOARD_MODULE = re.compile(r"""importBoardModule\("([\w/-]+)\"""")
# The board's modules phone.js asks for only once the board is up (not preloaded).
LATER_BOARD_MODULES = {"phone-steps.js"}


def static_imports(module: str) -> set[str]:
    """The modules ``module`` (a path under static/js) imports statically, as such paths."""
    folder = (SCRIPTS / module).parent
    return {str((folder / found).resolve().relative_to(SCRIPTS))
            for found in STATIC_IMPORT.findall((SCRIPTS / module).read_text())}


def graph(module: str) -> set[str]:
    """``module`` and everything it imports statically, directly or not."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(static_imports(current))
    return seen


def board_modules() -> set[str]:
    """The modules phone.js imports once the first screen is up (importBoardModule)."""
    found = {f"{name}.js" for name in BOARD_MODULE.findall((SCRIPTS / "phone.js").read_text())}
    assert found, "phone.js imports no board modules any more: update this test"
    return found


class _Preloads(HTMLParser):
    def __init__(self):
        super().__init__()
        self.modules: list[str] = []

        self.board_code: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "modulepreload":
            self.modules.append(_module(attributes["href"]))
        if attributes.get("data-board-code"):
            self.board_code = [_module(href) for href in attributes["data-board-code"].split()]


def _module(href: str) -> str:
    return urlsplit(href).path.removeprefix("/assets/js/")


def test_the_parser_finds_single_and_multi_line_imports():
    assert {"common.js", "board-state.js", "feed.js"} <= static_imports("phone.js")
    assert "common.js" in static_imports("ui/board-text.js")
    assert static_imports("board-state.js") == set()


def test_the_join_page_preloads_every_module_the_phone_runs(client, event):
    page = client.get(f"/join/{event['join_code']}")
    assert page.status_code == 200
    parser = _Preloads()
    parser.feed(page.get_data(as_text=True))
    runs = graph("phone.js").union(*(graph(module) for module in board_modules()))
    asked = parser.modules + parser.board_code + sorted(LATER_BOARD_MODULES)
    missing, unused = sorted(runs - set(asked)), sorted(set(asked) - runs)
    assert missing == [], "add them to the join page's PHONE_PRELOADS or PHONE_BOARD_CODE"
    assert unused == [], "preloaded, but the phone does not run them"
    assert len(asked) == len(set(asked))
    assert set(parser.board_code) == board_modules() - LATER_BOARD_MODULES
    assert board_modules() > LATER_BOARD_MODULES
    # With the page's own, at most the six connections a browser opens to a host (HTTP/1.1).
    assert len(parser.modules) <= 5


def test_the_board_code_imports_only_what_the_first_screen_loaded():
    first_screen = graph("phone.js")
    for module in board_modules():
        assert module not in first_screen, f"{module} must stay out of the first screen"
        missing = static_imports(module) - first_screen
        assert not missing, f"{module} imports {sorted(missing)}: the first screen does not load it"
