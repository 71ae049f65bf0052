"""``PINNWAND_SMTP_URL`` read into the parts of an SMTP connection (no network here).

``smtp://[user:password@]host[:port]`` is a plain connection (port 25 by default) that
switches to TLS with STARTTLS whenever the server offers it; ``smtps://…`` speaks TLS from the
start (port 465 by default). User and password may be percent-encoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


class SmtpUrlError(ValueError):
    """``PINNWAND_SMTP_URL`` is not a usable SMTP URL."""


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to deliver mail: ``tls`` means TLS from the start (``smtps``)."""

    host: str
    port: int
    tls: bool = False
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def shown(self) -> str:
        """The server as pages and logs may show it (never the password)."""
        scheme = "smtps" if self.tls else "smtp"
        return f"{scheme}://{self.host}:{self.port}"


def parse_smtp_url(url: str) -> SmtpConfig:
    """The SMTP configuration in ``url``, or :class:`SmtpUrlError` saying what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS:
        raise SmtpUrlError("PINNWAND_SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise SmtpUrlError("PINNWAND_SMTP_URL must name the mail server's host")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise SmtpUrlError("PINNWAND_SMTP_URL has an invalid port") from None
    return SmtpConfig(
        host=parts.hostname, port=port, tls=parts.scheme == "smtps",
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )
