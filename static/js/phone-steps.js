// The facilitation views of the phone's later steps (and the parts the projector and the staff
// board share): rendered only from what the server sent (a BoardState, see board-state.js).
// Nothing here changes the board by itself: every tap sends an event and the view follows the
// answer and the broadcasts. The views a board needs first (step banner, timer, message,
// collect) are in phone-board.js; the phone fetches this file once its board is up.
//
// ClusterView   — clusters with their ideas; select + group / take out when everyone clusters.
// VoteView      — dot voting with a dot budget and a cap per target; results after reveal.
// ActView       — actions with owner, due date and who is in; "I'm in" with "what I bring".
// ReviewView    — the review step: the series' earlier open actions with their latest update;
//                 four verdict buttons and an optional comment per action; the verdicts once
//                 revealed (the projector shows them with ReviewView too, read-only).
// PlenaryView   — the event's plenary: items of every workshop, dot voting while it is open.
// (Keyed lists are in common.js; withheld texts, names of things and the step views' error
// texts in ui/board-text.js; canContribute in board-state.js.)
//
// data-testid: see app/templates/pages/join.html (the projector's: projector.js).

import { canContribute } from "./board-state.js";
import { el, formatDate, keepFocus, KeyedList, plural, t } from "./common.js";
import { actionError, clusterName, ideaText, isWithheld, labelled, snippet } from "./ui/board-text.js";

const MAX_BRINGS = 200;
const PREVIEW_IDEAS = 4;

//   ------------------------------------------------------------------ small helpers

/** Replace the children of `node` with the given nodes, skipping empty ones. */
function fill(node, ...children) {
  node.replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== false));
}

/** The workshop's facilitation settings ({} before the snapshot). */
function settingsOf(state) {
  return (state && state.workshop && state.workshop.settings) || {};
}

/** An idea's text, or "Hidden idea" where it was withheld. */
function ideaTitle(idea) {
  return ideaText(idea, t("idea_hidden_placeholder"));
}

/** A row of dots: filled for mine, hollow for the rest up to `max` (decoration only). */
function dotRow(count, max) {
  const dots = [];
  for (let i = 0; i < max; i += 1) dots.push(el("span", { class: `dot${i < count ? " dot--on" : ""}` }));
  return el("span", { class: "dots", "aria-hidden": "true" }, dots);
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
          action.comments.map((c) => el("li", { text: `„${c.comment}“ (${t("verdict_" + c.verdict)})` }))) : null);
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
