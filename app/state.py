"""The per-app services container that views and socket handlers reach through ``state()``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from pinnwand.access import Access
from pinnwand.auth.budgets import SignInBudgets
from pinnwand.auth.passwords import PasswordChecker
from pinnwand.background import Turns
from pinnwand.board.publish import Publisher
from pinnwand.board.write import Writer
from pinnwand.config import Settings
from pinnwand.db import Database
from pinnwand.events.join_budgets import JoinBudgets
from pinnwand.inflight import InFlight
from pinnwand.presence import Presence
from pinnwand.ratelimit import SlidingWindow
from pinnwand.realtime import Realtime
from pinnwand.reports.published import PublishedPdfs
from pinnwand.revocation import Revocations
from pinnwand.workshops.stats import StatsNotifier

FAILED_LOGIN_WINDOW = 300.0  # the sign-in budgets of an address and a device (auth/budgets.py)
SNAPSHOTS_AT_ONCE = 2  # whole boards read and encoded at the same time (snapshot.py)
SNAPSHOTS_WAITING = 64  # more wait their turn; beyond that: unavailable
SNAPSHOTS_BUSY = "Many boards are being loaded right now; try again in a moment."


@dataclass
class AppState:
    """Everything one running app shares between requests and sockets."""

    settings: Settings
    db: Database
    access: Access
    realtime: Realtime
    presence: Presence
    stats: StatsNotifier
    writer: Writer
    idea_limiter: SlidingWindow
    sign_in_budgets: SignInBudgets
    passwords: PasswordChecker
    join_budgets: JoinBudgets
    in_flight: InFlight
    published_pdfs: PublishedPdfs
    snapshot_limiter: SlidingWindow
    snapshot_turns: Turns
    revocations: Revocations


def build_state(settings: Settings, db: Database, socketio) -> AppState:
    """Wire the services of one app."""
    access, presence = Access(db), Presence()
    realtime = Realtime(socketio)
    stats = StatsNotifier(db, socketio, access, presence,
                          shared=settings.message_queue is not None)
    return AppState(
        settings=settings,
        db=db,
        access=access,
        realtime=realtime,
        presence=presence,
        stats=stats,
        writer=Writer(db, Publisher(socketio, db).publish, stats.touch),
        idea_limiter=SlidingWindow(settings.idea_rate_limit, 60.0),
        sign_in_budgets=SignInBudgets(settings.failed_login_limit, settings.secret_key),
        passwords=PasswordChecker(),
        join_budgets=JoinBudgets(settings.failed_join_limit, settings.failed_join_global_limit),
        in_flight=InFlight(),
        published_pdfs=PublishedPdfs(db),
        snapshot_limiter=SlidingWindow(settings.snapshot_limit, 60.0),
        snapshot_turns=Turns(SNAPSHOTS_AT_ONCE, SNAPSHOTS_WAITING, busy_message=SNAPSHOTS_BUSY),
        revocations=Revocations(socketio, realtime, access),
    )


def state() -> AppState:
    """The services of the app handling the current request or socket event."""
    return current_app.extensions["pinnwand"]
