"""Our scripts are sent minified (app/pages/minify.py, rJSmin): only comments and white space
between tokens may go. rJSmin reads a template literal as one flat string, so a template inside
another template's ``${…}`` would lose its spaces (``${name} (${what})`` became
``${name}(${what})``): the scripts write such inner texts with ``+`` instead. Here every string,
template and regular-expression literal of every script must come out exactly as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pinnwand.pages.minify import minified

STATIC = Path(__file__).resolve().parents[2] / "static"
SCRIPTS = sorted(p for p in STATIC.rglob("*.js") if "vendor" not in p.relative_to(STATIC).parts)
# After these, a "/" starts a regular expression (else it divides).
BEFORE_REGEX = set("(,=:[!&|?{};+-*%<>~^")
KEYWORDS_BEFORE_VALUE = {"return", "typeof", "case", "in", "of", "delete", "void", "throw", "new",
                         "else", "do"}


def _end_of_quoted(text: str, start: int, quote: str) -> int:
    """The index after the string or regular expression that starts at ``start``."""
    at, in_class = start + 1, False
    while True:
        char = text[at]
        if char == "\\":
            at += 2
            continue
        if quote == "/" and char in "[]":
            in_class = char == "["
        elif char == quote and not in_class:
            return at + 1
        at += 1


def literals(text: str) -> list[str]:
    """The string, regular-expression and template literals of a script (a template as its
    texts between the ``${…}``), in order; comments are skipped."""
    found: list[str] = []
    nesting: list[list[int] | str] = []  # "template", or [open braces] of a ``${…}``
    at, before, text_start = 0, "", 0
    while at < len(text):
        char, inside = text[at], nesting[-1] if nesting else None
        if inside == "template":
            if char == "\\":
                at += 2
            elif char == "`" or text.startswith("${", at):
                found.append(text[text_start:at])
                if char == "`":
                    nesting.pop()
                    before = "`"
                else:
                    nesting.append([1])
                at += 1 if char == "`" else 2
            else:
                at += 1
        elif text.startswith("//", at):
            line_end = text.find("\n", at)
            at = len(text) if line_end < 0 else line_end
        elif text.startswith("/*", at):
            at = text.index("*/", at + 2) + 2
        elif char in "'\"" or (char == "/" and before in BEFORE_REGEX | {""}):
            end = _end_of_quoted(text, at, char)
            found.append(text[at:end])
            at, before = end, char
        elif char == "`":
            nesting.append("template")
            at += 1
            text_start = at
        elif isinstance(inside, list) and char in "{}":
            inside[0] += 1 if char == "{" else -1
            at += 1
            if inside[0] == 0:
                nesting.pop()
                text_start = at
        elif char.isalnum() or char in "_$":
            end = at
            while end < len(text) and (text[end].isalnum() or text[end] in "_$"):
                end += 1
            before = "(" if text[at:end] in KEYWORDS_BEFORE_VALUE else "a"
            at = end
        else:
            if not char.isspace():
                before = char
            at += 1
    return found


def test_the_literal_reader_sees_nested_templates_strings_and_regular_expressions():
    script = 'const a = `x ${b ? `${c} (${d})` : "e f"} y`; // `no`\nconst g = /[/`]"/.test(h) / 2;'
    assert literals(script) == ["x ", "", " (", ")", '"e f"', " y", '/[/`]"/']


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(STATIC)))
def test_minifying_keeps_every_literal_as_written(script: Path):
    name = str(script.relative_to(STATIC))
    source = script.read_text(encoding="utf-8")
    sent = minified(name, script.read_bytes()).decode("utf-8")
    assert len(sent) < len(source)
    assert literals(sent) == literals(source)
