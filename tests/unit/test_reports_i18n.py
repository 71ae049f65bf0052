"""The results pages' scripts ask only for strings their pages provide (in both languages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from pinnwand.i18n import init_babel
from pinnwand.privacy.pages import contact_messages
from pinnwand.reports.pages import page_messages

STATIC = Path(__file__).resolve().parents[2] / "static" / "js"
SCRIPTS = {"results.js": page_messages, "contact.js": contact_messages}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_scripts_only_ask_for_strings_that_exist(script, lang):
    app = Flask(__name__)
    init_babel(app)
    with app.test_request_context(f"/?lang={lang}"):
        available = SCRIPTS[script]()
    source = (STATIC / script).read_text()
    asked = set(re.findall(r"\bmsg\(\"(\w+)\"(?!\s*\+)", source))
    prefixes = set(re.findall(r"\bmsg\(\"(\w+)\"\s*\+", source))  # msg("role_" + role)
    asked |= {f"lang_{code}" for code in ("de", "en")} if "msg(`lang_" in source else set()
    assert asked, f"no msg(...) calls found in {script}"
    assert sorted(asked - available.keys()) == []
    assert sorted(p for p in prefixes if not any(key.startswith(p) for key in available)) == []
    assert all(text for text in available.values())


def test_german_strings_are_german():
    app = Flask(__name__)
    init_babel(app)
    with app.test_request_context("/?lang=de"):
        assert page_messages()["publish"] == "Veröffentlichen"
        assert contact_messages()["purpose_results"] == "Schickt mir die Ergebnisse"
