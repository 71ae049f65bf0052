"""The translation catalogues of the browser pages.

Every string the sources mark for translation (``babel.cfg``) must be translated into German,
the committed ``.mo`` files must be exactly what their ``.po`` files compile to, and every
string the scripts in ``static/js`` ask for must exist in ``app/i18n.py``.

To update after changing strings::

    pybabel extract -F babel.cfg -o /tmp/messages.pot --no-location --sort-output .
    pybabel update -i /tmp/messages.pot -d app/translations --ignore-obsolete
    # translate the new entries in app/translations/de/LC_MESSAGES/messages.po, then
    pybabel compile -d app/translations
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
LANGUAGES = ("de", "en")
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")


def _msgid(message) -> str:
    return message if isinstance(message, str) else message[0]


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    """Every msgid in the sources, extracted in memory with the project's ``babel.cfg``."""
    with open(ROOT / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {_msgid(entry[2]) for entry in extract_from_dir(str(ROOT), method_map, options_map)}
    assert len(found) > 100, "extraction found suspiciously few strings"
    return found


def _catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def _entries(catalog) -> dict[str, str]:
    return {_msgid(m.id): m.string for m in catalog if m.id}


def test_every_string_is_translated_into_german(extracted):
    catalog = _catalog("de")
    entries = _entries(catalog)
    missing = sorted(extracted - entries.keys())
    untranslated = sorted(i for i in extracted & entries.keys() if not entries[i])
    fuzzy = sorted(_msgid(m.id) for m in catalog if m.id and m.fuzzy)
    assert not missing, f"not in de/messages.po (run pybabel update): {missing}"
    assert not untranslated, f"not translated into German: {untranslated}"
    assert not fuzzy, f"fuzzy German translations: {fuzzy}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogues_hold_exactly_the_extracted_strings(extracted, lang):
    entries = _entries(_catalog(lang))
    assert extracted - entries.keys() == set(), f"missing in {lang} (run pybabel update)"
    assert entries.keys() - extracted == set(), f"stale strings in {lang}/messages.po"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_their_placeholders(lang):
    for msgid, msgstr in _entries(_catalog(lang)).items():
        if msgstr:
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(msgid)), msgid


@pytest.mark.parametrize("lang", LANGUAGES)
def test_committed_mo_matches_the_po(lang):
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(lang))
    compiled.seek(0)
    fresh = read_mo(compiled)
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        committed = read_mo(handle)
    assert _entries(committed) == _entries(fresh), f"{lang}: pybabel compile -d app/translations"


def test_scripts_only_ask_for_strings_that_exist():
    from pinnwand.i18n import init_babel, js_messages

    app = Flask(__name__)
    init_babel(app)
    with app.test_request_context("/?lang=de"):
        available = js_messages("participant", "moderator", "projector", "phone_steps",
                                "staff_steps", "plenary")
    asked: set[str] = set()
    prefixes: set[str] = set()
    for script in (ROOT / "static" / "js").rglob("*.js"):
        source = script.read_text()
        asked |= set(re.findall(r"\bt\(\"(\w+)\"(?!\s*\+)", source))
        prefixes |= set(re.findall(r"\bt\(\"(\w+)\"\s*\+", source))  # t("verdict_" + key)
        asked |= set(re.findall(r"emptyKey(?: =|:) \"(\w+)\"", source))
        asked |= {f"{key}_other" for key in re.findall(r"\bplural\(\"(\w+)\"", source)}
        asked |= {f"{key}_one" for key in re.findall(r"\bplural\(\"(\w+)\"", source)}
    assert asked, "no t(...) calls found in static/js"
    assert sorted(asked - available.keys()) == []
    assert sorted(p for p in prefixes if not any(key.startswith(p) for key in available)) == []


def test_german_is_the_default_and_english_is_translated():
    from pinnwand.i18n import init_babel, js_messages

    app = Flask(__name__)
    init_babel(app)
    with app.test_request_context("/"):
        assert js_messages()["board_empty"] == "Noch keine Ideen – schreib die erste!"
    with app.test_request_context("/", headers={"Accept-Language": "en-GB,en;q=0.8"}):
        assert js_messages()["board_empty"] == "No ideas yet – write the first one!"
    with app.test_request_context("/?lang=en", headers={"Cookie": "lang=de"}):
        assert js_messages()["ideas_other"] == "{n} ideas"
    with app.test_request_context("/", headers={"Cookie": "lang=en", "Accept-Language": "de"}):
        assert js_messages()["you"] == "You"
