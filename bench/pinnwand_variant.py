"""``pinnwand serve`` with an experimental tweak — to measure a suggestion, not to ship.

Runs the unchanged ``pinnwand.cli.main``; right after its monkey patch it applies the tweaks named
in ``PINNWAND_BENCH_VARIANT`` (comma-separated), without touching ``app/``:

- ``nodelay``: ``TCP_NODELAY`` on the listening socket (Linux hands it on to every accepted
  socket), by wrapping the listener factories ``app/server.py`` uses (``eventlet.listen``,
  gevent's ``WSGIServer.init_socket``, Werkzeug's ``make_server``);
- ``gc-freeze``: ``gc.freeze()`` right after ``create_app`` (start-up objects move to the
  permanent generation, so full collections no longer walk them).

    PINNWAND_BENCH_VARIANT=nodelay,gc-freeze python -m bench.pinnwand_variant serve --port 0
"""

from __future__ import annotations

import gc
import os
import socket
import sys

VARIANTS = ("nodelay", "gc-freeze")


def _nodelay(sock) -> None:
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _install_nodelay(mode: str) -> None:
    if mode == "eventlet":
        import eventlet

        listen = eventlet.listen

        def listen_nodelay(*args, **kwargs):
            sock = listen(*args, **kwargs)
            _nodelay(sock)
            return sock

        eventlet.listen = listen_nodelay
    elif mode == "gevent":
        from gevent.pywsgi import WSGIServer

        init_socket = WSGIServer.init_socket

        def init_socket_nodelay(self):
            init_socket(self)
            _nodelay(self.socket)

        WSGIServer.init_socket = init_socket_nodelay
    else:
        import werkzeug.serving

        make_server = werkzeug.serving.make_server

        def make_server_nodelay(*args, **kwargs):
            server = make_server(*args, **kwargs)
            _nodelay(server.socket)
            return server

        werkzeug.serving.make_server = make_server_nodelay


def _install_gc_freeze() -> None:
    import pinnwand.server

    create_app = pinnwand.server.create_app

    def create_app_frozen(*args, **kwargs):
        built = create_app(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return built

    pinnwand.server.create_app = create_app_frozen


def main() -> int:
    import pinnwand.cli

    wanted = {v for v in os.environ.get("PINNWAND_BENCH_VARIANT", "").split(",") if v}
    unknown = wanted - set(VARIANTS)
    if unknown:
        print(f"unknown variant(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    monkey_patch = pinnwand.cli.monkey_patch

    def patched(mode: str) -> None:
        monkey_patch(mode)
        if "nodelay" in wanted:
            _install_nodelay(mode)
        if "gc-freeze" in wanted:
            _install_gc_freeze()

    pinnwand.cli.monkey_patch = patched
    return pinnwand.cli.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
