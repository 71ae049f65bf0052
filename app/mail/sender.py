"""The mail sender of one server process: a background task that sends what the outbox holds.

Each round claims the next due message in a short transaction, composes it, hands the SMTP
conversation to a real OS thread (:func:`pinnwand.background.run_blocking`: ``smtplib``
blocks, the event loop must not), and records the outcome in another short transaction. The
connection stays open while there is more to send. When nothing is due the task sleeps
(:data:`IDLE_SECONDS`, or until :meth:`MailSender.wake`), so mail queued by another process is
found too. Started with the app when ``PINNWAND_SMTP_URL`` is set; a restart resumes at once
with what is due (a message claimed by a process that died is due once its lease ran out).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading

from pinnwand.background import run_blocking
from pinnwand.db import Database, utcnow
from pinnwand.mail import outbox
from pinnwand.mail.compose import compose, envelope_sender
from pinnwand.mail.models import MailAttachment
from pinnwand.mail.smtp import (
    PermanentFailure,
    SmtpConnection,
    TemporaryFailure,
)
from pinnwand.mail.smtp_url import SmtpConfig, parse_smtp_url
from sqlalchemy.exc import SQLAlchemyError

EXTENSION_KEY = "pinnwand.mail"
IDLE_SECONDS = 5.0
NAP_SECONDS = 0.1
MAX_SMTP_TIMEOUT = 30.0
log = logging.getLogger(__name__)


class MailSender:
    """Sends the outbox's due messages over one SMTP connection, for one database."""

    def __init__(self, db: Database, config: SmtpConfig, *, lease_seconds: float,
                 retry_seconds: float, sleep=None):
        self.db = db
        self.config = config
        self.lease_seconds = lease_seconds
        self.retry_seconds = retry_seconds
        self.worker = f"{socket.gethostname()[:16]}:{os.getpid()}:{secrets.token_hex(4)}"
        self.connection = SmtpConnection(config, timeout=min(MAX_SMTP_TIMEOUT,
                                                             lease_seconds / 3))
        self._sleep = sleep or _plain_sleep
        self._woken = False
        self._stopped = False
        self._guard = threading.Lock()
        # Work that queues mail, run before each round (e.g. the register's reminders).
        self.before_round: list = []

    # -- the loop ----------------------------------------------------------------------------

    def run(self) -> None:
        """Send, then wait for more, until :meth:`stop` (the background task's body)."""
        while not self._stopped:
            try:
                for queue_more in self.before_round:
                    queue_more()
                self.send_due()
            except SQLAlchemyError as error:  # e.g. the database is restarting
                log.warning("mail sender paused: %s", str(error).splitlines()[0])
            except Exception:
                log.exception("mail sender failed; trying again shortly")
            self._idle()

    def send_due(self) -> int:
        """Send every message that is due now, one after the other; how many were handed to
        the server (sent, refused or to be retried). Closes the connection when done."""
        handled = 0
        try:
            while not self._stopped and self.send_one():
                handled += 1
        finally:
            run_blocking(self.connection.close)
        return handled

    def send_one(self) -> bool:
        """Claim, send and record one due message; ``False`` when nothing is due."""
        with self.db.transaction() as session:
            row = outbox.claim_next(session, worker=self.worker, now=utcnow(),
                                    lease_seconds=self.lease_seconds)
            if row is None:
                return False
            attachment = session.get(MailAttachment, row.attachment_id) \
                if row.attachment_id else None
            message = compose(row, attachment)
            ident, attempts = row.id, row.attempts
            sender, recipient = envelope_sender(row), row.recipient
        outcome = run_blocking(self._deliver, message, sender, recipient)
        self._record(ident, attempts, outcome)
        return True

    def wake(self) -> None:
        """Look for due messages now instead of after the idle pause."""
        self._woken = True

    def stop(self) -> None:
        """End the loop after the message on the wire (if any)."""
        self._stopped = True

    # -- steps -------------------------------------------------------------------------------

    def _deliver(self, message, sender: str, recipient: str) -> tuple[str, str | None]:
        """The SMTP conversation (in a real OS thread): ``("sent"|"refused"|"retry",
        reply)``."""
        try:
            self.connection.send(message, sender, recipient)
        except PermanentFailure as failure:
            return "refused", failure.reply
        except TemporaryFailure as failure:
            return "retry", failure.reply
        return "sent", None

    def _record(self, ident: int, attempts: int, outcome: tuple[str, str | None]) -> None:
        kind, reply = outcome
        now = utcnow()
        with self.db.transaction() as session:
            if kind == "sent":
                kept = outbox.record_sent(session, ident, self.worker, now)
            elif kind == "refused":
                kept = outbox.record_refused(session, ident, self.worker, reply)
            else:
                kept = outbox.record_temporary_failure(session, ident, self.worker, reply, now,
                                                       attempts, self.retry_seconds)
        if kind != "sent":
            log.info("mail %s to be %s: %s", ident, "given up" if kind == "refused"
                     else "retried", reply)
        if not kept:
            log.warning("mail %s: its claim ran out before the outcome was recorded", ident)

    def _idle(self) -> None:
        waited = 0.0
        while waited < IDLE_SECONDS and not self._woken and not self._stopped:
            self._sleep(NAP_SECONDS)
            waited += NAP_SECONDS
        self._woken = False


def _plain_sleep(seconds: float) -> None:
    threading.Event().wait(seconds)


def start_mail_sender(app) -> MailSender | None:
    """Start the app's mail sender when ``PINNWAND_SMTP_URL`` is set (else ``None``)."""
    app_state = app.extensions["pinnwand"]
    settings = app_state.settings
    if not settings.smtp_url:
        return None
    socketio = app.extensions["socketio"]
    sender = MailSender(app_state.db, parse_smtp_url(settings.smtp_url),
                        lease_seconds=settings.mail_lease_seconds,
                        retry_seconds=settings.mail_retry_seconds, sleep=socketio.sleep)
    app.extensions[EXTENSION_KEY] = sender
    if settings.public_url and settings.reminder_days > 0:
        from pinnwand.series.reminders import ReminderRound

        sender.before_round.append(ReminderRound(app_state.db, settings))
    socketio.start_background_task(sender.run)
    return sender


def mail_sender(app) -> MailSender | None:
    """The app's running mail sender, if mail is configured."""
    return app.extensions.get(EXTENSION_KEY)
