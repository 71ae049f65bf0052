"""Running the server in the configured async mode, printing its URL, stopping on signals."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import socket
import sys
import threading

from pinnwand import http_guard
from pinnwand.config import load_settings
from pinnwand.db import Database
from pinnwand.factory import create_app
from pinnwand.heartbeat import start_heartbeat
from pinnwand.http_guard import DRAIN_SECONDS
from pinnwand.migrate import upgrade_database

MAX_CONNECTIONS = 10_000
STOP_DEADLINE = 3 * DRAIN_SECONDS  # after a stop signal the process is gone by then, whatever
LISTEN_BACKLOG = 1024  # a whole room reconnecting at once after a restart
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
log = logging.getLogger("pinnwand")


def serve(host: str, port: int, mode: str) -> int:
    """Migrate, build the app, listen, print the URL, serve until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    for noisy in ("werkzeug", "weasyprint", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    settings = load_settings()
    upgrade_database(settings.database_url)
    app = create_app(settings)
    start_heartbeat(app, settings.heartbeat_seconds)
    _hint_without_moderator(settings.database_url)
    # Everything loaded so far lives as long as the process: keep it out of the collector's
    # full passes, which otherwise stall the event loop for tens of milliseconds.
    gc.collect()
    gc.freeze()
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        RUNNERS[mode](app, host, port, (settings.header_timeout, settings.body_timeout))
    _drain(app)
    app.extensions["pinnwand"].db.dispose()
    print("Pinnwand stopped.", flush=True)
    return 0


def _drain(app) -> None:
    """No new connections are accepted any more; let socket events being handled finish (and
    their acks go out) before the process exits."""
    in_flight = app.extensions["pinnwand"].in_flight
    if in_flight.count:
        print(f"Finishing {in_flight.count} events in flight...", flush=True)
    if not in_flight.wait_idle(DRAIN_SECONDS):
        log.warning("stopped with %s events still in flight", in_flight.count)


def _on_stop_signals(handler) -> None:
    """Call ``handler()`` on SIGTERM and SIGINT (and start the stop watchdog)."""

    def stop(*_):
        _start_watchdog()
        handler()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)


def _start_watchdog() -> None:
    """The last resort of a stop: should the graceful stop hang for any reason (a stuck
    client, a library waiting in C code), a real OS thread ends the process after
    :data:`STOP_DEADLINE` seconds."""
    start_thread, sleep = _unpatched("_thread", "start_new_thread"), _unpatched("time", "sleep")

    def watch() -> None:
        sleep(STOP_DEADLINE)
        os.write(2, f"pinnwand: stopping took longer than {STOP_DEADLINE:.0f} s; "
                    f"exiting now\n".encode())
        os._exit(1)

    start_thread(watch, ())


def _unpatched(module: str, name: str):
    """``module.name`` as it was before eventlet or gevent patched it."""
    if "eventlet.patcher" in sys.modules:
        return getattr(sys.modules["eventlet.patcher"].original(module), name)
    if "gevent.monkey" in sys.modules:
        return sys.modules["gevent.monkey"].get_original(module, name)
    return getattr(__import__(module), name)


def _no_delay(listener) -> None:
    """Send small frames at once (accepted sockets inherit this): an ack written right after
    a broadcast would otherwise wait ~40 ms for the client's delayed ACK (Nagle)."""
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _interrupt_main_greenlet():
    """A stop handler for eventlet. An idle server gets the signal in the hub, which passes
    an interrupt on to the main green thread (running the accept loop). A busy one may get it
    in any green thread, where a library's bare ``except`` could swallow it: then the
    interrupt is thrown into the main green thread from the hub instead."""
    import greenlet
    from eventlet import hubs

    main = greenlet.getcurrent()

    def interrupt() -> None:
        hub, current = hubs.get_hub(), greenlet.getcurrent()
        if current is main or current is hub.greenlet:
            raise KeyboardInterrupt  # the hub hands it to the main green thread
        hub.schedule_call_global(0, main.throw, KeyboardInterrupt())

    return interrupt


def announce(host: str, port: int) -> None:
    """Print the one line that says where the server listens."""
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    print(f"Pinnwand is serving on http://{shown}:{port}/", flush=True)


def _hint_without_moderator(url: str) -> None:
    from pinnwand.auth.services import count_moderators

    database = Database(url)
    with database.read() as session:
        missing = count_moderators(session) == 0
    database.dispose()
    if missing:
        print("No moderator account yet. Create one with:\n"
              "  pinnwand create-moderator you@example.org --password-stdin --name 'Your Name'",
              flush=True)


def _run_eventlet(app, host: str, port: int, timeouts) -> None:
    import eventlet
    import eventlet.wsgi

    listener = eventlet.listen((host, port), backlog=LISTEN_BACKLOG, reuse_port=False)
    _no_delay(listener)
    _on_stop_signals(_interrupt_main_greenlet())  # eventlet.wsgi.server returns on it
    announce(host, listener.getsockname()[1])
    eventlet.wsgi.server(listener, app, log_output=False, log=_QuietLog(),
                         protocol=http_guard.eventlet_protocol(timeouts),
                         custom_pool=http_guard.draining_pool(MAX_CONNECTIONS))


def _run_gevent(app, host: str, port: int, timeouts) -> None:
    import gevent
    from gevent.pool import Pool
    from gevent.pywsgi import WSGIServer

    server = WSGIServer((host, port), app, spawn=Pool(MAX_CONNECTIONS), log=None,
                        backlog=LISTEN_BACKLOG, handler_class=http_guard.gevent_handler(timeouts))

    def stop() -> None:
        _start_watchdog()
        http_guard.cut_waiting()
        server.stop(DRAIN_SECONDS)

    for signum in (signal.SIGTERM, signal.SIGINT):
        gevent.signal_handler(signum, stop)
    server.start()
    _no_delay(server.socket)
    announce(host, server.server_port)
    server.serve_forever()


def _run_threading(app, host: str, port: int, timeouts) -> None:
    from werkzeug.serving import make_server

    server = make_server(host, port, app, threaded=True,
                         request_handler=http_guard.werkzeug_handler(timeouts))
    _no_delay(server.socket)
    _on_stop_signals(lambda: threading.Thread(target=server.shutdown, daemon=True).start())
    announce(host, server.server_port)
    try:
        server.serve_forever()
    finally:
        server.server_close()


class _QuietLog:
    """eventlet's access log, sent to the ``pinnwand`` logger at debug level."""

    def write(self, message: str) -> None:
        log.debug(message.rstrip())


RUNNERS = {"eventlet": _run_eventlet, "gevent": _run_gevent, "threading": _run_threading}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(serve("127.0.0.1", 5000, "threading"))
