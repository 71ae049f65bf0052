"""The browser modules' own unit tests (``tests/js/*.test.js``) run as part of the suite.

They exercise the modules of ``static/js`` that hold logic — the board's state, the feed's
``seq`` ordering and resync, the phone's outbox, the shared ``ui/`` helpers — with
``node --test``, on the files exactly as the browser loads them (no build step). Without
Node.js they skip and say so; with ``CI=true`` that is a failure (``.ci/run`` installs it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from pinnwand.pages.minify import minified

from tests.support.services import unavailable

ROOT = Path(__file__).resolve().parents[2]
OLDEST_NODE = (20, 11)  # node:test mocks Date and timers from 20.11 on
TIMEOUT_S = 300


def node_or_skip() -> str:
    """The path of a recent enough ``node``, or skip (fail with ``CI=true``)."""
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js is not installed (Debian: apt-get install nodejs): "
                    "the browser modules' unit tests need it")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    found = tuple(int(part) for part in re.findall(r"\d+", version.stdout)[:2])
    if found < OLDEST_NODE:
        unavailable(f"Node.js {version.stdout.strip()} is too old for the browser modules' "
                    f"unit tests (they need {'.'.join(map(str, OLDEST_NODE))} or newer)")
    return node


def test_the_browser_modules_pass_their_unit_tests():
    passes(node_or_skip(), ROOT)


def test_the_modules_as_served_pass_the_same_unit_tests(tmp_path):
    """The server sends our scripts minified (app/pages/minify.py): the same tests, run on the
    modules as a browser gets them, show that minifying changed no behaviour."""
    node = node_or_skip()
    shutil.copy(ROOT / "package.json", tmp_path / "package.json")
    shutil.copytree(ROOT / "tests" / "js", tmp_path / "tests" / "js",
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    scripts = ROOT / "static" / "js"
    changed = 0
    for script in scripts.rglob("*.js"):
        name = str(script.relative_to(ROOT / "static"))
        sent = minified(name, script.read_bytes())
        changed += sent != script.read_bytes()
        (tmp_path / "static" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "static" / name).write_bytes(sent)
    assert changed > 10, "the scripts are no longer minified: drop this test"
    for script in (tmp_path / "static").rglob("*.js"):  # every one still parses, as a module
        module = script.with_suffix(".mjs")
        module.write_bytes(script.read_bytes())
        check = subprocess.run([node, "--check", str(module)], capture_output=True, text=True,
                               timeout=60)
        assert check.returncode == 0, f"{script.name} as served:\n{check.stderr[-2000:]}"
    passes(node, tmp_path)


def passes(node: str, root: Path) -> None:
    """``node --test tests/js`` in ``root`` passes, and ran tests."""
    run = subprocess.run([node, "--test", "--test-reporter=tap", "tests/js"], cwd=root,
                         capture_output=True, text=True, timeout=TIMEOUT_S)
    counts = dict(re.findall(r"^# (pass|fail|cancelled) (\d+)$", run.stdout, re.MULTILINE))
    report = (run.stdout[-6000:] + run.stderr[-2000:]).strip()
    assert run.returncode == 0, f"node --test tests/js failed:\n{report}"
    assert counts.get("fail") == "0" and counts.get("cancelled") == "0", report
    assert int(counts.get("pass", 0)) > 0, f"no JavaScript tests ran:\n{report}"
