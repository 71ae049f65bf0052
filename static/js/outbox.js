// A phone's outbox: ideas that are typed but not yet acknowledged by the server.
//
// Outbox      — the queue, kept in localStorage (one key per event and participant), so a lost
//               connection, a reload or a closed tab never loses an idea. Each item keeps the
//               op_id it got when it was queued; every (re)send uses that same op_id, so the
//               server stores it exactly once whatever happens to the acks. Items leave the
//               queue only on a successful ack. Sending is strictly one at a time, in the order
//               the ideas were queued (per workshop), and only while `canSend(workshopId)`.
//               Error acks: `invalid` (and other refusals of the idea itself) stop that item
//               until the user edits or removes it; `locked` holds the workshop's items until
//               it is unlocked (or joined again); `rate_limited` and `unavailable` (the server
//               is busy or cannot reach its database) pause for the time the server asks; a
//               timeout, a lost connection or a server fault retries with back-off.
// OutboxList  — renders the current workshop's waiting items as cards ("waiting", "sending",
//               "paused", error with edit/remove), visually distinct from the board's ideas.

import { editedIdeaText, el, errorText, KeyedList, MAX_IDEA_LENGTH, newOpId, readJson, t, textsFrom } from "./common.js";

// The outbox's own strings: the phone page renders them from the catalogues into
// <script type="application/json" id="i18n-outbox"> (app/templates/pages/join.html).
// outboxText(key, vars); outboxCount(key, n): key_one / key_other by the plural rules.
export const { t: outboxText, plural: outboxCount } = textsFrom(readJson("i18n-outbox") || {});

const BACKOFF_MS = [1000, 2000, 5000, 10000, 20000, 30000];
const RATE_LIMIT_DEFAULT_S = 10;
const LOCKED_RETRY_MS = 30000;
// Answers that refuse the idea itself: sending it again unchanged would not help.
const REFUSED = new Set(["invalid", "too_large", "not_found"]);

function isItem(item) {
  return Boolean(item) && typeof item.op_id === "string" && Number.isInteger(item.workshop_id)
    && typeof item.text === "string";
}

/** Seconds to wait after `rate_limited` or `unavailable`: the ack's retry_after, else the
 * number in its message ("… wait 12 s …"), else a default. */
function waitSeconds(error) {
  if (Number.isFinite(error.retryAfter) && error.retryAfter > 0) return error.retryAfter;
  const match = /(\d+)\s*s\b/.exec(error.message || "");
  return match ? Math.max(1, Number(match[1])) : RATE_LIMIT_DEFAULT_S;
}

/** The create_idea payload of a queued idea. */
export function createIdeaPayload(item) {
  const payload = { workshop_id: item.workshop_id, op_id: item.op_id, text: item.text, anonymous: Boolean(item.anonymous) };
  if (Number.isInteger(item.category_id)) payload.category_id = item.category_id;
  return payload;
}

export class Outbox {
  /**
   * key: the localStorage key. options:
   * send(item) → Promise of the ack data (rejects with ApiError, code "timeout" when no ack),
   * canSend(workshopId) → bool (connected, and the workshop joined),
   * isConnected() → bool, knownLocked(workshopId) → bool (the page follows that workshop's
   * board and knows it is locked: it will hear when it is unlocked), onAcked(item, data),
   * onChange().
   */
  constructor(key, { send, canSend, isConnected, knownLocked = () => false, onAcked, onChange }) {
    this.key = key;
    this.send = send;
    this.canSend = canSend;
    this.isConnected = isConnected;
    this.knownLocked = knownLocked;
    this.onAcked = onAcked;
    this.onChange = onChange;
    this.memory = []; // used when localStorage does not work (private mode, full)
    this.storageWorks = true;
    this.sending = null; // op_id in flight
    this.generation = 0; // bumped on every disconnect: late answers of older sends are stale
    this.held = new Map(); // workshop id → "locked" | "forbidden"
    this.pausedUntil = 0; // rate limit or back-off after failures, for every item
    this.pauseReason = null; // "rate_limited" | "retry"
    this.failures = 0;
    this.timer = null;
    // Another tab of the same phone page changed the queue.
    window.addEventListener("storage", (event) => {
      if (event.key === this.key) {
        this.changed();
        this.flush();
      }
    });
  }

  // -- storage --------------------------------------------------------------------------------

  /** Every item, oldest first (read fresh each time, so several tabs never overwrite each
   * other's items). */
  get items() {
    if (!this.storageWorks) return this.memory.slice();
    try {
      const raw = localStorage.getItem(this.key);
      const items = raw ? JSON.parse(raw) : [];
      return Array.isArray(items) ? items.filter(isItem) : [];
    } catch {
      return this.memory.slice();
    }
  }

  write(items) {
    this.memory = items;
    if (!this.storageWorks) return;
    try {
      if (items.length) localStorage.setItem(this.key, JSON.stringify(items));
      else localStorage.removeItem(this.key);
    } catch {
      this.storageWorks = false; // from now on this visit keeps the queue in memory
    }
  }

  // -- what the page does -----------------------------------------------------------------------

  /** Queue an idea (stored before this returns, with the category chosen for it, if any)
   * and start sending. */
  add({ workshopId, text, anonymous = false, categoryId = null }) {
    const item = { op_id: newOpId(), workshop_id: workshopId, text, anonymous: Boolean(anonymous), queued_at: new Date().toISOString() };
    if (categoryId) item.category_id = categoryId;
    this.write([...this.items, item]);
    this.changed();
    this.flush();
    return item;
  }

  /** Drop an item the server refused (the user decided so). */
  remove(opId) {
    if (opId === this.sending) return;
    this.write(this.items.filter((item) => item.op_id !== opId));
    this.changed();
  }

  /** Change a refused item's text and queue it again (same op_id: nothing was stored). */
  edit(opId, text) {
    this.write(this.items.map((item) => (item.op_id === opId ? { ...item, text, error: undefined } : item)));
    this.changed();
    this.flush();
  }

  /** A workshop's lock state as the page learnt it (snapshot, broadcast, catch-up). */
  setLocked(workshopId, locked) {
    if (locked) {
      this.held.set(workshopId, "locked");
      this.changed();
    } else if (this.held.has(workshopId)) {
      this.held.delete(workshopId);
      this.changed();
      this.flush();
    }
  }

  /** The workshop was joined on this connection: whatever held its items is void. */
  joined(workshopId, { locked = false } = {}) {
    if (locked) this.held.set(workshopId, "locked");
    else this.held.delete(workshopId);
    this.changed();
    this.flush();
  }

  /** The connection is gone: forget the send in flight (it is resent after the reconnect). */
  interrupt() {
    this.generation += 1;
    this.sending = null;
    this.held.clear(); // learnt again: from the next join, or from the next answer
    this.failures = 0;
    if (this.pauseReason === "retry") this.pausedUntil = 0;
    clearTimeout(this.timer);
    this.changed();
  }

  /** The state of one item: "waiting" | "sending" | "locked" | "rate_limited" | "error". */
  stateOf(item) {
    if (item.error) return "error";
    if (item.op_id === this.sending) return "sending";
    if (this.held.get(item.workshop_id) === "locked") return "locked";
    if (this.pausedUntil > Date.now() && this.pauseReason === "rate_limited") return "rate_limited";
    return "waiting";
  }

  /** Counts for the banner: items that wait (not refused), refused ones, whether sending
   * pauses (rate limit, back-off) and whether every waiting item waits for a paused workshop. */
  summary() {
    const items = this.items;
    const waiting = items.filter((item) => !item.error);
    return {
      waiting: waiting.length,
      refused: items.length - waiting.length,
      paused: this.pausedUntil > Date.now(),
      allLocked: waiting.length > 0 && waiting.every((item) => this.held.get(item.workshop_id) === "locked"),
    };
  }

  // -- sending ------------------------------------------------------------------------------------

  /** Send the next item that may go now; called again after every answer. */
  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.sending !== null || !this.isConnected()) return;
    const now = Date.now();
    if (this.pausedUntil > now) {
      this.timer = setTimeout(() => this.flush(), this.pausedUntil - now);
      return;
    }
    const blocked = new Set(); // workshops whose oldest item cannot go: their later ones wait
    for (const item of this.items) {
      if (item.error || blocked.has(item.workshop_id)) continue;
      if (this.held.has(item.workshop_id) || !this.canSend(item.workshop_id)) {
        blocked.add(item.workshop_id);
        continue;
      }
      this.sendItem(item);
      return;
    }
  }

  async sendItem(item) {
    const generation = this.generation;
    this.sending = item.op_id;
    this.changed();
    let data = null;
    let failure = null;
    try {
      data = await this.send(item);
    } catch (error) {
      failure = error;
    }
    const current = generation === this.generation;
    if (current) this.sending = null;
    if (data) {
      // An ack is an ack, even a late one: the idea is stored.
      this.failures = 0;
      this.write(this.items.filter((other) => other.op_id !== item.op_id));
      this.onAcked(item, data);
    } else if (current) {
      this.failed(item, failure);
    }
    this.changed();
    if (current) this.flush();
  }

  failed(item, error) {
    const code = (error && error.code) || "internal";
    if (REFUSED.has(code)) {
      const error_ = { code, message: error.message || "" };
      this.write(this.items.map((other) => (other.op_id === item.op_id ? { ...other, error: error_ } : other)));
    } else if (code === "locked") {
      const workshopId = item.workshop_id;
      this.held.set(workshopId, "locked");
      // Unlocking is heard on the board the page follows (setLocked); in case that news is
      // missed (or the page follows another workshop) the server is asked again now and then.
      setTimeout(() => {
        if (this.held.get(workshopId) === "locked" && !this.knownLocked(workshopId)) {
          this.held.delete(workshopId);
          this.changed();
          this.flush();
        }
      }, LOCKED_RETRY_MS);
    } else if (code === "forbidden") {
      // Not (yet) a member of that workshop: wait until the page joins it.
      this.held.set(item.workshop_id, "forbidden");
    } else if (code === "rate_limited") {
      this.pause(waitSeconds(error) * 1000 + Math.floor(Math.random() * 500), "rate_limited");
    } else if (code === "unavailable") {
      // Busy, or its database is out of reach: the idea stays and goes again when told.
      this.pause(waitSeconds(error) * 1000 + Math.floor(Math.random() * 1000), "retry");
    } else if (this.isConnected()) {
      // No ack in time, or a server fault: try again, a little later each time.
      this.pause(BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)], "retry");
      this.failures += 1;
    }
    // Disconnected: the page calls flush() once the workshop is joined again.
  }

  pause(ms, reason) {
    this.pausedUntil = Date.now() + ms;
    this.pauseReason = reason;
    setTimeout(() => this.changed(), ms + 10); // the item's label changes when the pause ends
  }

  changed() {
    if (this.onChange) this.onChange();
  }
}

/**
 * What the phone's banner says about the connection and the waiting ideas: offline (with their
 * number), sending, waiting for a paused board, all sent, connected again — or nothing.
 * connection: "connecting" | "online" | "reconnected" | "offline" (as watchConnection reports
 * it); summary: Outbox.summary(); event: "reconnected" right when the connection came back;
 * showing: the key of what the banner shows now. Answers {key, kind, text, detail?, spinner?}
 * (kind "hide": no banner), or null when the banner stays as it is.
 */
export function outboxBanner({ connection, summary, event = null, showing = null }) {
  const n = summary.waiting;
  const waited = /^(offline:|sending:|locked:)/.test(showing || ""); // the banner spoke of waiting ideas
  let next;
  if (connection === "offline" && n > 0) {
    next = { key: `offline:${n}`, kind: "warning", text: outboxCount("outbox_offline", n), detail: outboxText("outbox_offline_hint") };
  } else if (connection === "connecting" && n === 0) {
    next = { key: "connecting", kind: "info", text: t("connecting"), spinner: true };
  } else if (connection === "offline") {
    next = { key: "offline", kind: "warning", text: t("offline"), spinner: true };
  } else if (n > 0 && summary.allLocked) {
    next = { key: `locked:${n}`, kind: "info", text: outboxCount("outbox_locked", n), detail: outboxText("outbox_locked_hint") };
  } else if (n > 0 && (summary.paused || event === "reconnected" || connection === "connecting" || waited)) {
    // Ideas that waited (offline, a reload, a retry): say that they are on their way. A quick
    // send while online needs no banner: the card and the form's feedback say enough.
    next = { key: `sending:${n}`, kind: "info", text: outboxCount("outbox_count_sending", n), spinner: true };
  } else if (n > 0) {
    return null;
  } else if (waited) {
    next = { key: "done", kind: "success", text: outboxText("outbox_all_sent") };
  } else if (event === "reconnected") {
    next = { key: "done", kind: "success", text: t("reconnected") };
  } else if (showing === "done") {
    return null; // the success message hides itself
  } else {
    next = { key: "none", kind: "hide" };
  }
  return next.key === showing && event === null ? null : next;
}

/** One item's label: what it waits for. */
function stateText(state, online) {
  if (state === "sending") return outboxText("outbox_sending");
  if (state === "locked") return outboxText("outbox_paused");
  if (state === "rate_limited") return outboxText("outbox_soon");
  return online ? outboxText("outbox_sending") : outboxText("outbox_waiting");
}

/** Why the server refused an item. */
function refusal(error) {
  return errorText(error, { invalid: t("idea_invalid"), too_large: t("idea_invalid"), other: outboxText("outbox_refused") });
}

export class OutboxList {
  /**
   * list: the <ol> for the waiting cards; outbox: the Outbox; options: author (the name shown
   * on the cards), isOnline() → bool.
   */
  constructor(list, outbox, { author, isOnline }) {
    this.list = list;
    this.outbox = outbox;
    this.author = author;
    this.isOnline = isOnline;
    this.workshopId = null;
    this.cards = new KeyedList(list); // by op_id
    this.editing = new Set(); // op_ids whose card is in edit mode
  }

  show(workshopId) {
    this.workshopId = workshopId;
    this.render();
  }

  /** The number of cards on the current board. */
  render() {
    const online = this.isOnline();
    const items = this.workshopId === null ? [] : this.outbox.items.filter((item) => item.workshop_id === this.workshopId);
    const shown = new Set(items.map((item) => item.op_id));
    for (const opId of this.editing) if (!shown.has(opId)) this.editing.delete(opId);
    // Newest first, like the board; a card being edited stays as it is (focus, typed text).
    const count = this.cards.update([...items].reverse().map((item) => {
      const state = this.outbox.stateOf(item);
      return {
        key: item.op_id,
        signature: JSON.stringify([state, online, item.text, item.anonymous, item.error || null]),
        build: () => this.card(item, state, online),
      };
    }), (opId) => this.editing.has(opId));
    this.list.hidden = count === 0;
    return count;
  }

  card(item, state, online) {
    const author = item.anonymous ? t("anonymous") : this.author();
    const label = el("span", { class: "outbox__state", "data-testid": "outbox-item-state" },
      el("span", { class: `outbox__icon outbox__icon--${state === "error" ? "error" : "clock"}`, "aria-hidden": "true" }),
      state === "error" ? outboxText("outbox_not_sent") : stateText(state, online));
    const node = el("li", {
      class: `idea idea--mine outbox__item outbox__item--${state}`,
      "data-testid": "outbox-item",
      dataset: { opId: item.op_id, state },
    },
    el("p", { class: "idea__text", text: item.text, "data-testid": "outbox-item-text" }),
    el("p", { class: "idea__meta" },
      el("span", { class: item.anonymous ? "idea__author idea__author--anon" : "idea__author", text: author }),
      label));
    if (state === "error") {
      node.append(
        el("p", { class: "outbox__error", role: "alert", text: refusal(item.error), "data-testid": "outbox-item-error" }),
        el("div", { class: "outbox__actions" },
          el("button", { type: "button", class: "button button--secondary button--small", text: outboxText("outbox_edit"), "data-testid": "outbox-edit", on: { click: () => this.startEdit(item, node) } }),
          el("button", { type: "button", class: "button button--ghost button--small", text: outboxText("outbox_remove"), "data-testid": "outbox-remove", on: { click: () => this.outbox.remove(item.op_id) } })));
    }
    return node;
  }

  startEdit(item, node) {
    this.editing.add(item.op_id);
    const field = el("textarea", { class: "input textarea", rows: "3", maxlength: String(MAX_IDEA_LENGTH), "aria-label": outboxText("outbox_edit"), "data-testid": "outbox-edit-text" });
    field.value = item.text;
    const problem = el("p", { class: "outbox__error", role: "alert", hidden: true });
    const save = () => {
      const text = editedIdeaText(field, problem);
      if (text === null) return;
      this.editing.delete(item.op_id);
      this.outbox.edit(item.op_id, text);
    };
    const cancel = () => {
      this.editing.delete(item.op_id);
      this.cards.forget(item.op_id);
      this.render();
    };
    node.replaceChildren(field, problem,
      el("div", { class: "outbox__actions" },
        el("button", { type: "button", class: "button button--primary button--small", text: outboxText("outbox_resend"), "data-testid": "outbox-edit-save", on: { click: save } }),
        el("button", { type: "button", class: "button button--ghost button--small", text: outboxText("outbox_cancel"), "data-testid": "outbox-edit-cancel", on: { click: cancel } })));
    field.focus();
  }
}
