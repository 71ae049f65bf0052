"""The phone page on a slow network: bytes on first load and time until an idea can be posted.

Starts ``pinnwand serve`` on a fresh SQLite instance, creates an event, then opens the join
link in Debian's Chromium (Playwright) on a 390×844 phone with the network throttled through
the DevTools protocol, and measures three waits a participant sits through (typing excluded):
the page loaded with its scripts running, the workshop list after "join", and the board ready
to post after picking a workshop.

    python -m bench.phone_load            # both profiles, 3 runs each

Profiles: ``slow-3g-wpt`` (WebPageTest "3G Slow": 400 kbit/s both ways, 400 ms round trip) and
``slow-3g-devtools`` (Chrome DevTools "Slow 3G": 400 kbit/s, 2,000 ms round trip).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
PROFILES = {
    "slow-3g-wpt": {"latency": 400, "kbit": 400},
    "slow-3g-devtools": {"latency": 2000, "kbit": 400},
}
PASSWORD = "bench password 1"


def start_server(instance: Path) -> tuple[subprocess.Popen, str]:
    """``pinnwand serve --port 0`` on a fresh instance; the process and its base URL."""
    env = {**os.environ, "PINNWAND_INSTANCE_PATH": str(instance)}
    pinnwand = str(Path(sys.executable).with_name("pinnwand"))
    subprocess.run([pinnwand, "create-moderator", "bench@example.org", "--password-stdin"],
                   input=PASSWORD, text=True, env=env, check=True, capture_output=True)
    process = subprocess.Popen([pinnwand, "serve", "--port", "0"], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for line in process.stdout:
        found = re.search(r"(http://[\d.:]+)/", line)
        if found:
            return process, found.group(1)
    raise RuntimeError("the server did not start")


def create_event(base: str) -> str:
    """An event with three workshops; its join URL."""
    token = requests.post(f"{base}/api/v1/auth/token", timeout=10,
                          json={"email": "bench@example.org", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    event = requests.post(f"{base}/api/v1/events", headers=headers, timeout=10, json={
        "title": "Fachkräfte-Forum", "workshops": [
            {"title": f"Workshop {n}", "question": "Wie halten wir Fachkräfte?"}
            for n in (1, 2, 3)]}).json()
    return f"{base}/join/{event['join_code']}"


def measure(browser, join_url: str, profile: dict) -> dict:
    """One cold first visit on a throttled phone: bytes and the three waits, in seconds."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, locale="de-DE")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = profile["kbit"] * 1000 / 8
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": profile["latency"],
        "downloadThroughput": rate, "uploadThroughput": rate})
    start = time.perf_counter()
    page.goto(join_url, wait_until="load", timeout=60_000)  # every script loaded and run
    expect(page.get_by_test_id("join-name")).to_be_editable(timeout=60_000)
    name_ready = time.perf_counter() - start
    first_load = page.evaluate(
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType("
        "'resource')).reduce((sum, entry) => sum + entry.transferSize, 0)")
    page.get_by_test_id("join-name").fill("Anna")
    start = time.perf_counter()
    page.get_by_test_id("join-submit").tap()
    expect(page.get_by_test_id("workshop-choice").first).to_be_visible(timeout=60_000)
    workshops_ready = time.perf_counter() - start
    start = time.perf_counter()
    page.get_by_test_id("workshop-choice").first.tap()
    expect(page.get_by_test_id("idea-count")).to_have_attribute("data-count", "0",
                                                                timeout=60_000)
    expect(page.get_by_test_id("idea-submit")).to_be_enabled(timeout=60_000)
    board_ready = time.perf_counter() - start
    context.close()
    return {"first_load_kb": first_load / 1024, "name_ready": name_ready,
            "workshops_ready": workshops_ready, "board_ready": board_ready,
            "postable": name_ready + workshops_ready + board_ready}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        process, base = start_server(Path(folder))
        try:
            join_url = create_event(base)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                for name, profile in PROFILES.items():
                    runs = [measure(browser, join_url, profile) for _ in range(args.runs)]
                    medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                    print(f"{name}: " + ", ".join(f"{k} {v:.2f}" for k, v in medians.items()))
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
