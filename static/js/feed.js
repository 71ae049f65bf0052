// The live board of one workshop, shared by the phone, the moderator board and the projector.
//
// WorkshopFeed  — joins a workshop's room over Socket.IO and hands out its changes strictly in
//                 `seq` order: a snapshot first, then every change once. It remembers the last
//                 seq; after a reconnect (or a gap) it re-joins with `since_seq` and applies only
//                 what it has not seen. Changes that arrive while a join is under way wait.
//                 The server's heartbeat names the board's latest seq every few seconds: when
//                 the feed stays behind it, a broadcast was lost and it catches up; `resync`
//                 (e.g. after names were deleted) loads the whole board again.
// Composer      — the "post an idea" form: counter, anonymous flag, draft kept in localStorage;
//                 hands each idea to the page (the phone's outbox takes it at once; the staff
//                 board sends it and the text stays in the field until it is acknowledged).

import { CHANGE_EVENTS } from "./board-state.js";
import { $, emit, store, t } from "./common.js";

const RETRY_MS = 3000;
// How long a broadcast may trail the heartbeat that announced its seq before it counts as lost.
const HEARTBEAT_GRACE_MS = 1500;
const RETRIED = new Set(["timeout", "internal", "unavailable", "rate_limited"]);

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
    this.behindTimer = null;
    for (const name of CHANGE_EVENTS) socket.on(name, (payload) => this.receive(name, payload));
    socket.on("heartbeat", (payload) => this.heard(payload));
    socket.on("resync", (payload) => this.reload(payload));
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
        if (RETRIED.has(error.code)) {
          // `unavailable`: the server is busy or cannot reach its database; `rate_limited`: this
          // board was loaded too often. Either says when to come back.
          const wait = error.retryAfter ? error.retryAfter * 1000 : RETRY_MS;
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

  /** A heartbeat names the board's latest seq: staying behind it means a broadcast was lost. */
  heard(payload) {
    if (!payload || payload.workshop_id !== this.workshopId || typeof payload.seq !== "number") return;
    if (this.seq === null || payload.seq <= this.seq) return;
    const id = this.workshopId;
    const announced = payload.seq;
    clearTimeout(this.behindTimer);
    // The broadcast may still be on its way (the heartbeat does not wait for it): give it a moment.
    this.behindTimer = setTimeout(() => {
      if (id === this.workshopId && this.seq !== null && this.seq < announced) this.sync();
    }, HEARTBEAT_GRACE_MS);
  }

  /** The server asks for the whole board again (what was shown has changed in the past). */
  reload(payload) {
    if (!payload || payload.workshop_id !== this.workshopId) return;
    this.seq = null;
    this.buffer = [];
    this.sync();
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
   * options: draftKey (localStorage), onIdea({text, anonymous}): takes a checked idea and
   * either hands it over at once (the phone's outbox stores it before it returns) or returns a
   * promise: the form waits, and keeps the text in the field unless it resolves.
   */
  constructor(nodes, { draftKey, onIdea }) {
    Object.assign(this, nodes);
    this.draftKey = draftKey;
    this.onIdea = onIdea;
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

  /** Ready for the next idea. */
  empty() {
    this.textarea.value = "";
    this.saveDraft();
    this.updateCounter();
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
    const sending = this.onIdea({ text, anonymous });
    if (!sending) {
      this.empty();
      return;
    }
    this.busy = true;
    this.fieldset.disabled = true;
    this.form.setAttribute("aria-busy", "true");
    let failed = false;
    try {
      await sending;
      this.empty();
    } catch {
      failed = true;
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
