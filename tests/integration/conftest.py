"""Fixtures for integration tests: real server processes, live clients, fresh databases.

Everything a test starts here is stopped at its end, even when the test fails half-way.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.server import LiveClient, ServerProcess, close_clients
from tests.support.server import open_clients as connect_clients
from tests.support.services import fresh_postgres_database, need_postgres, need_redis


@pytest.fixture
def postgres_database() -> str:
    """The SQLAlchemy URL of a new, empty PostgreSQL database, dropped after the test
    (skipped without PostgreSQL; failed with ``CI=true``)."""
    with fresh_postgres_database(need_postgres()) as url:
        yield url


@pytest.fixture
def redis_url() -> str:
    """The Redis URL (skipped without Redis; failed with ``CI=true``)."""
    return need_redis()


@pytest.fixture
def instance_path(tmp_path):
    """The instance folder of the test's server(s)."""
    path = tmp_path / "instance"
    path.mkdir()
    return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def start_server(request, tmp_path) -> Callable[..., ServerProcess]:
    """``start_server(env)`` → a running :class:`ServerProcess`; all are killed at the end,
    and when the test failed their output is shown."""
    servers: list[ServerProcess] = []

    def starter(env: dict[str, str]) -> ServerProcess:
        server = ServerProcess(env, cwd=tmp_path)
        servers.append(server)
        return server.start()

    yield starter
    failed = any(getattr(getattr(request.node, f"report_{when}", None), "failed", False)
                 for when in ("setup", "call"))
    for server in servers:
        server.stop()
        if failed:
            print(f"--- output of the server last on {server.url} (last 300 lines):")
            print("".join(server.output().splitlines(keepends=True)[-300:]))


@pytest.fixture
def open_clients() -> Callable[..., list[LiveClient]]:
    """``open_clients(url, [(token, label), …])`` → connected :class:`LiveClient` s, opened
    in parallel; every client opened this way is closed at the end."""
    opened: list[LiveClient] = []

    def opener(url: str, who: list[tuple[str, str]]) -> list[LiveClient]:
        return connect_clients(url, who, opened)

    yield opener
    close_clients(opened)
