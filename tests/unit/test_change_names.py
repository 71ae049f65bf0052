"""The server's registry of change names and the browser's list of them agree.

A board in the browser applies the changes named in ``CHANGE_EVENTS``
(``static/js/board-state.js``); the server numbers and publishes the changes of
:data:`pinnwand.board.names.BOARD_CHANGES`. A name on one side only is a change the browser
would never apply, or listens for in vain.
"""

from __future__ import annotations

import re
from pathlib import Path

from pinnwand.board import names

BOARD_STATE = Path(__file__).resolve().parents[2] / "static" / "js" / "board-state.js"
EXPORT = re.compile(r"export\s+const\s+CHANGE_EVENTS\s*=\s*\[(?P<items>.*?)\]", re.DOTALL)
STRING = re.compile(r"""(["'])(?P<name>[^"']*)\1""")


def browser_change_events() -> list[str]:
    """The names listed in ``export const CHANGE_EVENTS = [...]``."""
    found = EXPORT.search(BOARD_STATE.read_text(encoding="utf-8"))
    assert found, "board-state.js no longer exports CHANGE_EVENTS"
    without_comments = re.sub(r"//[^\n]*|/\*.*?\*/", "", found["items"], flags=re.DOTALL)
    return [match["name"] for match in STRING.finditer(without_comments)]


def test_the_browser_lists_exactly_the_changes_a_board_receives():
    listed = browser_change_events()
    assert len(listed) == len(set(listed)), "a name is listed twice in CHANGE_EVENTS"
    assert sorted(listed) == sorted(names.BOARD_CHANGES)


def test_every_change_name_is_registered_once():
    registered = [value for key, value in vars(names).items()
                  if key.isupper() and isinstance(value, str)]
    assert len(registered) == len(set(registered))
    assert set(names.BOARD_CHANGES) <= set(registered)
    assert names.PLENARY_CHANGED not in names.BOARD_CHANGES
