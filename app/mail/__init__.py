"""Sending mail: a persistent outbox that survives restarts, sent in the background.

- :mod:`pinnwand.mail.models` – mailings, outbox messages, attachments (database tables);
- :mod:`pinnwand.mail.outbox` – queue a mail, claim the next due one, record how it went;
- :mod:`pinnwand.mail.smtp` – the SMTP configuration and one connection, with failures sorted
  into temporary and permanent ones;
- :mod:`pinnwand.mail.compose` – an outbox row as an RFC 5322 message;
- :mod:`pinnwand.mail.sender` – the background loop of each server process;
- :mod:`pinnwand.mail.texts` and ``templates/mail`` – the words and layout of the mails;
- :mod:`pinnwand.mail.mailings` and ``views`` – the results mailing of an event (API).
"""
