// Staff tools for one workshop, used by the moderator's and the host's board (board.js) and,
// in part, by the cockpit (cockpit.js): step names, the countdown's clock, error texts, and the
// side panels of the board: timer, message, settings, categories, presence, trash, the undo
// toast, the vote ranking and the action editor.
//
// Every panel reads the BoardState (board-state.js) and sends staff commands over the socket;
// nothing is changed locally: the change arrives as a numbered broadcast and is rendered from
// the state, like on every other screen.
//
// data-testid (inside board.html):
//   timer-display (data-state), timer-clock, timer-minutes, timer-lock-at-end, timer-start,
//   timer-pause, timer-resume, timer-add, timer-reset, timer-feedback
//   message-form, message-text, message-send, message-list, message-item, message-feedback
//   settings-form (data-private-writing, data-votes-secret, data-vote-budget, data-vote-max,
//   data-cluster-by: the stored settings), setting-private-writing, reveal-ideas, setting-cluster-by,
//   setting-vote-budget, setting-vote-max, setting-votes-secret, settings-feedback
//   categories-editor, category-row, category-title, category-up, category-down,
//   category-remove, category-add, categories-save, categories-feedback
//   presence-count, presence-list, presence-person, presence-empty
//   trash-count, trash-list, trash-item, trash-restore, trash-empty
//   toast, toast-text, toast-undo
//   ranking-panel, ranking-status, reveal-votes, ranking-list, ranking-item, ranking-votes
//   actions-panel, action-list, action-card (data-action-id), action-title, action-edit,
//   action-delete, action-contributors, action-new, action-form, action-form-title,
//   action-form-what, action-form-owner, action-form-due, action-form-prospects,
//   action-form-links, action-link, action-form-save, action-form-cancel, action-form-feedback,
//   actions-deleted, action-restore

import { $, el, emit, formatDate, formatTime, newOpId, plural, t } from "./common.js";
import { errorText } from "./moderator-ui.js";

export { STEPS } from "./board-state.js";

const TIMER_MIN_SECONDS = 10;
const TIMER_MAX_SECONDS = 7200;
const CATEGORY_LIMIT = 12;
const TOAST_MS = 8000;
const SNIPPET = 60;

/** The translated name of a step ("collect" → "Collect"). */
export function stepLabel(step) {
  return t(`step_${step}`);
}

/** Seconds as a clock: "04:59", "1:02:03"; "–:––" without a countdown. */
export function formatClock(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "–:––";
  const whole = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const mm = String(m).padStart(2, "0");
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A spoken form of a countdown for screen readers ("4 minutes 59 seconds"). */
export function spokenClock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds || 0));
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  return t("timer_spoken", { m, s });
}

/** A translated sentence for a refused staff command. */
export function staffErrorText(error) {
  if (error && error.code === "locked") return t("staff_error_locked");
  if (error && error.code === "forbidden") return t("staff_error_forbidden");
  if (error && error.code === "conflict") return t("staff_error_conflict");
  return errorText(error);
}

/** Minutes typed into a field as countdown seconds within the server's limits, or null. */
export function minutesToSeconds(value) {
  const minutes = Number(String(value).replace(",", "."));
  if (!Number.isFinite(minutes) || minutes <= 0) return null;
  return Math.min(TIMER_MAX_SECONDS, Math.max(TIMER_MIN_SECONDS, Math.round(minutes * 60)));
}

/** A short quote of a text for labels ("Mentoring durch erfah…"). */
export function snippet(text, length = SNIPPET) {
  const value = String(text ?? "").replace(/\s+/g, " ").trim();
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}

/** What a cluster is called on screen: its title, or "Untitled cluster". */
export function clusterName(cluster) {
  return cluster.title && cluster.title.trim() ? cluster.title : t("cluster_untitled");
}

/** A button, small and secondary unless told otherwise. */
export function button(text, testid, onClick, { kind = "secondary", label = null, key = null, disabled = false } = {}) {
  return el("button", {
    type: "button",
    class: `button button--${kind} button--small`,
    text,
    "aria-label": label,
    "data-testid": testid,
    "data-key": key,
    disabled,
    on: { click: onClick },
  });
}

function say(node, kind, text) {
  if (!node) return;
  node.className = `feedback feedback--${kind}`;
  node.dataset.state = kind;
  node.textContent = text;
  node.hidden = !text;
}

function isFocused(node) {
  return node && document.activeElement === node;
}

/**
 * The staff panels of one workshop's board. `context`: socket, workshopId, state (BoardState),
 * announce(text) for the screen-reader region, toast (Toast), selectIdeas() → [{kind, id}]
 * (not used by every panel).
 */
export class StaffTools {
  constructor(context) {
    Object.assign(this, context);
    this.people = [];
    this.categoryRows = null; // the editor's rows while edited, else null (= the workshop's)
    this.categorySignature = null; // the rows the fields show
    this.actionForm = null; // {actionId, opId} while the action form is open
    this.bindTimer();
    this.bindMessages();
    this.bindSettings();
    this.bindCategories();
    this.bindRanking();
    this.bindActions();
  }

  /** Send a staff command for this workshop; resolves the ack data, shows a refusal in
   * `feedback` (or the toast) and resolves null then. */
  async send(name, payload, feedback = null) {
    try {
      return await emit(this.socket, name, { workshop_id: this.workshopId, ...payload });
    } catch (error) {
      const text = staffErrorText(error);
      if (feedback) say(feedback, "error", text);
      else this.toast.show(text, null, "error");
      return null;
    }
  }

  /** Re-render every panel from the state. */
  render() {
    if (!this.state.workshop) return;
    this.renderTimer();
    this.renderMessages();
    this.renderSettings();
    this.renderCategories();
    this.renderTrash();
    this.renderRanking();
    this.renderActions();
  }

  // --- timer -----------------------------------------------------------------------------------

  bindTimer() {
    $("#timer-form").addEventListener("submit", (submit) => {
      submit.preventDefault();
      this.startTimer();
    });
    $("#timer-pause").addEventListener("click", () => this.timerCommand("pause"));
    $("#timer-resume").addEventListener("click", () => this.timerCommand("resume"));
    $("#timer-add").addEventListener("click", () => this.timerCommand("add", { seconds: 60 }));
    $("#timer-reset").addEventListener("click", () => this.timerCommand("reset"));
  }

  startTimer() {
    const seconds = minutesToSeconds($("#timer-minutes").value);
    if (seconds === null) {
      $("#timer-minutes").setAttribute("aria-invalid", "true");
      say($("#timer-feedback"), "error", t("timer_minutes_invalid"));
      $("#timer-minutes").focus();
      return;
    }
    $("#timer-minutes").removeAttribute("aria-invalid");
    this.timerCommand("start", { seconds });
  }

  async timerCommand(command, extra = {}) {
    const feedback = $("#timer-feedback");
    say(feedback, "info", "");
    // Whether the board pauses at the end is chosen when the timer starts.
    const payload = command === "start" ? { command, ...extra, lock_at_end: $("#timer-lock-at-end").checked } : { command, ...extra };
    await this.send("set_timer", payload, feedback);
  }

  renderTimer() {
    const timer = this.state.workshop.timer || { state: "idle" };
    const running = timer.state === "running";
    const paused = timer.state === "paused";
    $("#timer-start").disabled = running || paused;
    $("#timer-pause").disabled = !running;
    $("#timer-resume").disabled = !paused;
    $("#timer-add").disabled = !(running || paused);
    $("#timer-reset").disabled = timer.state === "idle";
    const lockAtEnd = $("#timer-lock-at-end");
    lockAtEnd.disabled = running || paused;
    if (running || paused) lockAtEnd.checked = Boolean(timer.lock_at_end);
    this.tickTimer();
  }

  /** Update the countdown (called several times a second). */
  tickTimer() {
    if (!this.state.workshop) return;
    const timer = this.state.workshop.timer || { state: "idle" };
    const display = $("#timer-display");
    display.dataset.state = timer.state;
    const remaining = this.state.timerRemaining();
    const clock = timer.state === "idle" ? "–:––" : formatClock(timer.state === "ended" ? 0 : remaining);
    if ($("#timer-clock").textContent !== clock) $("#timer-clock").textContent = clock;
    const note = { idle: t("timer_idle"), running: t("timer_running"), paused: t("timer_paused"), ended: t("timer_ended") }[timer.state] || "";
    if ($("#timer-note").textContent !== note) $("#timer-note").textContent = note;
    display.classList.toggle("is-urgent", timer.state === "running" && remaining !== null && remaining <= 30);
  }

  // --- messages --------------------------------------------------------------------------------

  bindMessages() {
    const text = $("#message-text");
    text.addEventListener("input", () => {
      const left = 200 - text.value.length;
      $("#message-counter").textContent = text.value ? t("chars_left", { n: left }) : "";
    });
    $("#message-form").addEventListener("submit", async (submit) => {
      submit.preventDefault();
      const value = text.value.trim();
      const feedback = $("#message-feedback");
      if (!value || value.length > 200) {
        say(feedback, "error", t("message_invalid"));
        text.focus();
        return;
      }
      $("#message-send").disabled = true;
      const data = await this.send("send_message", { text: value }, feedback);
      $("#message-send").disabled = false;
      if (data) {
        text.value = "";
        $("#message-counter").textContent = "";
        say(feedback, "success", t("message_sent"));
      }
    });
  }

  renderMessages() {
    const list = $("#message-list");
    const messages = [...(this.state.messages || [])].slice(-5).reverse();
    list.replaceChildren(...messages.map((message) => el("li", { class: "sb-message", "data-testid": "message-item" },
      el("p", { class: "sb-message__text", text: message.text }),
      el("p", { class: "sb-message__meta" },
        message.from ? el("span", { text: message.from }) : null,
        message.sent_at ? el("time", { datetime: message.sent_at, text: formatTime(message.sent_at) }) : null))));
    list.hidden = messages.length === 0;
  }

  // --- settings --------------------------------------------------------------------------------

  bindSettings() {
    const feedback = $("#settings-feedback");
    const configure = async (fields) => {
      say(feedback, "info", t("saving"));
      const data = await this.send("configure_workshop", fields, feedback);
      if (data) say(feedback, "success", t("saved"));
      this.renderSettings();
    };
    $("#setting-private-writing").addEventListener("change", (change) => configure({ private_writing: change.currentTarget.checked }));
    $("#setting-votes-secret").addEventListener("change", (change) => configure({ votes_secret: change.currentTarget.checked }));
    $("#setting-cluster-by").addEventListener("change", (change) => configure({ cluster_by: change.currentTarget.value }));
    for (const [id, field] of [["#setting-vote-budget", "vote_budget"], ["#setting-vote-max", "vote_max_per_target"]]) {
      $(id).addEventListener("change", (change) => {
        const input = change.currentTarget;
        const value = Number(input.value);
        if (!Number.isInteger(value) || value < 1 || value > 20) {
          input.setAttribute("aria-invalid", "true");
          say(feedback, "error", t("setting_number_invalid"));
          return;
        }
        input.removeAttribute("aria-invalid");
        configure({ [field]: value });
      });
    }
    $("#reveal-ideas").addEventListener("click", async () => {
      const data = await this.send("reveal_ideas", {}, feedback);
      if (data) say(feedback, "success", plural("ideas_revealed", data.revealed || 0));
    });
  }

  renderSettings() {
    const settings = this.state.workshop.settings || {};
    // What the server holds (as broadcast), for anyone who checks.
    const form = $("#settings-form");
    form.dataset.privateWriting = String(Boolean(settings.private_writing));
    form.dataset.votesSecret = String(Boolean(settings.votes_secret));
    form.dataset.voteBudget = String(settings.vote_budget ?? "");
    form.dataset.voteMax = String(settings.vote_max_per_target ?? "");
    form.dataset.clusterBy = settings.cluster_by || "";
    const sync = (id, property, value) => {
      const input = $(id);
      if (!isFocused(input) || input.type === "checkbox") input[property] = value;
    };
    sync("#setting-private-writing", "checked", Boolean(settings.private_writing));
    sync("#setting-votes-secret", "checked", Boolean(settings.votes_secret));
    sync("#setting-cluster-by", "value", settings.cluster_by || "staff");
    if (!$("#setting-vote-budget").getAttribute("aria-invalid")) sync("#setting-vote-budget", "value", String(settings.vote_budget ?? 3));
    if (!$("#setting-vote-max").getAttribute("aria-invalid")) sync("#setting-vote-max", "value", String(settings.vote_max_per_target ?? 3));
    const hidden = this.state.ideas().filter((idea) => idea.hidden).length;
    const reveal = $("#reveal-ideas");
    reveal.disabled = hidden === 0;
    reveal.textContent = hidden ? plural("reveal_ideas", hidden) : t("reveal_ideas_none");
  }

  // --- categories ------------------------------------------------------------------------------

  bindCategories() {
    $("#category-add").addEventListener("click", () => {
      const rows = this.editableCategories();
      if (rows.length >= CATEGORY_LIMIT) return;
      rows.push({ id: null, title: "" });
      this.renderCategories();
      const inputs = document.querySelectorAll('[data-testid="category-title"]');
      if (inputs.length) inputs[inputs.length - 1].focus();
    });
    $("#categories-form").addEventListener("submit", async (submit) => {
      submit.preventDefault();
      const feedback = $("#categories-feedback");
      const rows = this.editableCategories().map((row) => ({ ...row, title: row.title.trim() }));
      if (rows.some((row) => !row.title || row.title.length > 120)) {
        say(feedback, "error", t("category_invalid"));
        return;
      }
      const categories = rows.map((row) => (row.id ? { id: row.id, title: row.title } : { title: row.title }));
      say(feedback, "info", t("saving"));
      const data = await this.send("set_categories", { categories }, feedback);
      if (data) {
        this.categoryRows = null;
        say(feedback, "success", t("saved"));
        this.renderCategories();
      }
    });
    $("#categories-reset").addEventListener("click", () => {
      this.categoryRows = null;
      say($("#categories-feedback"), "info", "");
      this.renderCategories();
    });
  }

  editableCategories() {
    if (this.categoryRows === null) {
      this.categoryRows = (this.state.workshop.categories || []).map((c) => ({ id: c.id, title: c.title }));
    }
    return this.categoryRows;
  }

  renderCategories() {
    const section = $("#categories-section");
    const isCategories = this.state.workshop.template === "categories";
    section.hidden = !isCategories;
    if (!isCategories) return;
    const editing = this.categoryRows !== null;
    const rows = editing ? this.categoryRows : (this.state.workshop.categories || []).map((c) => ({ id: c.id, title: c.title }));
    const list = $("#category-rows");
    $("#category-add").disabled = rows.length >= CATEGORY_LIMIT;
    $("#categories-reset").hidden = !editing;
    // Rebuild the fields only when the rows changed, not while someone types in them.
    const signature = JSON.stringify(rows);
    if (signature === this.categorySignature) return;
    this.categorySignature = signature;
    const focusedIndex = [...list.querySelectorAll("input")].indexOf(document.activeElement);
    list.replaceChildren(...rows.map((row, index) => {
      const id = `category-title-${index}`;
      const input = el("input", { id, class: "input input--compact", type: "text", maxlength: 120, required: true, "data-testid": "category-title" });
      input.value = row.title;
      input.addEventListener("input", () => {
        const all = this.editableCategories();
        all[index].title = input.value;
        this.categorySignature = JSON.stringify(all);
        $("#categories-reset").hidden = false;
      });
      const move = (delta) => {
        const all = this.editableCategories();
        const [item] = all.splice(index, 1);
        all.splice(index + delta, 0, item);
        this.renderCategories();
      };
      const remove = () => {
        this.editableCategories().splice(index, 1);
        this.renderCategories();
      };
      return el("li", { class: "sb-category", "data-testid": "category-row" },
        el("label", { class: "visually-hidden", for: id, text: t("category_label", { n: index + 1 }) }),
        input,
        button("↑", "category-up", () => move(-1), { kind: "ghost", label: t("category_up", { n: index + 1 }), disabled: index === 0 }),
        button("↓", "category-down", () => move(1), { kind: "ghost", label: t("category_down", { n: index + 1 }), disabled: index === rows.length - 1 }),
        button("✕", "category-remove", remove, { kind: "danger-ghost", label: t("category_remove", { n: index + 1 }) }));
    }));
    if (focusedIndex >= 0 && list.querySelectorAll("input")[focusedIndex]) list.querySelectorAll("input")[focusedIndex].focus();
  }

  // --- presence --------------------------------------------------------------------------------

  async loadPresence() {
    try {
      const data = await emit(this.socket, "get_presence", { workshop_id: this.workshopId });
      this.setPresence(data.people || []);
    } catch {
      /* not available (yet): the presence events fill the list */
    }
  }

  setPresence(people) {
    this.people = [...people].sort((a, b) => String(a.name).localeCompare(String(b.name)));
    $("#presence-count").textContent = String(this.people.length);
    $("#presence-list").replaceChildren(...this.people.map((person) => el("li", { class: "sb-person", "data-testid": "presence-person", text: person.name || t("anonymous") })));
    $("#presence-empty").hidden = this.people.length > 0;
  }

  // --- trash -----------------------------------------------------------------------------------

  renderTrash() {
    const trash = this.state.trash();
    $("#trash-count").textContent = String(trash.length);
    $("#trash-empty").hidden = trash.length > 0;
    $("#trash-list").replaceChildren(...trash.map((idea) => {
      const into = idea.merged_into ? this.state.ideasById.get(idea.merged_into) : null;
      const why = idea.merged_into ? t("trash_merged", { text: snippet(into ? into.text : "", 40) }) : t("trash_deleted");
      return el("li", { class: "sb-trash", "data-testid": "trash-item", dataset: { ideaId: String(idea.id) } },
        el("p", { class: "sb-trash__text", text: idea.text ?? t("hidden_idea") }),
        el("p", { class: "sb-trash__why", text: why }),
        button(t("restore"), "trash-restore", () => this.restoreIdea(idea.id), { label: `${t("restore")}: ${snippet(idea.text ?? t("hidden_idea"), 40)}` }));
    }));
  }

  async restoreIdea(ideaId) {
    const data = await this.send("restore_idea", { idea_id: ideaId });
    if (data) this.announce(t("idea_restored"));
  }

  // --- ranking (vote step and after) -----------------------------------------------------------

  bindRanking() {
    $("#reveal-votes").addEventListener("click", async () => {
      const data = await this.send("reveal_votes", {}, $("#ranking-feedback"));
      if (data) this.announce(t("votes_revealed"));
    });
  }

  renderRanking() {
    const step = this.state.workshop.step;
    const panel = $("#ranking-panel");
    panel.hidden = !["vote", "act", "closed"].includes(step);
    if (panel.hidden) return;
    const settings = this.state.workshop.settings || {};
    const secret = settings.votes_secret && !settings.votes_revealed;
    $("#ranking-status").textContent = secret ? t("votes_secret_note") : settings.votes_revealed ? t("votes_revealed_note") : t("votes_open_note");
    panel.dataset.revealed = settings.votes_revealed ? "true" : "false";
    $("#reveal-votes").hidden = !secret;
    const ranked = this.state.ranked();
    const total = ranked.reduce((sum, entry) => sum + (entry.votes || 0), 0);
    $("#ranking-total").textContent = plural("dots", total);
    $("#ranking-list").replaceChildren(...ranked.map((entry, index) => {
      const name = entry.kind === "cluster" ? clusterName(entry.item) : (entry.item.text ?? t("hidden_idea"));
      return el("li", { class: "sb-rank", "data-testid": "ranking-item", dataset: { kind: entry.kind, id: String(entry.item.id), votes: String(entry.votes) } },
        el("span", { class: "sb-rank__place", text: String(index + 1), "aria-hidden": "true" }),
        el("span", { class: "sb-rank__name" },
          entry.kind === "cluster" ? el("span", { class: "sb-rank__kind", text: plural("cluster_ideas", entry.item.ideas.length) }) : null,
          el("span", { text: name })),
        el("span", { class: "sb-rank__votes", "data-testid": "ranking-votes", text: plural("dots", entry.votes) }));
    }));
    $("#ranking-empty").hidden = ranked.length > 0;
  }

  // --- actions (act step and after) ------------------------------------------------------------

  bindActions() {
    $("#action-new").addEventListener("click", () => this.openActionForm(null));
    $("#action-form-cancel").addEventListener("click", () => this.closeActionForm());
    $("#action-form").addEventListener("submit", (submit) => {
      submit.preventDefault();
      this.saveAction();
    });
  }

  renderActions() {
    const step = this.state.workshop.step;
    const panel = $("#actions-panel");
    panel.hidden = !["act", "closed"].includes(step) && this.state.actions().length === 0;
    if (panel.hidden) return;
    const actions = this.state.actions();
    $("#actions-empty").hidden = actions.length > 0;
    $("#action-list").replaceChildren(...actions.map((action) => this.actionCard(action)));
    const deleted = this.state.deletedActions();
    $("#actions-deleted").hidden = deleted.length === 0;
    $("#actions-deleted-list").replaceChildren(...deleted.map((action) => el("li", { class: "sb-trash" },
      el("p", { class: "sb-trash__text", text: action.title }),
      button(t("restore"), "action-restore", () => this.send("restore_action", { action_id: action.id }), { label: `${t("restore")}: ${action.title}` }))));
    if (this.actionForm) this.renderActionLinks();
  }

  linkName(kind, id) {
    if (kind === "cluster") {
      const cluster = this.state.clustersById.get(id);
      return cluster ? clusterName(cluster) : null;
    }
    const idea = this.state.ideasById.get(id);
    return idea ? snippet(idea.text ?? t("hidden_idea"), 50) : null;
  }

  actionCard(action) {
    const links = [
      ...(action.cluster_ids || []).map((id) => this.linkName("cluster", id)),
      ...(action.idea_ids || []).map((id) => this.linkName("idea", id)),
    ].filter(Boolean);
    const contributors = action.contributors || [];
    const facts = [
      action.owner ? [t("action_owner"), action.owner] : null,
      action.due ? [t("action_due"), formatDate(action.due)] : null,
      action.prospects ? [t("action_prospects"), action.prospects] : null,
    ].filter(Boolean);
    return el("li", { class: "sb-action", "data-testid": "action-card", dataset: { actionId: String(action.id) } },
      el("h3", { class: "sb-action__title", text: action.title, "data-testid": "action-title" }),
      action.what ? el("p", { class: "sb-action__what", text: action.what }) : null,
      facts.length ? el("dl", { class: "sb-action__facts" }, facts.map(([term, value]) => el("div", {}, el("dt", { text: term }), el("dd", { text: value })))) : null,
      links.length ? el("p", { class: "sb-action__links" }, el("span", { class: "sb-action__label", text: t("action_links") }), ` ${links.join(" · ")}`) : null,
      el("div", { class: "sb-action__people", "data-testid": "action-contributors" },
        el("span", { class: "sb-action__label", text: plural("contributors", contributors.length) }),
        contributors.length
          ? el("ul", { class: "sb-action__contributors" }, contributors.map((person) => el("li", {},
            el("span", { class: "sb-action__name", text: person.name || t("anonymous") }),
            person.brings ? el("span", { class: "sb-action__brings", text: ` – ${person.brings}` }) : null)))
          : null),
      el("div", { class: "sb-action__tools" },
        button(t("edit"), "action-edit", () => this.openActionForm(action), { kind: "ghost", label: `${t("edit")}: ${action.title}` }),
        button(t("delete"), "action-delete", async () => {
          const data = await this.send("delete_action", { action_id: action.id });
          if (data) this.toast.show(t("action_deleted"), () => this.send("restore_action", { action_id: action.id }));
        }, { kind: "danger-ghost", label: `${t("delete")}: ${action.title}` })));
  }

  openActionForm(action) {
    this.actionForm = { actionId: action ? action.id : null, opId: newOpId(), links: new Set([
      ...((action && action.cluster_ids) || []).map((id) => `cluster:${id}`),
      ...((action && action.idea_ids) || []).map((id) => `idea:${id}`),
    ]) };
    $("#action-form-heading").textContent = action ? t("action_edit_heading") : t("action_new_heading");
    $("#action-form-title").value = action ? action.title : "";
    $("#action-form-what").value = (action && action.what) || "";
    $("#action-form-owner").value = (action && action.owner) || "";
    $("#action-form-due").value = (action && action.due) || "";
    $("#action-form-prospects").value = (action && action.prospects) || "";
    say($("#action-form-feedback"), "info", "");
    this.renderActionLinks();
    $("#action-form").hidden = false;
    $("#action-new").hidden = true;
    $("#action-form-title").focus();
  }

  closeActionForm() {
    this.actionForm = null;
    $("#action-form").hidden = true;
    $("#action-new").hidden = false;
    $("#action-new").focus();
  }

  renderActionLinks() {
    const form = this.actionForm;
    const options = [
      ...this.state.clusters().map((cluster) => ({ key: `cluster:${cluster.id}`, label: clusterName(cluster) })),
      ...this.state.unclustered().map((idea) => ({ key: `idea:${idea.id}`, label: snippet(idea.text ?? t("hidden_idea"), 80) })),
    ];
    const list = $("#action-form-links");
    const focused = document.activeElement && list.contains(document.activeElement) ? document.activeElement.value : null;
    list.replaceChildren(...options.map((option) => {
      const box = el("input", { type: "checkbox", value: option.key, "data-testid": "action-link" });
      box.checked = form.links.has(option.key);
      box.addEventListener("change", () => {
        if (box.checked) form.links.add(option.key);
        else form.links.delete(option.key);
      });
      return el("li", {}, el("label", { class: "check check--small" }, box, el("span", { text: option.label })));
    }));
    if (focused) {
      const again = list.querySelector(`input[value="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
    $("#action-form-links-empty").hidden = options.length > 0;
  }

  async saveAction() {
    const form = this.actionForm;
    if (!form) return;
    const feedback = $("#action-form-feedback");
    const title = $("#action-form-title").value.trim();
    if (!title) {
      $("#action-form-title").setAttribute("aria-invalid", "true");
      say(feedback, "error", t("field_required"));
      $("#action-form-title").focus();
      return;
    }
    $("#action-form-title").removeAttribute("aria-invalid");
    const ids = (kind) => [...form.links].filter((key) => key.startsWith(`${kind}:`)).map((key) => Number(key.split(":")[1]));
    const payload = {
      op_id: form.opId,
      title,
      what: $("#action-form-what").value.trim(),
      owner: $("#action-form-owner").value.trim(),
      prospects: $("#action-form-prospects").value.trim(),
      idea_ids: ids("idea"),
      cluster_ids: ids("cluster"),
    };
    const due = $("#action-form-due").value;
    if (due) payload.due = due;
    else if (form.actionId) payload.due = null;
    if (form.actionId) payload.action_id = form.actionId;
    say(feedback, "info", t("saving"));
    $("#action-form-save").disabled = true;
    const data = await this.send("save_action", payload, feedback);
    $("#action-form-save").disabled = false;
    if (data) {
      this.closeActionForm();
      this.announce(t("action_saved"));
    }
  }
}

/** The undo toast at the bottom of the board: one message at a time, with an optional Undo. */
export class Toast {
  constructor(node) {
    this.node = node;
    this.timer = null;
  }

  show(text, undo = null, kind = "info") {
    clearTimeout(this.timer);
    const children = [el("span", { class: "toast__text", text, "data-testid": "toast-text" })];
    if (undo) {
      children.push(el("button", {
        type: "button",
        class: "button button--secondary button--small toast__undo",
        text: t("undo"),
        "data-testid": "toast-undo",
        on: {
          click: async () => {
            this.hide();
            await undo();
          },
        },
      }));
    }
    children.push(el("button", { type: "button", class: "toast__close", text: "✕", "aria-label": t("close"), on: { click: () => this.hide() } }));
    this.node.replaceChildren(...children);
    this.node.dataset.kind = kind;
    this.node.hidden = false;
    this.timer = setTimeout(() => this.hide(), undo ? TOAST_MS : TOAST_MS / 2);
  }

  hide() {
    clearTimeout(this.timer);
    this.node.hidden = true;
    this.node.replaceChildren();
  }
}
