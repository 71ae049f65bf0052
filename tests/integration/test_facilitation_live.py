"""A facilitated event end to end, against a real ``pinnwand serve`` process.

For every async mode (eventlet, gevent, threading) and database (the SQLite file in the
instance folder, a fresh PostgreSQL database) one test runs two workshops side by side over
real python-socketio websocket clients: a moderator for both, a host (host link) for each,
six participants per workshop and a projector (viewer link) on workshop 1.

Workshop 1 runs every step:

1. ``configure_workshop`` turns private writing on; participants post. Until ``reveal_ideas``
   no participant's socket and no projector receives another participant's text or name
   (checked on every raw Socket.IO packet received, acks included), while the moderator and
   the host receive all of them. One participant goes offline in between.
2. The server is killed with ``kill -9`` and started again. Clients come back at different
   times and rejoin with ``since_seq``: the catch-up withholds hidden texts from participants
   too. More ideas are posted, then ``reveal_ideas`` publishes them all to everyone.
3. ``cluster`` (the host groups the ideas), ``vote`` (budget 3, secret): no participant or
   projector packet carries a total before ``reveal_votes``; the staff see the totals; then
   everyone receives them. ``act``: the host saves an action, every participant signs up.
   ``closed``.

Workshop 2 meanwhile: its host starts a timer with ``lock_at_end`` (10 s, then ``add`` takes
off all but a few seconds: −8 s when the server starts quickly, less when its first start was
slow, so that the timer usually outlives the restart) right before the kill. It is running
when the server dies and ends after the restart — by the new process's task, or as the new
process starts when the restart took longer — and the room receives ``timer_changed``
(``ended``) and ``workshop_locked``; ``create_idea`` then answers ``locked``.
``send_message {"event_id"}`` reaches both workshops' rooms with one ``seq`` each.

Throughout: nobody but the moderator receives anything of the other workshop, and at the end
every client's ``seq`` per workshop — broadcasts plus catch-ups over all its connections —
is exactly 1..N, N the server's ``seq``; each connection's broadcasts arrive in ``seq`` order,
and all clients agree which change each ``seq`` is.
"""

from __future__ import annotations

import contextlib
import math
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import pytest
import socketio
from socketio import packet

from tests.support.server import Api, _InOrderClient, create_moderator, server_env

pytestmark = pytest.mark.integration

ASYNC_MODES = ["eventlet", "gevent", "threading"]
DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
PER_WORKSHOP = 6
TIMEOUT_S = 20
MODERATOR_EMAIL = "moderation@example.org"
MODERATOR_PASSWORD = "facilitation password"
TIMER_START_S = 10
# Each workshop-1 participant puts 2 dots on the cluster of round 1, 1, 1, 2, 2, 3 (by index).
CLUSTER_DOTS = 2
CLUSTER_OF_VOTER = [0, 0, 0, 1, 1, 2]


# -- clients that keep every packet ----------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """A numbered change one person's device received, by broadcast or in a catch-up."""

    connection: int
    source: str  # "broadcast" or "catch-up"
    name: str
    payload: dict
    at: float  # time.time() when it arrived

    @property
    def workshop_id(self) -> int:
        return self.payload["workshop_id"]

    @property
    def seq(self) -> int:
        return self.payload["seq"]


class _RecordingClient(_InOrderClient):
    """A ``socketio.Client`` (events handled in arrival order) that hands every raw Socket.IO
    packet it receives — broadcasts, acks, connect — to ``on_packet`` first."""

    def __init__(self, on_packet: Callable[[str], None], **kwargs):
        self._on_packet = on_packet
        super().__init__(**kwargs)

    def _handle_eio_message(self, data):
        self._on_packet(data if isinstance(data, str) else repr(data))
        super()._handle_eio_message(data)


class Member:
    """One person's device (participant, host, moderator or projector): its token, the
    workshops it watches, and everything its sockets received over all its connections."""

    def __init__(self, label: str, token: str, role: str, workshop_ids: list[int],
                 tag: str | None = None):
        self.label = label
        self.token = token
        self.role = role
        self.workshop_ids = workshop_ids
        self.tag = tag  # a participant's unique string, in its name and in each of its texts
        self.packets: list[str] = []
        self.seen: list[Seen] = []
        self.unnumbered: list[tuple[str, object]] = []
        self.connection = 0
        self.sio: socketio.Client | None = None
        self.lost = threading.Event()  # the current connection is gone
        self._changed = threading.Condition()

    def __repr__(self) -> str:
        return self.label

    # -- connection ------------------------------------------------------------------------

    def connect(self, url: str) -> Member:
        """Open a new websocket connection with the member's token."""
        self.connection += 1
        sio = _RecordingClient(self._keep_packet, reconnection=False)
        sio.on("*", self._on_event)
        sio.on("disconnect", lambda *_: self.lost.set())
        self.lost.clear()
        self.sio = sio
        sio.connect(url, auth={"token": self.token}, transports=["websocket"], wait_timeout=15)
        return self

    def close(self) -> None:
        """Lose the connection as a phone does when the Wi-Fi goes: the TCP socket is shut
        down under the client, no goodbye (python-socketio's own disconnect would wait up to
        3 s for the websocket close handshake); then the client is shut down quietly."""
        if self.sio is None:
            return
        sock = getattr(getattr(self.sio.eio, "ws", None), "sock", None)
        if sock is not None and self.sio.connected:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            assert self.lost.wait(TIMEOUT_S), f"{self}: the connection did not go down"
        with contextlib.suppress(Exception):
            self.sio.shutdown()

    def _keep_packet(self, data: str) -> None:
        with self._changed:
            self.packets.append(data)

    def _on_event(self, event, *args):
        payload = args[0] if args else None
        with self._changed:
            if isinstance(payload, dict) and {"workshop_id", "seq"} <= payload.keys():
                self.seen.append(Seen(self.connection, "broadcast", event, payload, time.time()))
            else:
                self.unnumbered.append((event, payload))
            self._changed.notify_all()

    # -- calls -----------------------------------------------------------------------------

    def call(self, event: str, data: dict):
        """Send ``event`` and return its ack."""
        try:
            return self.sio.call(event, data, timeout=TIMEOUT_S)
        except socketio.exceptions.TimeoutError:
            raise AssertionError(f"{self}: no ack for {event} {data} in {TIMEOUT_S} s") from None

    def call_ok(self, event: str, data: dict) -> dict:
        """Send ``event``, assert a successful ack, return its ``data``."""
        ack = self.call(event, data)
        assert isinstance(ack, dict) and ack.get("ok") is True, f"{self}: {event} {data} → {ack}"
        return ack["data"]

    def call_refused(self, event: str, data: dict, code: str) -> dict:
        """Send ``event`` and assert it is refused with error ``code``."""
        ack = self.call(event, data)
        assert isinstance(ack, dict) and ack.get("ok") is False, f"{self}: {event} {data} → {ack}"
        assert ack["error"]["code"] == code, f"{self}: {event} {data} → {ack}"
        return ack["error"]

    def join(self, workshop_id: int, since_seq: int | None = None) -> dict:
        """``join_workshop``; a catch-up's events are kept like broadcasts."""
        payload = {"workshop_id": workshop_id}
        if since_seq is not None:
            payload["since_seq"] = since_seq
        data = self.call_ok("join_workshop", payload)
        if since_seq is None:
            return data
        assert "events" in data, f"{self}: catch-up since {since_seq} answered a snapshot"
        with self._changed:
            for change in data["events"]:
                assert change["workshop_id"] == workshop_id, f"{self}: catch-up {change}"
                payload = {k: v for k, v in change.items() if k != "event"}
                self.seen.append(Seen(self.connection, "catch-up", change["event"], payload,
                                      time.time()))
            self._changed.notify_all()
        return data

    # -- what it received ------------------------------------------------------------------

    def seqs(self, workshop_id: int) -> set[int]:
        """Every ``seq`` of the workshop received so far (broadcasts and catch-ups)."""
        with self._changed:
            return {s.seq for s in self.seen if s.workshop_id == workshop_id}

    def applied_up_to(self, workshop_id: int) -> int:
        """The highest ``seq`` up to which this device has every change (its ``since_seq``)."""
        seqs = self.seqs(workshop_id)
        last = 0
        while last + 1 in seqs:
            last += 1
        return last

    def changes(self, name: str, workshop_id: int | None = None) -> list[Seen]:
        """The changes called ``name`` received so far, in arrival order."""
        with self._changed:
            return [s for s in self.seen if s.name == name
                    and (workshop_id is None or s.workshop_id == workshop_id)]

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        """Wait until ``condition()`` holds (re-checked whenever a change arrives); fail after
        ``TIMEOUT_S`` with what was received."""
        deadline = time.monotonic() + TIMEOUT_S
        with self._changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    got = sorted((s.workshop_id, s.seq, s.name) for s in self.seen)
                    raise AssertionError(f"{self}: timed out waiting for {what}; saw {got}")
                self._changed.wait(min(left, 0.25))

    def wait_until_applied(self, workshop_id: int, seq: int) -> None:
        """Wait until every change of the workshop up to ``seq`` has arrived."""
        self.wait_for(lambda: self.applied_up_to(workshop_id) >= seq,
                      f"every change of workshop {workshop_id} up to seq {seq}")

    def received_text(self) -> str:
        """Every packet received so far, as one text to search."""
        with self._changed:
            return "\n".join(self.packets)

    def mark(self) -> int:
        """How many packets arrived so far (to look at a stretch of them later)."""
        with self._changed:
            return len(self.packets)


def in_parallel(members: Iterable[Member], work: Callable[[Member], object]) -> list:
    """``work(member)`` for every member at once; the results in order."""
    members = list(members)
    if not members:
        return []
    with ThreadPoolExecutor(max_workers=min(16, len(members))) as pool:
        return list(pool.map(work, members))


def connect_all(url: str, members: Iterable[Member]) -> None:
    """Open a new connection for every member, in parallel."""
    in_parallel(members, lambda m: m.connect(url))


def close_all(members: Iterable[Member]) -> None:
    """Drop every member's connection, in parallel."""
    in_parallel(members, Member.close)


# -- the cast of one event -------------------------------------------------------------------


@dataclass
class Cast:
    """Everyone at the event, and the event's two workshops."""

    api: Api
    event_id: int
    w1: int
    w2: int
    moderator: Member
    hosts: dict[int, Member]
    projector: Member
    participants: dict[int, list[Member]]

    @property
    def everyone(self) -> list[Member]:
        return [self.moderator, *self.hosts.values(), self.projector,
                *self.participants[self.w1], *self.participants[self.w2]]

    def room(self, workshop_id: int) -> list[Member]:
        """Everyone watching a workshop."""
        return [m for m in self.everyone if workshop_id in m.workshop_ids]

    def server_seqs(self) -> dict[int, int]:
        """Each workshop's ``seq`` as the server has it."""
        view = self.api.get(f"/events/{self.event_id}")
        return {w["id"]: w["seq"] for w in view["workshops"]}

    def deliver(self, members: Iterable[Member] | None = None) -> dict[int, int]:
        """Wait until each (online) member applied every change of its workshops up to the
        server's ``seq``; returns those seqs."""
        seqs = self.server_seqs()
        for member in (self.everyone if members is None else members):
            for workshop_id in member.workshop_ids:
                member.wait_until_applied(workshop_id, seqs[workshop_id])
        return seqs


@pytest.fixture(params=ASYNC_MODES)
def async_mode(request) -> str:
    return request.param


@pytest.fixture(params=DATABASES)
def database_url(request) -> str | None:
    """``None`` for the SQLite file in the instance folder, else a fresh PostgreSQL URL."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_database")


@pytest.fixture
def members() -> Iterator[list[Member]]:
    """Every :class:`Member` a test appends here is disconnected at its end."""
    made: list[Member] = []
    yield made
    close_all(made)


def make_cast(server, env, members: list[Member]) -> Cast:
    """A moderator, an event with two workshops, a host for each, a projector on workshop 1
    and six participants per workshop, all connected and on their boards (``seq`` 0)."""
    create_moderator(env, MODERATOR_EMAIL, MODERATOR_PASSWORD, "Mia Moderatorin")
    api = Api(server.url).login(MODERATOR_EMAIL, MODERATOR_PASSWORD)
    event = api.post("/events", {
        "title": "Fachkräfte-Forum", "date": "2026-11-21",
        "workshops": [{"title": "Ausbildung", "question": "Wie finden wir Azubis?"},
                      {"title": "Zuzug", "question": "Wie gewinnen wir Fachkräfte?"}],
    }, expect=201)
    w1, w2 = (w["id"] for w in event["workshops"])
    moderator = Member("moderator", api.token, "moderator", [w1, w2])
    hosts = {}
    for wid, name in ((w1, "Hanna Host"), (w2, "Hugo Host")):
        link = api.post(f"/workshops/{wid}/host-link", {"name": name}, expect=201)
        hosts[wid] = Member(f"host of {wid}", link["token"], "host", [wid])
    viewer = api.post(f"/workshops/{w1}/viewer-link", None, expect=201)
    projector = Member(f"projector of {w1}", viewer["token"], "viewer", [w1])
    participants: dict[int, list[Member]] = {w1: [], w2: []}
    for number, wid in enumerate([w1] * PER_WORKSHOP + [w2] * PER_WORKSHOP):
        tag = f"tag{number:02d}x{uuid.uuid4().hex[:8]}"
        joined = Api(server.url).post("/join", {"code": event["join_code"],
                                                "name": f"Person {tag}"})
        participants[wid].append(Member(f"participant {number} of {wid}", joined["token"],
                                        "participant", [wid], tag))
    cast = Cast(api, event["id"], w1, w2, moderator, hosts, projector, participants)
    members.extend(cast.everyone)
    connect_all(server.url, cast.everyone)

    def open_boards(member: Member) -> None:
        for wid in member.workshop_ids:
            board = member.join(wid)
            assert board["seq"] == 0 and board["ideas"] == [], f"{member}: {board}"
            assert board["me"]["staff"] is (member.role in ("moderator", "host")), board["me"]

    in_parallel(cast.everyone, open_boards)
    cast.hosts[w1].call_refused("join_workshop", {"workshop_id": w2}, "forbidden")
    return cast


# -- the test --------------------------------------------------------------------------------


@dataclass
class Timer:
    """Workshop 2's timer as it was when the server was killed."""

    seconds_left: int
    state: dict
    ends_at: float  # epoch seconds


def test_facilitated_workshops_survive_kill_and_restart(
    async_mode, database_url, instance_path, start_server, members
):
    began = time.perf_counter()
    env = server_env(instance_path, database_url, async_mode=async_mode, idea_rate_limit=0)
    server = start_server(env)
    seconds_left = seconds_left_at_kill(time.perf_counter() - began)
    cast = make_cast(server, env, members)
    writers = cast.participants[cast.w1]
    laggard, early, late = writers[0], writers[1:4], writers[4:]
    ideas: dict[int, list[dict]] = {}  # workshop 1's ideas by round, as their authors got them

    # -- before the kill: private writing in workshop 1, a timer in workshop 2 --------------
    write_privately(cast, ideas, laggard)
    timer = start_timer_to_outlive_the_kill(cast, seconds_left)
    killed_at = time.time()
    server.kill9()
    assert killed_at < timer.ends_at - 0.5, f"the timer was due before the kill: {timer}"
    since = {(m, wid): m.applied_up_to(wid) for m in cast.everyone for wid in m.workshop_ids}
    close_all(m for m in cast.everyone if m is not laggard)

    # -- restart; devices come back at different times -------------------------------------
    restart_began = time.perf_counter()
    server.start()
    restart_s = time.perf_counter() - restart_began
    cast.api = Api(server.url, cast.api.token)
    check_timer_kept(cast, cast.w2, timer.state)
    rejoin(server.url, [m for m in cast.everyone if m not in (laggard, *late)], since)
    ideas[3] = post_round(early, cast.w1, 3, hidden=True)
    caught = rejoin(server.url, [*late, laggard], since)
    check_catch_up_withholds(caught, writers, ideas)
    ideas[3] += post_round([*late, laggard], cast.w1, 3, hidden=True)

    # -- workshop 1: reveal, cluster (and a message to all), vote, act, closed ---------------
    cast.deliver()
    check_private_writing(cast, ideas)  # all so far, catch-ups after the restart included
    reveal(cast, ideas)
    clusters = cluster(cast, ideas)
    check_message_to_all(cast)
    vote(cast, clusters, ideas[3])
    action_id = act_and_close(cast, clusters[0])

    # -- workshop 2: the timer running at the kill ended after the restart and locked --------
    ended_live = check_timer_ended_and_locked(cast, cast.w2, timer.ends_at, restart_s)
    seqs = cast.server_seqs()
    cast.participants[cast.w2][0].call_refused("create_idea", {
        "workshop_id": cast.w2, "op_id": uuid.uuid4().hex, "text": "Zu spät"}, "locked")
    assert cast.server_seqs() == seqs, "a refused create_idea took a seq"

    # -- at the end: every seq exactly once, nothing from the other workshop ---------------
    seqs = cast.deliver()
    check_sign_ups(cast, action_id)
    check_seqs(cast, seqs)
    check_workshops_apart(cast)
    how = "by its task in the new process" if ended_live else "as the new process started"
    print(f"\n[{async_mode}/{'sqlite' if database_url is None else 'postgresql'}] "
          f"seqs {seqs}; restart took {restart_s:.2f} s, the timer had {timer.seconds_left} s "
          f"left and ended {how}; whole scenario {time.perf_counter() - began:.2f} s")


# -- steps of the scenario -------------------------------------------------------------------


def write_privately(cast: Cast, ideas: dict[int, list[dict]], laggard: Member) -> None:
    """Workshop 2 posts in the open; workshop 1 turns private writing on and posts a round,
    the laggard drops off, the others post a second round. Nothing leaked so far."""
    configured = cast.moderator.call_ok("configure_workshop", {"workshop_id": cast.w1,
                                                               "private_writing": True})
    assert configured["workshop"]["settings"]["private_writing"] is True, configured
    post_round(cast.participants[cast.w2], cast.w2, 1, hidden=False)
    writers = cast.participants[cast.w1]
    ideas[1] = post_round(writers, cast.w1, 1, hidden=True)
    cast.deliver()
    laggard.close()  # a phone drops off the Wi-Fi
    ideas[2] = post_round([p for p in writers if p is not laggard], cast.w1, 2, hidden=True)
    cast.deliver([m for m in cast.everyone if m is not laggard])
    check_private_writing(cast, ideas)


def start_timer_to_outlive_the_kill(cast: Cast, seconds_left: int) -> Timer:
    """Workshop 2's host starts a 10 s timer that locks at its end and takes time off, so it
    ends ``seconds_left`` from now."""
    host = cast.hosts[cast.w2]
    host.call_ok("set_timer", {"workshop_id": cast.w2, "command": "start",
                               "seconds": TIMER_START_S, "lock_at_end": True})
    shortened = host.call_ok("set_timer", {"workshop_id": cast.w2, "command": "add",
                                           "seconds": seconds_left - TIMER_START_S})
    timer = shortened["timer"]
    assert (timer["state"], timer["lock_at_end"]) == ("running", True), shortened
    assert timer["duration"] == seconds_left and timer["remaining"] <= seconds_left, shortened
    return Timer(seconds_left, timer, datetime.fromisoformat(timer["ends_at"]).timestamp())


def reveal(cast: Cast, ideas: dict[int, list[dict]]) -> None:
    """The moderator reveals every idea written privately; everyone gets them."""
    all_ideas = [idea for round_ideas in ideas.values() for idea in round_ideas]
    revealed = cast.moderator.call_ok("reveal_ideas", {"workshop_id": cast.w1})
    assert revealed["revealed"] == len(all_ideas) == 3 * PER_WORKSHOP - 1, revealed
    cast.deliver()
    check_revealed(cast, all_ideas)


def cluster(cast: Cast, ideas: dict[int, list[dict]]) -> list[int]:
    """The cluster step: the host groups each round's ideas; the clusters' ids."""
    step(cast.moderator, cast.w1, "cluster")
    clusters = []
    for round_no, round_ideas in ideas.items():
        grouped = cast.hosts[cast.w1].call_ok("group_ideas", {
            "workshop_id": cast.w1, "idea_ids": [idea["id"] for idea in round_ideas],
            "title": f"Runde {round_no}"})
        clusters.append(grouped["cluster"]["id"])
    return clusters


def vote(cast: Cast, clusters: list[int], round3: list[dict]) -> None:
    """The vote step with a budget of 3 dots, secret: totals reach only the staff until
    ``reveal_votes``, then everyone."""
    settings = cast.moderator.call_ok("configure_workshop", {
        "workshop_id": cast.w1, "vote_budget": 3, "vote_max_per_target": 2,
        "votes_secret": True})["workshop"]["settings"]
    assert (settings["vote_budget"], settings["vote_max_per_target"], settings["votes_secret"],
            settings["votes_revealed"]) == (3, 2, True, False), settings
    step(cast.moderator, cast.w1, "vote")
    cast.deliver()
    voting_began = {m: m.mark() for m in cast.everyone}
    expected = cast_votes(cast, clusters, round3)
    cast.deliver()
    check_totals_withheld(cast, voting_began, expected)
    cast.moderator.call_ok("reveal_votes", {"workshop_id": cast.w1})
    cast.deliver()
    check_totals_revealed(cast, expected)


def act_and_close(cast: Cast, cluster_id: int) -> int:
    """The act step: the host saves an action from a cluster, every participant signs up;
    then closed. The action's id."""
    step(cast.moderator, cast.w1, "act")
    action = cast.hosts[cast.w1].call_ok("save_action", {
        "workshop_id": cast.w1, "op_id": uuid.uuid4().hex, "title": "Mentoring-Programm",
        "owner": "Hanna Host", "cluster_ids": [cluster_id]})["action"]
    assert action["cluster_ids"] == [cluster_id] and action["contributors"] == [], action
    in_parallel(cast.participants[cast.w1], lambda p: p.call_ok("sign_up", {
        "workshop_id": cast.w1, "action_id": action["id"], "brings": f"Zeit von {p.tag}"}))
    step(cast.moderator, cast.w1, "closed")
    return action["id"]


def seconds_left_at_kill(start_s: float) -> int:
    """How long the timer of workshop 2 runs on after the kill: longer than a restart is
    likely to take (judged by how long the first start took), so that usually the restarted
    server's task ends it; a slower restart ends it as the server starts. Both must work."""
    return min(TIMER_START_S - 1, max(2, math.ceil(start_s) + 1))


def post_round(participants: list[Member], workshop_id: int, round_no: int,
               hidden: bool) -> list[dict]:
    """Each participant posts one idea (all at once) carrying its tag; the ideas as acked."""

    def post(p: Member) -> dict:
        text = f"Idee {round_no} von {p.tag}"
        data = p.call_ok("create_idea", {"workshop_id": workshop_id,
                                         "op_id": uuid.uuid4().hex, "text": text})
        idea = data["idea"]
        assert (idea["text"], idea["author"], idea["hidden"]) == (
            text, f"Person {p.tag}", hidden), f"{p}: {data}"
        return idea

    return in_parallel(participants, post)


def step(moderator: Member, workshop_id: int, name: str) -> int:
    """The moderator moves the workshop to step ``name``; its ``seq``."""
    answer = moderator.call_ok("set_step", {"workshop_id": workshop_id, "step": name})
    assert answer["step"] == name, answer
    return answer["seq"]


def rejoin(url: str, members: list[Member], since: dict) -> dict[Member, dict]:
    """Reconnect and rejoin every workshop with ``since_seq`` (what each had applied);
    checks each catch-up is the gapless run after it. Returns the catch-ups (workshop 1's
    for participants)."""
    connect_all(url, members)

    def come_back(member: Member) -> dict:
        answers = {}
        for wid in member.workshop_ids:
            after = since[(member, wid)]
            caught = member.join(wid, since_seq=after)
            got = [change["seq"] for change in caught["events"]]
            assert got == list(range(after + 1, caught["seq"] + 1)), (
                f"{member}: catch-up of workshop {wid} since {after} has seqs {got}")
            answers[wid] = caught
        return answers

    return dict(zip(members, in_parallel(members, come_back), strict=True))


def cast_votes(cast: Cast, clusters: list[int], round3: list[dict]) -> dict:
    """Every workshop-1 participant spends the budget: 2 dots on a cluster, 1 on an idea of
    round 3. One tries a fourth dot (``invalid``), one repeats a vote (a no-op). Returns the
    expected totals ``{("cluster"|"idea", id): votes}``."""
    w1 = cast.w1
    writers = cast.participants[w1]
    voted_ideas = {p: round3[(n + 1) % len(round3)]["id"] for n, p in enumerate(writers)}

    def vote(p: Member) -> None:
        cluster = clusters[CLUSTER_OF_VOTER[writers.index(p)]]
        first = p.call_ok("vote", {"workshop_id": w1, "target_type": "cluster",
                                   "target_id": cluster, "count": CLUSTER_DOTS})
        assert first["remaining"] == 1, f"{p}: {first}"
        second = p.call_ok("vote", {"workshop_id": w1, "target_type": "idea",
                                    "target_id": voted_ideas[p], "count": 1})
        assert second["remaining"] == 0, f"{p}: {second}"

    in_parallel(writers, vote)
    seqs = cast.server_seqs()
    spender = writers[0]
    spender.call_refused("vote", {"workshop_id": w1, "target_type": "idea",
                                  "target_id": round3[0]["id"], "count": 1}, "invalid")
    again = spender.call_ok("vote", {"workshop_id": w1, "target_type": "idea",
                                     "target_id": voted_ideas[spender], "count": 1})
    assert (again["remaining"], again["seq"]) == (0, seqs[w1]), again
    assert cast.server_seqs() == seqs, "a refused or repeated vote took a seq"
    expected = {("cluster", c): 0 for c in clusters}
    for n, p in enumerate(writers):
        expected[("cluster", clusters[CLUSTER_OF_VOTER[n]])] += CLUSTER_DOTS
        expected[("idea", voted_ideas[p])] = expected.get(("idea", voted_ideas[p]), 0) + 1
    return expected


# -- checks ----------------------------------------------------------------------------------


def check_private_writing(cast: Cast, ideas: dict[int, list[dict]]) -> None:
    """Until the reveal: no participant (online or not) and no projector has received another
    participant's tag (in a text or a name) in any packet; the staff have received every text
    posted so far."""
    writers = cast.participants[cast.w1]
    for member in [*writers, cast.projector]:
        received = member.received_text()
        leaked = [p.tag for p in writers if p is not member and p.tag in received]
        assert not leaked, (
            f"{member} received hidden texts/names of {leaked} before the reveal: "
            f"{first_packet_with(member, leaked[0])}")
    texts = [idea["text"] for round_ideas in ideas.values() for idea in round_ideas]
    for member in [cast.moderator, cast.hosts[cast.w1]]:
        received = member.received_text()
        missing = [text for text in texts if text not in received]
        assert not missing, f"{member} (staff) did not receive the texts {missing}"


def check_catch_up_withholds(caught: dict[Member, dict], writers: list[Member],
                             ideas: dict[int, list[dict]]) -> None:
    """The catch-ups after the restart name others' hidden ideas with their ``seq`` but
    without text or author; the laggard's covers rounds 2 and 3, the others' round 3."""
    posted = {idea["id"] for round_ideas in ideas.values() for idea in round_ideas}
    for member, answers in caught.items():
        created = [c for c in answers[member.workshop_ids[0]]["events"]
                   if c["event"] == "idea_created"]
        assert created, f"{member}: the catch-up holds no idea_created"
        for change in created:
            idea = change["idea"]
            assert idea["id"] in posted, change
            if idea["text"] is not None and member.tag in idea["text"]:
                continue  # its own idea
            assert (idea["text"], idea["author"], idea["hidden"]) == (None, None, True), (
                f"{member}: the catch-up after the restart shows a hidden idea: {change}")
    laggard = writers[0]
    laggard_created = {c["idea"]["id"] for c in caught[laggard][laggard.workshop_ids[0]]["events"]
                       if c["event"] == "idea_created"}
    assert {idea["id"] for idea in ideas[2]} <= laggard_created, (
        "the laggard's catch-up misses round 2")


def check_timer_kept(cast: Cast, workshop_id: int, before: dict) -> None:
    """Right after the restart the timer still runs to the same ``ends_at`` (or, when the
    restart took longer than it had left, it has ended)."""
    [workshop] = [w for w in cast.api.get(f"/events/{cast.event_id}")["workshops"]
                  if w["id"] == workshop_id]
    timer = workshop["timer"]
    if timer["state"] == "running":
        assert (timer["ends_at"], timer["lock_at_end"]) == (before["ends_at"], True), (
            f"the restart changed the running timer: {before} → {timer}")
    else:
        assert timer["state"] == "ended" and workshop["locked"] is True, workshop
        ends_at = datetime.fromisoformat(before["ends_at"]).timestamp()
        assert time.time() >= ends_at - 0.05, (
            f"the timer ended {ends_at - time.time():.2f} s early, at the restart: {workshop}")


def check_timer_ended_and_locked(cast: Cast, workshop_id: int, ends_at: float,
                                 restart_s: float) -> bool:
    """The timer running at the kill ended after the restart: everyone on workshop 2 got
    ``timer_changed`` (ended) and then ``workshop_locked`` — never before ``ends_at``.
    Whether they received it live (the new process's task ended it) rather than catching up
    (it ended as the new process started)."""
    room = cast.room(workshop_id)

    def ended(member: Member) -> list[Seen]:
        return [s for s in member.changes("timer_changed", workshop_id)
                if s.payload["timer"]["state"] == "ended"]

    def locked(member: Member) -> list[Seen]:
        return [s for s in member.changes("workshop_locked", workshop_id)
                if s.payload["locked"] is True]

    for member in room:
        member.wait_for(lambda m=member: ended(m) and locked(m),
                        "timer_changed (ended) and workshop_locked after the restart")
    for member in room:
        ends = {s.seq: s for s in ended(member)}  # the same seq may come twice: catch-up
        locks = {s.seq: s for s in locked(member)}  # and broadcast
        assert len(ends) == 1 and len(locks) == 1, f"{member}: {ends}, {locks}"
        [end], [lock] = ends.values(), locks.values()
        assert lock.seq == end.seq + 1, f"{member}: ended at {end.seq}, locked at {lock.seq}"
        assert end.payload["timer"]["lock_at_end"] is True, end.payload
        assert end.payload["timer"]["remaining"] in (0, 0.0), end.payload
        for change in (end, lock):
            if change.source == "broadcast":
                assert change.at >= ends_at - 0.05, (
                    f"{member}: {change.name} arrived {ends_at - change.at:.2f} s before the "
                    f"timer was due (restart took {restart_s:.2f} s)")
    return any(s.source == "broadcast" for m in room for s in ended(m))


def check_revealed(cast: Cast, ideas: list[dict]) -> None:
    """Everyone on workshop 1 received one ``ideas_revealed`` with every text and author."""
    expected = {idea["id"]: (idea["text"], idea["author"]) for idea in ideas}
    for member in cast.room(cast.w1):
        [revealed] = member.changes("ideas_revealed", cast.w1)
        got = {idea["id"]: (idea["text"], idea["author"]) for idea in revealed.payload["ideas"]}
        assert got == expected, f"{member}: ideas_revealed {revealed.payload}"
        assert all(idea["hidden"] is False for idea in revealed.payload["ideas"]), revealed


def check_message_to_all(cast: Cast) -> None:
    """``send_message {"event_id"}``: one ``message_posted`` per workshop, each with one new
    ``seq``, received once by everyone on that workshop."""
    before = cast.server_seqs()
    answer = cast.moderator.call_ok("send_message", {"event_id": cast.event_id,
                                                     "text": "Noch fünf Minuten!"})
    by_workshop = {item["workshop_id"]: item for item in answer["workshops"]}
    assert set(by_workshop) == {cast.w1, cast.w2}, answer
    for wid, item in by_workshop.items():
        assert item["seq"] == before[wid] + 1, (wid, item, before)
    cast.deliver()
    assert cast.server_seqs() == {wid: before[wid] + 1 for wid in before}
    for member in cast.everyone:
        for wid in member.workshop_ids:
            got = [(s.seq, s.payload["message"]["text"])
                   for s in member.changes("message_posted", wid)]
            assert got == [(by_workshop[wid]["seq"], "Noch fünf Minuten!")], (
                f"{member}: message_posted in workshop {wid}: {got}")


def vote_values(value) -> Iterator:
    """Every ``votes`` value in a decoded packet, except in a snapshot's own ``me``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "votes":
                yield item
            elif key != "me":
                yield from vote_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from vote_values(item)


def decoded(frame: str):
    """The data of a raw Socket.IO packet."""
    return packet.Packet(encoded_packet=frame).data


def check_totals_withheld(cast: Cast, voting_began: dict[Member, int], expected: dict) -> None:
    """Before ``reveal_votes``: no participant or projector packet carries a total (``votes``
    is null, or 0 for an idea posted before the vote step); each got every vote as a hidden
    change, its own with ``mine``. The staff received the totals."""
    w1 = cast.w1
    for member in [*cast.participants[w1], cast.projector]:
        for index, frame in enumerate(member.packets):
            values = [v for v in vote_values(decoded(frame)) if v is not None]
            during_vote = index >= voting_began[member]
            assert not values if during_vote else set(values) <= {0}, (
                f"{member} received vote totals before reveal_votes: {frame}")
        for change in member.changes("votes_changed", w1):
            assert change.payload.get("hidden") is True and "votes" not in change.payload, (
                f"{member}: {change.payload}")
        mine = [c.payload for c in member.changes("votes_changed", w1) if "mine" in c.payload]
        assert len(mine) == (2 if member.role == "participant" else 0), f"{member}: {mine}"
    for member in (cast.moderator, cast.hosts[w1]):
        last = {}
        for change in member.changes("votes_changed", w1):
            last[(change.payload["target_type"], change.payload["target_id"])] = \
                change.payload["votes"]
        assert last == {k: v for k, v in expected.items() if v}, f"{member}: totals {last}"


def check_totals_revealed(cast: Cast, expected: dict) -> None:
    """After ``reveal_votes`` everyone on workshop 1 has the same, right totals."""
    for member in cast.room(cast.w1):
        [revealed] = member.changes("votes_revealed", cast.w1)
        totals = {("idea", i["id"]): i["votes"] for i in revealed.payload["ideas"]}
        totals |= {("cluster", c["id"]): c["votes"] for c in revealed.payload["clusters"]}
        assert {k: v for k, v in totals.items() if v} == {k: v for k, v in expected.items()
                                                          if v}, f"{member}: {revealed.payload}"


def check_sign_ups(cast: Cast, action_id: int) -> None:
    """Everyone on workshop 1 saw the action end with all six participants signed up."""
    names = {f"Person {p.tag}" for p in cast.participants[cast.w1]}
    for member in cast.room(cast.w1):
        saved = [s.payload["action"] for s in member.changes("action_saved", cast.w1)]
        assert len(saved) == 1 + PER_WORKSHOP, f"{member}: {len(saved)} action_saved"
        assert saved[-1]["id"] == action_id, saved[-1]
        assert {c["name"] for c in saved[-1]["contributors"]} == names, saved[-1]


def check_seqs(cast: Cast, server: dict[int, int]) -> None:
    """Per workshop, each member's seqs (broadcasts and catch-ups, every connection) are
    exactly 1..N with N the server's; each connection's broadcasts come in rising ``seq``;
    all members agree on the change behind each ``seq``."""
    names: dict[tuple[int, int], tuple[str, Member]] = {}
    for member in cast.everyone:
        for wid in member.workshop_ids:
            seqs, every = member.seqs(wid), set(range(1, server[wid] + 1))
            assert seqs == every, (
                f"{member}: workshop {wid} (server seq {server[wid]}): missing "
                f"{sorted(every - seqs)}, unexpected {sorted(seqs - every)}")
            for connection in range(1, member.connection + 1):
                order = [s.seq for s in member.seen if s.workshop_id == wid
                         and s.source == "broadcast" and s.connection == connection]
                assert order == sorted(set(order)), (
                    f"{member}: connection {connection} got workshop {wid}'s broadcasts as {order}")
            for s in member.seen:
                if s.workshop_id != wid:
                    continue
                known = names.setdefault((wid, s.seq), (s.name, member))
                assert known[0] == s.name, (
                    f"workshop {wid} seq {s.seq}: {member} got {s.name}, {known[1]} {known[0]}")


def check_workshops_apart(cast: Cast) -> None:
    """Nobody but the moderator received anything of the other workshop: no change of it and
    none of its participants' tags; hosts only their own workshop."""
    for member in cast.everyone:
        if member.role in ("participant", "viewer"):
            assert not member.unnumbered, (
                f"{member} received events that are no board change: {member.unnumbered[:3]}")
        if member.role == "moderator":
            continue
        foreign = [s for s in member.seen if s.workshop_id not in member.workshop_ids]
        assert not foreign, f"{member} received another workshop's changes: {foreign[:3]}"
        received = member.received_text()
        other = cast.w2 if member.workshop_ids == [cast.w1] else cast.w1
        leaked = [p.tag for p in cast.participants[other] if p.tag in received]
        assert not leaked, f"{member} received tags of workshop {other}: {leaked}"


def first_packet_with(member: Member, needle: str) -> str:
    return next((frame for frame in member.packets if needle in frame), "?")[:2000]
