"""HTTP connections that cannot hold the server: slow requests are cut, stopping is bounded.

A client has ``PINNWAND_HEADER_TIMEOUT`` seconds (:data:`HEADER_TIMEOUT`) from the moment the
server waits for its request (a new connection, or the next request on a kept-alive one) until
the last header line, and ``PINNWAND_BODY_TIMEOUT`` seconds (:data:`BODY_TIMEOUT`) more for the
whole body. A connection that misses a deadline is
shut down: the server answers nothing and runs nothing for it, and a body it already started to
read (or to discard after an early answer such as ``413``) ends there. Headers and bodies that
trickle in one byte at a time are cut just the same, since the deadlines are totals, not
per-read timeouts. Once a request is running (a long-poll, a websocket, a report being
rendered) no deadline applies.

Each server of the three async modes gets its own request handler with these deadlines
(:func:`eventlet_protocol`, :func:`gevent_handler`, :func:`werkzeug_handler`; under threading,
the development server, only the header deadline), and eventlet's connection pool stops within
a bounded time (:func:`draining_pool`: idle connections are closed by eventlet itself,
requests still arriving are cut at once, requests still running get :data:`DRAIN_SECONDS`, then
their connections are closed).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref

HEADER_TIMEOUT = 20
BODY_TIMEOUT = 30
DRAIN_SECONDS = 10.0

_waiting: weakref.WeakSet = weakref.WeakSet()  # connections with a deadline running


def cut_waiting() -> None:
    """Cut every connection still sending its request: the server is stopping, and a request
    that has not arrived will not be answered (clients send it again elsewhere)."""
    for deadlines in list(_waiting):
        deadlines.cut_now()


class Deadlines:
    """The deadlines of one connection's current request.

    ``schedule(seconds, callback)`` returns something with ``cancel()``; ``sock`` is shut
    down when a deadline passes (:attr:`cut` tells the handler not to run the request).
    ``timeouts`` is ``(header seconds, body seconds)``.
    """

    def __init__(self, schedule, sock, timeouts: tuple[float, float]):
        self._schedule = schedule
        self._socket = sock
        self._header_timeout, self._body_timeout = timeouts
        self._timer = None
        self._body = None
        self.cut = False

    def awaiting_headers(self) -> None:
        """The server starts reading a request line and its headers."""
        self.stop()
        self._body = None
        self._timer = self._schedule(self._header_timeout, self.cut_now)
        _waiting.add(self)

    def headers_read(self, body=None) -> None:
        """The headers are in; ``body`` (the server's input object) still has to arrive."""
        self.stop()
        if body is not None and not body_complete(body):
            self._body = body
            self._timer = self._schedule(self._body_timeout, self.cut_now)
            _waiting.add(self)

    def stop(self) -> None:
        """No deadline any more (the request is answered, or the connection closes)."""
        _waiting.discard(self)
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()

    def cut_now(self) -> None:
        """Shut the connection down unless all of its request is in."""
        if self._body is not None and body_complete(self._body):
            return
        self.cut = True
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)


def body_complete(body) -> bool:
    """Whether eventlet's or gevent's request input has received the whole body."""
    if getattr(body, "chunked_input", False):
        return body.chunk_length == 0
    return body.position >= (body.content_length or 0)


def run_guarded(handler, schedule, sock, timeouts, handle_one_request):
    """Run one request of a server's connection ``handler`` under the connection's deadlines
    (made on its first request, kept on the handler for the connection's next ones)."""
    if not hasattr(handler, "deadlines"):
        handler.deadlines = Deadlines(schedule, sock, timeouts)
    handler.deadlines.awaiting_headers()
    try:
        return handle_one_request()
    finally:
        handler.deadlines.stop()


# --------------------------------------------------------------------------- eventlet


def eventlet_protocol(timeouts=(HEADER_TIMEOUT, BODY_TIMEOUT)):
    """eventlet's ``HttpProtocol`` with the deadlines (``(header, body)`` seconds)."""
    from eventlet import hubs, wsgi

    def schedule(seconds, callback):
        return hubs.get_hub().schedule_call_global(seconds, callback)

    class GuardedProtocol(wsgi.HttpProtocol):
        def handle_one_request(self):
            return run_guarded(self, schedule, self.connection, timeouts,
                               super().handle_one_request)

        def parse_request(self):
            return super().parse_request() and not self.deadlines.cut

        def get_environ(self):
            environ = super().get_environ()
            self.deadlines.headers_read(environ["eventlet.input"])
            return environ

    return GuardedProtocol


def draining_pool(size: int):
    """An eventlet ``GreenPool`` whose ``waitall`` (called by ``eventlet.wsgi.server`` when it
    stops) waits at most :data:`DRAIN_SECONDS`, then ends the connections still open."""
    import eventlet

    class DrainingPool(eventlet.GreenPool):
        def waitall(self):
            cut_waiting()
            with eventlet.Timeout(DRAIN_SECONDS, False):
                super().waitall()
            for thread in list(self.coroutines_running):
                thread.kill()

    return DrainingPool(size)


# --------------------------------------------------------------------------- gevent


def gevent_handler(timeouts=(HEADER_TIMEOUT, BODY_TIMEOUT)):
    """gevent's ``WSGIHandler`` with the deadlines (``(header, body)`` seconds)."""
    import gevent
    from gevent.pywsgi import WSGIHandler

    def schedule(seconds, callback):
        return _Killable(gevent.spawn_later(seconds, callback))

    class GuardedHandler(WSGIHandler):
        def handle_one_request(self):
            return run_guarded(self, schedule, self.socket, timeouts,
                               super().handle_one_request)

        def read_request(self, raw_requestline):
            read = super().read_request(raw_requestline)
            if self.deadlines.cut:
                raise ValueError("the request's headers came too slowly")
            return read

        def get_environ(self):
            environ = super().get_environ()
            self.deadlines.headers_read(self.wsgi_input)
            return environ

    return GuardedHandler


class _Killable:
    def __init__(self, greenlet):
        self._greenlet = greenlet

    def cancel(self) -> None:
        self._greenlet.kill(block=False)


# --------------------------------------------------------------------------- threading


def werkzeug_handler(timeouts=(HEADER_TIMEOUT, BODY_TIMEOUT)):
    """Werkzeug's request handler (threading mode) with the header deadline."""
    from werkzeug.serving import WSGIRequestHandler

    def schedule(seconds, callback):
        timer = threading.Timer(seconds, callback)
        timer.daemon = True
        timer.start()
        return timer

    class GuardedRequestHandler(WSGIRequestHandler):
        def handle_one_request(self):
            return run_guarded(self, schedule, self.connection, timeouts,
                               super().handle_one_request)

        def parse_request(self):
            parsed = super().parse_request()
            self.deadlines.headers_read()
            return parsed and not self.deadlines.cut

    return GuardedRequestHandler
