// The state of one workshop's board as this client may see it, built from the join snapshot
// and then from every numbered change, in seq order (WorkshopFeed delivers them so).
//
// BoardState holds no DOM: the phone, the moderator board, the host board and the projector
// each render from it. Everything here mirrors what the server sent; hidden texts arrive as
// null and stay null until the server reveals them.

export const CHANGE_EVENTS = [
  "idea_created", "idea_updated", "idea_deleted", "idea_restored", "ideas_merged", "idea_moved",
  "ideas_grouped", "idea_ungrouped", "cluster_updated", "ideas_revealed",
  "votes_changed", "votes_revealed", "action_saved", "action_deleted", "carried_action_saved",
  "step_changed", "workshop_updated", "workshop_locked", "timer_changed", "message_posted",
  "message_withdrawn", "review_changed", "reviews_revealed",
];

export const STEPS = ["collect", "cluster", "vote", "act", "closed"];

/** Whether the server withheld this idea's text from this client (while a workshop writes
 * privately, others' texts arrive as null, and stay null until the server reveals them). */
export function isWithheld(idea) {
  return idea.text === null || idea.text === undefined;
}

/** Whether a participant may do the work of `step` now (that step, not locked). */
export function canContribute(state, step) {
  return Boolean(state && state.workshop) && state.workshop.step === step && !state.workshop.locked;
}

const byPosition = (a, b) => (a.position ?? 0) - (b.position ?? 0) || a.id - b.id;
const voteKey = (type, id) => `${type}:${id}`;

export class BoardState {
  constructor() {
    this.workshop = null;
    this.ideasById = new Map();
    this.clustersById = new Map();
    this.actionsById = new Map();
    this.carriedById = new Map();
    this.messages = [];
    this.me = { staff: false, participant_id: null, ideas: new Set(), remaining: null };
    this.myVoteCounts = new Map();
    this.review = { available: false, hidden: false, revealed: false, actions: [] };
    this.myReviews = new Map(); // action id → { verdict, comment }
    this.timerReceivedAt = 0;
    this.clockOffsetMs = 0; // server clock minus this device's clock, from the snapshot
    this.seq = 0;
  }

  /** Replace everything with a join_workshop snapshot. */
  load(snapshot) {
    this.workshop = snapshot.workshop;
    this.timerReceivedAt = performance.now();
    const timer = this.workshop && this.workshop.timer;
    if (timer && timer.state === "running" && timer.ends_at && timer.remaining != null) {
      // A snapshot is fresh: its remaining seconds tell how far this device's clock is off.
      this.clockOffsetMs = Date.parse(timer.ends_at) - timer.remaining * 1000 - Date.now();
    }
    this.ideasById = new Map((snapshot.ideas || []).map((idea) => [idea.id, idea]));
    this.clustersById = new Map((snapshot.clusters || []).map((c) => [c.id, c]));
    this.actionsById = new Map((snapshot.actions || []).map((a) => [a.id, a]));
    this.carriedById = new Map((snapshot.carried || []).map((c) => [c.action_id, c]));
    this.messages = [...(snapshot.messages || [])];
    const me = snapshot.me || {};
    this.me = {
      staff: Boolean(me.staff),
      participant_id: me.participant_id ?? null,
      ideas: new Set(me.ideas || []),
      remaining: me.remaining ?? null,
    };
    this.myVoteCounts = new Map((me.votes || []).map((v) => [voteKey(v.target_type, v.target_id), v.count]));
    const review = snapshot.review || {};
    this.review = {
      available: Boolean(review.available), hidden: Boolean(review.hidden),
      revealed: Boolean(review.revealed), actions: [...(review.actions || [])],
    };
    this.myReviews = new Map((me.reviews || []).map((r) => [r.action_id, { verdict: r.verdict, comment: r.comment }]));
    this.seq = snapshot.seq;
  }

  /** Apply one numbered change (unknown names are ignored, their seq still counts). */
  apply(name, payload) {
    this.seq = payload.seq;
    const handler = APPLY[name];
    if (handler) handler(this, payload);
  }

  // --- reading -------------------------------------------------------------------------------

  /** Ideas on the board (neither deleted nor merged), in board order. */
  ideas() {
    return [...this.ideasById.values()].filter((i) => !i.deleted && !i.merged_into).sort(byPosition);
  }

  /** Deleted or merged ideas (only the staff receive these), newest first, for undo. */
  trash() {
    return [...this.ideasById.values()].filter((i) => i.deleted || i.merged_into).sort((a, b) => b.id - a.id);
  }

  /** Clusters in board order, each with its ideas. */
  clusters() {
    const members = new Map();
    for (const idea of this.ideas()) {
      if (idea.cluster_id == null) continue;
      if (!members.has(idea.cluster_id)) members.set(idea.cluster_id, []);
      members.get(idea.cluster_id).push(idea);
    }
    return [...this.clustersById.values()]
      .filter((c) => !c.deleted)
      .sort(byPosition)
      .map((c) => ({ ...c, ideas: members.get(c.id) || [] }));
  }

  /** Ideas that belong to no (live) cluster. */
  unclustered() {
    const live = new Set([...this.clustersById.values()].filter((c) => !c.deleted).map((c) => c.id));
    return this.ideas().filter((i) => i.cluster_id == null || !live.has(i.cluster_id));
  }

  /** Ideas of one category (null: without category). */
  inCategory(categoryId) {
    return this.ideas().filter((i) => (i.category_id ?? null) === categoryId);
  }

  /** Actions (not deleted), in order. */
  actions() {
    return [...this.actionsById.values()].filter((a) => !a.deleted).sort(byPosition);
  }

  /** This workshop's decisions about the series' open actions (carried forward or dropped),
   * in the order they were first taken. */
  carried() {
    return [...this.carriedById.values()];
  }

  /** Deleted actions (staff only), for undo. */
  deletedActions() {
    return [...this.actionsById.values()].filter((a) => a.deleted);
  }

  latestMessage() {
    return this.messages.length ? this.messages[this.messages.length - 1] : null;
  }

  isMine(idea) {
    return this.me.ideas.has(idea.id);
  }

  myVotes(targetType, id) {
    return this.myVoteCounts.get(voteKey(targetType, id)) || 0;
  }

  /** Record my dots on a target from the vote ack (the broadcast may be withheld from me). */
  setMyVote(targetType, id, count, remaining) {
    this.myVoteCounts.set(voteKey(targetType, id), count);
    this.me.remaining = remaining;
  }

  /** The earlier forums' open actions under review, each with its verdicts as this client
   * may see them (`review`/`comments` null while secret, `given` always). */
  reviewActions() {
    return this.review.actions;
  }

  /** My verdict on an action under review ({verdict, comment}) or null. */
  myReview(actionId) {
    return this.myReviews.get(actionId) || null;
  }

  /** Record my verdict from the review_action ack (the broadcast may be withheld from me). */
  setMyReview(actionId, verdict, comment) {
    this.myReviews.set(actionId, { verdict, comment: comment ?? null });
  }

  /** Whether review verdicts reach this client (not secret, revealed, or staff). */
  reviewsVisible() {
    return !this.review.hidden || this.review.revealed;
  }

  patchReview(tally) {
    this.review.actions = this.review.actions.map((action) => (action.id === tally.action_id
      ? { ...action, given: tally.given, review: tally.review, comments: tally.comments, hidden: Boolean(tally.hidden) }
      : action));
  }

  /** Whether vote totals reach this client (open voting, revealed, or staff). */
  votesVisible() {
    const s = (this.workshop && this.workshop.settings) || {};
    return this.me.staff || !s.votes_secret || Boolean(s.votes_revealed);
  }

  /** Clusters (or, without clusters, ideas) by votes, most first; ties in board order. */
  ranked() {
    const clusters = this.clusters();
    const items = clusters.length
      ? [
        ...clusters.map((c) => ({ kind: "cluster", item: c, votes: c.votes ?? 0 })),
        ...this.unclustered().map((i) => ({ kind: "idea", item: i, votes: i.votes ?? 0 })),
      ]
      : this.ideas().map((i) => ({ kind: "idea", item: i, votes: i.votes ?? 0 }));
    return items.sort((a, b) => b.votes - a.votes);
  }

  /** Seconds left on the workshop's countdown right now, or null without a countdown.
   * A running timer counts down to its ends_at (on the server's clock), so a change replayed
   * after a reconnect is as right as one that arrived live. */
  timerRemaining() {
    const timer = this.workshop && this.workshop.timer;
    if (!timer || timer.remaining == null || timer.state === "idle") return null;
    if (timer.state !== "running") return timer.remaining;
    if (timer.ends_at) {
      return Math.max(0, (Date.parse(timer.ends_at) - Date.now() - this.clockOffsetMs) / 1000);
    }
    const elapsed = (performance.now() - this.timerReceivedAt) / 1000;
    return Math.max(0, timer.remaining - elapsed);
  }

  step() {
    return this.workshop ? this.workshop.step : null;
  }

  // --- changes -------------------------------------------------------------------------------

  putIdea(idea) {
    const known = this.ideasById.get(idea.id);
    // A withheld copy never overwrites a text this client already holds legitimately.
    if (known && idea.hidden && isWithheld(idea) && !isWithheld(known)) {
      this.ideasById.set(idea.id, { ...idea, text: known.text, author: known.author });
    } else {
      this.ideasById.set(idea.id, idea);
    }
  }

  patchIdea(id, fields) {
    const idea = this.ideasById.get(id);
    if (idea) this.ideasById.set(id, { ...idea, ...fields });
  }

  dropClusters(ids) {
    for (const id of ids || []) {
      const cluster = this.clustersById.get(id);
      if (cluster) this.clustersById.set(id, { ...cluster, deleted: true });
    }
  }
}

const APPLY = {
  idea_created: (s, p) => s.putIdea(p.idea),
  idea_updated: (s, p) => s.putIdea(p.idea),
  idea_restored: (s, p) => s.putIdea(p.idea),
  idea_moved: (s, p) => s.putIdea(p.idea),
  idea_deleted: (s, p) => s.patchIdea(p.idea_id, { deleted: true }),
  ideas_merged: (s, p) => {
    s.patchIdea(p.idea_id, { merged_into: p.into.id });
    s.putIdea(p.into);
  },
  ideas_grouped: (s, p) => {
    s.clustersById.set(p.cluster.id, p.cluster);
    for (const id of p.idea_ids || []) s.patchIdea(id, { cluster_id: p.cluster.id });
    s.dropClusters(p.removed_cluster_ids);
  },
  idea_ungrouped: (s, p) => {
    s.patchIdea(p.idea_id, { cluster_id: null });
    s.dropClusters(p.removed_cluster_ids);
  },
  cluster_updated: (s, p) => s.clustersById.set(p.cluster.id, p.cluster),
  ideas_revealed: (s, p) => {
    for (const idea of p.ideas || []) s.ideasById.set(idea.id, idea);
  },
  votes_changed: (s, p) => {
    if (p.hidden) {
      if (p.mine != null) s.myVoteCounts.set(voteKey(p.target_type, p.target_id), p.mine);
      return;
    }
    const map = p.target_type === "cluster" ? s.clustersById : s.ideasById;
    const item = map.get(p.target_id);
    if (item) map.set(p.target_id, { ...item, votes: p.votes });
  },
  votes_revealed: (s, p) => {
    for (const { id, votes } of p.ideas || []) s.patchIdea(id, { votes });
    for (const { id, votes } of p.clusters || []) {
      const cluster = s.clustersById.get(id);
      if (cluster) s.clustersById.set(id, { ...cluster, votes });
    }
    s.workshop = { ...s.workshop, settings: { ...s.workshop.settings, votes_revealed: true } };
  },
  review_changed: (s, p) => {
    s.patchReview(p);
    if (p.mine) s.setMyReview(p.action_id, p.mine.verdict, p.mine.comment);
  },
  reviews_revealed: (s, p) => {
    s.review = { ...s.review, revealed: true, hidden: false };
    for (const tally of p.actions || []) s.patchReview(tally);
    s.workshop = { ...s.workshop, settings: { ...s.workshop.settings, reviews_revealed: true } };
  },
  action_saved: (s, p) => s.actionsById.set(p.action.id, p.action),
  carried_action_saved: (s, p) => s.carriedById.set(p.carried.action_id, p.carried),
  action_deleted: (s, p) => {
    const action = s.actionsById.get(p.action_id);
    if (action) s.actionsById.set(p.action_id, { ...action, deleted: true });
  },
  step_changed: (s, p) => {
    s.workshop = { ...s.workshop, step: p.step };
  },
  workshop_updated: (s, p) => {
    s.workshop = { ...s.workshop, ...p.workshop };
    s.timerReceivedAt = performance.now();
  },
  workshop_locked: (s, p) => {
    s.workshop = { ...s.workshop, locked: p.locked };
  },
  timer_changed: (s, p) => {
    s.workshop = { ...s.workshop, timer: p.timer };
    s.timerReceivedAt = performance.now();
  },
  message_posted: (s, p) => {
    s.messages = [...s.messages.slice(-19), p.message];
  },
  message_withdrawn: (s, p) => {
    s.messages = s.messages.map((message) => (message.id === p.message_id
      ? { ...message, text: null, from: null, withdrawn: true } : message));
  },
};
