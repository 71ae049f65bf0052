"""Fixtures for the browser tests: a real ``pinnwand serve`` process, Debian's Chromium driven
by Playwright, and browser contexts shaped like the three screens (laptop, phone, projector).

- Chromium missing (``/usr/bin/chromium``, or Playwright not installed): the tests skip with
  the reason; with ``CI=true`` they fail instead (CI must run them).
- Every page opened through :class:`Screens` is watched: console errors, uncaught page errors,
  Content-Security-Policy violations and dialogs (``alert`` …) are collected, and
  :meth:`Screens.assert_clean` fails the test when there are any.
- Screenshots go to ``test-artifacts/screenshots/`` (relative to the repository root; CI
  collects that folder): on purpose with :meth:`Screens.shot`, and of every open page when a
  test fails (``failed-<test>-<page>.png``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.server import ServerProcess, create_moderator, server_env
from tests.support.services import in_ci

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
EXPECT_TIMEOUT_MS = 10_000
ACTION_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 20_000

MODERATOR_EMAIL = "moderatorin@example.org"
MODERATOR_PASSWORD = "ein langes Geheimnis"
MODERATOR_NAME = "Maria Moderatorin"

LAPTOP = {"viewport": {"width": 1366, "height": 850}, "locale": "de-DE"}
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "de-DE",
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/156.0.0.0 Mobile Safari/537.36"
    ),
}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}, "locale": "de-DE"}
# The sizes of the facilitation tests: a common phone (iPhone 12–15) and a common laptop.
PHONE_390 = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "de-DE",
}
LAPTOP_1440 = {"viewport": {"width": 1440, "height": 900}, "locale": "de-DE"}
COMMON = {"timezone_id": "Europe/Berlin", "color_scheme": "light"}

# Reports every CSP violation as a console error too (Chromium logs most of them itself; this
# also catches those it reports only as an event). Runs before the page's own scripts; CSP
# does not apply to scripts added through the DevTools protocol.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || "?"}:${event.lineNumber || 0})`);
});
"""


def _unavailable(reason: str):
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(node) -> bool:
    return any(getattr(getattr(node, f"report_{when}", None), "failed", False)
               for when in ("setup", "call"))


# ------------------------------------------------------------------------------ server


@dataclass(frozen=True)
class Moderator:
    email: str
    password: str
    name: str


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[ServerProcess]:
    """A real ``pinnwand serve`` on a fresh instance (SQLite, no idea rate limit), with one
    moderator created through the CLI before it starts."""
    instance = tmp_path_factory.mktemp("browser") / "instance"
    instance.mkdir()
    env = server_env(instance, idea_rate_limit=0)
    create_moderator(env, MODERATOR_EMAIL, MODERATOR_PASSWORD, MODERATOR_NAME, cwd=instance)
    server = ServerProcess(env, cwd=instance)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def moderator(live_server) -> Moderator:
    """The moderator account the CLI created on :func:`live_server`."""
    return Moderator(MODERATOR_EMAIL, MODERATOR_PASSWORD, MODERATOR_NAME)


# ------------------------------------------------------------------------------ browser


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, launched once for the whole session (headless)."""
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError as error:
        _unavailable(f"Playwright for Python is not installed ({error}): "
                     "pip install -e '.[test]'")
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:  # present but broken: a failure, not a skip
        playwright.stop()
        pytest.fail(f"Chromium at {CHROMIUM} does not start: {error}", pytrace=False)
    yield browser
    browser.close()
    playwright.stop()


@dataclass
class PageLog:
    """What one page reported that a clean page never does."""

    label: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"{self.label}: console error: {text}" for text in self.console_errors]
                + [f"{self.label}: uncaught error: {text}" for text in self.page_errors]
                + [f"{self.label}: dialog: {text}" for text in self.dialogs])


class Screens:
    """Opens the test's browser contexts and pages, watches them, takes screenshots and closes
    everything at the end."""

    def __init__(self, browser, base_url: str, test_name: str):
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.test_name = test_name
        self.contexts = []
        self.pages: list[tuple[str, object]] = []
        self.logs: list[PageLog] = []

    # -- contexts and pages ----------------------------------------------------------------

    def _context(self, options: dict):
        context = self.browser.new_context(base_url=self.base_url, **COMMON, **options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        context.add_init_script(CSP_REPORTER)
        self.contexts.append(context)
        return context

    def laptop(self):
        """A laptop browser (1366×850, German)."""
        return self._context(LAPTOP)

    def phone(self):
        """A phone (360×740, touch, device scale 2, German)."""
        return self._context(PHONE)

    def projector(self):
        """A projector PC (1920×1080, German)."""
        return self._context(PROJECTOR)

    def page(self, context, label: str):
        """A new watched page in ``context``; ``label`` names it in messages and screenshots."""
        page = context.new_page()
        log = PageLog(label)

        def on_console(message):
            if message.type == "error":
                location = message.location or {}
                log.console_errors.append(f"{message.text} ({location.get('url', '?')})")

        def on_dialog(dialog):
            log.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("console", on_console)
        page.on("pageerror", lambda error: log.page_errors.append(str(error)))
        page.on("dialog", on_dialog)
        self.pages.append((label, page))
        self.logs.append(log)
        return page

    # -- checks and screenshots ------------------------------------------------------------

    def problems(self) -> list[str]:
        return [problem for log in self.logs for problem in log.problems()]

    def assert_clean(self) -> None:
        """Fail when any page logged a console error, an uncaught error, a CSP violation or
        opened a dialog."""
        problems = self.problems()
        assert not problems, "the pages reported problems:\n" + "\n".join(problems)

    def shot(self, page, name: str, full_page: bool = False) -> Path:
        """Save a screenshot as ``test-artifacts/screenshots/<name>.png``."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    def shoot_all_on_failure(self) -> None:
        safe_test = re.sub(r"[^A-Za-z0-9_-]+", "-", self.test_name).strip("-")
        for label, page in self.pages:
            if page.is_closed():
                continue
            safe_label = re.sub(r"[^A-Za-z0-9_-]+", "-", label).strip("-")
            try:
                self.shot(page, f"failed-{safe_test}-{safe_label}", full_page=True)
            except Exception as error:  # a crashed page must not hide the real failure
                print(f"no screenshot of {label}: {error}")

    def close(self) -> None:
        for context in self.contexts:
            try:
                context.close()
            except Exception as error:
                print(f"closing a browser context failed: {error}")


@pytest.fixture
def screens(request, chromium, live_server) -> Iterator[Screens]:
    """The test's screens; on failure every open page is photographed, the problems the pages
    reported and the server's last output are printed."""
    manager = Screens(chromium, live_server.url, request.node.name)
    yield manager
    if _failed(request.node):
        manager.shoot_all_on_failure()
        problems = manager.problems()
        if problems:
            print("--- what the pages reported:\n" + "\n".join(problems))
        print("--- the server's last 150 lines:")
        print("".join(live_server.output().splitlines(keepends=True)[-150:]))
    manager.close()

