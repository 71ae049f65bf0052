"""The phone page on a slow network: bytes on first load and time until an idea can be posted.

Starts ``pinnwand serve`` on a fresh SQLite instance, creates an event, then opens the join
link in Debian's Chromium (Playwright) on a 390×844 phone with the network throttled through
the DevTools protocol, and measures three waits a participant sits through (typing excluded):
the name field usable, the workshop list after "join", and the board ready to post after
picking a workshop. The participant types and taps in no time (a script in the page does it the
moment each screen is usable), so "postable" is the time from navigation to a board that takes
an idea, with nothing of a human's in it; "transferred" counts every byte until then.

    python -m bench.phone_load            # both profiles, 5 runs each
    python -m bench.phone_load --profile slow-3g-wpt --runs 9

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
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

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


# Runs in the page before its own scripts: a participant who types and taps in no time. It
# fills the name and submits the moment the name field is usable, picks the first workshop the
# moment the list shows, and notes (performance.now(), ms since navigation) when each screen
# became usable. MutationObserver callbacks run right after the DOM changed, so the figures have
# no polling delay in them.
ZERO_TIME_PARTICIPANT = """
(() => {
  const marks = (window.__phoneLoad = {});
  const mark = (key) => { if (!(key in marks)) marks[key] = performance.now(); };
  const shown = (node) => Boolean(node) && node.offsetParent !== null;
  const find = (id) => document.querySelector(`[data-testid="${id}"]`);
  function check() {
    const name = find("join-name");
    if (!("name" in marks) && shown(name) && !name.disabled) {
      mark("name");
      name.value = "Anna";
      find("name-form").requestSubmit();
      mark("submitted");
    }
    const choice = find("workshop-choice");
    if ("submitted" in marks && !("list" in marks) && shown(choice)) {
      mark("list");
      choice.click();
      mark("picked");
    }
    const count = find("idea-count");
    const submit = find("idea-submit");
    const empty = count && count.dataset.count === "0";
    if ("picked" in marks && empty && shown(submit) && !submit.disabled) {
      mark("board");
    }
  }
  const everything = { subtree: true, childList: true, attributes: true };
  new MutationObserver(check).observe(document, everything);
  document.addEventListener("DOMContentLoaded", check);
})();
"""


def measure(browser, join_url: str, profile: dict) -> dict:
    """One cold first visit on a throttled phone: bytes and the three waits, in seconds."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, locale="de-DE")
    context.add_init_script(ZERO_TIME_PARTICIPANT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = profile["kbit"] * 1000 / 8
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": profile["latency"],
        "downloadThroughput": rate, "uploadThroughput": rate})
    page.goto(join_url, wait_until="commit", timeout=60_000)
    page.wait_for_function("() => window.__phoneLoad && 'board' in window.__phoneLoad",
                           timeout=60_000)
    marks = page.evaluate("window.__phoneLoad")
    transferred = page.evaluate(
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType("
        "'resource')).reduce((sum, entry) => sum + entry.transferSize, 0)")
    context.close()
    return {"transferred_kb": transferred / 1024,
            "name_ready": marks["name"] / 1000,
            "workshops_ready": (marks["list"] - marks["submitted"]) / 1000,
            "board_ready": (marks["board"] - marks["picked"]) / 1000,
            "postable": marks["board"] / 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", choices=sorted(PROFILES), action="append",
                        help="only this profile (may be given twice); default: both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        process, base = start_server(Path(folder))
        try:
            join_url = create_event(base)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                for name in args.profile or PROFILES:
                    profile = PROFILES[name]
                    runs = [measure(browser, join_url, profile) for _ in range(args.runs)]
                    figures = {key: sorted(r[key] for r in runs) for key in runs[0]}
                    print(f"{name}, median (min–max) of {len(runs)}: " + ", ".join(
                        f"{key} {statistics.median(v):.2f} ({v[0]:.2f}–{v[-1]:.2f})"
                        for key, v in figures.items()))
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
