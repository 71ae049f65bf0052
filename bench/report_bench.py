"""Results report benchmark: time, size and peak memory of every format, and the sample report.

    .venv/bin/python -m bench.report_bench                      # 3, 10, 30 workshops × 200 ideas
    .venv/bin/python -m bench.report_bench --sizes 3,10 --formats pdf,docx --repeats 1
    .venv/bin/python -m bench.report_bench --sample docs        # docs/sample-report.pdf + PNGs
    .venv/bin/python -m bench.report_bench --sizes 3,30 --formats pdf,docx --repeats 1 \
        --baseline /tmp/before --rounds 3    # before/after: alternating fresh processes

Each size gets its own SQLite database with one event (an agenda, ~15 participants per
workshop, ``--ideas`` ideas per workshop with realistic German texts – umlauts, „quotes“,
line breaks – and a long-tailed vote distribution). Every (size, format) is measured in a
fresh Python process, so peak memory is that one render's: the process reads the report from
the database (``read_s``), notes its resident memory, renders (``render_s``, the median of
``--repeats``) and reports the file size and its peak resident memory above the level before
rendering (``peak_mb``: the kernel's resident high-water mark, reset right before the render,
so C libraries such as Pango count too; ``tree_peak_mb``: the peak of the summed PSS of the
process and the child processes a render forks, sampled ten times a second; the tables
show the latter). Render time is given as wall time and as CPU time, the process's and
its children's; on a busy machine the CPU time is the steadier figure, but what a user
waits for is the wall time.

With ``--baseline FOLDER`` (a copy of the code to compare with, e.g. ``git archive HEAD``
unpacked there) every (size, format) is measured ``--rounds`` times for this work tree and
for the baseline in alternation (after, before, after, …), each in a fresh process, and the
table gives the median (min–max) of each side: on a shared, busy machine only runs taken
side by side are comparable.

Results go to ``bench/results/report-<time>.json`` and are printed as a Markdown table (the
one in ``docs/report-performance.md``). Linearity: ``us_per_idea`` (CPU time per idea)
should stay flat from 600 to 6,000 ideas.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
FORMATS = ("pdf", "docx", "md", "csv", "xlsx", "json")
HEAVY = ("pdf", "docx")  # measured once from 10 workshops up (they take long)
MB = 1024 * 1024

_TOPICS = ["Ausbildung", "Weiterbildung", "Fachkräfte", "Übergänge", "Digitalisierung",
           "Mobilität", "Wohnraum", "Kinderbetreuung", "Willkommenskultur", "Arbeitszeit"]
_ACTIONS = ["Mentoring-Programme für", "Ein „Tag der offenen Tür“ für",
            "Feste Ansprechpersonen für",
            "Flexible Arbeitszeiten für", "Eine digitale Lernplattform für",
            "Gemeinsame Stellenbörse für", "Sprachkurse während der Arbeitszeit für",
            "Zuschüsse zum ÖPNV-Ticket für", "Patenschaften zwischen Betrieben und",
            "Übernahmegarantien für"]
_WHO = ["Auszubildende", "Studienabbrecher*innen", "Quereinsteiger", "ältere Beschäftigte",
        "Zugezogene", "Schülerinnen und Schüler", "Eltern in Teilzeit",
        "Fachkräfte aus dem Ausland",
        "kleine Betriebe", "Berufsschulen"]
_WHY = ["damit niemand die Ausbildung abbricht", "weil Größe nicht alles ist",
        "– erprobt in Südwestfalen", "und zwar ab dem nächsten Schuljahr",
        "über die Kammern organisiert", "ohne zusätzliche Bürokratie", "",
        "mit klaren Zuständigkeiten", "auch für Betriebe unter 20 Beschäftigten", ""]
_NAMES = ["Anna Müller", "Jürgen Weiß", "Zoë Çelik", "Ömer Öztürk", "Hans-Peter Groß",
          "Lena Schmidt", "Björn Schäfer", "Aylin Yılmaz", "Grete Köhler", "Mustafa Demir",
          "Sophie Bäcker", "Jörg Ölmann", "Małgorzata Nowak", "Luca Rossi", "Frieda Hüsken"]


def idea_text(rng: random.Random) -> str:
    """A plausible idea: „Mentoring-Programme für Auszubildende, damit …“ (sometimes with a
    second line)."""
    text = f"{rng.choice(_ACTIONS)} {rng.choice(_WHO)} {rng.choice(_WHY)}".strip()
    if rng.random() < 0.15:
        text += f"\nZweiter Gedanke: {rng.choice(_TOPICS)} mitdenken."
    return text


def seed_event(session, workshops: int, ideas: int, seed: int = 7) -> int:
    """One event with ``workshops`` workshops of ``ideas`` ideas each; returns its id."""
    from pinnwand.events.models import AgendaItem, Event, Participant
    from pinnwand.ideas.models import Idea
    from pinnwand.workshops.models import Workshop, WorkshopMember

    rng = random.Random(seed)
    event = Event(title=f"Fachkräfte-Forum „Zukunft Region“ ({workshops} Workshops)",
                  date=date(2026, 11, 21), location="Köln, Gürzenich",
                  description="Impulse und parallele Workshops zur Fachkräftesicherung.",
                  join_code=f"B{workshops:02d}{seed:03d}"[:6])
    session.add(event)
    session.flush()
    for position in range(3):
        session.add(AgendaItem(event_id=event.id, position=position,
                               starts_at=f"0{9 + position}:00",
                               title=f"Impuls {position + 1}: {rng.choice(_TOPICS)} neu denken",
                               speaker=rng.choice(_NAMES), organisation="IHK Köln"))
    moment = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    for position in range(workshops):
        topic = _TOPICS[position % len(_TOPICS)]
        workshop = Workshop(event_id=event.id, position=position,
                            title=f"{topic} {position // len(_TOPICS) + 1}",
                            question=f"Wie können wir {topic.lower()} in der Region stärken?")
        session.add(workshop)
        people = [Participant(event_id=event.id, name=rng.choice(_NAMES)) for _ in range(15)]
        session.add_all(people)
        session.flush()
        session.add_all(WorkshopMember(workshop_id=workshop.id, participant_id=p.id)
                        for p in people)
        rows = []
        for number in range(ideas):
            author = rng.choice(people)
            rows.append(Idea(workshop_id=workshop.id, participant_id=author.id,
                             author_name=author.name, anonymous=rng.random() < 0.1,
                             text=idea_text(rng), votes=int(rng.paretovariate(1.6)) - 1,
                             created_at=moment + timedelta(seconds=7 * number)))
        session.add_all(rows)
        session.flush()
    return event.id


def sample_event(session) -> int:
    """The realistic three-workshop event of ``docs/sample-report.pdf``."""
    from pinnwand.auth.models import Moderator
    from pinnwand.events.models import AgendaItem, Event, Participant, event_moderators
    from pinnwand.ideas.models import Idea
    from pinnwand.reports.models import ReportSettings
    from pinnwand.workshops.models import Workshop, WorkshopMember

    event = Event(title="Fachkräfte-Forum Südwest 2026", date=date(2026, 11, 21),
                  location="Siegen, Bismarckhalle", join_code="SMPL26",
                  description="Wie gewinnen, bilden und halten wir Fachkräfte in der Region? "
                              "Drei Impulse am Vormittag, drei parallele Workshops am "
                              "Nachmittag – mit Unternehmen, Kammern, Schulen und Verwaltung.")
    session.add(event)
    moderator = Moderator(email="sample@example.org", name="Dr. Maria Moderatorin",
                          password_hash="-")
    session.add(moderator)
    session.flush()
    session.execute(event_moderators.insert().values(event_id=event.id,
                                                     moderator_id=moderator.id))
    session.add(ReportSettings(event_id=event.id, organiser="IHK Siegen · Regionalmanagement "
                                                            "Südwestfalen"))
    talks = [("09:30", "Fachkräftesicherung in Südwestfalen: Zahlen und Trends",
              "Dr. Eva Köhler", "IHK Siegen"),
             ("10:10", "Ausbildung neu denken – was junge Menschen wirklich wollen",
              "Prof. Jens Bär", "Universität Siegen"),
             ("10:50", "Willkommen in der Region: ein Praxisbericht", "Aylin Yılmaz",
              "Welcome Center Südwestfalen")]
    for position, (starts, title, speaker, organisation) in enumerate(talks):
        session.add(AgendaItem(event_id=event.id, position=position, starts_at=starts,
                               title=title, speaker=speaker, organisation=organisation))
    workshops = [
        ("Ausbildung & Übergänge", "Wie gewinnen wir mehr junge Menschen für eine duale "
         "Ausbildung in unseren Betrieben?", [
             ("Mentoring-Programme für Azubis in kleinen Betrieben – ein fester "
              "Ansprechpartner ab Tag 1", 14, False),
             ("„Schnuppertage“ an allen Schulen ab Klasse 8, gemeinsam organisiert", 11, False),
             ("Ausbildungsbotschafter*innen: Azubis erzählen an Schulen von ihrem Alltag", 9,
              False),
             ("Übernahmegarantie schon im Ausbildungsvertrag zusagen", 7, True),
             ("Azubi-WG in Siegen: bezahlbares Wohnen für Auszubildende von außerhalb", 6,
              False),
             ("Eltern mitnehmen: Elternabende zur Berufsorientierung", 4, False),
             ("Social-Media-Kanal der Region statt 40 einzelner Betriebsseiten", 3, False),
             ("Teilzeitausbildung für junge Eltern bekannter machen", 2, False),
             ("ÖPNV-Ticket für alle Azubis kostenlos\nFinanzierung: Betriebe + Kreis", 2,
              False),
             ("Prüfungsvorbereitung gemeinsam über Betriebsgrenzen hinweg", 1, False),
             ("Praktikumsbörse mit Bewertungen von Schüler*innen", 0, False),
         ]),
        ("Weiterbildung im Betrieb", "Was hält Beschäftigte vom Lernen ab – und was hilft?", [
            ("Lernzeit ist Arbeitszeit: zwei Stunden pro Woche fest im Dienstplan", 12, False),
            ("Kurze Lernformate (20 Minuten) direkt am Arbeitsplatz", 8, False),
            ("Weiterbildungsberatung für kleine Betriebe aus einer Hand", 8, False),
            ("Teilqualifizierungen für An- und Ungelernte anerkennen", 5, True),
            ("Sprachkurse berufsbegleitend – auch im Schichtbetrieb", 4, False),
            ("Lernpat*innen unter Kolleg*innen statt teurer Seminare", 3, False),
            ("Digitale Grundkenntnisse für alle: „Tablet-Führerschein“", 1, False),
            ("Förderprogramme verständlich erklären (eine Seite, kein Amtsdeutsch)", 1, False),
        ]),
        ("Fachkräfte aus dem Ausland", "Wie heißen wir neue Kolleginnen und Kollegen aus "
         "dem Ausland willkommen – im Betrieb und in der Region?", [
             ("Anerkennung ausländischer Abschlüsse beschleunigen: eine zentrale "
              "Anlaufstelle im Kreis", 15, False),
             ("Wohnraum für Zugezogene: Kontingente bei Wohnungsbaugesellschaften", 10, False),
             ("Willkommenspat*innen aus der Belegschaft für die ersten drei Monate", 9, False),
             ("Deutschkurse für die ganze Familie, nicht nur für die Fachkraft", 6, False),
             ("Jobs für Partner*innen gleich mitdenken (Dual-Career-Service)", 5, False),
             ("Behördengänge begleiten – Ausländerbehörde, Bank, Schule", 3, True),
             ("Mehrsprachige Infos zur Region: Kita, Schule, Vereine", 2, False),
         ]),
    ]
    names = [*_NAMES, "Tobias Klein", "Fatma Arslan", "Nele Hoffmann", "Pavel Novák",
             "Ida Brückner"]
    people = [Participant(event_id=event.id, name=name) for name in names]
    session.add_all(people)
    session.flush()
    rng = random.Random(2026)
    moment = datetime(2026, 11, 21, 13, 5, tzinfo=UTC)
    for position, (title, question, ideas) in enumerate(workshops):
        workshop = Workshop(event_id=event.id, position=position, title=title,
                            question=question)
        session.add(workshop)
        session.flush()
        members = people[position * 6: position * 6 + 8]
        session.add_all(WorkshopMember(workshop_id=workshop.id, participant_id=p.id)
                        for p in members)
        for text, votes, anonymous in ideas:
            author = rng.choice(members)
            moment += timedelta(minutes=1, seconds=rng.randrange(60))
            session.add(Idea(workshop_id=workshop.id, participant_id=author.id,
                             author_name=author.name, anonymous=anonymous, text=text,
                             votes=votes, created_at=moment))
        session.flush()
        _sample_action_and_plenary(session, event, workshop, members, position)
    session.flush()
    return event.id


def _sample_action_and_plenary(session, event, workshop, members, position: int) -> None:
    """An agreed action with two contributors (one agreed to be named) and the workshop's two
    best ideas on the plenary, with the shared vote's dots."""
    from pinnwand.actions.models import Action, Contributor
    from pinnwand.ideas.models import Idea
    from pinnwand.plenary.models import PlenaryItem

    best = session.query(Idea).filter_by(workshop_id=workshop.id).order_by(
        Idea.votes.desc(), Idea.id).limit(2).all()
    action = Action(workshop_id=workshop.id, title=f"Pilot: {best[0].text.split(':')[0][:60]}",
                    what="Mit drei Betrieben aus dem Kreishandwerkerschaftsbezirk beginnen, "
                         "nach einem halben Jahr auswerten.",
                    owner="Kreishandwerkerschaft Siegen-Wittgenstein",
                    due=date(2027, 3, 31), idea_ids=[best[0].id], position=0)
    session.add(action)
    session.flush()
    session.add_all([Contributor(action_id=action.id, participant_id=members[0].id,
                                 name=members[0].name, brings="Räume für Treffen",
                                 name_in_results=True),
                     Contributor(action_id=action.id, participant_id=members[1].id,
                                 name=members[1].name, brings="Kontakte zu Schulen")])
    for rank, idea in enumerate(best):
        session.add(PlenaryItem(event_id=event.id, workshop_id=workshop.id, idea_id=idea.id,
                                title=idea.text[:80], text=idea.text,
                                position=position * 2 + rank, votes=(9, 4, 12, 6, 7, 3)[
                                    position * 2 + rank]))


def _database(path: Path):
    import pinnwand.models  # noqa: F401  (every table)
    from pinnwand.db import Base, Database

    database = Database(f"sqlite:///{path}")
    Base.metadata.create_all(database.engine)
    return database


# -------------------------------------------------------------------- measuring

def measure(db_path: str, event_id: int, fmt: str, repeats: int,
            save: str | None = None) -> dict:
    """Inside a fresh process: read the report, then render it ``repeats`` times (the last
    file written to ``save`` if given)."""
    from pinnwand.db import Database
    from pinnwand.reports.model import ReportOptions
    from pinnwand.reports.reader import build_report
    from pinnwand.reports.render import render

    database = Database(f"sqlite:///{db_path}")
    began = time.perf_counter()
    with database.read() as session:
        report = build_report(session, event_id, base_url="https://pinnwand.example.org",
                              options=ReportOptions(authors=True))
    read_s = time.perf_counter() - began
    before = _reset_peak()
    times, cpu, size = [], [], 0
    with TreeMemory() as tree:
        for _ in range(repeats):
            began, began_cpu = time.perf_counter(), _cpu_seconds() - tree.cpu
            body = render(report, fmt, "de")
            size = len(body)
            times.append(time.perf_counter() - began)
            cpu.append(_cpu_seconds() - tree.cpu - began_cpu)
    peak = _peak_bytes()
    if save:
        Path(save).write_bytes(body)
    ideas = report.figures.ideas
    render_s, cpu_s = statistics.median(times), statistics.median(cpu)
    return {"format": fmt, "workshops": report.figures.workshops, "ideas": ideas,
            "read_s": round(read_s, 4), "render_s": round(render_s, 4),
            "cpu_s": round(cpu_s, 4), "us_per_idea": round(cpu_s / ideas * 1e6, 1),
            "bytes": size,
            "peak_mb": round(max(peak - before, 0) / MB, 1), "rss_before_mb": round(before / MB),
            "tree_peak_mb": round(tree.peak / MB, 1)}


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have exited (a PDF laid out in
    parts uses child processes; they have exited when ``render`` returns)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class TreeMemory:
    """The peak, above the level at the start, of the proportional set size (PSS: shared
    pages split among the processes sharing them) of this process and all its descendants,
    sampled every :data:`SAMPLE_SECONDS` in a thread. A render that forks workers counts
    their memory here; the own process's ``peak_mb`` does not. Reading the PSS costs the
    kernel a walk over the processes' pages: ``cpu`` is the CPU time the sampling took so
    far, which the measurement leaves out."""

    SAMPLE_SECONDS = 0.2

    def __init__(self):
        self.peak = 0
        self.cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._start = _tree_pss()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self):
        while not self._stop.wait(self.SAMPLE_SECONDS):
            self.peak = max(self.peak, _tree_pss() - self._start)
            self.cpu = time.thread_time()


def _tree_pss() -> int:
    """The summed PSS of this process and its descendants, in bytes."""
    import psutil

    me = psutil.Process()
    total = 0
    for process in [me, *me.children(recursive=True)]:
        try:
            with open(f"/proc/{process.pid}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) * 1024 for line in handle
                              if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass  # it exited meanwhile
    return total


def _status(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in bytes."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def _reset_peak() -> int:
    """Reset the peak resident memory (Linux: ``5`` into /proc/self/clear_refs) so the peak
    read afterwards is the render's own; returns the resident memory now."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass  # then the peak includes what came before (imports, reading)
    return _status("VmRSS")


def _peak_bytes() -> int:
    try:
        return _status("VmHWM")
    except (OSError, KeyError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run(sizes: list[int], ideas: int, formats: list[str], repeats: int,
        baseline: Path | None = None, rounds: int = 1,
        save: Path | None = None) -> list[dict]:
    """Every (size, format) in its own process (``rounds`` times for this tree and, with a
    ``baseline``, for it too, alternating); returns the measurements."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        sides = {"after": _environment(None, folder)}
        if baseline is not None:
            sides["before"] = _environment(baseline, folder)
        for size in sizes:
            path = Path(folder) / f"report-{size}.db"
            database = _database(path)
            with database.transaction() as session:
                event_id = seed_event(session, size, ideas)
            database.dispose()
            for fmt in formats:
                times = 1 if fmt in HEAVY and size >= 10 else repeats
                for round_ in range(rounds):
                    for side, env in sides.items():
                        target = save / f"{side}-{size}.{fmt}" if save else None
                        result = _measure_in_process(path, event_id, fmt, times, env,
                                                     target)
                        result.update(side=side, round=round_, loadavg=os.getloadavg()[0])
                        print(_row(result), side, flush=True)
                        results.append(result)
    return results


def _environment(code: Path | None, scratch: str) -> dict[str, str]:
    """The environment of a measuring process: this tree's ``pinnwand`` or the one in the
    folder ``code`` (its ``app/``, put first on the path under the package's name)."""
    env = dict(os.environ)
    if code is not None:
        shadow = Path(scratch) / "baseline-path"
        shadow.mkdir(exist_ok=True)
        link = shadow / "pinnwand"
        if not link.exists():
            link.symlink_to(Path(code).resolve() / "app", target_is_directory=True)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(shadow),
                                                          env.get("PYTHONPATH")]))
    return env


def _measure_in_process(path: Path, event_id: int, fmt: str, times: int,
                        env: dict[str, str], save: Path | None = None) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.report_bench", "--measure", str(path),
         str(event_id), fmt, "--repeats", str(times), *(["--save", str(save)] if save else [])],
        cwd=ROOT, check=True, capture_output=True, text=True, env=env)
    return json.loads(output.stdout.strip().splitlines()[-1])


def compare(results: list[dict]) -> str:
    """Before and after as a Markdown table: median (min–max) of each side's runs."""
    lines = ["| workshops | ideas | format | runs | render s CPU before | render s CPU after | "
             "render s wall before | render s wall after | peak MB before | peak MB after | "
             "load average |",
             "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    keys = dict.fromkeys((r["workshops"], r["ideas"], r["format"]) for r in results)
    for workshops, ideas, fmt in keys:
        runs = {side: [r for r in results if (r["workshops"], r["format"]) == (workshops, fmt)
                       and r.get("side") == side] for side in ("before", "after")}
        cells = [_spread([r[field] for r in runs[side]])
                 for field in ("cpu_s", "render_s") for side in ("before", "after")]
        cells += [_spread([r.get("tree_peak_mb", r["peak_mb"]) for r in runs[side]])
                  for side in ("before", "after")]
        loads = [r["loadavg"] for side in runs.values() for r in side]
        cells.append(f"{min(loads):.1f}–{max(loads):.1f}" if loads else "–")
        lines.append(f"| {workshops} | {ideas} | {fmt} | {len(runs['after'])} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def _spread(values: list[float]) -> str:
    if not values:
        return "–"
    middle = statistics.median(values)
    if len(values) == 1:
        return f"{middle:.2f}"
    return f"{middle:.2f} ({min(values):.2f}–{max(values):.2f})"


def table(results: list[dict]) -> str:
    """The results as a Markdown table."""
    lines = ["| workshops | ideas | format | read s | render s (wall) | render s (CPU) | "
             "CPU µs per idea | size | peak MB |",
             "|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    lines += [_row(r) for r in results]
    return "\n".join(lines)


def _row(r: dict) -> str:
    size = f"{r['bytes'] / MB:.2f} MB" if r["bytes"] >= MB else f"{r['bytes'] / 1024:.0f} KB"
    return (f"| {r['workshops']} | {r['ideas']} | {r['format']} | {r['read_s']:.3f} | "
            f"{r['render_s']:.2f} | {r['cpu_s']:.2f} | {r['us_per_idea']:.0f} | {size} | "
            f"{r.get('tree_peak_mb', r['peak_mb']):.0f} |")


def write_sample(folder: Path) -> list[Path]:
    """``sample-report.pdf`` (German, authors hidden, contributors who agreed named) and PNGs
    of its cover, its plenary and contents page and its first workshop page into
    ``folder``."""
    from pinnwand.reports.model import ReportOptions
    from pinnwand.reports.reader import build_report
    from pinnwand.reports.render import render

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        database = _database(Path(scratch) / "sample.db")
        with database.transaction() as session:
            event_id = sample_event(session)
        with database.read() as session:
            report = build_report(session, event_id, base_url="https://pinnwand.example.org",
                                  options=ReportOptions(authors=False, contributors=True))
        database.dispose()
    pdf = folder / "sample-report.pdf"
    pdf.write_bytes(render(report, "pdf", "de"))
    first_workshop = _page_with(pdf, "WORKSHOP 1")
    written = [pdf]
    for page, name in ((1, "sample-report-page1"), (2, "sample-report-plenary"),
                       (first_workshop, "sample-report-workshop")):
        target = folder / name
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(page), "-l",
                        str(page), str(pdf), str(target)], check=True)
        written.append(target.with_suffix(".png"))
    return written


def _page_with(pdf: Path, text: str) -> int:
    """The number of the first page of ``pdf`` showing ``text``."""
    import pypdf

    reader = pypdf.PdfReader(str(pdf))
    return next(n for n, page in enumerate(reader.pages, start=1)
                if text in page.extract_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3,10,30", help="workshops per event, comma-separated")
    parser.add_argument("--ideas", type=int, default=200, help="ideas per workshop")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--repeats", type=int, default=3,
                        help="renders per measurement (PDF/DOCX of 10+ workshops: once)")
    parser.add_argument("--sample", metavar="FOLDER", help="write the sample report instead")
    parser.add_argument("--baseline", metavar="FOLDER", type=Path,
                        help="a copy of the code to compare with, measured alternately")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measurements per side and (size, format)")
    parser.add_argument("--save", metavar="FOLDER", type=Path,
                        help="keep each side's last file as FOLDER/<side>-<workshops>.<format>")
    parser.add_argument("--measure", nargs=3, metavar=("DB", "EVENT", "FORMAT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        db_path, event_id, fmt = args.measure
        print(json.dumps(measure(db_path, int(event_id), fmt, args.repeats, args.save)))
        return 0
    if args.sample:
        for path in write_sample(Path(args.sample)):
            print(path)
        return 0
    sizes = [int(size) for size in args.sizes.split(",")]
    formats = [fmt for fmt in args.formats.split(",") if fmt]
    print(table([]))
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    results = run(sizes, args.ideas, formats, args.repeats, args.baseline, args.rounds,
                  args.save)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    record = {"when": stamp, "python": platform.python_version(), "machine": platform.machine(),
              "cpus": os.cpu_count(), "ideas_per_workshop": args.ideas,
              "repeats": args.repeats, "rounds": args.rounds,
              "baseline": str(args.baseline) if args.baseline else None, "results": results}
    (RESULTS / f"report-{stamp}.json").write_text(json.dumps(record, indent=2))
    (RESULTS / "report-latest.json").write_text(json.dumps(record, indent=2))
    print()
    print(compare(results) if args.baseline else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
