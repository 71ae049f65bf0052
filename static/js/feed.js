// The live board of one workshop, shared by the phone, the moderator board and the projector.
//
// WorkshopFeed  — joins a workshop's room over Socket.IO and hands out its changes strictly in
//                 `seq` order: a snapshot first, then every change once. It remembers the last
//                 seq; after a reconnect (or a gap) it re-joins with `since_seq` and applies only
//                 what it has not seen. Changes that arrive while a join is under way wait.
// IdeaList      — renders ideas newest first as cards (textContent only), the empty state, the
//                 count and a screen-reader announcement for ideas arriving live.
// Composer      — the "post an idea" form: counter, anonymous flag, draft kept in localStorage;
//                 either sends itself (op_id reused for retries, the text kept in the field on
//                 every failure) or hands each idea to a queue at once (the phone's outbox).

import { CHANGE_EVENTS } from "./board-state.js";
import { $, el, emit, formatTime, newOpId, plural, store, t } from "./common.js";

const RETRY_MS = 3000;

export class WorkshopFeed {
  /**
   * handlers: onSnapshot({workshop, ideas, seq, …}), onChange(name, payload) for every numbered
   * change in CHANGE_EVENTS (board-state.js), onError(ApiError),
   * onJoined(workshopId) (optional: the join on this connection succeeded and everything it
   * brought has been applied).
   */
  constructor(socket, handlers) {
    this.socket = socket;
    this.handlers = handlers;
    this.workshopId = null;
    this.joinedId = null; // the workshop joined on the current connection
    this.seq = null;
    this.buffer = [];
    this.syncing = false;
    this.again = false;
    this.retryTimer = null;
    for (const name of CHANGE_EVENTS) socket.on(name, (payload) => this.receive(name, payload));
    socket.on("connect", () => this.sync());
    socket.on("disconnect", () => {
      this.joinedId = null;
    });
  }

  /** Start following a workshop (leaving the previous one); a fresh snapshot is fetched. */
  open(workshopId) {
    if (this.workshopId !== null && this.workshopId !== workshopId) this.leave();
    this.workshopId = workshopId;
    this.joinedId = null;
    this.seq = null;
    this.buffer = [];
    if (this.socket.connected) this.sync();
  }

  /** Stop following the current workshop (the socket leaves its room). */
  leave() {
    if (this.workshopId === null) return;
    const id = this.workshopId;
    this.workshopId = null;
    this.joinedId = null;
    this.seq = null;
    this.buffer = [];
    if (this.socket.connected) emit(this.socket, "leave_workshop", { workshop_id: id }).catch(() => {});
  }

  /** Join (or re-join with since_seq) and apply what comes back. */
  async sync() {
    if (this.workshopId === null || !this.socket.connected) return;
    if (this.syncing) {
      this.again = true;
      return;
    }
    clearTimeout(this.retryTimer);
    this.syncing = true;
    this.again = false;
    const id = this.workshopId;
    const payload = { workshop_id: id };
    if (this.seq !== null) payload.since_seq = this.seq;
    let joined = false;
    try {
      const data = await emit(this.socket, "join_workshop", payload);
      if (id === this.workshopId) {
        joined = true;
        if (Array.isArray(data.ideas)) {
          // A first join, or the log could not serve this since_seq: the whole board.
          this.seq = data.seq;
          this.handlers.onSnapshot(data);
        } else {
          for (const change of data.events || []) this.buffer.push({ name: change.event, payload: change });
        }
      }
    } catch (error) {
      if (id === this.workshopId && this.socket.connected) {
        if (error.code === "timeout" || error.code === "internal" || error.code === "unavailable") {
          // `unavailable`: the server is busy or cannot reach its database; it says when to come back.
          const wait = error.code === "unavailable" && error.retryAfter ? error.retryAfter * 1000 : RETRY_MS;
          this.retryTimer = setTimeout(() => this.sync(), wait);
        }
        this.handlers.onError(error);
      }
      // Disconnected meanwhile: the next "connect" joins again.
    } finally {
      this.syncing = false;
    }
    // The workshop changed, or a gap was seen, while the join was under way: join (again).
    if (this.again || id !== this.workshopId) {
      this.again = false;
      this.sync();
      return;
    }
    this.drain();
    if (joined) {
      if (this.socket.connected && !this.syncing) {
        this.joinedId = id;
        if (this.handlers.onJoined) this.handlers.onJoined(id);
      }
    }
  }

  receive(name, payload) {
    if (!payload || payload.workshop_id !== this.workshopId || typeof payload.seq !== "number") return;
    this.buffer.push({ name, payload });
    if (!this.syncing && this.seq !== null) this.drain();
  }

  /** Apply buffered changes in seq order; drop what is known; re-join on a gap. */
  drain() {
    if (this.seq === null) return;
    this.buffer.sort((a, b) => a.payload.seq - b.payload.seq);
    while (this.buffer.length) {
      const next = this.buffer[0];
      if (next.payload.seq <= this.seq) {
        this.buffer.shift();
      } else if (next.payload.seq === this.seq + 1) {
        this.buffer.shift();
        this.seq = next.payload.seq;
        this.handlers.onChange(next.name, next.payload);
      } else {
        this.sync();
        return;
      }
    }
  }
}

export class IdeaList {
  /**
   * list: <ol>; options: empty (<p>), count (element for "12 Ideen"), announcer (aria-live
   * element), isMine(idea) → bool, emptyKey (the string shown on an empty, open board).
   */
  constructor(list, { empty = null, count = null, announcer = null, isMine = () => false, emptyKey = "board_empty" } = {}) {
    this.list = list;
    this.emptyNode = empty;
    this.countNode = count;
    this.announcer = announcer;
    this.isMine = isMine;
    this.nodes = new Map();
    this.ideas = new Map();
    this.emptyKey = emptyKey;
    this.extra = 0;
    this.emptyText = t(emptyKey);
    if (this.emptyNode) this.emptyNode.textContent = this.emptyText;
  }

  /** Replace everything with a snapshot's ideas. */
  reset(ideas) {
    this.nodes.clear();
    this.ideas = new Map(ideas.map((idea) => [idea.id, idea]));
    const sorted = [...ideas].sort((a, b) => b.id - a.id);
    this.list.replaceChildren(...sorted.map((idea) => this.card(idea)));
    for (const node of this.list.children) this.nodes.set(Number(node.dataset.ideaId), node);
    this.update();
  }

  /** Add one idea (or refresh it when known); `live` highlights and announces it. */
  add(idea, { live = false } = {}) {
    const known = this.nodes.get(idea.id);
    const node = this.card(idea);
    if (known) {
      known.replaceWith(node);
    } else {
      let before = null;
      for (const child of this.list.children) {
        if (Number(child.dataset.ideaId) < idea.id) {
          before = child;
          break;
        }
      }
      this.list.insertBefore(node, before);
      if (live) {
        node.classList.add("idea--new");
        setTimeout(() => node.classList.remove("idea--new"), 2500);
        if (this.announcer && !this.isMine(idea) && !idea.hidden) {
          this.announcer.textContent = idea.author
            ? t("new_idea_by", { author: idea.author, text: idea.text })
            : t("new_idea", { text: idea.text });
        }
      }
    }
    this.nodes.set(idea.id, node);
    this.ideas.set(idea.id, idea);
    this.update();
  }

  /** Re-render every card (e.g. after the set of own ideas changed). */
  refresh() {
    for (const [id, idea] of this.ideas) {
      const node = this.card(idea);
      this.nodes.get(id).replaceWith(node);
      this.nodes.set(id, node);
    }
  }

  /** The empty board's text: an invitation while open, a plain statement while paused. */
  setLocked(locked) {
    this.emptyText = locked ? t("board_empty_locked") : t(this.emptyKey);
    if (this.emptyNode && this.emptyNode.dataset.state === "empty") this.emptyNode.textContent = this.emptyText;
  }

  /** Show the "connecting" state until the snapshot arrives. */
  loading() {
    this.nodes.clear();
    this.ideas.clear();
    this.list.replaceChildren();
    this.list.hidden = true;
    if (this.emptyNode) {
      this.emptyNode.hidden = false;
      this.emptyNode.textContent = t("connecting");
      this.emptyNode.classList.add("empty--loading");
      this.emptyNode.dataset.state = "loading";
    }
    if (this.countNode) this.countNode.textContent = "";
  }

  get size() {
    return this.nodes.size;
  }

  /** How many other cards (e.g. a phone's waiting ideas) stand for this board: the empty
   * state is hidden while there are any. */
  setExtra(n) {
    this.extra = n;
    if (this.emptyNode && this.emptyNode.dataset.state === "empty") this.emptyNode.hidden = this.nodes.size > 0 || n > 0;
  }

  update() {
    const n = this.nodes.size;
    if (this.emptyNode) {
      this.emptyNode.hidden = n > 0 || this.extra > 0;
      this.emptyNode.textContent = this.emptyText;
      this.emptyNode.classList.remove("empty--loading");
      this.emptyNode.dataset.state = "empty";
    }
    this.list.hidden = n === 0;
    if (this.countNode) {
      this.countNode.textContent = plural("ideas", n);
      this.countNode.dataset.count = String(n);
    }
  }

  card(idea) {
    const mine = this.isMine(idea);
    const hidden = idea.hidden || idea.text === null || idea.text === undefined;
    const author = idea.author ? idea.author : t("anonymous");
    const meta = el("p", { class: "idea__meta" },
      el("span", { class: idea.author ? "idea__author" : "idea__author idea__author--anon", text: author, "data-testid": "idea-author" }),
      idea.created_at ? el("time", { class: "idea__time", datetime: idea.created_at, text: formatTime(idea.created_at) }) : null,
      mine ? el("span", { class: "idea__mine", text: t("you"), "data-testid": "idea-mine" }) : null);
    return el("li", {
      class: `idea${mine ? " idea--mine" : ""}${hidden ? " idea--hidden" : ""}`,
      "data-testid": "idea-card",
      // A stable colour per idea (1–4), so notes keep their colour when new ones arrive.
      dataset: { ideaId: String(idea.id), mine: mine ? "true" : "false", tone: String((idea.id % 4) + 1) },
    },
    el("p", { class: "idea__text", text: hidden ? t("hidden_idea") : idea.text, "data-testid": "idea-card-text" }),
    meta);
  }
}

const MAX_LENGTH = 500;

/** The composer's elements on the phone and the staff board (ids of their shared markup). */
export function composerNodes() {
  return {
    form: $("#idea-form"),
    textarea: $("#idea-text"),
    anonymous: $("#idea-anonymous"),
    counter: $("#idea-counter"),
    feedback: $("#idea-feedback"),
    fieldset: $("#idea-fieldset"),
  };
}

export class Composer {
  /**
   * nodes: form, textarea, anonymous, counter, feedback, fieldset (see composerNodes).
   * options: draftKey (localStorage), and either
   * - send({text, anonymous, opId}) → Promise of the ack data, onSent(data), isOnline() → bool:
   *   the field keeps the text until the server acknowledged it; or
   * - queue({text, anonymous}): hands the text over at once (e.g. to a phone's outbox, which
   *   stores it before this returns) and empties the field for the next idea.
   */
  constructor(nodes, { draftKey, isOnline, send, onSent, queue }) {
    Object.assign(this, nodes);
    this.draftKey = draftKey;
    this.isOnline = isOnline;
    this.send = send;
    this.onSent = onSent;
    this.queue = queue;
    this.pending = null; // {text, anonymous, opId}: reused until that exact text is acknowledged
    this.busy = false;
    this.locked = false;
    this.feedbackTimer = null;
    const draft = draftKey ? store.get(draftKey) : null;
    if (draft && typeof draft.text === "string" && !this.textarea.value) this.textarea.value = draft.text;
    this.textarea.addEventListener("input", () => {
      this.updateCounter();
      this.saveDraft();
    });
    this.textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.submit();
      }
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.updateCounter();
  }

  setDraftKey(key) {
    this.draftKey = key;
    const draft = key ? store.get(key) : null;
    if (!this.textarea.value && draft && typeof draft.text === "string") this.textarea.value = draft.text;
    this.updateCounter();
  }

  saveDraft() {
    if (!this.draftKey) return;
    if (this.textarea.value) store.set(this.draftKey, { text: this.textarea.value });
    else store.remove(this.draftKey);
  }

  setLocked(locked) {
    this.locked = locked;
    this.fieldset.disabled = locked || this.busy;
    this.form.classList.toggle("is-locked", locked);
  }

  updateCounter() {
    const length = this.textarea.value.length;
    const left = MAX_LENGTH - length;
    this.counter.textContent = length === 0 ? "" : left >= 0 ? t("chars_left", { n: left }) : t("chars_over", { n: -left });
    this.counter.classList.toggle("counter--warn", left < 50);
  }

  say(kind, text) {
    clearTimeout(this.feedbackTimer);
    this.feedback.hidden = false;
    this.feedback.className = `feedback feedback--${kind}`;
    this.feedback.dataset.state = kind;
    this.feedback.textContent = text;
    if (kind === "success") {
      this.feedbackTimer = setTimeout(() => {
        this.feedback.hidden = true;
      }, 4000);
    }
  }

  clearFeedback() {
    clearTimeout(this.feedbackTimer);
    this.feedback.hidden = true;
    this.feedback.textContent = "";
    delete this.feedback.dataset.state;
  }

  async submit() {
    if (this.busy || this.locked) return;
    const text = this.textarea.value.trim();
    const anonymous = Boolean(this.anonymous && this.anonymous.checked);
    if (!text) {
      this.say("error", t("idea_empty"));
      this.textarea.focus();
      return;
    }
    if (text.length > MAX_LENGTH) {
      this.say("error", t("idea_invalid"));
      return;
    }
    if (this.queue) {
      this.queue({ text, anonymous });
      this.textarea.value = "";
      this.saveDraft();
      this.updateCounter();
      return;
    }
    if (!this.isOnline()) {
      this.say("error", t("idea_offline"));
      return;
    }
    if (!this.pending || this.pending.text !== text || this.pending.anonymous !== anonymous) {
      this.pending = { text, anonymous, opId: newOpId() };
    }
    this.busy = true;
    this.fieldset.disabled = true;
    this.form.setAttribute("aria-busy", "true");
    let failed = false;
    try {
      const data = await this.send(this.pending);
      this.pending = null;
      this.textarea.value = "";
      this.saveDraft();
      this.updateCounter();
      this.say("success", t("idea_sent"));
      if (this.onSent) this.onSent(data);
    } catch (error) {
      failed = true;
      const messages = {
        locked: t("idea_locked"),
        rate_limited: t("idea_too_fast"),
        invalid: t("idea_invalid"),
        network: t("idea_offline"),
      };
      this.say("error", messages[error.code] || t("idea_failed"));
    } finally {
      this.busy = false;
      this.form.removeAttribute("aria-busy");
      this.fieldset.disabled = this.locked;
      // On phones, re-focusing after a success would pop the keyboard over the board.
      const touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
      if (!this.locked && (failed || !touch)) this.textarea.focus({ preventScroll: true });
    }
  }
}
