"""A TCP forwarder between a server process and its database, to cut the line on purpose.

:class:`TcpProxy` listens on a free local port and forwards every connection to ``target``.
:meth:`TcpProxy.cut` drops every open connection and refuses new ones (the database is gone, as
when its host restarts); :meth:`TcpProxy.restore` listens on the same port again.
"""

from __future__ import annotations

import contextlib
import socket
import threading

BUFFER = 65536


class TcpProxy:
    """Forward ``127.0.0.1:<port>`` to ``target`` (host, port) until cut."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = _free_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._guard = threading.Lock()
        self.restore()

    def restore(self) -> None:
        """Accept (and forward) connections again."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Drop every forwarded connection and refuse new ones."""
        listener, self._listener = self._listener, None
        if listener is not None:
            _close(listener)
        with self._guard:
            doomed, self._sockets = self._sockets, set()
        for sock in doomed:
            _close(sock)

    def close(self) -> None:
        self.cut()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._guard:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(BUFFER):
                sink.sendall(data)
        except OSError:
            pass
        _close(source)
        _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
