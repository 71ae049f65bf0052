"""Making user text safe to put into document and spreadsheet cells."""

from __future__ import annotations

import re

# Characters XML 1.0 cannot hold (DOCX and XLSX are XML); tab, newline and return stay.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What spreadsheet programs read as the start of a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(text: str) -> str:
    """``text`` without the control characters an XML document cannot contain."""
    return _XML_ILLEGAL.sub("", text)


def inert(value):
    """A cell value no spreadsheet evaluates: text that looks like a formula gets a leading
    apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
