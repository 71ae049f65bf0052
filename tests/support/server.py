"""Real ``pinnwand`` processes and clients that talk to them over the network.

- :class:`ServerProcess` runs ``pinnwand serve`` on a free port, finds the URL it prints and can
  kill it hard (``kill -9``), stop it with SIGTERM and start it again on the same instance.
- :func:`create_moderator` runs ``pinnwand create-moderator``.
- :class:`Api` is a small JSON client for ``/api/v1``.
- :class:`LiveClient` is a python-socketio client (websocket transport) that records every
  broadcast it receives, thread-safely, and can wait for them with a timeout.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import engineio
import requests
import socketio

URL_PATTERN = re.compile(r"https?://\S+")
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30
WAIT_TIMEOUT_S = 30
HTTP_TIMEOUT_S = 30
BROADCASTS = ("idea_created", "workshop_locked")


def pinnwand_command() -> list[str]:
    """How to run the CLI: the console script next to this interpreter, else ``-m pinnwand.cli``."""
    script = Path(sys.executable).with_name("pinnwand")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "pinnwand.cli"]


def server_env(instance_path: Path, database_url: str | None = None, async_mode: str = "eventlet",
               idea_rate_limit: int = 0, message_queue: str | None = None,
               snapshot_limit: int = 0, **extra: str) -> dict[str, str]:
    """The environment of a server process: this one without inherited ``PINNWAND_*``
    variables, plus the given configuration. ``database_url=None`` keeps the default
    (a SQLite file in the instance folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PINNWAND_")}
    env.update(
        PINNWAND_INSTANCE_PATH=str(instance_path),
        PINNWAND_ASYNC_MODE=async_mode,
        PINNWAND_IDEA_RATE_LIMIT=str(idea_rate_limit),
        PINNWAND_SNAPSHOT_LIMIT=str(snapshot_limit),  # tests reload boards freely
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["PINNWAND_DATABASE_URL"] = database_url
    if message_queue:
        env["PINNWAND_MESSAGE_QUEUE"] = message_queue
    env.update(extra)
    return env


def wait_until(condition: Callable[[], object], timeout: float = WAIT_TIMEOUT_S,
               what: str = "condition", interval: float = 0.01,
               details: Callable[[], str] | None = None):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            extra = f"\n{details()}" if details else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}{extra}")
        time.sleep(interval)


class ServerProcess:
    """One ``pinnwand serve`` process; :meth:`restart` starts a new one on the same instance."""

    def __init__(self, env: dict[str, str], cwd: Path | None = None, host: str = "127.0.0.1",
                 port: int = 0, start_timeout: float = START_TIMEOUT_S):
        self.env = dict(env)
        self.cwd = Path(cwd or env.get("PINNWAND_INSTANCE_PATH") or ".")
        self.host = host
        self.port = port
        self.start_timeout = start_timeout
        self.process: subprocess.Popen | None = None
        self.url: str | None = None
        self.starts = 0
        self.stop_seconds: float | None = None  # how long the last SIGTERM took
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._url_found = threading.Event()
        self._readers: list[threading.Thread] = []

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> ServerProcess:
        """Start the server and wait until it prints its URL (fails with its output)."""
        assert not self.running, "the server is already running"
        self.url = None
        self._url_found.clear()
        self.starts += 1
        self._note(f"--- start #{self.starts}: {' '.join(self.command)}")
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            errors="replace", bufsize=1,
            start_new_session=True,
        )
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, "out", True),
                             daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, "err", False),
                             daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        deadline = time.monotonic() + self.start_timeout
        while not self._url_found.wait(0.05):
            if self.process.poll() is not None:
                self._join_readers()
                raise AssertionError(
                    f"pinnwand serve exited with {self.process.returncode} before printing "
                    f"its URL\n{self.output()}"
                )
            if time.monotonic() > deadline:
                self.kill9()
                raise AssertionError(
                    f"pinnwand serve printed no URL within {self.start_timeout} s\n{self.output()}"
                )
        return self

    @property
    def command(self) -> list[str]:
        return [*pinnwand_command(), "serve", "--host", self.host, "--port", str(self.port)]

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def kill9(self) -> None:
        """``kill -9`` the server (no clean-up of any kind) and reap it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self._note("--- kill -9")
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(STOP_TIMEOUT_S)
        self._join_readers()

    def terminate(self, timeout: float = STOP_TIMEOUT_S) -> int:
        """SIGTERM, wait, and assert that the server stopped by itself with exit code 0."""
        assert self.running, f"the server is not running\n{self.output()}"
        self._note("--- SIGTERM")
        began = time.perf_counter()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
            self.stop_seconds = time.perf_counter() - began
        except subprocess.TimeoutExpired:
            self.kill9()
            raise AssertionError(
                f"pinnwand serve did not stop within {timeout} s of SIGTERM\n{self.output()}"
            ) from None
        self._join_readers()
        assert code == 0, f"pinnwand serve exited with {code} after SIGTERM\n{self.output()}"
        return code

    def restart(self) -> ServerProcess:
        """Start again with the same environment and instance (a stopped server is started;
        a running one is stopped with SIGTERM first). The port may change."""
        if self.running:
            self.terminate()
        return self.start()

    def stop(self) -> None:
        """Clean-up for fixtures: make sure no process is left behind."""
        if self.running:
            self.kill9()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- output -----------------------------------------------------------------------------

    def output(self) -> str:
        """Everything the server printed so far (stdout and stderr, marked)."""
        with self._lock:
            return "".join(self._lines)

    def _note(self, text: str) -> None:
        with self._lock:
            self._lines.append(text + "\n")

    def _read(self, stream, label: str, look_for_url: bool) -> None:
        for line in stream:
            with self._lock:
                self._lines.append(f"[{label}] {line}")
            if look_for_url and not self._url_found.is_set():
                match = URL_PATTERN.search(line)
                if match:
                    self.url = match.group(0).rstrip("/")
                    self._url_found.set()
        stream.close()

    def _join_readers(self) -> None:
        for reader in self._readers:
            reader.join(5)


def create_moderator(env: dict[str, str], email: str, password: str, name: str,
                     cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``pinnwand create-moderator EMAIL --password-stdin --name NAME``; assert exit 0."""
    result = subprocess.run(
        [*pinnwand_command(), "create-moderator", email, "--password-stdin", "--name", name],
        input=password + "\n", env=env, cwd=cwd or env.get("PINNWAND_INSTANCE_PATH"),
        capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=START_TIMEOUT_S,
    )
    assert result.returncode == 0, (
        f"create-moderator exited with {result.returncode}\n"
        f"stdout: {result.stdout}\nstderr: {result.stderr}"
    )
    return result


class Api:
    """JSON calls to ``/api/v1`` of a running server, optionally with a bearer token."""

    def __init__(self, base_url: str, token: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.token = token

    def request(self, method: str, path: str, json=None, expect: int | None = 200):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = requests.request(method, f"{self.base_url}/api/v1{path}", json=json,
                                    headers=headers, timeout=HTTP_TIMEOUT_S)
        if expect is not None:
            assert response.status_code == expect, (
                f"{method} {path}: expected {expect}, got {response.status_code}: "
                f"{response.text[:2000]}"
            )
        return response

    def get(self, path: str, expect: int = 200):
        return self.request("GET", path, expect=expect).json()

    def post(self, path: str, json, expect: int = 200):
        return self.request("POST", path, json=json, expect=expect).json()

    def login(self, email: str, password: str) -> Api:
        """A new :class:`Api` carrying the moderator token of ``email``."""
        answer = self.post("/auth/token", {"email": email, "password": password})
        return Api(self.base_url, answer["token"])


class PendingAck:
    """The ack of an event sent with :meth:`LiveClient.emit`; ``None`` until it arrives."""

    def __init__(self, event: str, data):
        self.event = event
        self.data = data
        self.ack = None
        self._arrived = threading.Event()

    def _set(self, *args) -> None:
        self.ack = args[0] if len(args) == 1 else list(args)
        self._arrived.set()

    @property
    def arrived(self) -> bool:
        return self._arrived.is_set()

    def wait(self, timeout: float = WAIT_TIMEOUT_S) -> dict:
        assert self._arrived.wait(timeout), f"no ack for {self.event} {self.data} in {timeout} s"
        return self.ack


class _InOrderEngineIOClient(engineio.Client):
    """An Engine.IO client that handles incoming messages one after the other on its read
    loop. (python-engineio starts a new thread per message, so handlers could observe packets
    out of their arrival order, and an ack could overtake a broadcast sent before it.) Safe
    here because no handler of ours waits for the server."""

    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class _InOrderClient(socketio.Client):
    """A ``socketio.Client`` whose events and acks are handled in arrival order."""

    def _engineio_client_class(self):
        return _InOrderEngineIOClient


class LiveClient:
    """A python-socketio client over websocket that records every broadcast it receives.

    ``received`` holds ``(event name, payload)`` pairs in the order they arrived on the socket
    (acks and broadcasts are handled in that order too); read it with :meth:`broadcasts` and
    wait for it with :meth:`wait_for`.
    """

    def __init__(self, url: str, token: str, label: str = ""):
        self.url = url
        self.token = token
        self.label = label
        self.sio = _InOrderClient(reconnection=False)
        self.received: list[tuple[str, dict]] = []
        self.disconnected = threading.Event()
        self._changed = threading.Condition()
        for name in BROADCASTS:
            self.sio.on(name, self._recorder(name))
        self.sio.on("disconnect", self._on_disconnect)

    def listen(self, *names: str) -> LiveClient:
        """Record these server events too (besides the board's broadcasts)."""
        for name in names:
            self.sio.on(name, self._recorder(name))
        return self

    def _recorder(self, name: str):
        def record(payload=None, *_rest):
            with self._changed:
                self.received.append((name, payload))
                self._changed.notify_all()

        return record

    def _on_disconnect(self, *_args):
        self.disconnected.set()
        with self._changed:
            self._changed.notify_all()

    def connect(self, timeout: float = 15) -> LiveClient:
        self.sio.connect(self.url, auth={"token": self.token}, transports=["websocket"],
                         wait_timeout=timeout)
        return self

    @property
    def connected(self) -> bool:
        return self.sio.connected

    def call(self, event: str, data, timeout: float = WAIT_TIMEOUT_S):
        """Send ``event`` and return its ack (fails the test on timeout)."""
        try:
            return self.sio.call(event, data, timeout=timeout)
        except socketio.exceptions.TimeoutError:
            raise AssertionError(
                f"{self.label}: no ack for {event} {data} within {timeout} s"
            ) from None

    def call_ok(self, event: str, data, timeout: float = WAIT_TIMEOUT_S) -> dict:
        """Send ``event``, assert a successful ack, return its ``data``."""
        ack = self.call(event, data, timeout)
        assert isinstance(ack, dict) and ack.get("ok") is True, (
            f"{self.label}: {event} {data} answered {ack!r}"
        )
        return ack["data"]

    def emit(self, event: str, data) -> PendingAck:
        """Send ``event`` without waiting; the returned :class:`PendingAck` gets its ack."""
        pending = PendingAck(event, data)
        self.sio.emit(event, data, callback=pending._set)
        return pending

    def broadcasts(self, name: str = "idea_created") -> list[dict]:
        """The payloads of every ``name`` broadcast received so far, in arrival order."""
        with self._changed:
            return [payload for event, payload in self.received if event == name]

    def wait_for(self, condition: Callable[[list[tuple[str, dict]]], bool],
                 timeout: float = WAIT_TIMEOUT_S, what: str = "broadcasts") -> None:
        """Wait until ``condition(received)`` holds; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition(self.received):
                left = deadline - time.monotonic()
                if left <= 0:
                    seqs = [(name, payload.get("seq") if isinstance(payload, dict) else payload)
                            for name, payload in self.received]
                    raise AssertionError(
                        f"{self.label}: timed out after {timeout} s waiting for {what}; "
                        f"received {len(self.received)}: {seqs}"
                    )
                self._changed.wait(min(left, 0.5))

    def wait_for_count(self, count: int, name: str = "idea_created",
                       timeout: float = WAIT_TIMEOUT_S) -> None:
        """Wait until at least ``count`` ``name`` broadcasts arrived."""
        self.wait_for(lambda got: sum(1 for event, _ in got if event == name) >= count,
                      timeout, f"{count} {name} broadcasts")

    def close(self) -> None:
        """Disconnect (quietly: the server may already be gone)."""
        with contextlib.suppress(Exception):
            self.sio.shutdown()


def open_clients(url: str, who: Iterable[tuple[str, str]],
                 opened: list[LiveClient] | None = None) -> list[LiveClient]:
    """Connect a :class:`LiveClient` for each ``(token, label)``, in parallel. Each client is
    appended to ``opened`` (if given) before it connects, so a caller can close them all."""
    clients = [LiveClient(url, token, label) for token, label in who]
    if opened is not None:
        opened.extend(clients)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(LiveClient.connect, clients))
    return clients


def close_clients(clients: Iterable[LiveClient]) -> None:
    """Close clients in parallel (a websocket close handshake may wait up to 3 s for the
    server's answer)."""
    clients = list(clients)
    with ThreadPoolExecutor(max_workers=max(1, min(32, len(clients)))) as pool:
        list(pool.map(LiveClient.close, clients))
