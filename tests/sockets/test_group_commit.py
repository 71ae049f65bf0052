"""The one write path's group commit (SQLite): writes that are ready at the same moment share
one transaction, each in its own savepoint; a write that fails, a publish that fails or a
writer that crashes keeps back no other write; nobody waits for ever."""

from __future__ import annotations

import sqlite3
import threading
import time

from pinnwand.auth.services import resolve_token
from pinnwand.board.changes import Change
from pinnwand.board.group_commit import GroupCommit, Pending
from pinnwand.board.seq import claim_seq
from pinnwand.db_failures import as_unavailable
from pinnwand.errors import Internal, Locked, Unavailable
from pinnwand.ideas import services as idea_services
from pinnwand.ideas.models import Idea
from pinnwand.ideas.schemas import CreateIdea
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import op_id
from tests.sockets.helpers import board_state, broadcasts, data_of, join_board, lock

WAIT_S = 20.0


class Crash(BaseException):
    """What kills a writer in the middle of its batch (as a killed green thread would be)."""


def wait_for(condition, what: str, timeout: float = WAIT_S) -> None:
    """Wait until ``condition()`` holds, or fail saying ``what`` did not happen."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def identity_of(app, answer: dict):
    """The identity behind a join answer's token."""
    with app.extensions["pinnwand"].db.read() as session:
        return resolve_token(session, answer["token"])


def post_work(app, answer: dict, workshop_id: int, text: str, op: str | None = None):
    """The write of one ``create_idea`` by the participant of a join answer."""
    data = CreateIdea.model_validate({"workshop_id": workshop_id, "op_id": op or op_id(),
                                      "text": text})
    identity = identity_of(app, answer)
    return lambda session: idea_services.create_idea(session, identity, data, False)


def new_post(app, answer: dict, workshop_id: int, text: str, op: str | None = None) -> Pending:
    return Pending(workshop_id, post_work(app, answer, workshop_id, text, op))


def group_commit(app) -> GroupCommit:
    """A fresh group commit of the app's writer."""
    return GroupCommit(app.extensions["pinnwand"].writer)


def test_a_batch_is_written_in_seq_order_and_published_after_the_commit(
        app, mod, participant, workshops):
    first, second = workshops[0], workshops[1]
    _, anna_join = participant("Anna", first)
    ben, ben_join = participant("Ben", second)
    join_board(mod, first)
    mod.get_received()
    batch = [new_post(app, anna_join, first, "A1"), new_post(app, ben_join, second, "B1"),
             new_post(app, anna_join, first, "A2")]

    group_commit(app).write(batch)

    answers = [post.outcome()[0] for post in batch]
    assert [(a["idea"]["text"], a["seq"]) for a in answers] == [("A1", 1), ("B1", 1), ("A2", 2)]
    assert board_state(app, first)[:2] == (2, 2)
    assert board_state(app, second)[:2] == (1, 1)
    assert [r["args"][0] for r in broadcasts(ben, "idea_created")] == [
        {"workshop_id": second, "seq": 1, "idea": answers[1]["idea"]}]
    assert [r["args"][0]["seq"] for r in broadcasts(mod, "idea_created")] == [1, 2]


def test_a_failing_post_does_not_fail_its_batch(app, mod, participant, workshops):
    open_, locked = workshops[0], workshops[1]
    anna, anna_join = participant("Anna", open_)
    join_board(anna, locked)
    ben, ben_join = participant("Ben", open_)
    repeated = op_id()
    original = new_post(app, anna_join, open_, "Original", op=repeated)
    group_commit(app).write([original])
    data_of(lock(mod, locked, True))
    before_locked = board_state(app, locked)
    ben.get_received()
    batch = [new_post(app, anna_join, open_, "Neu 1"),
             new_post(app, anna_join, open_, "Wiederholt", op=repeated),
             new_post(app, ben_join, locked, "Gesperrt"),
             new_post(app, ben_join, open_, "Neu 2")]

    group_commit(app).write(batch)

    assert [p.answer["seq"] if p.answer else None for p in batch] == [2, None, None, 3]
    assert isinstance(batch[1].error, IntegrityError)
    assert isinstance(batch[2].error, Locked)
    assert board_state(app, open_)[:2] == (3, 3)
    assert board_state(app, locked) == before_locked
    assert [r["args"][0]["seq"] for r in broadcasts(ben, "idea_created")] == [2, 3]


def test_posts_at_the_same_moment_all_get_their_own_answer(app, participant, workshops):
    """Several threads post at once through one group commit (leader, followers, hand-over);
    every post is written once, with gapless ``seq``s per workshop."""
    posts = []
    for n in range(12):
        _, answer = participant(f"Phone {n}", workshops[n % 2])
        posts.append((workshops[n % 2], post_work(app, answer, workshops[n % 2], f"Idee {n}")))
    commit = group_commit(app)
    start = threading.Barrier(len(posts))
    answers: dict[int, dict] = {}

    def send(index: int, post) -> None:
        start.wait(timeout=30)
        answers[index] = commit.submit(*post)[0]

    threads = [threading.Thread(target=send, args=item) for item in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == list(range(len(posts)))
    for index, workshop in enumerate(workshops[:2]):
        seqs = sorted(a["seq"] for n, a in answers.items() if n % 2 == index)
        assert seqs == list(range(1, 7))
        assert board_state(app, workshop)[:2] == (6, 6)
    assert {a["idea"]["text"] for a in answers.values()} == {f"Idee {n}" for n in range(12)}


# --- each write in its own savepoint ------------------------------------------------------------

def transactions_of(app) -> dict[str, int]:
    """Counts of the commits and savepoint rollbacks on the app's engine from now on."""
    counts = {"commit": 0, "rollback_savepoint": 0}
    engine = app.extensions["pinnwand"].db.engine
    for name in counts:
        event.listen(engine, name, lambda *_args, name=name: counts.__setitem__(
            name, counts[name] + 1))
    return counts


def test_refused_posts_leave_the_others_in_the_one_transaction(app, mod, participant,
                                                                workshops):
    open_, locked = workshops[0], workshops[1]
    anna, anna_join = participant("Anna", open_)
    join_board(anna, locked)
    _, ben_join = participant("Ben", open_)
    repeated = op_id()
    group_commit(app).write([new_post(app, anna_join, open_, "Original", op=repeated)])
    data_of(lock(mod, locked, True))
    batch = [new_post(app, anna_join, open_, "Neu 1"),
             new_post(app, anna_join, open_, "Wiederholt", op=repeated),
             new_post(app, ben_join, locked, "Gesperrt"),
             new_post(app, ben_join, open_, "Neu 2")]
    counted = transactions_of(app)

    group_commit(app).write(batch)

    assert counted == {"commit": 1, "rollback_savepoint": 2}
    assert [p.answer["seq"] if p.answer else None for p in batch] == [2, None, None, 3]


def savepoints_of(app) -> list[str]:
    """The ``SAVEPOINT`` statements on the app's engine from now on."""
    seen: list[str] = []
    engine = app.extensions["pinnwand"].db.engine
    event.listen(engine, "savepoint", lambda _conn, name: seen.append(name))
    return seen


def test_a_write_alone_in_its_batch_needs_no_savepoint(app, participant, workshops):
    _, anna_join = participant("Anna", workshops[0])
    savepoints = savepoints_of(app)
    post = new_post(app, anna_join, workshops[0], "Allein")

    group_commit(app).write([post])

    assert post.outcome()[0]["seq"] == 1
    assert savepoints == []
    assert board_state(app, workshops[0])[:2] == (1, 1)


def test_a_write_alone_in_its_batch_that_fails_leaves_nothing_behind(app, participant,
                                                                      workshops):
    """Without a savepoint the whole transaction is rolled back: the number it took is given
    back and the error is its own."""
    _, anna_join = participant("Anna", workshops[0])
    repeated = op_id()
    group_commit(app).write([new_post(app, anna_join, workshops[0], "Original", op=repeated)])
    repeat = new_post(app, anna_join, workshops[0], "Wiederholt", op=repeated)

    group_commit(app).write([repeat])

    assert isinstance(repeat.error, IntegrityError)
    assert board_state(app, workshops[0])[:2] == (1, 1)
    follower = new_post(app, anna_join, workshops[0], "Danach")
    group_commit(app).write([follower])
    assert follower.outcome()[0]["seq"] == 2


# --- a publish that fails -------------------------------------------------------------------------

def unpublishable(workshop_id: int):
    """A write whose change the socket layer cannot encode (a set in its payload): it commits,
    and its publish raises."""

    def work(session):
        seq = claim_seq(session, workshop_id).seq
        return {"seq": seq}, Change(workshop_id, seq, "message_posted",
                                    {"workshop_id": workshop_id, "seq": seq, "odd": {1}})

    return work


def test_a_publish_that_fails_keeps_back_no_other_post(app, participant, workshops):
    w = workshops[0]
    ben, ben_join = participant("Ben", w)
    batch = [new_post(app, ben_join, w, "Vorher"), Pending(w, unpublishable(w)),
             new_post(app, ben_join, w, "Nachher")]

    group_commit(app).write(batch)

    assert [p.outcome()[0]["seq"] for p in batch] == [1, 2, 3]
    assert [r["args"][0]["idea"]["text"] for r in broadcasts(ben, "idea_created")] == [
        "Vorher", "Nachher"]
    assert board_state(app, w)[:2] == (3, 2)


# --- a writer that crashes, a waiter that waits too long ----------------------------------------

def in_thread(target, *args) -> tuple[threading.Thread, dict]:
    """Run ``target(*args)`` in a thread; what it returned or raised lands in the dict."""
    outcome: dict = {}

    def run():
        try:
            outcome["answer"] = target(*args)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def ideas_in(app, workshop_id: int) -> list[str]:
    with app.extensions["pinnwand"].db.read() as session:
        return list(session.scalars(select(Idea.text).where(Idea.workshop_id == workshop_id)
                                    .order_by(Idea.id)))


def test_a_writer_that_crashes_hands_the_writing_over(app, participant, workshops):
    w = workshops[0]
    _, anna_join = participant("Anna", w)
    commit = group_commit(app)
    inside = threading.Event()

    def crashing(session):
        claim_seq(session, w)
        inside.set()
        wait_for(lambda: commit.waiting == 2, "two posts queued behind the writer")
        raise Crash

    writer, crashed = in_thread(commit.submit, w, crashing)
    assert inside.wait(WAIT_S)
    followers = [in_thread(commit.submit, w, post_work(app, anna_join, w, text))
                 for text in ("Eins", "Zwei")]
    for thread in [writer] + [thread for thread, _ in followers]:
        thread.join(WAIT_S)
        assert not thread.is_alive(), "a write waits for ever"

    assert isinstance(crashed["error"], Crash)
    assert sorted(outcome["answer"][0]["seq"] for _, outcome in followers) == [1, 2]
    assert sorted(ideas_in(app, w)) == ["Eins", "Zwei"]
    assert commit.waiting == 0
    assert commit.submit(w, post_work(app, anna_join, w, "Drei"))[0]["seq"] == 3


def test_a_write_that_waits_too_long_is_refused_and_never_written(app, participant, workshops):
    w = workshops[0]
    _, anna_join = participant("Anna", w)
    commit = group_commit(app)
    commit.wait_seconds = 0.2
    inside, refused = threading.Event(), threading.Event()

    def slow(session):
        claim_seq(session, w)
        inside.set()
        assert refused.wait(WAIT_S)
        return {"slow": True}, None

    writer, wrote = in_thread(commit.submit, w, slow)
    assert inside.wait(WAIT_S)
    waiter, waited = in_thread(commit.submit, w, post_work(app, anna_join, w, "Zu spät"))
    waiter.join(WAIT_S)
    refused.set()
    writer.join(WAIT_S)

    assert not waiter.is_alive() and not writer.is_alive()
    assert isinstance(waited["error"], Internal)
    assert wrote["answer"] == ({"slow": True}, [])
    assert ideas_in(app, w) == [] and commit.waiting == 0


def test_a_batch_that_cannot_begin_answers_every_write_unavailable(app, settings, participant,
                                                                   workshops):
    w = workshops[0]
    _, anna_join = participant("Anna", w)
    app.extensions["pinnwand"].db.timeout = 0.3
    holder = sqlite3.connect(settings.instance_path / "pinnwand.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another connection holds SQLite's write lock
    batch = [new_post(app, anna_join, w, "Eins"), new_post(app, anna_join, w, "Zwei")]
    try:
        group_commit(app).write(batch)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    # what the handler answers for each: unavailable (with retry_after), never internal
    assert [type(as_unavailable(post.error)) for post in batch] == [Unavailable, Unavailable]
    assert ideas_in(app, w) == []
