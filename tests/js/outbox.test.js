import { settle, storage, storageEventFor } from "./support/page.js";

import { afterEach, beforeEach, describe, mock, test } from "node:test";
import assert from "node:assert/strict";

import { ApiError } from "../../static/js/common.js";
import { Outbox, createIdeaPayload } from "../../static/js/outbox.js";

const KEY = "pinnwand:outbox:1:5";

/** A send the test answers: each call waits until the test resolves or rejects it. */
class Server {
  constructor() {
    this.calls = []; // {item, resolve, reject}
  }

  send = (item) => new Promise((resolve, reject) => this.calls.push({ item, resolve, reject }));

  /** Acknowledge the oldest waiting send. */
  async ack(data = {}) {
    const call = this.calls.shift();
    call.resolve({ idea: { id: 100 + this.acked.length, workshop_id: call.item.workshop_id }, seq: 1, ...data });
    this.acked.push(call.item);
    await settle();
    return call.item;
  }

  async refuse(code, { message = code, retryAfter = null } = {}) {
    const call = this.calls.shift();
    call.reject(new ApiError(code, message, { retryAfter }));
    await settle();
    return call.item;
  }

  acked = [];
}

/** An outbox on the shared fake storage, connected, that may send to every workshop. */
function outboxFor(server, options = {}) {
  const acked = [];
  const outbox = new Outbox(KEY, {
    send: server.send,
    canSend: () => true,
    isConnected: () => true,
    onAcked: (item, data) => acked.push([item.op_id, data.idea.id]),
    onChange: () => {},
    ...options,
  });
  return { outbox, acked };
}

const stored = () => JSON.parse(storage.getItem(KEY) || "[]");

describe("Outbox", () => {
  beforeEach(() => {
    storage.clear();
    storage.failing = false;
    mock.timers.enable({ apis: ["setTimeout", "Date"], now: 1_000_000 });
  });
  afterEach(() => mock.timers.reset());

  test("a queued idea is stored before add returns, with an op_id of its own", () => {
    const { outbox } = outboxFor(new Server(), { isConnected: () => false });
    const item = outbox.add({ workshopId: 1, text: "Mentoring", anonymous: true });
    assert.match(item.op_id, /^[A-Za-z0-9_-]{8,64}$/);
    assert.deepEqual(stored().map((i) => [i.op_id, i.workshop_id, i.text, i.anonymous]), [[item.op_id, 1, "Mentoring", true]]);
  });

  test("the category chosen for an idea is stored with it and sent with it", () => {
    const server = new Server();
    const { outbox } = outboxFor(server);
    const item = outbox.add({ workshopId: 1, text: "Wohnungen", categoryId: 4 });
    outbox.add({ workshopId: 1, text: "Ohne" });
    assert.deepEqual(stored().map((i) => i.category_id), [4, undefined]);
    assert.deepEqual(createIdeaPayload(server.calls[0].item), {
      workshop_id: 1, op_id: item.op_id, text: "Wohnungen", anonymous: false, category_id: 4,
    });
    assert.equal("category_id" in createIdeaPayload(stored()[1]), false);
  });

  test("queued ideas survive a reload and are sent with their op_id", async () => {
    const first = outboxFor(new Server(), { isConnected: () => false }).outbox;
    const item = first.add({ workshopId: 1, text: "Mentoring" });
    const server = new Server();
    const { outbox, acked } = outboxFor(server); // the page after a reload
    assert.deepEqual(outbox.items.map((i) => i.op_id), [item.op_id]);
    outbox.flush();
    assert.equal(server.calls[0].item.op_id, item.op_id);
    await server.ack();
    assert.deepEqual(acked, [[item.op_id, 100]]);
    assert.deepEqual(stored(), []);
  });

  test("one at a time, oldest first; an acknowledged idea leaves the queue", async () => {
    const server = new Server();
    const { outbox } = outboxFor(server);
    const a = outbox.add({ workshopId: 1, text: "A" });
    const b = outbox.add({ workshopId: 1, text: "B" });
    assert.deepEqual(server.calls.map((c) => c.item.op_id), [a.op_id]);
    assert.equal(outbox.stateOf(a), "sending");
    assert.equal(outbox.stateOf(b), "waiting");
    await server.ack();
    assert.deepEqual(stored().map((i) => i.op_id), [b.op_id]);
    assert.deepEqual(server.calls.map((c) => c.item.op_id), [b.op_id]);
    await server.ack();
    assert.deepEqual(outbox.items, []);
  });

  test("no answer: sent again later with the same op_id, nothing lost meanwhile", async () => {
    const server = new Server();
    const { outbox } = outboxFor(server);
    const item = outbox.add({ workshopId: 1, text: "A" });
    await server.refuse("timeout");
    assert.deepEqual(stored().map((i) => i.op_id), [item.op_id]);
    assert.equal(server.calls.length, 0);
    assert.equal(outbox.summary().paused, true);
    mock.timers.tick(1000);
    assert.equal(server.calls[0].item.op_id, item.op_id);
    await server.refuse("internal");
    mock.timers.tick(1999);
    assert.equal(server.calls.length, 0); // the pause grows after every failure
    mock.timers.tick(1);
    assert.equal(server.calls[0].item.op_id, item.op_id);
    await server.ack();
    assert.deepEqual(stored(), []);
  });

  test("a lost connection forgets the send in flight; a late ack still counts", async () => {
    let connected = true;
    const server = new Server();
    const { outbox, acked } = outboxFor(server, { isConnected: () => connected });
    const a = outbox.add({ workshopId: 1, text: "A" });
    connected = false;
    outbox.interrupt();
    assert.equal(outbox.stateOf(a), "waiting");
    connected = true;
    outbox.flush(); // after the reconnect: the same op_id again
    assert.deepEqual(server.calls.map((c) => c.item.op_id), [a.op_id, a.op_id]);
    await server.ack(); // the first send's ack arrives late
    assert.deepEqual(acked.map(([opId]) => opId), [a.op_id]);
    assert.deepEqual(stored(), []);
  });

  test("an idea the server refuses stays, marked, until it is edited or removed", async () => {
    const server = new Server();
    const { outbox } = outboxFor(server);
    const a = outbox.add({ workshopId: 1, text: "x".repeat(600) });
    const b = outbox.add({ workshopId: 1, text: "B" });
    await server.refuse("invalid");
    assert.equal(outbox.stateOf(outbox.items[0]), "error");
    assert.deepEqual(outbox.summary(), { waiting: 1, refused: 1, paused: false, allLocked: false });
    assert.equal(server.calls[0].item.op_id, b.op_id); // the next one goes on
    await server.ack();
    outbox.edit(a.op_id, "Kurz");
    assert.deepEqual([server.calls[0].item.op_id, server.calls[0].item.text], [a.op_id, "Kurz"]);
    await server.refuse("not_found");
    outbox.remove(a.op_id);
    assert.deepEqual(outbox.items, []);
  });

  test("a paused workshop holds its ideas until it opens again; other workshops go on", async () => {
    const server = new Server();
    const { outbox } = outboxFor(server, { knownLocked: () => true });
    const a = outbox.add({ workshopId: 1, text: "A" });
    await server.refuse("locked");
    const later = outbox.add({ workshopId: 1, text: "A2" });
    const other = outbox.add({ workshopId: 2, text: "B" });
    assert.deepEqual(server.calls.map((c) => c.item.op_id), [other.op_id]);
    assert.equal(outbox.stateOf(a), "locked");
    await server.ack();
    mock.timers.tick(60000); // the page follows that board: it waits to hear that it opens
    assert.equal(server.calls.length, 0);
    outbox.setLocked(1, false);
    assert.deepEqual(server.calls.map((c) => c.item.op_id), [a.op_id]);
    await server.ack();
    assert.deepEqual(server.calls.map((c) => c.item.op_id), [later.op_id]);
  });

  test("a paused workshop the page does not follow is asked again after a while", async () => {
    const server = new Server();
    const { outbox } = outboxFor(server, { knownLocked: () => false });
    const a = outbox.add({ workshopId: 1, text: "A" });
    await server.refuse("locked");
    assert.equal(outbox.summary().allLocked, true);
    mock.timers.tick(30000);
    assert.deepEqual(server.calls.map((c) => c.item.op_id), [a.op_id]);
  });

  test("rate limited: waits as long as the server asks", async () => {
    const server = new Server();
    const { outbox } = outboxFor(server);
    const a = outbox.add({ workshopId: 1, text: "A" });
    await server.refuse("rate_limited", { retryAfter: 12 });
    assert.equal(outbox.stateOf(a), "rate_limited");
    mock.timers.tick(11999);
    assert.equal(server.calls.length, 0);
    mock.timers.tick(501);
    assert.deepEqual(server.calls.map((c) => c.item.op_id), [a.op_id]);
  });

  test("nothing goes while the workshop is not joined; joining sends", () => {
    let member = false;
    const server = new Server();
    const { outbox } = outboxFor(server, { canSend: () => member });
    outbox.add({ workshopId: 1, text: "A" });
    assert.equal(server.calls.length, 0);
    member = true;
    outbox.joined(1);
    assert.equal(server.calls.length, 1);
  });

  test("without working storage the queue lives in memory for this visit", async () => {
    storage.failing = true;
    const server = new Server();
    const { outbox } = outboxFor(server, { isConnected: () => false });
    const a = outbox.add({ workshopId: 1, text: "A" });
    outbox.add({ workshopId: 1, text: "B" });
    assert.deepEqual(outbox.items.map((i) => i.text), ["A", "B"]);
    assert.equal(storage.getItem(KEY), null);
    assert.equal(outbox.items[0].op_id, a.op_id);
  });

  test("ideas queued in another tab are picked up and sent", () => {
    const server = new Server();
    const { outbox } = outboxFor(server);
    storage.setItem(KEY, JSON.stringify([{ op_id: "other-tab-0001", workshop_id: 1, text: "A", anonymous: false }]));
    storageEventFor(KEY);
    assert.deepEqual(server.calls.map((c) => c.item.op_id), ["other-tab-0001"]);
    assert.equal(outbox.items.length, 1);
  });

  test("broken entries in storage are skipped, the rest kept", () => {
    storage.setItem(KEY, JSON.stringify([{ op_id: 1 }, null, { op_id: "good-0001", workshop_id: 1, text: "A" }]));
    const { outbox } = outboxFor(new Server(), { isConnected: () => false });
    assert.deepEqual(outbox.items.map((i) => i.op_id), ["good-0001"]);
  });
});
