"""Links in mails that act without an account: withdrawing a consent, confirming a request.

A link's token is ``<kind><id>.<mac>``: the row it is about (``c`` a participant's contact
address, ``s`` a request to hear about the next forums) and an HMAC of the purpose, the row
and the row's own random ``link_nonce``, keyed with the server's signing key. Nothing of the
token is stored; a row deleted and made again (same id) gets a new nonce, so old links never
reach it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

CONTACT, SUBSCRIBER = "c", "s"
WITHDRAW, CONFIRM = "withdraw", "confirm"
_TOKEN = re.compile(r"^([cs])([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{20,64})$")
MAC_LENGTH = 32


def new_nonce() -> str:
    """A fresh random nonce for a row's links."""
    return secrets.token_hex(16)


def make_token(secret_key: str, purpose: str, kind: str, row_id: int, nonce: str) -> str:
    """The token of a link for ``purpose`` about row ``row_id`` of ``kind``."""
    return f"{kind}{row_id}.{_mac(secret_key, purpose, kind, row_id, nonce)}"


def read_token(token: str) -> tuple[str, int, str] | None:
    """``(kind, row_id, mac)`` of a well-formed token, else ``None``."""
    match = _TOKEN.match(token or "")
    if match is None:
        return None
    return match.group(1), int(match.group(2)), match.group(3)


def token_matches(secret_key: str, purpose: str, kind: str, row_id: int, nonce: str | None,
                  mac: str) -> bool:
    """Whether ``mac`` is the one this row's link for ``purpose`` carries."""
    if not nonce:
        return False
    return hmac.compare_digest(_mac(secret_key, purpose, kind, row_id, nonce), mac)


def _mac(secret_key: str, purpose: str, kind: str, row_id: int, nonce: str) -> str:
    digest = hmac.new(secret_key.encode(), f"{purpose}:{kind}:{row_id}:{nonce}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()[:MAC_LENGTH]
