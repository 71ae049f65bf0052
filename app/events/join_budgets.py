"""How many wrong join codes the server accepts before it slows guessers down.

Only wrong codes count (a correct code never does), and never a join through the link with
its key (``join_url``, the QR code), which nobody can guess. Two budgets:

- **per address**: ``PINNWAND_FAILED_JOIN_LIMIT`` wrong codes per 10 minutes (default 300).
  A venue is one address: a room of 500 phones of which a third mistype the code once sends
  ~170 wrong codes, well inside it. A guesser at one address gets 1,800 tries an hour.
- **per server**: ``PINNWAND_FAILED_JOIN_GLOBAL_LIMIT`` wrong codes per hour from all
  addresses together (default 3,600), however many addresses a guesser has.

Used up, a budget answers ``429`` with ``Retry-After``; correct typed codes wait too (else
the answer itself would tell a guesser that the code is right), the QR code keeps working.
The expected time to find a given event's code under these figures is in docs/security.md.
"""

from __future__ import annotations

from pinnwand.ratelimit import SlidingWindow

ADDRESS_WINDOW = 600.0
SERVER_WINDOW = 3600.0
FROM_ADDRESS = "Too many wrong codes from your network: wait {seconds} s, or scan the QR code."
ON_SERVER = ("Too many wrong codes on this server right now: wait {seconds} s, or scan the "
             "QR code.")
_SERVER = "all"


class JoinBudgets:
    """The per-address and the per-server budget of wrong join codes (0: no limit)."""

    def __init__(self, per_address: int, per_server: int):
        self.by_address = SlidingWindow(per_address, ADDRESS_WINDOW)
        self.on_server = SlidingWindow(per_server, SERVER_WINDOW)

    def check(self, address: str | None) -> None:
        """:class:`~pinnwand.errors.RateLimited` when a budget this code would draw on is
        used up. Check before looking the code up."""
        self.by_address.check(address, FROM_ADDRESS)
        self.on_server.check(_SERVER, ON_SERVER)

    def failed(self, address: str | None) -> None:
        """Count one wrong code from ``address``."""
        self.by_address.record(address)
        self.on_server.record(_SERVER)
