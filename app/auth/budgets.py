"""How many wrong passwords a moderator sign-in may cost, and who pays for them.

Failed sign-ins are counted, never successful ones, in three budgets:

- **a known device** (the ``pinnwand_device`` cookie, handed out at a successful sign-in and
  bound to that account by the server's signing key): ``limit`` failures per 5 minutes, for
  this device alone. A device that signed in to the account before is never slowed down by
  anyone else's failures: the moderator's own laptop gets in while others guess.
- **an address** (the client's IP, shared by a whole venue): ``limit`` failures per 5 minutes
  for attempts without a known device.
- **an account** (any address, without a known device): :data:`ACCOUNT_LIMIT` failures per
  day, so that guessers spread over many addresses still get few guesses; unknown e-mails are
  counted alike, so limiting tells nothing about which accounts exist.

A budget used up answers ``429`` with ``Retry-After`` until its oldest failure is old enough:
a back-off that ends by itself, never a lock that someone has to lift. The cookie grants
nothing by itself; it only decides which budget an attempt draws on.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from pinnwand.ratelimit import SlidingWindow

DEVICE_COOKIE = "pinnwand_device"
DEVICE_DAYS = 365
WINDOW = 300.0  # seconds: the address's and the device's budget
ACCOUNT_WINDOW = 86_400.0  # seconds: the account's budget
ACCOUNT_LIMIT = 100  # untrusted failures per account and day
TOO_MANY = "Too many failed sign-ins: wait {seconds} s."
TOO_MANY_FOR_ACCOUNT = ("Too many failed sign-ins for this account today: wait {seconds} s, "
                        "or sign in on a device you used for it before.")


@dataclass
class Attempt:
    """One sign-in attempt: whose budgets it draws on."""

    address: str | None
    account: str
    device: str | None  # the known device's id, when the cookie belongs to this account


class SignInBudgets:
    """The three budgets of failed sign-ins (``limit`` 0: no limits at all)."""

    def __init__(self, limit: int, secret_key: str):
        self.limit = limit
        self.by_device = SlidingWindow(limit, WINDOW)
        self.by_address = SlidingWindow(limit, WINDOW)
        self.by_account = SlidingWindow(ACCOUNT_LIMIT if limit else 0, ACCOUNT_WINDOW)
        self._cookies = URLSafeTimedSerializer(secret_key, salt="pinnwand-device")

    def attempt(self, address: str | None, email: str, moderator_id: int | None,
                cookie: str | None) -> Attempt:
        """The attempt of ``address`` for ``email`` (the account ``moderator_id``, if any),
        with the device cookie it sent; :class:`~pinnwand.errors.RateLimited` when a budget
        it draws on is used up."""
        account = account_key(email)
        device = self._device(cookie, moderator_id)
        if device is not None:
            self.by_device.check(device, TOO_MANY)
        else:
            self.by_address.check(address, TOO_MANY)
            self.by_account.check(account, TOO_MANY_FOR_ACCOUNT)
        return Attempt(address, account, device)

    def failed(self, attempt: Attempt) -> None:
        """Count a wrong password (or unknown e-mail) against the attempt's budgets."""
        if attempt.device is not None:
            self.by_device.record(attempt.device)
            return
        self.by_address.record(attempt.address)
        self.by_account.record(attempt.account)

    def succeeded(self, attempt: Attempt, moderator_id: int) -> str:
        """Clear the address's or device's failures; the device cookie to hand out (the
        account's failures stay: they were someone else's)."""
        if attempt.device is not None:
            self.by_device.reset(attempt.device)
        else:
            self.by_address.reset(attempt.address)
        device = attempt.device or secrets.token_hex(16)
        return self._cookies.dumps({"m": moderator_id, "d": device})

    def _device(self, cookie: str | None, moderator_id: int | None) -> str | None:
        if not cookie or moderator_id is None:
            return None
        try:
            data = self._cookies.loads(cookie, max_age=DEVICE_DAYS * 86_400)
        except BadSignature:
            return None
        if not isinstance(data, dict) or data.get("m") != moderator_id:
            return None
        device = data.get("d")
        return device if isinstance(device, str) else None


def account_key(email: str) -> str:
    """A short key for an e-mail address (any case), known account or not."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]
