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
    python -m bench.phone_load --profile slow-3g-wpt --resources   # what bytes, when
    python -m bench.phone_load --profile slow-3g-wpt --baseline /tmp/before/.venv/bin/pinnwand

``--resources`` adds, per file the phone fetched before it was postable, the median moment its
request started and its last byte arrived (seconds since navigation) and its bytes on the wire.
``--baseline`` names the ``pinnwand`` command of another installation (e.g. an exported commit
in a virtual environment of its own): both servers run side by side, visits alternate
(before, after, before, …) under the same conditions, and both medians are printed, with the
load average before and after.

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
import threading
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
PROFILES = {
    "slow-3g-wpt": {"latency": 400, "kbit": 400},
    "slow-3g-devtools": {"latency": 2000, "kbit": 400},
}
PASSWORD = "bench password 1"


def start_server(instance: Path, pinnwand: str) -> tuple[subprocess.Popen, str]:
    """``pinnwand serve --port 0`` (the command ``pinnwand``) on a fresh instance; the process
    and its base URL."""
    instance.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PINNWAND_INSTANCE_PATH": str(instance)}
    subprocess.run([pinnwand, "create-moderator", "bench@example.org", "--password-stdin"],
                   input=PASSWORD, text=True, env=env, check=True, capture_output=True)
    process = subprocess.Popen([pinnwand, "serve", "--port", "0"], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for line in process.stdout:
        found = re.search(r"(http://[\d.:]+)/", line)
        if found:
            # Keep reading what it prints, so a full pipe never blocks the server.
            threading.Thread(target=process.stdout.read, daemon=True).start()
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
    resources = page.evaluate(RESOURCES, marks["board"])
    context.close()
    return {"transferred_kb": sum(r["bytes"] for r in resources) / 1024,
            "name_ready": marks["name"] / 1000,
            "workshops_ready": (marks["list"] - marks["submitted"]) / 1000,
            "board_ready": (marks["board"] - marks["picked"]) / 1000,
            "postable": marks["board"] / 1000,
            "resources": resources}


# Every response complete by the moment the board became postable (the page itself as "page"):
# its path (without the query), when its request started and its last byte arrived (ms since
# navigation) and its bytes on the wire, headers included.
RESOURCES = """
(postable) => performance.getEntriesByType("navigation")
  .concat(performance.getEntriesByType("resource"))
  .filter((entry) => entry.responseEnd <= postable)
  .map((entry) => ({
    name: entry.entryType === "navigation" ? "page" : new URL(entry.name).pathname,
    start: entry.startTime, end: entry.responseEnd, bytes: entry.transferSize,
  }))
"""


def summary(runs: list[dict]) -> str:
    """The medians (min–max) of the runs' figures."""
    figures = {key: sorted(r[key] for r in runs) for key in runs[0] if key != "resources"}
    return ", ".join(f"{key} {statistics.median(v):.2f} ({v[0]:.2f}–{v[-1]:.2f})"
                     for key, v in figures.items())


def resource_table(runs: list[dict]) -> str:
    """Per file fetched before postable: median start, end (s) and KB, in the order of start;
    a file missing from some runs shows in how many it was there."""
    by_name: dict[str, list[dict]] = {}
    for run in runs:
        for entry in run["resources"]:
            by_name.setdefault(entry["name"], []).append(entry)
    rows = []
    for name, entries in by_name.items():
        start = statistics.median(e["start"] for e in entries) / 1000
        end = statistics.median(e["end"] for e in entries) / 1000
        kb = statistics.median(e["bytes"] for e in entries) / 1024
        seen = "" if len(entries) == len(runs) else f"  (in {len(entries)} of {len(runs)} runs)"
        rows.append((start, f"  {name:<48} {start:5.2f} → {end:5.2f} s {kb:6.1f} KB{seen}"))
    return "\n".join(row for _start, row in sorted(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", choices=sorted(PROFILES), action="append",
                        help="only this profile (may be given twice); default: both")
    parser.add_argument("--resources", action="store_true",
                        help="also list every file fetched before postable: when, how many bytes")
    parser.add_argument("--baseline", metavar="PINNWAND",
                        help="the `pinnwand` command of the code to compare with; visits "
                             "alternate between it (before) and this tree (after)")
    args = parser.parse_args()
    commands = {"after": str(Path(sys.executable).with_name("pinnwand"))}
    if args.baseline:
        commands = {"before": args.baseline, **commands}
    with tempfile.TemporaryDirectory() as folder:
        servers = {}
        try:
            for side, command in commands.items():
                servers[side] = start_server(Path(folder) / side, command)
            join_urls = {side: create_event(base) for side, (_process, base) in servers.items()}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                for name in args.profile or PROFILES:
                    print(f"{name}: load average {os.getloadavg()[0]:.1f} at the start", flush=True)
                    runs: dict[str, list[dict]] = {side: [] for side in commands}
                    for _ in range(args.runs):
                        for side in commands:
                            runs[side].append(measure(browser, join_urls[side], PROFILES[name]))
                    for side, measured in runs.items():
                        label = f"{name}, {side}" if args.baseline else name
                        print(f"{label}, median (min–max) of {len(measured)}: "
                              + summary(measured))
                        if args.resources:
                            print(resource_table(measured))
                    print(f"{name}: load average {os.getloadavg()[0]:.1f} at the end", flush=True)
                browser.close()
        finally:
            for process, _base in servers.values():
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
