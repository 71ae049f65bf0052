// A Socket.IO client stand-in for WorkshopFeed and the emit() helper of common.js: records
// what the page sends (with its ack callback) and lets a test play the server.

export class FakeSocket {
  constructor() {
    this.connected = false;
    this.handlers = new Map();
    this.sent = []; // {name, payload, ack(err, response)} not yet answered
  }

  on(name, handler) {
    if (!this.handlers.has(name)) this.handlers.set(name, []);
    this.handlers.get(name).push(handler);
    return this;
  }

  timeout() {
    return { emit: (name, payload, ack) => this.sent.push({ name, payload, ack }) };
  }

  // --- the server's side ---------------------------------------------------------------------

  fire(name, ...args) {
    for (const handler of this.handlers.get(name) || []) handler(...args);
  }

  connect() {
    this.connected = true;
    this.fire("connect");
  }

  drop() {
    this.connected = false;
    this.fire("disconnect", "transport close");
  }

  /** The oldest unanswered emit of `name` (taken off the list); fails when there is none. */
  take(name) {
    const index = this.sent.findIndex((entry) => entry.name === name);
    if (index < 0) throw new Error(`nothing sent as ${name}; sent: ${this.sent.map((e) => e.name)}`);
    return this.sent.splice(index, 1)[0];
  }

  /** Whether an emit of `name` waits for its answer. */
  waiting(name) {
    return this.sent.some((entry) => entry.name === name);
  }

  /** Answer the oldest `name` with {ok: true, data}. */
  answer(name, data) {
    const entry = this.take(name);
    entry.ack(null, { ok: true, data });
    return entry.payload;
  }

  /** Answer the oldest `name` with an error ack. */
  refuse(name, code, message = code) {
    const entry = this.take(name);
    entry.ack(null, { ok: false, error: { code, message } });
    return entry.payload;
  }

  /** Let the oldest `name` time out (no ack). */
  timeOut(name) {
    const entry = this.take(name);
    entry.ack(new Error("operation has timed out"));
    return entry.payload;
  }
}
