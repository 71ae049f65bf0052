"""The outbox and its sender against a real SMTP server: a mailing of 30 with a permanent
refusal, a temporary failure and a dropped connection; back-off and giving up; a claim left by
a sender that died is taken over; two senders on one database (SQLite and PostgreSQL) never
send the same mail twice."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from pinnwand.config import ConfigError, load_settings
from pinnwand.db import Database, utcnow
from pinnwand.mail import outbox
from pinnwand.mail.models import FAILED, SENT, OutboxMessage
from pinnwand.mail.sender import MailSender
from pinnwand.mail.smtp_url import SmtpUrlError, parse_smtp_url
from pinnwand.migrate import upgrade_database
from sqlalchemy import select

from tests.support.server import wait_until
from tests.support.services import fresh_postgres_database, need_postgres

REFUSAL = "550 5.1.1 <r07@example.org>: Recipient address rejected: User unknown"


def _address(n: int) -> str:
    return f"r{n:02d}@example.org"


def _queue(db: Database, count: int) -> None:
    with db.transaction() as session:
        for n in range(count):
            outbox.enqueue(session, kind="test", sender="Forum <forum@example.org>",
                           recipient=_address(n), lang="de", subject=f"Mail {n}",
                           text=f"Hallo {n}", html=f"<p>Hallo {n}</p>", domain="example.org")


def _rows(db: Database) -> dict[str, OutboxMessage]:
    with db.read() as session:
        rows = session.scalars(select(OutboxMessage)).all()
        session.expunge_all()
    return {row.recipient: row for row in rows}


def _sender(db: Database, mail_server, lease: float = 5.0, retry: float = 0.05) -> MailSender:
    return MailSender(db, parse_smtp_url(mail_server.url), lease_seconds=lease,
                      retry_seconds=retry)


def _all_final(db: Database) -> bool:
    return all(row.state in (SENT, FAILED) for row in _rows(db).values())


def _drain(db: Database, *senders: MailSender, timeout: float = 30) -> None:
    """Let the senders work until every mail is sent or given up."""
    def step():
        for sender in senders:
            sender.send_due()
        return _all_final(db)
    wait_until(step, timeout=timeout, interval=0.02, what="every mail to be final")


def test_thirty_mails_with_a_refusal_a_busy_mailbox_and_a_dropped_connection(database,
                                                                             mail_server):
    mail_server.refuse[_address(7)] = REFUSAL
    mail_server.busy[_address(13)] = 1
    mail_server.drop[_address(21)] = 1
    _queue(database, 30)
    _drain(database, _sender(database, mail_server))
    rows = _rows(database)
    assert rows[_address(7)].state == FAILED and rows[_address(7)].last_error == REFUSAL
    sent = [n for n in range(30) if n != 7]
    assert all(rows[_address(n)].state == SENT for n in sent)
    for n in sent:  # everyone else got exactly one copy
        [mail] = mail_server.to(_address(n))
        assert mail.message["Subject"] == f"Mail {n}"
        assert mail.message["Message-ID"] == rows[_address(n)].message_id
        assert mail.text().strip() == f"Hallo {n}" and "<p>Hallo" in mail.html()
    assert mail_server.to(_address(7)) == []
    assert (rows[_address(13)].attempts, rows[_address(21)].attempts) == (2, 2)
    assert rows[_address(13)].last_error is None  # sent in the end
    assert mail_server.dropped == 1
    assert all(rows[_address(n)].attempts == 1 for n in range(30) if n not in (13, 21))


def test_temporary_failures_back_off_and_are_given_up_in_the_end(database, mail_server):
    assert [outbox.backoff_seconds(n, 60) for n in (1, 2, 3, 8)] == [60, 120, 240, 3600]
    mail_server.busy[_address(0)] = 100
    _queue(database, 1)
    sender = _sender(database, mail_server, retry=0.01)
    sender.send_due()
    first = _rows(database)[_address(0)]
    assert (first.state, first.attempts) == ("queued", 1)
    assert first.last_error == "451 4.3.0 Mailbox busy, try again later"
    assert first.next_attempt_at > utcnow() - timedelta(seconds=1)
    _drain(database, sender)
    given_up = _rows(database)[_address(0)]
    assert given_up.state == FAILED and given_up.attempts == outbox.MAX_ATTEMPTS
    assert given_up.last_error == (f"gave up after {outbox.MAX_ATTEMPTS} attempts: "
                                   "451 4.3.0 Mailbox busy, try again later")


def test_a_claim_left_by_a_sender_that_died_is_taken_over(database, mail_server):
    _queue(database, 1)
    with database.transaction() as session:
        assert outbox.claim_next(session, worker="died", now=utcnow(), lease_seconds=0.5)
    sender = _sender(database, mail_server)
    assert sender.send_due() == 0  # still claimed
    time.sleep(0.6)
    assert sender.send_due() == 1
    row = _rows(database)[_address(0)]
    assert (row.state, row.attempts) == (SENT, 2)
    with database.transaction() as session:  # the late word of the dead sender is ignored
        assert not outbox.record_refused(session, row.id, "died", "550 too late")
    assert _rows(database)[_address(0)].state == SENT
    assert len(mail_server.to(_address(0))) == 1


def _race(url: str, mail_server) -> None:
    """Two senders with their own connections to one database, at the same time."""
    databases = [Database(url), Database(url)]
    try:
        _queue(databases[0], 40)
        senders = [_sender(db, mail_server) for db in databases]
        start = threading.Barrier(2)

        def work(sender):
            start.wait()
            while sender.send_due():
                pass

        threads = [threading.Thread(target=work, args=(sender,)) for sender in senders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        mail_server.wait_for(40)
        counts = [len(mail_server.to(_address(n))) for n in range(40)]
        assert counts == [1] * 40
        workers = {sender.worker for sender in senders}
        assert len(workers) == 2
        assert all(row.state == SENT for row in _rows(databases[0]).values())
    finally:
        for db in databases:
            db.dispose()


def test_two_senders_on_one_sqlite_file_send_each_mail_once(settings, mail_server):
    _race(settings.database_url, mail_server)


@pytest.mark.postgres
def test_two_senders_on_one_postgres_database_send_each_mail_once(mail_server):
    with fresh_postgres_database(need_postgres()) as url:
        upgrade_database(url)
        _race(url, mail_server)


def test_the_smtp_url_is_read_and_checked(tmp_path):
    assert parse_smtp_url("smtp://mail.example.org") == parse_smtp_url(
        "smtp://mail.example.org:25")
    tls = parse_smtp_url("smtps://user%40example.org:p%3Ass@mail.example.org")
    assert (tls.host, tls.port, tls.tls, tls.user, tls.password) == (
        "mail.example.org", 465, True, "user@example.org", "p:ss")
    assert "p:ss" not in repr(tls) and tls.shown == "smtps://mail.example.org:465"
    for bad in ("http://mail.example.org", "smtp://", "smtp://host:port"):
        with pytest.raises(SmtpUrlError):
            parse_smtp_url(bad)
    with pytest.raises(ConfigError):
        load_settings({"PINNWAND_INSTANCE_PATH": str(tmp_path),
                       "PINNWAND_SMTP_URL": "mail.example.org"})
    assert load_settings({"PINNWAND_INSTANCE_PATH": str(tmp_path)}).smtp_url is None


def test_the_mails_speak_german_and_english_alike():
    from pinnwand.mail.texts import TEXTS, words_for

    assert set(TEXTS["de"]) == set(TEXTS["en"])
    for key in TEXTS["de"]:
        placeholders = [set(re.findall(r"\{\w+\}", TEXTS[lang][key])) for lang in ("de", "en")]
        assert placeholders[0] == placeholders[1], key
    assert words_for("fr").lang == "de"
