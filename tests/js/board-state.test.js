import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { BoardState, CHANGE_EVENTS } from "../../static/js/board-state.js";

const idea = (id, fields = {}) => ({
  id, workshop_id: 1, text: `Idee ${id}`, author: "Anna", created_at: "2026-03-01T09:00:00Z",
  votes: 0, hidden: false, position: id, category_id: null, cluster_id: null, merged_into: null,
  deleted: false, ...fields,
});

function snapshot(fields = {}) {
  return {
    workshop: {
      id: 1, title: "Fachkräfte", question: "Wie?", step: "collect", locked: false,
      settings: { votes_secret: false, votes_revealed: false }, timer: null, template: "free",
      categories: [],
    },
    ideas: [idea(1), idea(2)],
    clusters: [],
    actions: [],
    messages: [],
    me: { staff: false, participant_id: 5, ideas: [2], votes: [], remaining: 3 },
    seq: 10,
    ...fields,
  };
}

function loaded(fields) {
  const state = new BoardState();
  state.load(snapshot(fields));
  return state;
}

describe("BoardState", () => {
  test("a snapshot replaces everything and sets the seq", () => {
    const state = loaded();
    state.apply("idea_created", { workshop_id: 1, seq: 11, idea: idea(3) });
    state.load(snapshot({ ideas: [idea(9)], seq: 40 }));
    assert.deepEqual(state.ideas().map((i) => i.id), [9]);
    assert.equal(state.seq, 40);
    assert.equal(state.step(), "collect");
  });

  test("every change moves the seq on, also one it does not know", () => {
    const state = loaded();
    state.apply("idea_created", { seq: 11, idea: idea(3) });
    state.apply("something_new", { seq: 12 });
    assert.equal(state.seq, 12);
    assert.deepEqual(state.ideas().map((i) => i.id), [1, 2, 3]);
  });

  test("the change events are listed once each, with every name it applies", () => {
    assert.equal(new Set(CHANGE_EVENTS).size, CHANGE_EVENTS.length);
    for (const name of ["idea_created", "ideas_revealed", "votes_revealed", "timer_changed"]) {
      assert.ok(CHANGE_EVENTS.includes(name), name);
    }
  });

  test("my own ideas come from the snapshot", () => {
    const state = loaded();
    assert.equal(state.isMine(idea(2)), true);
    assert.equal(state.isMine(idea(1)), false);
  });

  test("a withheld copy never overwrites a text this client holds", () => {
    const state = loaded({ ideas: [idea(1, { hidden: true })] });
    state.apply("idea_updated", { seq: 11, idea: idea(1, { hidden: true, text: null, author: null, votes: 2 }) });
    assert.equal(state.ideasById.get(1).text, "Idee 1");
    assert.equal(state.ideasById.get(1).author, "Anna");
    assert.equal(state.ideasById.get(1).votes, 2);
  });

  test("a withheld idea stays withheld until the reveal brings its text", () => {
    const state = loaded({ ideas: [idea(1, { hidden: true, text: null, author: null })] });
    assert.equal(state.ideas()[0].text, null);
    state.apply("ideas_revealed", { seq: 11, ideas: [idea(1, { hidden: false })] });
    assert.equal(state.ideas()[0].text, "Idee 1");
  });

  test("deleted and merged ideas leave the board for the trash; restored ones come back", () => {
    const state = loaded({ ideas: [idea(1), idea(2), idea(3)] });
    state.apply("idea_deleted", { seq: 11, idea_id: 1 });
    state.apply("ideas_merged", { seq: 12, idea_id: 2, into: idea(3, { text: "Idee 3 + 2" }) });
    assert.deepEqual(state.ideas().map((i) => i.id), [3]);
    assert.deepEqual(state.trash().map((i) => i.id), [2, 1]);
    assert.equal(state.ideas()[0].text, "Idee 3 + 2");
    state.apply("idea_restored", { seq: 13, idea: idea(1) });
    assert.deepEqual(state.ideas().map((i) => i.id), [1, 3]);
  });

  test("the board order follows position, then id", () => {
    const state = loaded({ ideas: [idea(1, { position: 5 }), idea(2, { position: 1 }), idea(3, { position: 5 })] });
    assert.deepEqual(state.ideas().map((i) => i.id), [2, 1, 3]);
    state.apply("idea_moved", { seq: 11, idea: idea(3, { position: 0.5 }) });
    assert.deepEqual(state.ideas().map((i) => i.id), [3, 2, 1]);
  });

  test("grouping builds clusters; an emptied cluster is dropped", () => {
    const state = loaded({ ideas: [idea(1), idea(2), idea(3)] });
    state.apply("ideas_grouped", { seq: 11, cluster: { id: 7, title: "", position: 1 }, idea_ids: [1, 2] });
    assert.deepEqual(state.clusters().map((c) => [c.id, c.ideas.map((i) => i.id)]), [[7, [1, 2]]]);
    assert.deepEqual(state.unclustered().map((i) => i.id), [3]);
    state.apply("ideas_grouped", { seq: 12, cluster: { id: 8, title: "B", position: 2 }, idea_ids: [1, 2], removed_cluster_ids: [7] });
    assert.deepEqual(state.clusters().map((c) => c.id), [8]);
    state.apply("idea_ungrouped", { seq: 13, idea_id: 1 });
    state.apply("idea_ungrouped", { seq: 14, idea_id: 2, removed_cluster_ids: [8] });
    assert.deepEqual(state.clusters(), []);
    assert.deepEqual(state.unclustered().map((i) => i.id), [1, 2, 3]);
  });

  test("an idea of a deleted cluster counts as loose", () => {
    const state = loaded({ ideas: [idea(1, { cluster_id: 4 })], clusters: [{ id: 4, title: "A", position: 1, deleted: true }] });
    assert.deepEqual(state.unclustered().map((i) => i.id), [1]);
  });

  test("open votes reach everyone; secret ones only staff, until revealed", () => {
    const open = loaded();
    assert.equal(open.votesVisible(), true);
    const secret = loaded({ workshop: { ...snapshot().workshop, settings: { votes_secret: true } } });
    assert.equal(secret.votesVisible(), false);
    secret.apply("votes_revealed", { seq: 11, ideas: [{ id: 1, votes: 4 }], clusters: [] });
    assert.equal(secret.votesVisible(), true);
    assert.equal(secret.ideasById.get(1).votes, 4);
    const staff = loaded({ workshop: { ...snapshot().workshop, settings: { votes_secret: true } }, me: { staff: true } });
    assert.equal(staff.votesVisible(), true);
  });

  test("a withheld vote change still tells me my own dots", () => {
    const state = loaded({ me: { participant_id: 5, votes: [{ target_type: "idea", target_id: 1, count: 1 }], remaining: 2 } });
    assert.equal(state.myVotes("idea", 1), 1);
    state.apply("votes_changed", { seq: 11, target_type: "idea", target_id: 1, hidden: true, mine: 2 });
    assert.equal(state.myVotes("idea", 1), 2);
    assert.equal(state.ideasById.get(1).votes, 0);
    state.apply("votes_changed", { seq: 12, target_type: "idea", target_id: 2, votes: 3 });
    assert.equal(state.ideasById.get(2).votes, 3);
    state.setMyVote("idea", 2, 1, 0);
    assert.equal(state.myVotes("idea", 2), 1);
    assert.equal(state.me.remaining, 0);
  });

  test("the ranking puts clusters and loose ideas by votes", () => {
    const state = loaded({
      ideas: [idea(1, { cluster_id: 7 }), idea(2, { votes: 5 }), idea(3, { votes: 1 })],
      clusters: [{ id: 7, title: "A", position: 1, votes: 3 }],
    });
    assert.deepEqual(state.ranked().map((e) => [e.kind, e.item.id, e.votes]), [["idea", 2, 5], ["cluster", 7, 3], ["idea", 3, 1]]);
    const plain = loaded({ ideas: [idea(1, { votes: 1 }), idea(2, { votes: 2 })] });
    assert.deepEqual(plain.ranked().map((e) => e.item.id), [2, 1]);
  });

  test("actions: saved, deleted for undo, in order", () => {
    const state = loaded();
    state.apply("action_saved", { seq: 11, action: { id: 1, title: "B", position: 2 } });
    state.apply("action_saved", { seq: 12, action: { id: 2, title: "A", position: 1 } });
    assert.deepEqual(state.actions().map((a) => a.id), [2, 1]);
    state.apply("action_deleted", { seq: 13, action_id: 2 });
    assert.deepEqual(state.actions().map((a) => a.id), [1]);
    assert.deepEqual(state.deletedActions().map((a) => a.id), [2]);
  });

  test("step, lock and workshop changes update the workshop", () => {
    const state = loaded();
    state.apply("step_changed", { seq: 11, step: "vote" });
    state.apply("workshop_locked", { seq: 12, locked: true });
    state.apply("workshop_updated", { seq: 13, workshop: { title: "Neu" } });
    assert.equal(state.step(), "vote");
    assert.equal(state.workshop.locked, true);
    assert.equal(state.workshop.title, "Neu");
    assert.equal(state.workshop.question, "Wie?");
  });

  test("messages: the latest one, at most 20 kept", () => {
    const state = loaded();
    assert.equal(state.latestMessage(), null);
    for (let n = 1; n <= 25; n += 1) state.apply("message_posted", { seq: 10 + n, message: { id: n, text: `M${n}` } });
    assert.equal(state.messages.length, 20);
    assert.equal(state.latestMessage().id, 25);
  });

  test("a running countdown counts to its end on the server's clock", () => {
    const endsIn = (seconds) => new Date(Date.now() + seconds * 1000).toISOString();
    // The snapshot says 60 s are left while ends_at is 90 s away on this device's clock:
    // this device's clock is 30 s behind the server's.
    const state = loaded({ workshop: { ...snapshot().workshop, timer: { state: "running", remaining: 60, ends_at: endsIn(90) } } });
    const left = state.timerRemaining();
    assert.ok(left > 59 && left <= 60, left);
    state.apply("timer_changed", { seq: 11, timer: { state: "paused", remaining: 42, ends_at: null } });
    assert.equal(state.timerRemaining(), 42);
    state.apply("timer_changed", { seq: 12, timer: { state: "idle", remaining: null } });
    assert.equal(state.timerRemaining(), null);
    state.apply("timer_changed", { seq: 13, timer: { state: "running", remaining: 10, ends_at: endsIn(-50) } });
    assert.equal(state.timerRemaining(), 0);
  });

  test("review verdicts: hidden counts, my own verdict, then the reveal", () => {
    const card = { id: 7, title: "Pendlerbus", status: "running", updates: [], action_id: 7, given: 0, review: null, comments: null, hidden: true };
    const state = loaded({
      review: { available: true, hidden: true, revealed: false, actions: [card] },
      me: { staff: false, participant_id: 5, ideas: [], votes: [], remaining: 3, reviews: [] },
    });
    assert.equal(state.reviewsVisible(), false);
    state.apply("review_changed", { workshop_id: 1, seq: 11, action_id: 7, given: 1, review: null, comments: null, hidden: true, mine: { verdict: "worked", comment: "Gut" } });
    assert.equal(state.reviewActions()[0].given, 1);
    assert.equal(state.reviewActions()[0].review, null);
    assert.deepEqual(state.myReview(7), { verdict: "worked", comment: "Gut" });
    const counts = { worked: 1, partly: 0, not: 0, unsure: 0 };
    state.apply("reviews_revealed", { workshop_id: 1, seq: 12, actions: [{ action_id: 7, given: 1, review: counts, comments: [] }] });
    assert.equal(state.reviewsVisible(), true);
    assert.deepEqual(state.reviewActions()[0].review, counts);
    assert.equal(state.workshop.settings.reviews_revealed, true);
    assert.equal(state.seq, 12);
  });
});
