import "./support/page.js";
import "./support/strings.js";

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { ApiError, errorText, formatClock, KeyedList, plural, t, textsFrom } from "../../static/js/common.js";
import { clusterName, ideaText, isWithheld, newIdeaAnnouncement, snippet } from "../../static/js/ui/board-text.js";
import { formatRelative, minutesToSeconds, showStaffCountdown, spokenClock, staffCountdown } from "../../static/js/ui/clock.js";
import { moderatorErrorText, staffErrorText } from "../../static/js/ui/errors.js";

// The page has only the strings of support/strings.js: t("key") answers any other key itself,
// so the tests see which one was chosen.

describe("strings", () => {
  test("placeholders are filled in; unknown ones stay; a missing key answers itself", () => {
    assert.equal(t("new_idea_by", { author: "Anna", text: "Mentoring" }), "Neue Idee von Anna: Mentoring");
    assert.equal(t("new_idea_by", { author: "Anna" }), "Neue Idee von Anna: {text}");
    assert.equal(t("no_such_key"), "no_such_key");
  });

  test("plurals follow the language's rules and format the number", () => {
    assert.equal(plural("ideas", 1), "1 Idee");
    assert.equal(plural("ideas", 0), "0 Ideen");
    assert.equal(plural("ideas", 1200), "1.200 Ideen");
  });

  test("another block of strings (a page's own, the outbox's) works the same way", () => {
    const page = textsFrom({ saved_one: "{n} gespeichert", saved_other: "{n} gespeichert!", hello: "Hallo {name}" });
    assert.equal(page.t("hello", { name: "Rita" }), "Hallo Rita");
    assert.equal(page.plural("saved", 1), "1 gespeichert");
    assert.equal(page.plural("saved", 2), "2 gespeichert!");
    assert.equal(page.plural("missing", 2), "missing_other");
  });
});

const NO_CLOCK = "–:––";

describe("formatClock", () => {
  test("minutes and seconds, rounded up so that 0:00 means the time is up", () => {
    assert.equal(formatClock(245), "4:05");
    assert.equal(formatClock(0.2), "0:01");
    assert.equal(formatClock(0), "0:00");
    assert.equal(formatClock(-3), "0:00");
    assert.equal(formatClock(3723), "1:02:03");
  });

  test("the staff screens' clock has two-digit minutes", () => {
    assert.equal(formatClock(299, { pad: true }), "04:59");
    assert.equal(formatClock(3723, { pad: true }), "1:02:03");
  });

  test("no seconds, no clock", () => {
    for (const nothing of [null, undefined, NaN, "5"]) assert.equal(formatClock(nothing), NO_CLOCK);
  });
});

test("spokenClock says minutes and seconds", () => {
  assert.equal(spokenClock(298.5), "4 Minuten 59 Sekunden");
  assert.equal(spokenClock(null), "0 Minuten 0 Sekunden");
});

describe("formatRelative", () => {
  const now = Date.parse("2026-03-01T12:00:00Z");
  const ago = (seconds) => new Date(now - seconds * 1000).toISOString();

  test("under a minute is just now; without a time there was no activity", () => {
    assert.equal(formatRelative(ago(59), now), "just_now");
    assert.equal(formatRelative(null, now), "never");
    assert.equal(formatRelative("kein Datum", now), "");
  });

  test("minutes, hours, days in the page's language", () => {
    assert.equal(formatRelative(ago(180), now), "vor 3 Minuten");
    assert.equal(formatRelative(ago(2 * 3600), now), "vor 2 Stunden");
    assert.equal(formatRelative(ago(26 * 3600), now), "gestern");
  });
});

describe("minutesToSeconds", () => {
  test("reads minutes with a comma or a point", () => {
    assert.equal(minutesToSeconds("5"), 300);
    assert.equal(minutesToSeconds("2,5"), 150);
    assert.equal(minutesToSeconds(" 1.5 "), 90);
  });

  test("keeps within the server's limits: 10 s to 2 h", () => {
    assert.equal(minutesToSeconds("0.01"), 10);
    assert.equal(minutesToSeconds("500"), 7200);
  });

  test("nothing usable is null", () => {
    for (const value of ["", "0", "-3", "fünf", "Infinity"]) assert.equal(minutesToSeconds(value), null, value);
  });
});

describe("staffCountdown", () => {
  test("idle shows no clock", () => {
    assert.deepEqual(staffCountdown(null, null), { state: "idle", clock: NO_CLOCK, note: "timer_idle", urgent: false });
  });

  test("running counts down and is urgent in its last 30 seconds", () => {
    assert.deepEqual(staffCountdown({ state: "running" }, 95), { state: "running", clock: "01:35", note: "timer_running", urgent: false });
    assert.equal(staffCountdown({ state: "running" }, 30).urgent, true);
    assert.equal(staffCountdown({ state: "paused" }, 12).urgent, false);
  });

  test("an ended countdown shows 00:00", () => {
    assert.deepEqual(staffCountdown({ state: "ended" }, 40), { state: "ended", clock: "00:00", note: "timer_ended", urgent: false });
  });

  test("drawn into a display, the texts change only when they differ", () => {
    const writes = [];
    const text = (initial) => ({
      value: initial,
      get textContent() { return this.value; },
      set textContent(value) { writes.push(value); this.value = value; },
    });
    const display = { box: { dataset: {}, classList: { toggle: (name, on) => writes.push(`${name}:${on}`) } }, clock: text("01:36"), note: text("timer_running") };
    showStaffCountdown(display, { state: "running" }, 95.2);
    assert.equal(display.box.dataset.state, "running");
    assert.deepEqual(writes, ["is-urgent:false"]);
    showStaffCountdown(display, { state: "running" }, 29);
    assert.deepEqual(writes.slice(1), ["is-urgent:true", "00:29"]);
  });
});

describe("error texts", () => {
  const failed = (code) => new ApiError(code, "from the server");

  test("the text of the error's code, else the fallback", () => {
    const texts = { locked: "paused", other: "failed" };
    assert.equal(errorText(failed("locked"), texts), "paused");
    assert.equal(errorText(failed("conflict"), texts), "failed");
    assert.equal(errorText(failed("toString"), texts), "failed");
    assert.equal(errorText(failed("other"), { other: "failed", locked: "x" }), "failed");
    assert.equal(errorText(null, texts), "failed");
    assert.equal(errorText(new Error("plain"), texts), "failed");
  });

  test("each screen says it in its words", () => {
    assert.equal(moderatorErrorText(failed("forbidden")), "not_found");
    assert.equal(moderatorErrorText(failed("internal")), "server_error");
    assert.equal(staffErrorText(failed("conflict")), "staff_error_conflict");
    assert.equal(staffErrorText(failed("timeout")), "timeout");
  });
});

describe("board texts", () => {
  const idea = (fields) => ({ id: 3, text: "Mentoring", author: "Anna", ...fields });

  test("a withheld text is null (or missing); an empty one is not withheld", () => {
    assert.equal(isWithheld(idea({ text: null, hidden: true })), true);
    assert.equal(isWithheld({ id: 3 }), true);
    assert.equal(isWithheld(idea({ hidden: true })), false);
    assert.equal(isWithheld(idea({ text: "" })), false);
  });

  test("what stands in a withheld text's place", () => {
    assert.equal(ideaText(idea()), "Mentoring");
    assert.equal(ideaText(idea({ text: null })), "hidden_idea");
    assert.equal(ideaText(idea({ text: null }), "Verdeckt"), "Verdeckt");
  });

  test("a withheld idea is not announced", () => {
    assert.equal(newIdeaAnnouncement(idea({ text: null })), null);
    assert.equal(newIdeaAnnouncement(idea()), "Neue Idee von Anna: Mentoring");
    assert.equal(newIdeaAnnouncement(idea({ author: null })), "new_idea");
  });

  test("cluster names and short quotes", () => {
    assert.equal(clusterName({ title: "  Wohnen " }), "Wohnen");
    assert.equal(clusterName({ title: "   " }), "cluster_untitled");
    assert.equal(clusterName({ title: null }), "cluster_untitled");
    assert.equal(snippet("Mentoring  durch\nerfahrene Kolleginnen", 20), "Mentoring durch erf…");
    assert.equal(snippet(null), "");
  });
});

describe("KeyedList", () => {
  /** A list element: children and replaceChildren, counting how often it was rebuilt. */
  function fakeList() {
    return {
      children: [],
      replaced: 0,
      replaceChildren(...nodes) {
        this.children = nodes;
        this.replaced += 1;
      },
    };
  }

  const entry = (key, signature, built) => ({ key, signature, build: () => { built.push(key); return { key, signature }; } });

  test("a child is built once and kept while what it shows is unchanged", () => {
    const list = fakeList();
    const keyed = new KeyedList(list);
    const built = [];
    keyed.update([entry(1, "a", built), entry(2, "b", built)]);
    const [first, second] = list.children;
    keyed.update([entry(1, "a", built), entry(2, "B", built)]);
    assert.deepEqual(built, [1, 2, 2]);
    assert.equal(list.children[0], first);
    assert.notEqual(list.children[1], second);
  });

  test("the children are touched only when their set or order changes", () => {
    const list = fakeList();
    const keyed = new KeyedList(list);
    const built = [];
    keyed.update([entry(1, "a", built), entry(2, "b", built)]);
    keyed.update([entry(1, "a", built), entry(2, "b", built)]);
    assert.equal(list.replaced, 1);
    keyed.update([entry(2, "b", built), entry(1, "a", built)]);
    assert.equal(list.replaced, 2);
    assert.deepEqual(list.children.map((node) => node.key), [2, 1]);
    assert.deepEqual(built, [1, 2]);
    assert.equal(keyed.update([entry(2, "b", built)]), 1);
    assert.equal(keyed.size, 1);
  });

  test("a held child stays as it is; a forgotten one is built anew", () => {
    const list = fakeList();
    const keyed = new KeyedList(list);
    const built = [];
    keyed.update([entry(1, "a", built)]);
    keyed.update([entry(1, "changed", built)], (key) => key === 1);
    assert.deepEqual(built, [1]);
    keyed.forget(1);
    keyed.update([entry(1, "changed", built)], (key) => key === 1);
    assert.deepEqual(built, [1, 1]);
    keyed.clear();
    assert.deepEqual(list.children, []);
    assert.equal(keyed.size, 0);
  });
});
