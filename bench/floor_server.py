"""The floor: bare python-socketio doing the least Pinnwand's protocol needs.

Same async mode and the same kind of WSGI server as ``app/server.py`` (eventlet's
``eventlet.wsgi``, gevent's ``pywsgi``, Werkzeug's threaded server), but no Flask, no
database and no validation: tokens live in a dict, ``seq`` is a per-room counter in memory,
``create_idea`` numbers the idea, broadcasts ``idea_created`` to the room and acks. A tiny
WSGI handler answers the three HTTP calls the load generator makes, with Pinnwand's JSON
shapes, so :mod:`bench.loadgen` drives both servers unchanged::

    python -m bench.floor_server --port 0 --async-mode eventlet [--tcp-nodelay] [--flask]

``--tcp-nodelay`` switches Nagle's algorithm off; ``--flask`` puts the same handlers behind
Flask + Flask-SocketIO, to tell that layer's cost apart. An idea carries the fields the
protocol gives it today (the contract's six and the facilitation extension's ``hidden``,
``position``, ``category_id``, ``cluster_id``, ``merged_into``, ``deleted``), as Pinnwand
sends it; ``--contract-idea`` sends only the contract's six, as before the extension.
It prints ``Floor is serving on http://127.0.0.1:PORT/`` and serves until SIGTERM/SIGINT.
Only the standard library is imported before the monkey patch.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import secrets
import signal
import sys
from datetime import UTC, datetime, timedelta

MAX_CONNECTIONS = 10_000
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MAX_CATCH_UP = 1000


def _patch(mode: str) -> None:
    if mode == "eventlet":
        import warnings

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="(?s).*Eventlet is deprecated")
            import eventlet
        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Floor:
    """All state in memory: tokens, events, workshops (seq, ideas, change log)."""

    def __init__(self, sio, lock_class, contract_idea: bool = False):
        self.sio = sio
        self.lock_class = lock_class
        self.contract_idea = contract_idea  # only the contract's six fields per idea
        self.tokens: dict[str, dict] = {}
        self.events_by_code: dict[str, dict] = {}
        self.workshops: dict[int, dict] = {}
        self.identities: dict[str, dict] = {}
        self._ids = itertools.count(1)  # next() is atomic under the GIL

    def _id(self) -> int:
        return next(self._ids)

    # -- HTTP -------------------------------------------------------------------------------

    def login(self, body: dict, _who) -> tuple[int, dict]:
        token = secrets.token_urlsafe(32)
        moderator = {"id": 1, "email": body.get("email"), "name": "Floor"}
        self.tokens[token] = {"kind": "moderator", "name": "Floor", "moderator_id": 1}
        expires = (datetime.now(UTC) + timedelta(days=14)).isoformat()
        return 200, {"token": token, "expires_at": expires, "moderator": moderator}

    def create_event(self, body: dict, who) -> tuple[int, dict]:
        if who is None or who["kind"] != "moderator":
            return 401, {"error": {"code": "unauthorized", "message": "A token is needed."}}
        event_id = self._id()
        code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(6))
        workshops = []
        for position, item in enumerate(body.get("workshops", [])):
            workshop = {"id": self._id(), "title": item.get("title"),
                        "question": item.get("question"), "event_id": event_id,
                        "position": position, "step": "collect", "locked": False, "seq": 0}
            self.workshops[workshop["id"]] = {
                "info": workshop, "seq": 0, "ideas": [], "log": [], "lock": self.lock_class(),
            }
            workshops.append(workshop)
        event = {"id": event_id, "title": body.get("title"), "date": body.get("date"),
                 "location": None, "description": None, "join_code": code,
                 "join_url": f"http://127.0.0.1/join/{code}", "created_at": _now(),
                 "agenda": [], "workshops": workshops}
        self.events_by_code[code] = event
        return 201, event

    def join(self, body: dict, _who) -> tuple[int, dict]:
        event = self.events_by_code.get(str(body.get("code", "")).upper())
        if event is None:
            return 404, {"error": {"code": "not_found", "message": "No such event."}}
        token, participant_id = secrets.token_urlsafe(32), self._id()
        self.tokens[token] = {"kind": "participant", "name": body.get("name"),
                              "participant_id": participant_id, "event_id": event["id"]}
        expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
        return 200, {
            "token": token, "expires_at": expires, "participant_id": participant_id,
            "event_id": event["id"], "event": {"id": event["id"], "title": event["title"]},
            "workshops": [{"id": w["id"], "title": w["title"], "question": w["question"]}
                          for w in event["workshops"]],
        }

    def wsgi(self, environ, start_response):
        """The tiny HTTP API: ``/api/v1/auth/token``, ``/api/v1/events``, ``/api/v1/join``."""
        routes = {"/api/v1/auth/token": self.login, "/api/v1/events": self.create_event,
                  "/api/v1/join": self.join}
        handler = routes.get(environ.get("PATH_INFO", ""))
        if handler is None or environ.get("REQUEST_METHOD") != "POST":
            status, answer = 404, {"error": {"code": "not_found", "message": "Not here."}}
        else:
            size = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(size) if size else b"{}"
            bearer = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
            status, answer = handler(json.loads(raw or b"{}"), self.tokens.get(bearer))
        body = json.dumps(answer).encode()
        reason = {200: "OK", 201: "Created", 401: "Unauthorized", 404: "Not Found"}[status]
        start_response(f"{status} {reason}", [("Content-Type", "application/json"),
                                              ("Content-Length", str(len(body)))])
        return [body]

    # -- Socket.IO --------------------------------------------------------------------------

    def connect(self, sid, _environ, auth=None):
        token = auth.get("token") if isinstance(auth, dict) else None
        identity = self.tokens.get(token)
        if identity is None:
            from socketio.exceptions import ConnectionRefusedError

            raise ConnectionRefusedError("unauthorized: The token is unknown.")
        self.identities[sid] = identity

    def disconnect(self, sid, *_args):
        self.identities.pop(sid, None)

    def join_workshop(self, sid, data):
        workshop = self.workshops[data["workshop_id"]]
        self.sio.enter_room(sid, f"workshop:{data['workshop_id']}")
        since = data.get("since_seq")
        seq = workshop["seq"]
        if since is not None and since <= seq and seq - since <= MAX_CATCH_UP:
            events = workshop["log"][since:seq]
            return {"ok": True, "data": {"events": events, "seq": seq}}
        info = {**workshop["info"], "seq": seq}
        return {"ok": True, "data": {"workshop": info, "ideas": list(workshop["ideas"]),
                                     "seq": seq}}

    def create_idea(self, sid, data):
        workshop_id = data["workshop_id"]
        workshop = self.workshops[workshop_id]
        identity = self.identities[sid]
        with workshop["lock"]:
            workshop["seq"] += 1
            seq = workshop["seq"]
            idea = {"id": self._id(), "workshop_id": workshop_id, "text": data["text"],
                    "author": None if data.get("anonymous") else identity["name"],
                    "created_at": _now(), "votes": 0}
            if not self.contract_idea:
                idea.update(hidden=False, position=float(seq), category_id=None,
                            cluster_id=None, merged_into=None, deleted=False)
            payload = {"workshop_id": workshop_id, "seq": seq, "idea": idea}
            workshop["ideas"].append(idea)
            workshop["log"].append({**payload, "event": "idea_created"})
            self.sio.emit("idea_created", payload, to=f"workshop:{workshop_id}")
        return {"ok": True, "data": {"idea": idea, "seq": seq}}


def build(mode: str, contract_idea: bool = False):
    """The WSGI app (Socket.IO in front of the tiny HTTP API) for ``mode``."""
    import threading

    import socketio

    sio = socketio.Server(async_mode=mode, max_http_buffer_size=256 * 1024)
    floor = Floor(sio, threading.Lock, contract_idea)
    sio.on("connect", floor.connect)
    sio.on("disconnect", floor.disconnect)
    sio.on("join_workshop", floor.join_workshop)
    sio.on("create_idea", floor.create_idea)
    return socketio.WSGIApp(sio, floor.wsgi)


def build_flask(mode: str, contract_idea: bool = False):
    """The same floor behind Flask + Flask-SocketIO (as ``app/factory.py`` wires them), to
    tell the cost of Flask-SocketIO's per-event dispatch apart from Pinnwand's own work."""
    import threading

    from flask import Flask, request
    from flask_socketio import SocketIO

    app = Flask(__name__)
    socketio = SocketIO(app, async_mode=mode, max_http_buffer_size=256 * 1024)
    floor = Floor(socketio.server, threading.Lock, contract_idea)
    socketio.on_event("connect", lambda auth=None: floor.connect(request.sid, None, auth))
    socketio.on_event("disconnect", lambda *_: floor.disconnect(request.sid))
    socketio.on_event("join_workshop", lambda data: floor.join_workshop(request.sid, data))
    socketio.on_event("create_idea", lambda data: floor.create_idea(request.sid, data))
    app.wsgi_app.wsgi_app = floor.wsgi  # Flask-SocketIO's middleware in front of the tiny API
    return app


def announce(port: int) -> None:
    print(f"Floor is serving on http://127.0.0.1:{port}/", flush=True)


def _nodelay(sock) -> None:
    """TCP_NODELAY on the listening socket; Linux hands it on to every accepted socket."""
    import socket

    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def serve(host: str, port: int, mode: str, nodelay: bool = False, flask: bool = False,
          contract_idea: bool = False) -> None:
    """Serve with the same WSGI server kind as ``app/server.py`` uses for ``mode``
    (``nodelay``: also switch Nagle's algorithm off; ``flask``: dispatch through
    Flask-SocketIO; ``contract_idea``: ideas with the contract's six fields only)."""
    app = build_flask(mode, contract_idea) if flask else build(mode, contract_idea)
    if mode == "eventlet":
        import eventlet
        import eventlet.wsgi

        listener = eventlet.listen((host, port))
        if nodelay:
            _nodelay(listener)
        announce(listener.getsockname()[1])
        eventlet.wsgi.server(listener, app, max_size=MAX_CONNECTIONS, log_output=False,
                             log=open(os.devnull, "w"))  # noqa: SIM115
    elif mode == "gevent":
        from gevent.pool import Pool
        from gevent.pywsgi import WSGIServer

        server = WSGIServer((host, port), app, spawn=Pool(MAX_CONNECTIONS), log=None)
        server.start()
        if nodelay:
            _nodelay(server.socket)
        announce(server.server_port)
        server.serve_forever()
    else:
        from werkzeug.serving import make_server

        server = make_server(host, port, app, threaded=True)
        if nodelay:
            _nodelay(server.socket)
        announce(server.server_port)
        server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.floor_server", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--async-mode", default=os.environ.get("PINNWAND_ASYNC_MODE", "eventlet"),
                        choices=("eventlet", "gevent", "threading"))
    parser.add_argument("--tcp-nodelay", action="store_true",
                        help="switch Nagle's algorithm off (app/server.py does not)")
    parser.add_argument("--flask", action="store_true",
                        help="dispatch through Flask + Flask-SocketIO (the 'floor-flask' target)")
    parser.add_argument("--contract-idea", action="store_true",
                        help="ideas with the contract's six fields only (the 'floor-contract' "
                             "target), without the facilitation extension's")
    args = parser.parse_args(argv)
    _patch(args.async_mode)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: os._exit(0))
    serve(args.host, args.port, args.async_mode, args.tcp_nodelay, args.flask,
          args.contract_idea)
    return 0


if __name__ == "__main__":
    sys.exit(main())
