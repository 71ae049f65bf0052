"""Fixtures of the mail tests: a real SMTP server on 127.0.0.1 and an app whose
background sender delivers to it (quick retries, a short lease)."""

from __future__ import annotations

import shutil

import pytest
from pinnwand.config import load_settings
from pinnwand.mail.sender import mail_sender

from tests.support.smtp import MailServer


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture
def settings(tmp_path, migrated_template, mail_server):
    """Settings with mail sent to the test's SMTP server; quick retries."""
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copy(migrated_template, instance / "pinnwand.db")
    return load_settings({
        "PINNWAND_INSTANCE_PATH": str(instance), "PINNWAND_IDEA_RATE_LIMIT": "0",
        "PINNWAND_SMTP_URL": mail_server.url, "PINNWAND_MAIL_FROM": "ergebnisse@example.org",
        "PINNWAND_MAIL_RETRY_SECONDS": "1", "PINNWAND_MAIL_LEASE_SECONDS": "6",
    })


@pytest.fixture
def app(app):
    yield app
    sender = mail_sender(app)
    if sender is not None:
        sender.stop()
