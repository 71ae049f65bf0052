// The phone board's first views (and the parts the projector shares): what a participant sees
// the moment a board opens, rendered only from what the server sent (a BoardState, see
// board-state.js). Nothing here changes the board by itself: every tap sends an event and the
// view follows the answer and the broadcasts. The views of the other steps are in
// phone-steps.js, which the phone fetches once this board is up: on slow Wi-Fi the board takes
// ideas without waiting for them.
//
// StepBanner    — the step in plain words and what to do now; paused and closed states.
// TimerView     — the countdown (every second), "time is up" banner, optional sound.
// MessageBanner — the moderator's latest broadcast message, dismissible (or, on the projector,
//                 shown for a while).
// CollectView   — the board's ideas newest first: own ones editable/withdrawable (undo),
//                 others' hidden ones as blank placeholders, categories.
// (The toast, keyed lists and the clock are in common.js; withheld texts, names of things and
// the step views' error texts in ui/board-text.js; canContribute in board-state.js.)
//
// data-testid: see app/templates/pages/join.html (the projector's: projector.js).

import { canContribute } from "./board-state.js";
import { editedIdeaText, el, formatClock, formatTime, KeyedList, MAX_IDEA_LENGTH, plural, store, t } from "./common.js";
import { actionError, authorName, ideaTone, isWithheld, labelled, stepLabel } from "./ui/board-text.js";

export const STEP_ORDER = ["collect", "cluster", "vote", "act"];
const NEW_IDEA_MS = 2500;
const SOON_SECONDS = 60;

//   ------------------------------------------------------------------ small helpers

/** The title of an idea's category ("" without one). */
function categoryTitle(state, categoryId) {
  if (categoryId === null || categoryId === undefined) return "";
  const category = ((state.workshop && state.workshop.categories) || []).find((c) => c.id === categoryId);
  return category ? category.title : "";
}

//   ------------------------------------------------------------------ step banner

/** The step's name and what a participant does in it (keys of the messages dict). */
export function stepWords(workshop) {
  const step = workshop.step;
  const settings = workshop.settings || {};
  const hints = {
    collect: { how_might_we: "hint_collect_hmw", running: "hint_collect_running" }[workshop.template]
      || "hint_collect",
    cluster: settings.cluster_by === "everyone" ? "hint_cluster_everyone" : "hint_cluster_staff",
    vote: "hint_vote",
    act: "hint_act",
    review: "hint_review",
    closed: "hint_closed",
  };
  return { title: stepLabel(step), hint: t(hints[step] || "hint_collect") };
}

export class StepBanner {
  /** root: the banner element; `hints`: show what to do (phone) or only the step (projector). */
  constructor(root, { hints = true } = {}) {
    this.root = root;
    this.hints = hints;
    this.progress = el("ol", { class: "stepbar__progress", "data-testid": "step-progress" });
    this.title = el("strong", { class: "stepbar__title", "data-testid": "step-title" });
    this.hint = el("span", { class: "stepbar__hint", "data-testid": "step-hint" });
    root.replaceChildren(this.progress, el("p", { class: "stepbar__text" }, this.title, hints ? this.hint : null));
  }

  render(state) {
    const workshop = state.workshop;
    if (!workshop) {
      this.root.hidden = true;
      return;
    }
    const words = stepWords(workshop);
    const index = STEP_ORDER.indexOf(workshop.step);
    this.root.dataset.step = workshop.step;
    // Once closed, the page's "finished – thank you" note takes the banner's place.
    this.root.hidden = workshop.step === "closed";
    this.root.dataset.locked = workshop.locked ? "true" : "false";
    this.title.textContent = words.title;
    this.hint.textContent = workshop.locked && workshop.step !== "closed" ? t("hint_paused") : words.hint;
    this.progress.hidden = index < 0;
    this.progress.setAttribute("aria-label", index < 0 ? "" : t("step_of", { n: index + 1, total: STEP_ORDER.length }));
    this.progress.replaceChildren(...STEP_ORDER.map((step, i) => el("li", {
      class: `stepbar__dot${i < index ? " is-done" : ""}${i === index ? " is-current" : ""}`,
      "aria-current": i === index ? "step" : null,
    }, el("span", { class: "visually-hidden", text: stepLabel(step) }))));
  }
}

//   ------------------------------------------------------------------ timer

/** A short signal tone through WebAudio; it only exists after the user switched it on (a tap),
 * as browsers allow sound only after a gesture. */
class Chime {
  constructor() {
    this.context = null;
  }

  enable() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return false;
    if (!this.context) this.context = new Context();
    this.context.resume().catch(() => {});
    return true;
  }

  play() {
    const context = this.context;
    if (!context) return;
    const start = context.currentTime + 0.05;
    for (let i = 0; i < 3; i += 1) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = i === 2 ? 1046 : 880;
      gain.gain.setValueAtTime(0.0001, start + i * 0.28);
      gain.gain.exponentialRampToValueAtTime(0.3, start + i * 0.28 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.28 + 0.24);
      tone.connect(gain).connect(context.destination);
      tone.start(start + i * 0.28);
      tone.stop(start + i * 0.28 + 0.26);
    }
  }
}

export class TimerView {
  /**
   * nodes: root (the countdown), time, label, ended (the "time is up" banner), sound (optional
   * toggle button). options: announce(text) for screen readers (assertive at the end).
   */
  constructor({ root, time, label, ended, sound = null }, { announce = () => {} } = {}) {
    Object.assign(this, { root, time, label, ended, sound, announce });
    this.state = null;
    this.interval = null;
    this.wasEnded = null; // null until the first render: an old end makes no sound
    this.chime = new Chime();
    this.soundOn = false;
    if (sound) {
      sound.setAttribute("aria-pressed", "false");
      sound.addEventListener("click", () => this.toggleSound());
    }
  }

  toggleSound() {
    this.soundOn = !this.soundOn && this.chime.enable();
    this.sound.setAttribute("aria-pressed", this.soundOn ? "true" : "false");
    if (this.soundOn) this.chime.play();
  }

  /** Follow the workshop's timer (call after every change). */
  render(state) {
    this.state = state;
    const timer = state.workshop && state.workshop.timer;
    const running = Boolean(timer) && timer.state === "running";
    if (running && this.interval === null) this.interval = setInterval(() => this.tick(), 1000);
    if (!running && this.interval !== null) {
      clearInterval(this.interval);
      this.interval = null;
    }
    this.tick();
  }

  /** Stop ticking (the board was left). */
  stop() {
    if (this.interval !== null) clearInterval(this.interval);
    this.interval = null;
    this.wasEnded = null;
    this.state = null;
  }

  tick() {
    const timer = this.state && this.state.workshop && this.state.workshop.timer;
    const remaining = this.state ? this.state.timerRemaining() : null;
    if (!timer || timer.state === "idle" || remaining === null) {
      this.root.hidden = true;
      this.ended.hidden = true;
      this.wasEnded = this.state && this.state.workshop ? false : null;
      return;
    }
    const ended = timer.state === "ended" || (timer.state === "running" && remaining <= 0);
    const shown = ended ? "ended" : timer.state;
    this.root.hidden = false;
    this.root.dataset.state = shown;
    this.root.dataset.seconds = String(Math.ceil(Math.max(0, remaining)));
    this.root.classList.toggle("timer--soon", !ended && remaining <= SOON_SECONDS);
    this.time.textContent = formatClock(ended ? 0 : remaining);
    this.time.setAttribute("datetime", `PT${Math.ceil(Math.max(0, remaining))}S`);
    this.label.textContent = ended ? t("timer_ended_short") : timer.state === "paused" ? t("timer_paused") : t("timer_left");
    this.ended.hidden = !ended;
    if (ended && this.wasEnded === false) {
      this.announce(t("timer_ended"));
      if (this.soundOn) this.chime.play();
    }
    this.wasEnded = ended;
  }
}

//   ------------------------------------------------------------------ messages

export class MessageBanner {
  /** nodes: root, text, from, dismiss (optional: the projector has none). key: localStorage
   * key of the last dismissed message id (per workshop). */
  constructor({ root, text, from, dismiss = null }, { maxAgeMs = null } = {}) {
    Object.assign(this, { root, text, from, dismiss, maxAgeMs });
    this.key = null;
    this.current = null;
    if (dismiss) {
      dismiss.addEventListener("click", () => {
        if (this.current && this.key) store.set(this.key, this.current.id);
        this.root.hidden = true;
      });
    }
  }

  setKey(key) {
    this.key = key;
  }

  /** Show the latest message: not once withdrawn (or, with `maxAgeMs`, too old), faded
   * (`data-stale`) once the workshop has left the step it was sent in. */
  render(state) {
    const message = state.latestMessage();
    this.current = message;
    const dismissed = this.key ? store.get(this.key) : null;
    const sent = message ? Date.parse(message.sent_at) : NaN;
    const old = this.maxAgeMs !== null && Number.isFinite(sent) && Date.now() - sent > this.maxAgeMs;
    if (!message || message.withdrawn || old || (this.dismiss && dismissed === message.id)) {
      this.root.hidden = true;
      return;
    }
    const step = state.workshop ? state.workshop.step : null;
    const earlier = Boolean(message.step) && Boolean(step) && message.step !== step;
    this.root.hidden = false;
    this.root.dataset.stale = earlier ? "true" : "false";
    this.root.classList.toggle("is-stale", earlier);
    this.root.dataset.messageId = String(message.id);
    this.text.textContent = message.text;
    this.from.textContent = message.from
      ? t("message_from", { name: message.from, time: formatTime(message.sent_at) })
      : t("message_from_moderation", { time: formatTime(message.sent_at) });
  }
}

//   ------------------------------------------------------------------ collect

export class CollectView {
  /**
   * nodes: list (<ol>), empty, count, privateNote, categoryField (wrapper), categorySelect,
   * textarea (the composer's, for the placeholder).
   * ctx: send(name, fields) → Promise, isMine(idea), toast (Toast), workshopId().
   */
  constructor(nodes, ctx) {
    Object.assign(this, nodes);
    this.ctx = ctx;
    this.keyed = new KeyedList(nodes.list);
    this.editing = new Map(); // idea id → the edit card's node
    this.fresh = new Set(); // ids that arrived live: highlighted once
    this.extra = 0;
    this.locked = false;
    this.defaultPlaceholder = nodes.textarea.getAttribute("placeholder") || "";
    this.categoryKey = null;
    nodes.categorySelect.addEventListener("change", () => {
      if (this.categoryKey) store.set(this.categoryKey, nodes.categorySelect.value);
    });
  }

  /** A fresh board: forget edits and highlights. */
  reset(workshopId) {
    this.editing.clear();
    this.fresh.clear();
    this.keyed.clear();
    this.categoryKey = `pinnwand:category:${workshopId}`;
  }

  /** The category chosen for the next idea (id), or null. */
  chosenCategory() {
    if (this.categoryField.hidden) return null;
    const value = Number(this.categorySelect.value);
    return Number.isInteger(value) && value > 0 ? value : null;
  }

  markNew(ideaId) {
    this.fresh.add(ideaId);
  }

  /** How many other cards (the phone's waiting ideas) stand on this board. */
  setExtra(n) {
    this.extra = n;
    if (this.empty.dataset.state === "empty") this.empty.hidden = this.keyed.size > 0 || n > 0;
  }

  render(state) {
    const workshop = state.workshop;
    const settings = workshop.settings || {};
    this.locked = !canContribute(state, "collect");
    this.privateNote.hidden = !settings.private_writing;
    const placeholders = { how_might_we: "composer_hmw", running: "composer_running" };
    const placeholder = placeholders[workshop.template];
    this.textarea.setAttribute("placeholder", placeholder ? t(placeholder) : this.defaultPlaceholder);
    this.renderCategories(state);
    const ideas = state.ideas().sort((a, b) => b.id - a.id);
    const canEdit = !this.locked;
    for (const id of this.editing.keys()) if (!ideas.some((idea) => idea.id === id) || !canEdit) this.editing.delete(id);
    this.keyed.update(ideas.map((idea) => {
      const mine = this.ctx.isMine(idea);
      const category = categoryTitle(state, idea.category_id);
      return {
        key: idea.id,
        signature: JSON.stringify([idea.text, idea.author, idea.hidden, idea.created_at, mine, canEdit, category]),
        build: () => (this.editing.has(idea.id) ? this.editing.get(idea.id) : this.card(idea, { mine, canEdit, category })),
      };
    }), (id) => this.editing.has(id));
    const n = ideas.length;
    this.count.textContent = plural("ideas", n);
    this.count.dataset.count = String(n);
    this.list.hidden = n === 0;
    this.updateEmpty(n);
  }

  updateEmpty(n) {
    this.empty.textContent = this.locked ? t("board_empty_locked") : t("board_empty");
    this.empty.hidden = n > 0 || this.extra > 0;
    this.empty.dataset.state = "empty";
    this.empty.classList.remove("empty--loading");
  }

  /** Show "connecting" until the snapshot arrives. */
  loading() {
    this.keyed.clear();
    this.list.hidden = true;
    this.empty.hidden = false;
    this.empty.textContent = t("connecting");
    this.empty.classList.add("empty--loading");
    this.empty.dataset.state = "loading";
    this.count.textContent = "";
    delete this.count.dataset.count;
  }

  renderCategories(state) {
    const workshop = state.workshop;
    const categories = workshop.template === "categories" ? workshop.categories || [] : [];
    this.categoryField.hidden = categories.length === 0;
    if (!categories.length) return;
    const wanted = this.categorySelect.value || (this.categoryKey && store.get(this.categoryKey)) || "";
    const signature = JSON.stringify(categories);
    if (this.categorySelect.dataset.signature !== signature) {
      this.categorySelect.dataset.signature = signature;
      this.categorySelect.replaceChildren(
        el("option", { value: "", text: t("category_none") }),
        ...categories.map((c) => el("option", { value: String(c.id), text: c.title })));
    }
    this.categorySelect.value = categories.some((c) => String(c.id) === String(wanted)) ? String(wanted) : "";
  }

  card(idea, { mine, canEdit, category }) {
    const placeholder = isWithheld(idea);
    const tone = ideaTone(idea);
    if (placeholder) {
      return el("li", {
        class: "idea idea--placeholder",
        "data-testid": "idea-card",
        dataset: { ideaId: String(idea.id), mine: "false", hidden: "true", tone },
      },
      el("p", { class: "idea__text", "data-testid": "idea-card-text", text: t("idea_hidden_placeholder") }),
      el("p", { class: "idea__meta", text: t("idea_hidden_meta") }));
    }
    const node = el("li", {
      class: `idea${mine ? " idea--mine" : ""}${idea.hidden ? " idea--private" : ""}`,
      "data-testid": "idea-card",
      dataset: { ideaId: String(idea.id), mine: mine ? "true" : "false", hidden: idea.hidden ? "true" : "false", tone },
    },
    el("p", { class: "idea__text", text: idea.text, "data-testid": "idea-card-text" }),
    el("p", { class: "idea__meta" },
      el("span", { class: idea.author ? "idea__author" : "idea__author idea__author--anon", text: authorName(idea), "data-testid": "idea-author" }),
      idea.created_at ? el("time", { class: "idea__time", datetime: idea.created_at, text: formatTime(idea.created_at) }) : null,
      category ? el("span", { class: "chip chip--category", text: category, "data-testid": "idea-category" }) : null,
      idea.hidden && mine ? el("span", { class: "chip chip--private", text: t("idea_only_you"), "data-testid": "idea-private" }) : null,
      mine ? el("span", { class: "idea__mine", text: t("you"), "data-testid": "idea-mine" }) : null));
    if (mine && canEdit) {
      node.append(el("div", { class: "idea__actions" },
        el("button", {
          type: "button", class: "button button--ghost button--small", "data-testid": "idea-edit",
          dataset: { focusKey: `edit:${idea.id}` }, on: { click: () => this.startEdit(idea) },
        }, labelled(t("idea_edit"), idea.text)),
        el("button", {
          type: "button", class: "button button--danger-ghost button--small", "data-testid": "idea-withdraw",
          dataset: { focusKey: `withdraw:${idea.id}` }, on: { click: (event) => this.withdraw(idea, event.currentTarget) },
        }, labelled(t("idea_withdraw"), idea.text))));
    }
    if (this.fresh.has(idea.id)) {
      this.fresh.delete(idea.id);
      node.classList.add("idea--new");
      setTimeout(() => node.classList.remove("idea--new"), NEW_IDEA_MS);
    }
    return node;
  }

  startEdit(idea) {
    const state = this.ctx.state();
    const field = el("textarea", {
      class: "input textarea", rows: "3", maxlength: String(MAX_IDEA_LENGTH), "aria-label": t("idea_edit_field"),
      "data-testid": "idea-edit-text",
    });
    field.value = idea.text;
    const categories = state.workshop.template === "categories" ? state.workshop.categories || [] : [];
    const select = categories.length ? el("select", { class: "input", "aria-label": t("category_label"), "data-testid": "idea-edit-category" },
      el("option", { value: "", text: t("category_none") }),
      ...categories.map((c) => el("option", { value: String(c.id), text: c.title }))) : null;
    if (select) select.value = idea.category_id ? String(idea.category_id) : "";
    const problem = el("p", { class: "field__error", role: "alert", "data-testid": "idea-edit-error", hidden: true });
    const save = el("button", { type: "submit", class: "button button--primary button--small", text: t("idea_save"), "data-testid": "idea-edit-save" });
    const cancel = el("button", {
      type: "button", class: "button button--ghost button--small", text: t("cancel_edit"), "data-testid": "idea-edit-cancel",
      on: { click: () => this.stopEdit(idea.id) },
    });
    const form = el("form", { class: "idea__edit", novalidate: true }, field, select, problem, el("div", { class: "idea__actions" }, save, cancel));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveEdit(idea, field, select, problem, save);
    });
    const node = el("li", { class: "idea idea--mine idea--editing", "data-testid": "idea-card", dataset: { ideaId: String(idea.id), mine: "true", editing: "true" } }, form);
    this.editing.set(idea.id, node);
    this.keyed.forget(idea.id);
    this.render(state);
    field.focus();
  }

  stopEdit(ideaId) {
    this.editing.delete(ideaId);
    this.keyed.forget(ideaId);
    this.render(this.ctx.state());
    const again = this.list.querySelector(`[data-focus-key="edit:${ideaId}"]`);
    if (again) again.focus();
  }

  async saveEdit(idea, field, select, problem, button) {
    const text = editedIdeaText(field, problem);
    if (text === null) return;
    const fields = { idea_id: idea.id };
    if (text !== idea.text) fields.text = text;
    if (select) {
      const category = select.value ? Number(select.value) : null;
      if (category !== (idea.category_id ?? null)) fields.category_id = category;
    }
    if (Object.keys(fields).length === 1) {
      this.stopEdit(idea.id);
      return;
    }
    button.disabled = true;
    try {
      await this.ctx.send("update_idea", fields);
      this.stopEdit(idea.id);
      this.ctx.toast.show(t("idea_saved"));
    } catch (error) {
      problem.textContent = actionError(error);
      problem.hidden = false;
      button.disabled = false;
    }
  }

  async withdraw(idea, button) {
    button.disabled = true;
    try {
      await this.ctx.send("delete_idea", { idea_id: idea.id });
      this.ctx.toast.show(t("idea_withdrawn"), { undo: () => this.restore(idea.id) });
    } catch (error) {
      button.disabled = false;
      this.ctx.toast.show(actionError(error), { kind: "error" });
    }
  }

  async restore(ideaId) {
    try {
      await this.ctx.send("restore_idea", { idea_id: ideaId });
      this.ctx.toast.show(t("idea_restored"));
    } catch (error) {
      this.ctx.toast.show(actionError(error), { kind: "error" });
    }
  }
}

