import "./support/page.js";

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { outboxBanner } from "../../static/js/outbox.js";

// The outbox's strings are not in this page: texts answer their keys (plurals as key_other).
const summary = (waiting = 0, fields = {}) => ({ waiting, refused: 0, paused: false, allLocked: false, ...fields });
const banner = (connection, waiting, { event = null, showing = null, ...fields } = {}) => outboxBanner({
  connection, summary: summary(waiting, fields), event, showing,
});

describe("outboxBanner", () => {
  test("connecting, with nothing waiting", () => {
    assert.deepEqual(banner("connecting", 0), { key: "connecting", kind: "info", text: "connecting", spinner: true });
  });

  test("offline: how many ideas wait, or just that the phone is offline", () => {
    assert.deepEqual(banner("offline", 2), { key: "offline:2", kind: "warning", text: "outbox_offline_other", detail: "outbox_offline_hint" });
    assert.equal(banner("offline", 0).key, "offline");
  });

  test("a quick send while online needs no banner", () => {
    assert.equal(banner("online", 1), null);
  });

  test("ideas that waited are on their way: after a reconnect, a reload or a pause", () => {
    assert.equal(banner("reconnected", 3, { event: "reconnected", showing: "offline:3" }).key, "sending:3");
    assert.equal(banner("connecting", 1).key, "sending:1");
    assert.equal(banner("online", 1, { paused: true }).key, "sending:1");
    assert.equal(banner("online", 1, { showing: "sending:2" }).key, "sending:1");
  });

  test("every waiting idea waits for a paused board", () => {
    assert.deepEqual(banner("online", 2, { allLocked: true }), { key: "locked:2", kind: "info", text: "outbox_locked_other", detail: "outbox_locked_hint" });
  });

  test("once the waiting ideas are gone: all sent", () => {
    assert.deepEqual(banner("online", 0, { showing: "sending:1" }), { key: "done", kind: "success", text: "outbox_all_sent" });
    assert.equal(banner("online", 0, { showing: "locked:1" }).key, "done");
  });

  test("back online with nothing waiting: connected again, which then hides itself", () => {
    assert.deepEqual(banner("reconnected", 0, { event: "reconnected", showing: "offline" }), { key: "done", kind: "success", text: "reconnected" });
    assert.equal(banner("online", 0, { showing: "done" }), null);
  });

  test("nothing to say hides the banner; the same thing is not shown twice", () => {
    assert.deepEqual(banner("online", 0, { showing: "connecting" }), { key: "none", kind: "hide" });
    assert.equal(banner("online", 0, { showing: "none" }), null);
    assert.equal(banner("offline", 2, { showing: "offline:2" }), null);
    assert.equal(banner("offline", 2, { showing: "offline:1" }).key, "offline:2");
  });
});
