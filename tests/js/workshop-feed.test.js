import { settle } from "./support/page.js";
import { FakeSocket } from "./support/socket.js";

import { afterEach, beforeEach, describe, mock, test } from "node:test";
import assert from "node:assert/strict";

import { WorkshopFeed } from "../../static/js/feed.js";

const created = (seq, workshopId = 1) => ({ workshop_id: workshopId, seq, idea: { id: seq, text: `Idee ${seq}` } });
const board = (seq) => ({ workshop: { id: 1, step: "collect" }, ideas: [], seq });

/** A feed on a fake socket that records what it hands out. */
function follow({ connected = true } = {}) {
  const socket = new FakeSocket();
  if (connected) socket.connected = true;
  const seen = { snapshots: [], changes: [], errors: [], joined: [] };
  const feed = new WorkshopFeed(socket, {
    onSnapshot: (data) => seen.snapshots.push(data.seq),
    onChange: (name, payload) => seen.changes.push(payload.seq),
    onError: (error) => seen.errors.push(error.code),
    onJoined: (id) => seen.joined.push(id),
  });
  return { socket, feed, seen };
}

async function joined(snapshotSeq = 5) {
  const setup = follow();
  setup.feed.open(1);
  assert.deepEqual(setup.socket.answer("join_workshop", board(snapshotSeq)), { workshop_id: 1 });
  await settle();
  return setup;
}

describe("WorkshopFeed", () => {
  test("the first join brings the snapshot; then every change once, in seq order", async () => {
    const { socket, seen } = await joined(5);
    assert.deepEqual(seen.snapshots, [5]);
    assert.deepEqual(seen.joined, [1]);
    socket.fire("idea_created", created(6));
    socket.fire("idea_created", created(7));
    socket.fire("idea_created", created(7)); // a duplicate (e.g. from a second process)
    socket.fire("idea_created", created(5)); // already in the snapshot
    assert.deepEqual(seen.changes, [6, 7]);
  });

  test("changes that arrive while the join is under way wait for the snapshot", async () => {
    const { socket, feed, seen } = follow();
    feed.open(1);
    socket.fire("idea_created", created(6));
    socket.fire("idea_created", created(4));
    assert.deepEqual(seen.changes, []);
    socket.answer("join_workshop", board(5));
    await settle();
    assert.deepEqual(seen.changes, [6]);
  });

  test("a gap asks for what is missing (since_seq) and applies it in order, once", async () => {
    const { socket, seen } = await joined(5);
    socket.fire("idea_created", created(8));
    const asked = socket.take("join_workshop");
    assert.deepEqual(asked.payload, { workshop_id: 1, since_seq: 5 });
    socket.fire("idea_created", created(7)); // arrives while catching up: waits
    assert.deepEqual(seen.changes, []);
    asked.ack(null, { ok: true, data: { events: [6, 7, 8].map((seq) => ({ event: "idea_created", ...created(seq) })), seq: 8 } });
    await settle();
    assert.deepEqual(seen.changes, [6, 7, 8]);
    assert.equal(socket.waiting("join_workshop"), false);
  });

  test("out of order: the later change waits until the catch-up fills the gap", async () => {
    const { socket, seen } = await joined(5);
    socket.fire("idea_created", created(7));
    socket.fire("idea_created", created(6));
    socket.answer("join_workshop", { events: [{ event: "idea_created", ...created(6) }], seq: 7 });
    await settle();
    assert.deepEqual(seen.changes, [6, 7]);
  });

  test("after a reconnect it catches up from the last seq it applied", async () => {
    const { socket, seen } = await joined(5);
    socket.fire("idea_created", created(6));
    socket.drop();
    socket.connect();
    assert.deepEqual(socket.answer("join_workshop", {
      events: [{ event: "idea_created", ...created(7) }, { event: "workshop_locked", workshop_id: 1, seq: 8, locked: true }],
      seq: 8,
    }), { workshop_id: 1, since_seq: 6 });
    await settle();
    assert.deepEqual(seen.changes, [6, 7, 8]);
    assert.deepEqual(seen.snapshots, [5]);
    assert.deepEqual(seen.joined, [1, 1]);
  });

  test("when the log cannot serve the catch-up, a fresh snapshot replaces the board", async () => {
    const { socket, seen } = await joined(5);
    socket.drop();
    socket.connect();
    socket.answer("join_workshop", board(900));
    await settle();
    assert.deepEqual(seen.snapshots, [5, 900]);
    socket.fire("idea_created", created(901));
    assert.deepEqual(seen.changes, [901]);
  });

  test("the first join waits for the connection", async () => {
    const { socket, feed, seen } = follow({ connected: false });
    feed.open(1);
    assert.equal(socket.waiting("join_workshop"), false);
    socket.connect();
    socket.answer("join_workshop", board(3));
    await settle();
    assert.deepEqual(seen.snapshots, [3]);
  });

  test("changes of other workshops, or without a seq, are ignored", async () => {
    const { socket, seen } = await joined(5);
    socket.fire("idea_created", created(6, 2));
    socket.fire("idea_created", { workshop_id: 1, idea: {} });
    socket.fire("idea_created", null);
    assert.deepEqual(seen.changes, []);
    assert.equal(socket.waiting("join_workshop"), false);
  });

  test("opening another workshop leaves the first; a late answer for it is dropped", async () => {
    const { socket, feed, seen } = follow();
    feed.open(1);
    feed.open(2);
    assert.deepEqual(socket.take("leave_workshop").payload, { workshop_id: 1 });
    socket.answer("join_workshop", board(5)); // the answer for workshop 1
    await settle();
    assert.deepEqual(seen.snapshots, []);
    assert.deepEqual(socket.answer("join_workshop", { ...board(3), workshop: { id: 2 } }), { workshop_id: 2 });
    await settle();
    assert.deepEqual(seen.snapshots, [3]);
    assert.deepEqual(seen.joined, [2]);
  });

  describe("a join that fails", () => {
    beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
    afterEach(() => mock.timers.reset());

    test("without an answer is tried again after a pause", async () => {
      const { socket, feed, seen } = follow();
      feed.open(1);
      socket.timeOut("join_workshop");
      await settle();
      assert.deepEqual(seen.errors, ["timeout"]);
      assert.equal(socket.waiting("join_workshop"), false);
      mock.timers.tick(3000);
      socket.answer("join_workshop", board(5));
      await settle();
      assert.deepEqual(seen.snapshots, [5]);
    });

    test("as rate_limited is tried again after the time the server names", async () => {
      const { socket, feed, seen } = follow();
      feed.open(1);
      socket.take("join_workshop").ack(null, { ok: false, error: { code: "rate_limited", message: "slow", retry_after: 7 } });
      await settle();
      assert.deepEqual(seen.errors, ["rate_limited"]);
      mock.timers.tick(6000);
      assert.equal(socket.waiting("join_workshop"), false);
      mock.timers.tick(1000);
      socket.answer("join_workshop", board(5));
      await settle();
      assert.deepEqual(seen.snapshots, [5]);
    });

    test("as forbidden is reported and not tried again", async () => {
      const { socket, feed, seen } = follow();
      feed.open(1);
      socket.refuse("join_workshop", "forbidden");
      await settle();
      mock.timers.tick(60000);
      assert.deepEqual(seen.errors, ["forbidden"]);
      assert.equal(socket.waiting("join_workshop"), false);
      assert.deepEqual(seen.joined, []);
    });
  });

  describe("the heartbeat", () => {
    beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
    afterEach(() => mock.timers.reset());

    test("a seq ahead that no broadcast brings is caught up from the log", async () => {
      const { socket, seen } = await joined(5);
      socket.fire("heartbeat", { workshop_id: 1, seq: 7 });
      assert.equal(socket.waiting("join_workshop"), false); // the broadcast may be on its way
      mock.timers.tick(1500);
      const events = [6, 7].map((seq) => ({ event: "idea_created", ...created(seq) }));
      assert.deepEqual(socket.answer("join_workshop", { events, seq: 7 }), { workshop_id: 1, since_seq: 5 });
      await settle();
      assert.deepEqual(seen.changes, [6, 7]);
    });

    test("a broadcast that arrives in time leaves nothing to ask", async () => {
      const { socket, seen } = await joined(5);
      socket.fire("heartbeat", { workshop_id: 1, seq: 6 });
      socket.fire("idea_created", created(6));
      mock.timers.tick(1500);
      assert.equal(socket.waiting("join_workshop"), false);
      assert.deepEqual(seen.changes, [6]);
    });

    test("a heartbeat of another workshop, not ahead, or without a seq changes nothing", async () => {
      const { socket } = await joined(5);
      socket.fire("heartbeat", { workshop_id: 2, seq: 9 });
      socket.fire("heartbeat", { workshop_id: 1, seq: 5 });
      socket.fire("heartbeat", { workshop_id: 1 });
      socket.fire("heartbeat", null);
      mock.timers.tick(5000);
      assert.equal(socket.waiting("join_workshop"), false);
    });
  });

  test("resync loads the whole board again", async () => {
    const { socket, seen } = await joined(5);
    socket.fire("resync", { workshop_id: 2 });
    assert.equal(socket.waiting("join_workshop"), false);
    socket.fire("resync", { workshop_id: 1 });
    assert.deepEqual(socket.answer("join_workshop", board(9)), { workshop_id: 1 });
    await settle();
    assert.deepEqual(seen.snapshots, [5, 9]);
  });
});
