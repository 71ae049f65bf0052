"""Summarise a py-spy ``--format raw`` profile (collapsed stacks) of the server.

Each line of the raw file is ``frame;frame;…;leaf COUNT`` with frames like
``on_create_idea (app/ideas/sockets.py:28)``. Idle samples are not recorded (py-spy without
``--idle``), so shares are shares of the server's busy CPU time::

    python -m bench.profile bench/results/profile-….txt
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")

# Leaf-frame file → layer, first match wins.
LAYERS = (
    ("app/", "pinnwand app code"),
    ("sqlalchemy/", "SQLAlchemy"),
    ("sqlite3/", "sqlite3 driver"),
    ("pydantic", "pydantic"),
    ("flask_socketio/", "Flask-SocketIO"),
    ("flask/", "Flask"),
    ("werkzeug/", "Werkzeug"),
    ("socketio/", "python-socketio"),
    ("engineio/", "python-engineio"),
    ("simple_websocket/", "simple-websocket/wsproto"),
    ("wsproto/", "simple-websocket/wsproto"),
    ("eventlet/", "eventlet (hub, green I/O)"),
    ("gevent/", "gevent"),
    ("json/", "json"),
    ("logging/", "logging"),
    ("threading.py", "threading (locks)"),
    ("uuid.py", "uuid"),
    ("datetime", "datetime"),
)

# Buckets: a sample counts for the deepest of these frames in its stack (leaf first).
BUCKETS = (
    ("app/board/operations.py", "remembered", "create_idea: idempotency look-up (remembered)"),
    ("app/validation.py", "parse", "payload validation (pydantic)"),
    ("app/access.py", "require_poster", "access check"),
    ("app/access.py", "require_reader", "access check"),
    ("app/board/seq.py", "claim_seq", "create_idea: seq UPDATE … RETURNING (claim_seq)"),
    ("app/board/changes.py", "record_change", "create_idea: change-log row"),
    ("app/ideas/services.py", "create_idea",
     "create_idea: idea + operation rows, flushes (rest of services.create_idea)"),
    ("app/db.py", "transaction", "write session: begin / COMMIT / close"),
    ("app/db.py", "read", "read session: open / close"),
    ("app/board/publish.py", "publish", "broadcast: emit idea_created to the rooms"),
    ("app/workshops/stats.py", "_send_later", "stats notifier (workshop_stats)"),
    ("app/workshops/stats.py", "touch", "stats notifier (workshop_stats)"),
    ("app/workshops/sockets.py", "on_join_workshop", "join_workshop (other)"),
    ("app/auth/sockets.py", "on_connect", "connect (token look-up)"),
    ("app/realtime.py", "wrapper", "handler wrapper, identity, limiter (other app code)"),
)


def parse(path: Path) -> list[tuple[list[tuple[str, str]], int]]:
    stacks = []
    for line in Path(path).read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = []
        for raw in stack.split(";"):
            match = FRAME.match(raw.strip())
            if match:
                frames.append((match["file"], match["func"]))
            else:
                frames.append(("?", raw.strip()))
        stacks.append((frames, int(count)))
    return stacks


def layer(file: str) -> str:
    for needle, name in LAYERS:
        if needle in file:
            return name
    return "other (stdlib, …)"


def bucket(frames: list[tuple[str, str]]) -> str:
    """The bucket of one stack: the deepest frame named in :data:`BUCKETS`, else a layer."""
    for file, func in reversed(frames):
        for needle, name, label in BUCKETS:
            if (func == name or func.endswith("." + name)) and needle in file:
                return label
    if any(f.startswith("app/") for f, _ in frames):
        return "other app code"
    if any("flask_socketio" in f or "socketio/server.py" in f for f, _ in frames):
        return "Socket.IO / Flask-SocketIO dispatch (outside the handlers)"
    return "transport: websocket frames, engine.io queues, eventlet hub"


def _commit_share(stacks) -> int:
    """Samples inside ``Session.commit`` (the SQLite write + fsync-less WAL append)."""
    return sum(count for frames, count in stacks
               if any(func in ("Session.commit", "Connection.commit") for _, func in frames))


def summarise_profile(path: Path, top: int = 30) -> dict:
    stacks = parse(path)
    total = sum(count for _, count in stacks) or 1
    self_time: Counter = Counter()
    inclusive: Counter = Counter()
    layers: Counter = Counter()
    buckets: Counter = Counter()
    handler_overhead = 0
    for frames, count in stacks:
        leaf_file, leaf_func = frames[-1]
        self_time[f"{leaf_file}:{leaf_func}"] += count
        layers[layer(leaf_file)] += count
        for name in {f"{file}:{func}" for file, func in frames}:
            inclusive[name] += count
        buckets[bucket(frames)] += count
        if any(func == "SocketIO._handle_event" for _, func in frames) and not any(
                f.startswith("app/") for f, _ in frames):
            handler_overhead += count

    def share(counter: Counter, n: int) -> list[dict]:
        return [{"name": name, "samples": c, "share": round(c / total, 4)}
                for name, c in counter.most_common(n)]

    return {
        "file": str(path), "samples": total,
        "layers_by_leaf": share(layers, 30),
        "buckets": share(buckets, 30),
        "commit_share": round(_commit_share(stacks) / total, 4),
        "flask_socketio_wrapper_share": round(handler_overhead / total, 4),
        "top_self": share(self_time, top),
        "top_inclusive_app": [item for item in share(inclusive, 400)
                              if item["name"].startswith(("app/", "flask_socketio/"))][:top],
        "top_inclusive": share(inclusive, top * 2),
    }


def report(summary: dict) -> str:
    lines = [f"{summary['samples']} samples (busy CPU only) from {summary['file']}", "",
             "Where the time goes (deepest named frame of each sample):"]
    lines += [f"  {b['share'] * 100:5.1f}%  {b['name']}" for b in summary["buckets"]]
    lines += ["", f"  inside Session.commit: {summary['commit_share'] * 100:.1f}%",
              "", "By layer of the leaf frame:"]
    lines += [f"  {b['share'] * 100:5.1f}%  {b['name']}" for b in summary["layers_by_leaf"]]
    lines += ["", "Top self time:"]
    lines += [f"  {b['share'] * 100:5.1f}%  {b['name']}" for b in summary["top_self"][:25]]
    lines += ["", "Top inclusive (app and Flask-SocketIO frames):"]
    lines += [f"  {b['share'] * 100:5.1f}%  {b['name']}"
              for b in summary["top_inclusive_app"][:30]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__)
        return 2
    summary = summarise_profile(Path(argv[0]))
    if "--json" in argv:
        print(json.dumps(summary, indent=1))
    else:
        print(report(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
