// The facilitation views of the phone (and the parts the projector shares): what the current
// step asks of a participant, rendered only from what the server sent (a BoardState, see
// board-state.js). Nothing here changes the board by itself: every tap sends an event and the
// view follows the answer and the broadcasts.
//
// StepBanner    — the step in plain words and what to do now; paused and closed states.
// TimerView     — the countdown (every second), "time is up" banner, optional sound.
// MessageBanner — the moderator's latest broadcast message, dismissible (or, on the projector,
//                 shown for a while).
// CollectView   — the board's ideas newest first: own ones editable/withdrawable (undo),
//                 others' hidden ones as blank placeholders, categories.
// ClusterView   — clusters with their ideas; select + group / take out when everyone clusters.
// VoteView      — dot voting with a dot budget and a cap per target; results after reveal.
// ActView       — actions with owner, due date and who is in; "I'm in" with "what I bring".
// ReviewView    — the review step: the series' earlier open actions with their latest update;
//                 four verdict buttons and an optional comment per action; the verdicts once
//                 revealed (the projector shows them with ReviewView too, read-only).
// PlenaryView   — the event's plenary: items of every workshop, dot voting while it is open.
// (The toast, keyed lists and the clock are in common.js; withheld texts and names of things
// in ui/board-text.js.)
//
// data-testid: see app/templates/pages/join.html (the projector's: projector.js).

import { el, errorText, formatClock, formatDate, formatTime, keepFocus, KeyedList, plural, store, t } from "./common.js";
import { authorName, clusterName, ideaText, ideaTone, isWithheld, snippet, stepLabel } from "./ui/board-text.js";

export const STEP_ORDER = ["collect", "cluster", "vote", "act"];
const NEW_IDEA_MS = 2500;
const SOON_SECONDS = 60;
const MAX_IDEA = 500;
const MAX_BRINGS = 200;
const PREVIEW_IDEAS = 4;

//   ------------------------------------------------------------------ small helpers

/** A participant's refused or unanswered action in the phone's step views. */
function actionError(error) {
  return errorText(error, {
    locked: t("steps_error_locked"),
    timeout: t("steps_error_offline"),
    network: t("steps_error_offline"),
    forbidden: t("steps_error_forbidden"),
    not_found: t("steps_error_gone"),
    rate_limited: t("idea_too_fast"),
    other: t("steps_error_failed"),
  });
}

/** A button's visible text plus, for screen readers, what it acts on ("Edit: <idea>"). */
function labelled(text, context) {
  return [text, el("span", { class: "visually-hidden", text: `: ${context}` })];
}

/** Replace the children of `node` with the given nodes, skipping empty ones. */
function fill(node, ...children) {
  node.replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== false));
}

function settingsOf(state) {
  return (state && state.workshop && state.workshop.settings) || {};
}

/** Whether a participant may do the work of `step` now (that step, not locked). */
export function canContribute(state, step) {
  return Boolean(state && state.workshop) && state.workshop.step === step && !state.workshop.locked;
}

/** An idea's text, or "Hidden idea" where it was withheld. */
function ideaTitle(idea) {
  return ideaText(idea, t("idea_hidden_placeholder"));
}

function categoryTitle(state, categoryId) {
  if (categoryId === null || categoryId === undefined) return "";
  const category = ((state.workshop && state.workshop.categories) || []).find((c) => c.id === categoryId);
  return category ? category.title : "";
}

/** A row of dots: filled for mine, hollow for the rest up to `max` (decoration only). */
function dotRow(count, max) {
  const dots = [];
  for (let i = 0; i < max; i += 1) dots.push(el("span", { class: `dot${i < count ? " dot--on" : ""}` }));
  return el("span", { class: "dots", "aria-hidden": "true" }, dots);
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
      class: "input textarea", rows: "3", maxlength: String(MAX_IDEA), "aria-label": t("idea_edit_field"),
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
    const text = field.value.trim();
    if (!text || text.length > MAX_IDEA) {
      problem.textContent = text ? t("idea_invalid") : t("idea_empty");
      problem.hidden = false;
      field.focus();
      return;
    }
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

//   ------------------------------------------------------------------ cluster

export class ClusterView {
  /** root: the view's element; ctx: send, toast, state(). */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.selected = new Set();
    this.busy = false;
  }

  reset() {
    this.selected.clear();
  }

  render(state) {
    const canGroup = canContribute(state, "cluster") && settingsOf(state).cluster_by === "everyone";
    const live = new Set(state.ideas().map((idea) => idea.id));
    for (const id of this.selected) if (!live.has(id) || !canGroup) this.selected.delete(id);
    keepFocus(this.root, () => this.draw(state, canGroup));
  }

  draw(state, canGroup) {
    const clusters = state.clusters();
    const loose = state.unclustered();
    const hint = el("p", { class: "view__hint", text: canGroup ? t("cluster_help_everyone") : t("cluster_help_staff") });
    const list = el("ol", { class: "clusters" }, clusters.map((cluster) => this.cluster(cluster, canGroup)));
    const rest = loose.length ? el("section", { class: "cluster cluster--loose", "data-testid": "unclustered", "aria-labelledby": "unclustered-title" },
      el("h3", { id: "unclustered-title", class: "cluster__title", text: t("cluster_loose") }),
      el("ul", { class: "cluster__ideas" }, loose.map((idea) => this.idea(idea, canGroup, false)))) : null;
    const empty = !clusters.length && !loose.length ? el("p", { class: "empty empty--small", text: t("board_empty_locked") }) : null;
    const bar = canGroup ? this.bar() : null;
    fill(this.root, hint, empty, list, rest, bar);
    document.body.classList.toggle("has-bottom-bar", canGroup);
    // The toast shows above the bar, however tall the bar is (text size, language).
    if (bar && bar.offsetHeight) document.body.style.setProperty("--bottom-bar", `${bar.offsetHeight}px`);
  }

  cluster(cluster, canGroup) {
    const count = cluster.ideas.length;
    return el("li", { class: "cluster", "data-testid": "cluster", dataset: { clusterId: String(cluster.id) } },
      el("div", { class: "cluster__head" },
        el("h3", { class: "cluster__title", text: clusterName(cluster), "data-testid": "cluster-title" }),
        el("span", { class: "pill", text: plural("ideas", count) })),
      el("ul", { class: "cluster__ideas" }, cluster.ideas.map((idea) => this.idea(idea, canGroup, true))),
      canGroup && this.selected.size ? el("button", {
        type: "button", class: "button button--secondary button--small cluster__add", "data-testid": "cluster-add",
        text: t("cluster_add_selected", { n: this.selected.size }), disabled: this.busy,
        dataset: { focusKey: `add:${cluster.id}` }, on: { click: () => this.group(cluster.id) },
      }) : null);
  }

  idea(idea, canGroup, inCluster) {
    const text = ideaTitle(idea);
    const hidden = isWithheld(idea);
    if (!canGroup) {
      return el("li", { class: `chipcard${hidden ? " chipcard--hidden" : ""}`, "data-testid": "cluster-idea", dataset: { ideaId: String(idea.id) } },
        el("span", { class: "chipcard__text", text }));
    }
    const pressed = this.selected.has(idea.id);
    return el("li", { class: "chipcard-row" },
      el("button", {
        type: "button", class: `chipcard chipcard--button${pressed ? " is-selected" : ""}${hidden ? " chipcard--hidden" : ""}`,
        "aria-pressed": pressed ? "true" : "false", "data-testid": "cluster-idea",
        dataset: { ideaId: String(idea.id), focusKey: `pick:${idea.id}` },
        on: { click: () => this.toggle(idea.id) },
      }, el("span", { class: "chipcard__check", "aria-hidden": "true" }), el("span", { class: "chipcard__text", text })),
      // A small button, so the idea keeps the row's width.
      inCluster ? el("button", {
        type: "button", class: "chipcard__out", "data-testid": "idea-ungroup", disabled: this.busy,
        title: t("cluster_take_out"), "aria-label": `${t("cluster_take_out")}: ${snippet(text, 60)}`,
        dataset: { focusKey: `out:${idea.id}` }, on: { click: () => this.ungroup(idea.id) },
      }, el("span", { "aria-hidden": "true", text: "✕" })) : null);
  }

  bar() {
    const n = this.selected.size;
    return el("div", { class: "group-bar", "data-testid": "group-bar" },
      el("span", { class: "group-bar__count", "aria-live": "polite", "data-testid": "group-count", text: n ? plural("picked", n) : t("cluster_pick") }),
      n === 0 ? null : el("button", {
        type: "button", class: "group-bar__clear", title: t("cluster_clear"), "aria-label": t("cluster_clear"), "data-testid": "group-clear",
        dataset: { focusKey: "clear" }, on: { click: () => this.clear() },
      }, el("span", { "aria-hidden": "true", text: "✕" })),
      el("button", {
        type: "button", class: "button button--primary button--small", text: t("cluster_group"), "data-testid": "group-ideas",
        disabled: n === 0 || this.busy, dataset: { focusKey: "group" }, on: { click: () => this.group(null) },
      }));
  }

  toggle(id) {
    if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
    this.render(this.ctx.state());
  }

  clear() {
    this.selected.clear();
    this.render(this.ctx.state());
    // The ✕ went with the selection: the focus goes on to the first idea to pick.
    const first = this.root.querySelector('button[data-testid="cluster-idea"]');
    if (first && !this.root.contains(document.activeElement)) first.focus({ preventScroll: true });
  }

  async group(clusterId) {
    const ids = [...this.selected];
    if (!ids.length || this.busy) return;
    await this.run("group_ideas", clusterId ? { idea_ids: ids, cluster_id: clusterId } : { idea_ids: ids }, () => {
      this.selected.clear();
      this.ctx.toast.show(t("cluster_grouped"));
    });
  }

  async ungroup(ideaId) {
    await this.run("ungroup_idea", { idea_id: ideaId }, () => {});
  }

  async run(name, fields, done) {
    this.busy = true;
    this.render(this.ctx.state());
    try {
      await this.ctx.send(name, fields);
      done();
    } catch (error) {
      this.ctx.toast.show(actionError(error), { kind: "error" });
    } finally {
      this.busy = false;
      this.render(this.ctx.state());
    }
  }
}

//   ------------------------------------------------------------------ dot voting

/**
 * Dots a participant wants on each target while the server has not confirmed them yet.
 * `vote` sets a count (not adds), so only the newest wish per target is sent, one at a time.
 */
class DotQueue {
  /** send(key, count) → Promise of the confirmed count; confirmed(key) → count; onUpdate(). */
  constructor({ send, confirmed, onUpdate, onError }) {
    Object.assign(this, { send, confirmed, onUpdate, onError });
    this.wanted = new Map();
    this.inflight = new Set();
  }

  shown(key) {
    return this.wanted.has(key) ? this.wanted.get(key) : this.confirmed(key);
  }

  /** Dots asked for but not yet confirmed (can be negative). */
  pending() {
    let sum = 0;
    for (const [key, count] of this.wanted) sum += count - this.confirmed(key);
    return sum;
  }

  busy(key) {
    return this.inflight.has(key) || this.wanted.has(key);
  }

  set(key, count) {
    this.wanted.set(key, count);
    this.onUpdate();
    this.flush(key);
  }

  clear() {
    this.wanted.clear();
  }

  async flush(key) {
    if (this.inflight.has(key) || !this.wanted.has(key)) return;
    const count = this.wanted.get(key);
    this.inflight.add(key);
    try {
      await this.send(key, count);
    } catch (error) {
      this.wanted.delete(key);
      this.onError(error);
    } finally {
      this.inflight.delete(key);
      if (this.wanted.has(key) && this.wanted.get(key) === this.confirmed(key)) this.wanted.delete(key);
      this.onUpdate();
      if (this.wanted.has(key)) this.flush(key);
    }
  }
}

/** "+" turned disabled (cap or budget reached): the focus stays on the same target's "−". */
const minusOfPlus = (key) => key.replace(/:plus$/, ":minus");

/** The − dots + control of one target. */
function dotControl({ count, max, canAdd, canRemove, title, testPrefix, focusKey, busy, onChange }) {
  return el("div", { class: `dotctl${busy ? " is-busy" : ""}` },
    el("button", {
      type: "button", class: "dotctl__button", text: "−", "aria-label": t("vote_remove", { title }),
      "data-testid": `${testPrefix}-minus`, disabled: !canRemove, dataset: { focusKey: `${focusKey}:minus` },
      on: { click: () => onChange(count - 1) },
    }),
    el("span", { class: "dotctl__count", "data-testid": `${testPrefix}-mine`, dataset: { count: String(count) } },
      dotRow(count, max),
      el("span", { class: "visually-hidden", text: plural("my_dots", count) }),
      el("span", { class: "dotctl__number", "aria-hidden": "true", text: String(count) })),
    el("button", {
      type: "button", class: "dotctl__button dotctl__button--add", text: "+", "aria-label": t("vote_add", { title }),
      "data-testid": `${testPrefix}-plus`, disabled: !canAdd, dataset: { focusKey: `${focusKey}:plus` },
      on: { click: () => onChange(count + 1) },
    }));
}

export class VoteView {
  /** root: the view's element; ctx: send, toast, state(). */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.remainingLine = null;
    this.queue = new DotQueue({
      send: async (key, count) => {
        const [targetType, id] = key.split(":");
        const data = await ctx.send("vote", { target_type: targetType, target_id: Number(id), count });
        ctx.state().setMyVote(data.target_type, data.target_id, data.count, data.remaining);
      },
      confirmed: (key) => {
        const [targetType, id] = key.split(":");
        return ctx.state().myVotes(targetType, Number(id));
      },
      onUpdate: () => this.render(ctx.state()),
      onError: (error) => ctx.toast.show(actionError(error), { kind: "error" }),
    });
  }

  reset() {
    this.queue.clear();
  }

  targets(state) {
    const clusters = state.clusters();
    if (!clusters.length) return state.ideas().map((idea) => ({ type: "idea", item: idea }));
    return [
      ...clusters.map((cluster) => ({ type: "cluster", item: cluster })),
      ...state.unclustered().map((idea) => ({ type: "idea", item: idea })),
    ];
  }

  render(state) {
    keepFocus(this.root, () => this.draw(state), { instead: minusOfPlus });
  }

  draw(state) {
    const settings = settingsOf(state);
    const canVote = canContribute(state, "vote") && state.me.remaining !== null;
    const visible = state.votesVisible();
    const revealed = Boolean(settings.votes_revealed);
    let targets = this.targets(state);
    if (revealed) {
      const votes = (entry) => entry.item.votes ?? 0;
      targets = targets.sort((a, b) => votes(b) - votes(a));
    }
    const remaining = Math.max(0, (state.me.remaining ?? 0) - this.queue.pending());
    const max = settings.vote_max_per_target || 1;
    const head = el("div", { class: "vote-head" },
      canVote ? el("p", {
        class: "vote-head__remaining", "aria-live": "polite", "data-testid": "vote-remaining",
        dataset: { remaining: String(remaining) }, text: plural("dots_left", remaining),
      }) : null,
      canVote ? el("p", { class: "view__hint", text: t("vote_help", { max }) }) : null,
      !visible ? el("p", { class: "view__note", "data-testid": "vote-secret", text: t("vote_secret") }) : null,
      revealed ? el("h3", { class: "view__title", "data-testid": "vote-results", text: t("vote_results") }) : null);
    const list = el("ol", { class: "vote-list" }, targets.map((target, index) => this.target(target, {
      canVote, visible, revealed, remaining, max, rank: index + 1,
    })));
    const empty = targets.length ? null : el("p", { class: "empty empty--small", text: t("vote_nothing") });
    fill(this.root, head, empty, list);
  }

  target({ type, item }, { canVote, visible, revealed, remaining, max, rank }) {
    const key = `${type}:${item.id}`;
    const count = this.queue.shown(key);
    const title = type === "cluster" ? clusterName(item) : ideaTitle(item);
    const preview = type === "cluster" ? item.ideas.slice(0, PREVIEW_IDEAS) : [];
    const more = type === "cluster" ? item.ideas.length - preview.length : 0;
    return el("li", {
      class: `vote-target${count ? " vote-target--mine" : ""}`, "data-testid": "vote-target",
      dataset: { targetType: type, targetId: String(item.id) },
    },
    el("div", { class: "vote-target__body" },
      revealed ? el("span", { class: "vote-target__rank", "aria-hidden": "true", text: String(rank) }) : null,
      el("h3", { class: "vote-target__title", text: title, "data-testid": "vote-title" }),
      preview.length ? el("ul", { class: "vote-target__ideas" },
        preview.map((idea) => el("li", { text: ideaTitle(idea) })),
        more > 0 ? el("li", { class: "muted", text: plural("more_in_cluster", more) }) : null) : null),
    el("div", { class: "vote-target__foot" },
      visible && item.votes !== null && item.votes !== undefined
        ? el("p", { class: "vote-target__total", "data-testid": "vote-total", dataset: { votes: String(item.votes) }, text: plural("votes_total", item.votes) })
        : null,
      canVote ? dotControl({
        count, max, title, testPrefix: "vote", focusKey: key, busy: this.queue.busy(key),
        canAdd: count < max && remaining > 0, canRemove: count > 0,
        onChange: (next) => this.queue.set(key, next),
      }) : count ? el("p", { class: "vote-target__mine", text: plural("my_dots", count) }) : null));
  }
}

//   ------------------------------------------------------------------ act

export class ActView {
  /** list: the <ol> of actions; empty: its empty note; ctx: send, toast, state(), participantId(). */
  constructor({ list, empty }, ctx) {
    this.list = list;
    this.emptyNode = empty;
    this.ctx = ctx;
    this.keyed = new KeyedList(list);
    this.open = new Map(); // action id → the sign-up form's node (kept while open)
  }

  reset() {
    this.open.clear();
    this.keyed.clear();
  }

  render(state) {
    const actions = state.actions();
    const canSign = canContribute(state, "act") && state.me.participant_id !== null;
    if (!canSign) this.open.clear();
    for (const id of this.open.keys()) if (!actions.some((a) => a.id === id)) this.open.delete(id);
    keepFocus(this.list, () => this.keyed.update(actions.map((action) => ({
      key: action.id,
      signature: JSON.stringify([action, canSign]),
      build: () => this.card(action, canSign),
    })), (id) => this.open.has(id)));
    this.list.hidden = actions.length === 0;
    this.emptyNode.hidden = actions.length > 0;
  }

  mine(action) {
    const me = this.ctx.participantId();
    return (action.contributors || []).find((c) => c.participant_id !== null && c.participant_id === me) || null;
  }

  card(action, canSign) {
    const mine = this.mine(action);
    const people = action.contributors || [];
    const facts = [];
    if (action.owner) facts.push(el("div", { class: "facts__row" }, el("dt", { text: t("action_owner") }), el("dd", { text: action.owner, "data-testid": "action-owner" })));
    if (action.due) facts.push(el("div", { class: "facts__row" }, el("dt", { text: t("action_due") }), el("dd", { text: formatDate(action.due), "data-testid": "action-due" })));
    const node = el("li", { class: `action${mine ? " action--mine" : ""}`, "data-testid": "action", dataset: { actionId: String(action.id) } },
      el("h3", { class: "action__title", text: action.title, "data-testid": "action-title" }),
      action.what ? el("p", { class: "action__what", text: action.what, "data-testid": "action-what" }) : null,
      facts.length ? el("dl", { class: "facts" }, facts) : null,
      el("div", { class: "action__people", "data-testid": "action-people" },
        el("p", { class: "action__people-title", text: people.length ? plural("people_in", people.length) : t("nobody_in_yet") }),
        people.length ? el("ul", { class: "people" }, people.map((person) => el("li", { class: "people__item" },
          el("span", { class: "people__name", text: person.name || t("anonymous") }),
          person.brings ? el("span", { class: "people__brings", text: t("brings", { what: person.brings }) }) : null))) : null));
    if (mine) node.append(el("p", { class: "chip chip--mine", "data-testid": "action-mine", text: t("action_you_are_in") }));
    if (!canSign) return node;
    if (this.open.has(action.id)) {
      node.append(this.form(action, mine));
    } else if (mine) {
      node.append(el("div", { class: "action__buttons" },
        el("button", {
          type: "button", class: "button button--ghost button--small", text: t("action_change"), "data-testid": "action-change",
          dataset: { focusKey: `change:${action.id}` }, on: { click: () => this.openForm(action.id) },
        }),
        el("button", {
          type: "button", class: "button button--danger-ghost button--small", "data-testid": "action-withdraw",
          dataset: { focusKey: `withdraw:${action.id}` }, on: { click: (event) => this.withdraw(action, event.currentTarget) },
        }, labelled(t("action_leave"), action.title))));
    } else {
      node.append(el("button", {
        type: "button", class: "button button--primary action__join", "data-testid": "action-sign-up",
        dataset: { focusKey: `join:${action.id}` }, on: { click: () => this.openForm(action.id) },
      }, labelled(t("action_join"), action.title)));
    }
    return node;
  }

  openForm(actionId) {
    this.open.set(actionId, true);
    this.keyed.forget(actionId);
    this.render(this.ctx.state());
    const field = this.list.querySelector(`[data-action-id="${actionId}"] [data-testid="action-brings"]`);
    if (field) field.focus();
  }

  closeForm(actionId) {
    this.open.delete(actionId);
    this.keyed.forget(actionId);
    this.render(this.ctx.state());
  }

  form(action, mine) {
    const id = `brings-${action.id}`;
    const field = el("input", {
      id, class: "input", type: "text", maxlength: String(MAX_BRINGS), autocomplete: "off",
      enterkeyhint: "done", "data-testid": "action-brings",
    });
    field.value = mine && mine.brings ? mine.brings : "";
    const named = el("input", { id: `named-${action.id}`, type: "checkbox", "data-testid": "action-name-consent" });
    named.checked = Boolean(mine && mine.name_in_results);
    const problem = el("p", { class: "field__error", role: "alert", hidden: true });
    const submit = el("button", { type: "submit", class: "button button--primary button--small", text: mine ? t("action_save") : t("action_confirm"), "data-testid": "action-sign-up-confirm" });
    const form = el("form", { class: "action__form", novalidate: true },
      el("label", { class: "field__label", for: id, text: t("action_brings_label") }),
      field,
      el("p", { class: "field__hint", text: t("action_brings_hint") }),
      el("label", { class: "check", for: named.id }, named, el("span", { text: t("action_name_consent") })),
      el("p", { class: "field__hint", text: t("action_name_consent_hint") }),
      problem,
      el("div", { class: "action__buttons" }, submit,
        el("button", {
          type: "button", class: "button button--ghost button--small", text: t("cancel_edit"), "data-testid": "action-cancel",
          on: { click: () => this.closeForm(action.id) },
        })));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const brings = field.value.trim();
      submit.disabled = true;
      try {
        const fields = { action_id: action.id, name_in_results: named.checked };
        await this.ctx.send("sign_up", brings ? { ...fields, brings } : fields);
        this.ctx.toast.show(t("action_signed_up"));
        this.closeForm(action.id);
      } catch (error) {
        problem.textContent = actionError(error);
        problem.hidden = false;
        submit.disabled = false;
      }
    });
    return form;
  }

  async withdraw(action, button) {
    button.disabled = true;
    try {
      await this.ctx.send("withdraw_sign_up", { action_id: action.id });
      this.ctx.toast.show(t("action_withdrawn"));
    } catch (error) {
      button.disabled = false;
      this.ctx.toast.show(actionError(error), { kind: "error" });
    }
  }
}

//   ------------------------------------------------------------------ review

export const VERDICTS = ["worked", "partly", "not", "unsure"];
const MAX_COMMENT = 500;

/** The verdict bars of one reviewed action (counts visible to this reader). */
export function verdictBars(review, testPrefix = "review") {
  const total = VERDICTS.reduce((sum, key) => sum + (review[key] || 0), 0);
  return el("ul", { class: "verdicts", "data-testid": `${testPrefix}-results` }, VERDICTS.map((key) => {
    const count = review[key] || 0;
    const share = total ? Math.round((count / total) * 100) : 0;
    const bar = el("span", { class: "verdicts__fill" });
    bar.style.width = `${share}%`; // through the CSSOM: the page's CSP allows no style attributes
    return el("li", { class: `verdicts__row verdicts__row--${key}`, dataset: { verdict: key, count: String(count) } },
      el("span", { class: "verdicts__label", text: t(`verdict_${key}`) }),
      el("span", { class: "verdicts__bar", "aria-hidden": "true" }, bar),
      el("span", { class: "verdicts__count", text: String(count) }));
  }));
}

/** What was agreed about an action under review: its forum, owner, status, latest update. */
export function reviewFacts(action) {
  const latest = (action.updates || [])[0];
  return [
    el("p", { class: "review-card__meta", "data-testid": "review-meta" },
      el("span", { class: `chip chip--status chip--${action.status}`, "data-testid": "review-status", text: t(`status_${action.status}`) }),
      el("span", { text: t("review_agreed_at", { forum: action.event ? action.event.title : "" }) }),
      action.owner ? el("span", { text: t("review_owner", { owner: action.owner }) }) : null),
    latest ? el("p", { class: "review-card__update", "data-testid": "review-update" },
      el("strong", { text: t("review_latest", { date: formatDate(latest.at.slice(0, 10)) }) }), " ",
      latest.note || t(`status_${latest.status}`)) : el("p", { class: "review-card__update muted", text: t("review_no_update") }),
  ];
}

export class ReviewView {
  /** root: the view's element; ctx: send, toast, state(). */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.drafts = new Map(); // action id → the comment being written
    this.busy = new Set();
  }

  reset() {
    this.drafts.clear();
    this.busy.clear();
  }

  render(state) {
    keepFocus(this.root, () => this.draw(state));
  }

  draw(state) {
    const actions = state.reviewActions();
    const canReview = canContribute(state, "review") && state.me.participant_id !== null;
    const visible = state.reviewsVisible();
    const head = el("div", { class: "review-head" },
      el("p", { class: "view__hint", text: canReview ? t("review_help") : t("review_watch") }),
      visible ? null : el("p", { class: "view__note", "data-testid": "review-secret", text: t("review_secret") }));
    const empty = actions.length ? null : el("p", { class: "empty empty--small", "data-testid": "review-empty", text: t("review_nothing") });
    const list = el("ol", { class: "review-list", "data-testid": "review-list" },
      actions.map((action) => this.card(state, action, { canReview, visible })));
    fill(this.root, head, empty, list);
  }

  card(state, action, { canReview, visible }) {
    const mine = state.myReview(action.id);
    const busy = this.busy.has(action.id);
    const titleId = `review-title-${action.id}`;
    const buttons = el("div", { class: "verdict-buttons", role: "group", "aria-labelledby": titleId },
      VERDICTS.map((key) => el("button", {
        type: "button", class: `verdict-button verdict-button--${key}`, "data-testid": "review-verdict",
        "aria-pressed": mine && mine.verdict === key ? "true" : "false", disabled: !canReview || busy,
        dataset: { verdict: key, focusKey: `verdict:${action.id}:${key}` },
        on: { click: () => this.send(action, key, undefined) },
      }, t(`verdict_${key}`))));
    return el("li", { class: `review-card${mine ? " review-card--mine" : ""}`, "data-testid": "review-card", dataset: { actionId: String(action.id) } },
      el("h3", { id: titleId, class: "review-card__title", "data-testid": "review-title", text: action.title }),
      ...reviewFacts(action),
      canReview ? buttons : null,
      mine ? el("p", { class: "chip chip--mine", "data-testid": "review-mine", text: t("review_mine", { verdict: t(`verdict_${mine.verdict}`) }) }) : null,
      canReview && mine ? this.commentForm(action, mine) : null,
      !canReview && mine && mine.comment ? el("p", { class: "review-card__comment", text: mine.comment }) : null,
      this.results(action, visible));
  }

  commentForm(action, mine) {
    const id = `review-comment-${action.id}`;
    const field = el("textarea", {
      id, class: "input textarea", rows: "2", maxlength: String(MAX_COMMENT), "data-testid": "review-comment",
      dataset: { focusKey: `comment:${action.id}` },
      placeholder: t("review_comment_placeholder"),
    });
    field.value = this.drafts.has(action.id) ? this.drafts.get(action.id) : (mine.comment || "");
    field.addEventListener("input", () => this.drafts.set(action.id, field.value));
    const form = el("form", { class: "review-card__form", novalidate: true },
      el("label", { class: "field__label", for: id, text: t("review_comment_label") }),
      field,
      el("button", { type: "submit", class: "button button--ghost button--small", "data-testid": "review-comment-save", text: t("review_comment_save") }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send(action, mine.verdict, field.value.trim());
    });
    return form;
  }

  results(action, visible) {
    if (visible && action.review) {
      return el("div", { class: "review-card__results" },
        verdictBars(action.review),
        (action.comments || []).length ? el("ul", { class: "review-comments", "data-testid": "review-comments" },
          action.comments.map((c) => el("li", { text: `„${c.comment}“ (${t(`verdict_${c.verdict}`)})` }))) : null);
    }
    return el("p", { class: "review-card__given muted", "data-testid": "review-given", text: plural("verdicts_given", action.given || 0) });
  }

  async send(action, verdict, comment) {
    this.busy.add(action.id);
    this.render(this.ctx.state());
    try {
      const fields = { action_id: action.id, verdict };
      if (comment !== undefined) fields.comment = comment;
      const data = await this.ctx.send("review_action", fields);
      this.ctx.state().setMyReview(data.action_id, data.verdict, data.comment);
      if (comment !== undefined) {
        this.drafts.delete(action.id);
        this.ctx.toast.show(t("review_comment_saved"));
      }
    } catch (error) {
      this.ctx.toast.show(actionError(error), { kind: "error" });
    } finally {
      this.busy.delete(action.id);
      this.render(this.ctx.state());
    }
  }
}

//   ------------------------------------------------------------------ plenary

export class PlenaryView {
  /** root: the plenary's list container; ctx: send(name, fields) (event-wide), toast. */
  constructor({ root, hint, remaining }, ctx) {
    Object.assign(this, { root, hint, remainingNode: remaining });
    this.ctx = ctx;
    this.plenary = null;
    this.myVotes = new Map(); // item id → my dots
    this.queue = new DotQueue({
      send: async (key, count) => {
        const data = await ctx.send("plenary_vote", { item_id: Number(key), count });
        this.myVotes.set(Number(data.item_id), data.count);
      },
      confirmed: (key) => this.myVotes.get(Number(key)) || 0,
      onUpdate: () => this.render(),
      onError: (error) => ctx.toast.show(actionError(error), { kind: "error" }),
    });
  }

  /** The join_plenary answer: the plenary and my dots. */
  load(data) {
    this.plenary = data.plenary || null;
    const me = data.me || {};
    this.myVotes = new Map((me.votes || []).map((v) => [v.item_id, v.count]));
    this.render();
  }

  /** plenary_changed: a newer plenary (by its own seq). Resolves whether it was newer. */
  update(plenary) {
    if (!plenary) return false;
    if (this.plenary && typeof plenary.seq === "number" && typeof this.plenary.seq === "number" && plenary.seq <= this.plenary.seq) return false;
    this.plenary = plenary;
    this.render();
    return true;
  }

  get isOpen() {
    return Boolean(this.plenary && this.plenary.open);
  }

  remaining() {
    const plenary = this.plenary;
    if (!plenary) return 0;
    const items = new Set((plenary.items || []).map((item) => item.id));
    let used = 0;
    for (const [id, count] of this.myVotes) if (items.has(id)) used += count;
    return Math.max(0, (plenary.vote_budget || 0) - used - this.queue.pending());
  }

  render() {
    const plenary = this.plenary;
    if (!plenary) return;
    const voting = Boolean(plenary.voting);
    const items = [...(plenary.items || [])];
    const showVotes = items.some((item) => item.votes !== null && item.votes !== undefined);
    if (showVotes && !voting) items.sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0));
    const remaining = this.remaining();
    this.hint.textContent = voting ? t("plenary_help_voting") : t("plenary_help");
    this.remainingNode.hidden = !voting;
    this.remainingNode.textContent = plural("dots_left", remaining);
    this.remainingNode.dataset.remaining = String(remaining);
    const max = Math.max(1, plenary.vote_budget || 1);
    keepFocus(this.root, () => fill(this.root,
      items.length ? null : el("p", { class: "empty empty--small", "data-testid": "plenary-empty", text: t("plenary_empty") }),
      el("ol", { class: "vote-list" }, items.map((item) => {
        const key = String(item.id);
        const count = this.queue.shown(key);
        const title = item.title || item.text || "";
        return el("li", { class: `vote-target${count ? " vote-target--mine" : ""}`, "data-testid": "plenary-item", dataset: { itemId: key } },
          el("div", { class: "vote-target__body" },
            el("p", { class: "vote-target__from", text: item.workshop || "" }),
            el("h3", { class: "vote-target__title", text: title }),
            item.title && item.text && item.text !== item.title ? el("p", { class: "vote-target__text", text: item.text }) : null),
          el("div", { class: "vote-target__foot" },
            item.votes !== null && item.votes !== undefined
              ? el("p", { class: "vote-target__total", "data-testid": "plenary-votes", text: plural("votes_total", item.votes) }) : null,
            voting ? dotControl({
              count, max, title, testPrefix: "plenary", focusKey: `p${key}`, busy: this.queue.busy(key),
              canAdd: remaining > 0, canRemove: count > 0, onChange: (next) => this.queue.set(key, next),
            }) : null));
      }))), { instead: minusOfPlus });
  }
}
