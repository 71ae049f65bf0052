"""Servers under test as subprocesses: ``pinnwand serve --port 0`` and the floor.

:class:`ServerUnderTest` starts one in a fresh instance folder, finds the URL it prints,
reads its CPU seconds and memory (psutil, ``/proc/PID/status``), samples memory in the
background while asked to, optionally records a py-spy profile, and stops it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.loadgen import create_moderator

ROOT = Path(__file__).resolve().parent.parent
URL_PATTERN = re.compile(r"https?://[^\s/]+")
START_TIMEOUT_S = 90
KINDS = ("pinnwand", "floor")
EMAIL, PASSWORD = "bench@example.org", "bench-password-123"


# The Pinnwand code under test: None = the work tree; else a folder holding an exported commit
# (``bench.run --pinnwand-ref``), put first on PYTHONPATH so it wins over the editable install.
PINNWAND_SOURCE: Path | None = None
# The code of the ``pinnwand-base`` target (``bench.run --baseline-ref``): an exported commit
# measured in the same rotation as the work tree, for before/after comparisons.
BASELINE_SOURCE: Path | None = None


# Where each exported folder goes in the import layout: the package ``pinnwand`` is ``app/``,
# with the migrations and the browser files inside it (as pyproject.toml's package-dir says).
EXPORT_LAYOUT = {"app": "pinnwand", "migrations": "pinnwand/migrations",
                 "static": "pinnwand/static"}


def export_source(ref: str) -> tuple[Path, str]:
    """Export ``app/``, ``migrations/`` (and ``static/``) of a commit with ``git archive``
    (read-only) into a temporary folder, laid out as the import package ``pinnwand``
    (:data:`EXPORT_LAYOUT`), so the folder put first on ``PYTHONPATH`` wins over the editable
    install; the folder and the short commit id."""
    def git(*words, **options):
        return subprocess.run(["git", *words], cwd=ROOT, capture_output=True, check=True,
                              timeout=60, **options).stdout

    commit = git("rev-parse", "--short", ref, text=True).strip()
    listed = set(git("ls-tree", "--name-only", commit, text=True).split())
    paths = [p for p in ("app", "migrations", "static") if p in listed]
    folder = Path(tempfile.mkdtemp(prefix=f"bench-src-{commit}-"))
    renames = [f"--transform=s,^{path}/,{EXPORT_LAYOUT[path]}/," for path in paths]
    subprocess.run(["tar", "-x", "-C", str(folder), *renames],
                   input=git("archive", commit, *paths), check=True, timeout=60)
    return folder, commit


def _status_kib(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class ServerUnderTest:
    """One server process (``kind`` ``pinnwand`` or ``floor``) in one async mode."""

    def __init__(self, kind: str, mode: str = "eventlet", extra_env: dict | None = None,
                 nodelay: bool = False, flask: bool = False, variant: str = "",
                 baseline: bool = False, create_moderator: bool = True,
                 contract_idea: bool = False):
        assert kind in KINDS, kind
        self.kind, self.mode = kind, mode
        self.nodelay = nodelay  # TCP_NODELAY on the listener (app/server.py does not set it)
        self.flask = flask  # the floor behind Flask-SocketIO
        self.variant = variant  # pinnwand: tweaks of bench.pinnwand_variant (experiments)
        self.baseline = baseline  # pinnwand: the --baseline-ref commit instead of the work tree
        self.create_moderator = create_moderator  # False: a further process on a shared database
        self.contract_idea = contract_idea  # floor: ideas with the contract's six fields only
        self.extra_env = extra_env or {}
        self.folder = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
        self.process: subprocess.Popen | None = None
        self.ps: psutil.Process | None = None
        self.url: str | None = None
        self.output: list[str] = []
        self._found = threading.Event()
        self._samples: list[tuple[float, int]] = []
        self._sampling = threading.Event()
        self._sampler: threading.Thread | None = None
        self._spy: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PINNWAND_")}
        env.update(PINNWAND_INSTANCE_PATH=str(self.folder / "instance"),
                   PINNWAND_ASYNC_MODE=self.mode, PINNWAND_IDEA_RATE_LIMIT="0",
                   PYTHONUNBUFFERED="1", **self.extra_env)
        source = BASELINE_SOURCE if self.baseline else PINNWAND_SOURCE
        if self.baseline and source is None:
            raise RuntimeError("the pinnwand-base target needs --baseline-ref")
        paths = [source and str(source), str(ROOT), env.get("PYTHONPATH")]
        env["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
        if self.kind == "pinnwand" and self.tweaks:
            env["PINNWAND_BENCH_VARIANT"] = self.tweaks
        return env

    @property
    def command(self) -> list[str]:
        if self.kind == "pinnwand":
            serve = ["serve", "--host", "127.0.0.1", "--port", "0"]
            if self.tweaks:
                return [sys.executable, "-m", "bench.pinnwand_variant", *serve]
            return [str(Path(sys.executable).with_name("pinnwand")), *serve]
        options = (["--tcp-nodelay"] * self.nodelay + ["--flask"] * self.flask
                   + ["--contract-idea"] * self.contract_idea)
        return [sys.executable, "-m", "bench.floor_server", "--port", "0",
                "--async-mode", self.mode, *options]

    @property
    def tweaks(self) -> str:
        names = [n for n in self.variant.split(",") if n] + ["nodelay"] * self.nodelay
        return ",".join(dict.fromkeys(names))

    def start(self) -> ServerUnderTest:
        if self.kind == "pinnwand" and self.create_moderator:
            create_moderator(EMAIL, PASSWORD, self.env, self.folder)
        cwd = self.folder if self.kind == "pinnwand" else ROOT
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=cwd, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        if not self._found.wait(START_TIMEOUT_S) or self.url is None:
            self.stop()
            raise RuntimeError(f"{self.kind} printed no URL:\n{''.join(self.output)}")
        self.ps = psutil.Process(self.process.pid)
        return self

    def _read(self) -> None:
        for line in self.process.stdout:
            if len(self.output) < 2000:
                self.output.append(line)
            match = URL_PATTERN.search(line)
            if match and "serving on" in line and self.url is None:
                self.url = match.group(0)
                self._found.set()
        self._found.set()

    # -- measurements -----------------------------------------------------------------------

    def cpu_s(self) -> float:
        """User + system CPU seconds of the server process (all its threads) so far."""
        times = self.ps.cpu_times()
        return times.user + times.system

    def rss(self) -> int:
        return self.ps.memory_info().rss

    def peak_rss(self) -> int | None:
        """The process's high-water mark of resident memory (VmHWM), bytes."""
        kib = _status_kib(self.process.pid, "VmHWM")
        return kib * 1024 if kib is not None else None

    def snapshot(self) -> dict:
        return {"cpu_s": self.cpu_s(), "rss": self.rss(), "peak_rss": self.peak_rss(),
                "t": time.perf_counter()}

    def start_sampling(self, interval: float = 1.0) -> None:
        """Sample RSS every ``interval`` seconds until :meth:`stop_sampling`."""
        self._samples = []
        self._sampling.clear()
        began = time.perf_counter()

        def sample():
            while not self._sampling.is_set():
                try:
                    self._samples.append((time.perf_counter() - began, self.rss()))
                except psutil.Error:
                    return
                self._sampling.wait(interval)

        self._sampler = threading.Thread(target=sample, daemon=True)
        self._sampler.start()

    def stop_sampling(self) -> list[tuple[float, int]]:
        self._sampling.set()
        if self._sampler:
            self._sampler.join(5)
        return list(self._samples)

    def start_profile(self, output: Path, rate: int = 250) -> None:
        """py-spy record (collapsed stacks) on the server until :meth:`stop_profile`."""
        spy = Path(sys.executable).with_name("py-spy")
        self._spy = subprocess.Popen(
            [str(spy), "record", "--pid", str(self.process.pid), "--rate", str(rate),
             "--format", "raw", "--output", str(output), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def stop_profile(self) -> str:
        if self._spy is None:
            return ""
        self._spy.send_signal(signal.SIGINT)
        try:
            _, err = self._spy.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self._spy.kill()
            _, err = self._spy.communicate()
        self._spy = None
        return err

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> ServerUnderTest:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


# -- PostgreSQL and Redis for several server processes ----------------------------------------

POSTGRES_URL = os.environ.get("PINNWAND_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SharedBackends:
    """A fresh PostgreSQL database and a private ``redis-server`` (loopback, no persistence)
    for one multi-process run; both are removed again on exit. ``env`` is what every
    ``pinnwand serve`` of the run gets: the database, the message queue, one secret key."""

    def __init__(self):
        self.database = f"pinnwand_bench_{os.getpid()}_{int(time.time() * 1000) % 10**9}"
        self.redis: subprocess.Popen | None = None
        self.redis_ps: psutil.Process | None = None
        self.env: dict[str, str] = {}

    def _admin(self, sql: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(POSTGRES_URL).set(drivername="postgresql")
        with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True,
                             connect_timeout=10) as connection:
            connection.execute(sql)

    def __enter__(self) -> SharedBackends:
        from sqlalchemy.engine import make_url

        self._admin(f'CREATE DATABASE "{self.database}"')
        port = _free_port()
        self.redis = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind",
             "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.redis_ps = psutil.Process(self.redis.pid)
        deadline = time.monotonic() + 20
        while not _answers(port):
            if time.monotonic() > deadline or self.redis.poll() is not None:
                self.__exit__()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)  # polling the port while redis-server starts
        database_url = make_url(POSTGRES_URL).set(database=self.database)
        self.env = {"PINNWAND_DATABASE_URL": database_url.render_as_string(hide_password=False),
                    "PINNWAND_MESSAGE_QUEUE": f"redis://127.0.0.1:{port}/0",
                    "PINNWAND_SECRET_KEY": os.urandom(24).hex()}
        return self

    def cpu_s(self) -> dict[str, float]:
        """CPU seconds so far of the Redis server and of the PostgreSQL backends serving this
        run's database (their process titles name it)."""
        times = self.redis_ps.cpu_times()
        postgres = 0.0
        for process in psutil.process_iter(["name", "cmdline"]):
            try:
                title = " ".join(process.info["cmdline"] or [])
                if self.database in title and "postgres" in (process.info["name"] or title):
                    backend = process.cpu_times()
                    postgres += backend.user + backend.system
            except psutil.Error:
                continue
        return {"redis": times.user + times.system, "postgres": postgres}

    def __exit__(self, *_exc) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            try:
                self.redis.wait(10)
            except subprocess.TimeoutExpired:
                self.redis.kill()
        try:
            self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        except Exception as error:  # leave a note, never fail the run on clean-up
            print(f"bench: could not drop {self.database}: {error}", file=sys.stderr)


def _answers(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False
