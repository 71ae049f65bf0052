"""``create_app``: configuration → database → services → routes → sockets → errors."""

from __future__ import annotations

import logging

from flask import Flask
from flask_compress import Compress
from flask_socketio import SocketIO
from pinnwand.config import Settings, load_settings
from pinnwand.db import Database
from pinnwand.errors import NotFound
from pinnwand.http_errors import register_error_handlers
from pinnwand.i18n import init_babel
from pinnwand.mail.sender import start_mail_sender
from pinnwand.privacy.retention import start_retention
from pinnwand.revocation import queue_manager
from pinnwand.safe_json import SafeJSONProvider, SocketJSON
from pinnwand.security import register_security_headers
from pinnwand.state import build_state
from pinnwand.timers.scheduler import start_timers
from pinnwand.validation import MAX_ID
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, async_mode: str | None = None) -> Flask:
    """Build the Flask app and its Socket.IO server (``app.extensions["socketio"]``).

    ``settings`` defaults to the environment; ``async_mode`` overrides the configured one
    (tests use ``threading`` for the in-process test client).
    """
    settings = settings or load_settings()
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.url_value_preprocessor(_refuse_impossible_ids)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
    )
    app.json = SafeJSONProvider(app)
    app.json.sort_keys = False
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,
                                x_proto=settings.trusted_proxies,
                                x_host=settings.trusted_proxies)
    queue = (queue_manager(settings.message_queue, settings.message_channel)
             if settings.message_queue else None)
    socketio = SocketIO(
        app,
        async_mode=async_mode or settings.async_mode,
        client_manager=queue,
        max_http_buffer_size=settings.max_body_bytes,
        json=SocketJSON,
    )
    database = Database(settings.database_url, timeout=settings.db_timeout)
    app.extensions["pinnwand"] = build_state(settings, database, socketio)
    if queue is not None:
        queue.control_handler = app.extensions["pinnwand"].revocations.apply
    init_babel(app)
    _register_routes(app)
    _register_sockets(socketio)
    register_error_handlers(app)
    register_security_headers(app)
    compress_responses(app)
    start_retention(app)
    start_timers(app)
    start_mail_sender(app)
    return app


COMPRESSED_TYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                    "image/svg+xml", "text/markdown", "text/csv"]


def compress_responses(app: Flask) -> None:
    """Compress pages, scripts and styles for clients that accept it (a phone on slow venue
    Wi-Fi loads a fraction of the bytes); API answers (small JSON) and Socket.IO traffic are
    sent as they are."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    Compress(app)


def _refuse_impossible_ids(_endpoint, values) -> None:
    """An id in a URL beyond the id columns' range (2³¹−1) cannot exist: not found."""
    if values and any(isinstance(v, int) and v > MAX_ID for v in values.values()):
        raise NotFound("There is no such thing.")


def _register_routes(app: Flask) -> None:
    from pinnwand.api import (
        api,
        openapi,  # noqa: F401  (routes)
    )
    from pinnwand.auth import views as auth_views  # noqa: F401
    from pinnwand.events import views as event_views  # noqa: F401
    from pinnwand.mail import views as mail_views  # noqa: F401
    from pinnwand.pages import pages
    from pinnwand.plenary import pages as plenary_pages  # noqa: F401
    from pinnwand.privacy import (
        consent_pages,  # noqa: F401
        subscriber_views,  # noqa: F401
    )
    from pinnwand.privacy import pages as privacy_pages  # noqa: F401
    from pinnwand.privacy import views as privacy_views  # noqa: F401
    from pinnwand.reports import views as report_views  # noqa: F401
    from pinnwand.reports.pages import results
    from pinnwand.series import pages as series_pages  # noqa: F401
    from pinnwand.series import views as series_views  # noqa: F401
    from pinnwand.workshops import views as workshop_views  # noqa: F401

    app.register_blueprint(api)
    app.register_blueprint(pages)
    app.register_blueprint(results)


def _register_sockets(socketio: SocketIO) -> None:
    from pinnwand.actions import sockets as action_sockets
    from pinnwand.auth import sockets as auth_sockets
    from pinnwand.clusters import sockets as cluster_sockets
    from pinnwand.events import sockets as event_sockets
    from pinnwand.ideas import editing_sockets as idea_editing_sockets
    from pinnwand.ideas import sockets as idea_sockets
    from pinnwand.messaging import sockets as message_sockets
    from pinnwand.plenary import sockets as plenary_sockets
    from pinnwand.reviews import sockets as review_sockets
    from pinnwand.series import sockets as series_sockets
    from pinnwand.timers import sockets as timer_sockets
    from pinnwand.votes import sockets as vote_sockets
    from pinnwand.workshops import facilitation_sockets
    from pinnwand.workshops import sockets as workshop_sockets

    for module in (auth_sockets, event_sockets, workshop_sockets, idea_sockets,
                   facilitation_sockets, idea_editing_sockets, cluster_sockets, vote_sockets,
                   action_sockets, timer_sockets, message_sockets, plenary_sockets,
                   series_sockets, review_sockets):
        module.register(socketio)
