"""Soft hyphens for the report's web pages, so long German words break at a syllable.

WeasyPrint hyphenates the PDF itself (Pyphen, ``hyphens: auto`` with the document's ``lang``).
Browsers only hyphenate with a dictionary for the language, which not every browser has; the
preview and the published page therefore get soft hyphens (U+00AD) at the syllable
boundaries Pyphen knows, in every word long enough to need them. A soft hyphen is invisible
unless the line breaks there, and then it shows as a hyphen.
"""

from __future__ import annotations

import re
from functools import cache

import pyphen

SOFT_HYPHEN = "\u00ad"
MIN_LETTERS = 10  # shorter words fit any column of the report
DICTIONARIES = {"de": "de_DE", "en": "en_GB"}
_WORD = re.compile(rf"[^\W\d_]{{{MIN_LETTERS},}}")


@cache
def _dictionary(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=DICTIONARIES.get(lang, "de_DE"), left=3, right=3)


def soft_hyphens(text: str | None, lang: str) -> str:
    """``text`` with soft hyphens in its long words (``""`` for ``None``)."""
    if not text:
        return ""
    dictionary = _dictionary(lang)
    return _WORD.sub(lambda word: dictionary.inserted(word.group(0), hyphen=SOFT_HYPHEN), text)


def no_hyphens(text: str | None, lang: str) -> str:
    """``text`` as it is (``""`` for ``None``): for the PDF, which hyphenates itself."""
    return text or ""
