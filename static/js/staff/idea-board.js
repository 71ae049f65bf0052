// The staff board's ideas as a wall: lanes (columns in the "categories" method), clusters as
// piles with their titles, idea cards at their natural height with one actions menu each, the
// order (newest first, board order, most dots first) and the selection bar; and the idea
// commands these controls send (edit, delete with undo, move, group, ungroup, merge, dissolve
// a cluster, move to another column).
//
// Rendering rebuilds the board from the BoardState on every change; the view's own state — the
// order the user picked, the selected ideas, the idea being edited, the open actions menu,
// cluster titles being typed — lives in this object and survives the redraw, and so does the
// focus (keepFocus in common.js). A click on a card (not on one of its controls) selects it,
// like its checkbox.
//
// data-testid: idea-count (data-count), order-newest, order-board, order-votes, board-hint,
//   board-empty, selection-bar, selection-count, group-selected, selection-cluster,
//   add-to-cluster, merge-selected, clear-selection,
//   idea-list (the board: data-order), lane (data-category-id), lane-title, loose-title,
//   cluster (data-cluster-id, data-title: the stored title), cluster-title (a textarea that
//   grows with the title), cluster-votes, cluster-dissolve,
//   drop-between (data-after-id, data-cluster-id, data-category-id),
//   idea-card (data-idea-id, data-mine, data-cluster-id, data-category-id, data-selected),
//   idea-card-text, idea-author, idea-votes, idea-private, idea-select, idea-edit-text,
//   idea-edit-save, idea-edit-cancel,
//   idea-menu (the card's "⋯" button, aria-expanded), idea-menu-list (its open menu) with the
//   items idea-edit, idea-up, idea-down, idea-ungroup, idea-category (one per other column:
//   data-category-id, "" for none), idea-delete

import { $, el, formatTime, keepFocus, plural, t } from "../common.js";
import { authorName, clusterName, ideaText, ideaTone, snippet } from "../ui/board-text.js";
import { menuButton, menuList, place } from "./card-menu.js";
import { button } from "./controls.js";

const MAX_IDEA = 500;
const LABEL_QUOTE = 50;
const MERGE_QUOTE = 30;
const VOTES_FROM = ["vote", "act", "closed"];
/** Clicks on these inside a card do their own thing; a click anywhere else selects the card. */
const CONTROLS = "button, input, textarea, select, a, label, [role='menu']";
const GROWS = typeof CSS !== "undefined" && CSS.supports("field-sizing", "content");

const byVotes = (a, b) => (b.votes ?? 0) - (a.votes ?? 0) || (a.position ?? 0) - (b.position ?? 0) || a.id - b.id;

/** Ideas picked with their checkboxes, in the order they were picked. */
class Selection {
  constructor() {
    this.ids = [];
  }

  has(id) {
    return this.ids.includes(id);
  }

  set(id, on) {
    const index = this.ids.indexOf(id);
    if (on && index < 0) this.ids.push(id);
    if (!on && index >= 0) this.ids.splice(index, 1);
  }

  /** Forget ideas that left the board. */
  keepOnly(ids) {
    this.ids = this.ids.filter((id) => ids.has(id));
  }

  clear() {
    this.ids = [];
  }

  get size() {
    return this.ids.length;
  }
}

export class IdeaBoard {
  /**
   * node: the board (<div data-testid="idea-list">). ctx: state (BoardState), commands
   * (StaffCommands), toast (Toast), announce(text), isMine(idea), redraw() (the page draws
   * everything again, once).
   */
  constructor(node, { state, commands, toast, announce, isMine, redraw }) {
    Object.assign(this, { node, state, commands, toast, announce, isMine, redraw });
    this.chosenOrder = null; // "newest" | "board" | "votes" once the user picked one
    this.selection = new Selection();
    this.editing = null; // {id, draft} while an idea's text is edited
    this.menuFor = null; // the idea whose actions menu is open
    this.titleDrafts = new Map(); // cluster id → title being typed
    for (const option of document.querySelectorAll(".sb-order__option")) {
      option.addEventListener("click", () => {
        this.chosenOrder = option.dataset.order;
        this.redraw();
      });
    }
    $("#group-selected").addEventListener("click", () => this.groupSelected(null));
    $("#add-to-cluster").addEventListener("click", () => this.groupSelected(Number($("#selection-cluster").value)));
    $("#merge-selected").addEventListener("click", () => this.mergeSelected());
    $("#clear-selection").addEventListener("click", () => this.clearSelection());
    node.addEventListener("click", (click) => this.clickCard(click));
    document.addEventListener("pointerdown", (down) => {
      if (this.menuFor !== null && !(down.target instanceof Element && down.target.closest(".scard__menu, [data-testid='idea-menu'][aria-expanded='true']"))) this.closeMenu(false);
    });
    // An open menu stays next to its button when the page scrolls.
    const follow = () => {
      if (this.menuFor !== null) this.placeMenu();
    };
    window.addEventListener("scroll", follow, { passive: true });
    window.addEventListener("resize", follow);
  }

  // --- reading the state ----------------------------------------------------------------------

  ideaById(id) {
    return this.state.ideasById.get(id) || null;
  }

  /** The cluster an idea really belongs to (null when none, or its cluster is gone). */
  clusterOf(idea) {
    if (!idea || idea.cluster_id == null) return null;
    return this.state.clusters().some((cluster) => cluster.id === idea.cluster_id) ? idea.cluster_id : null;
  }

  usesColumns() {
    return Boolean(this.state.workshop && this.state.workshop.template === "categories");
  }

  /** The column an idea (or cluster) is shown in (null: "Without column"). */
  categoryOf(item) {
    const known = ((this.state.workshop && this.state.workshop.categories) || []).map((c) => c.id);
    return item && item.category_id != null && known.includes(item.category_id) ? item.category_id : null;
  }

  showVotes() {
    return VOTES_FROM.includes(this.state.workshop.step);
  }

  /** How the board is sorted: "newest" (while collecting), "board" (its own order, which can
   * be changed) or "votes" (once the votes are revealed); the user's choice wins. */
  order() {
    const votes = this.showVotes();
    if (this.chosenOrder && (this.chosenOrder !== "votes" || votes)) return this.chosenOrder;
    const workshop = this.state.workshop;
    if (workshop.step === "collect") return "newest";
    if (votes && workshop.settings && workshop.settings.votes_revealed) return "votes";
    return "board";
  }

  /** The ideas shown in the same list as `idea`, in board order. */
  siblings(idea) {
    const cluster = this.clusterOf(idea);
    if (cluster !== null) return this.state.ideas().filter((other) => this.clusterOf(other) === cluster);
    return this.state.unclustered().filter((other) => !this.usesColumns() || this.categoryOf(other) === this.categoryOf(idea));
  }

  // --- view state -------------------------------------------------------------------------------

  /** A new step: the order follows the step again. */
  stepChanged() {
    this.chosenOrder = null;
  }

  /** Forget an edit, or an open menu, of an idea that left the board. */
  dropStaleEdit() {
    if (this.editing && !this.ideaById(this.editing.id)) this.editing = null;
    if (this.menuFor !== null && !this.ideaById(this.menuFor)) this.menuFor = null;
  }

  select(id, on) {
    this.selection.set(id, on);
    this.renderSelection();
    for (const card of this.node.querySelectorAll(`[data-testid="idea-card"][data-idea-id="${id}"]`)) {
      card.classList.toggle("is-selected", on);
      card.dataset.selected = on ? "true" : "false";
      const box = card.querySelector('[data-testid="idea-select"]');
      if (box) box.checked = on;
    }
  }

  /** A click on a card, not on one of its controls, selects it (or takes it out again). */
  clickCard(click) {
    const target = click.target instanceof Element ? click.target : null;
    const card = target ? target.closest('[data-testid="idea-card"]') : null;
    if (!card || target.closest(CONTROLS) || (this.editing && this.editing.id === Number(card.dataset.ideaId))) return;
    const id = Number(card.dataset.ideaId);
    this.select(id, !this.selection.has(id));
  }

  clearSelection() {
    this.selection.clear();
    this.redraw();
  }

  startEdit(idea) {
    this.editing = { id: idea.id, draft: idea.text || "" };
    this.redraw();
    this.focus(`edit:${idea.id}`);
  }

  stopEdit() {
    const id = this.editing ? this.editing.id : null;
    this.editing = null;
    this.redraw();
    if (id !== null) this.focus(`menu:${id}`);
  }

  /** Open the actions menu of an idea, the focus on its "first" or "last" item (null: stays). */
  openMenu(idea, at) {
    this.menuFor = idea.id;
    this.redraw();
    const items = [...this.node.querySelectorAll('.scard__menu [role="menuitem"]')];
    const item = at === "last" ? items[items.length - 1] : at === "first" ? items[0] : null;
    if (item) item.focus();
  }

  /** Close the open actions menu; `focusButton`: give the focus back to its button. Only the
   * menu goes (the cards stay as they are, so a drag starting with this click still works). */
  closeMenu(focusButton) {
    const id = this.menuFor;
    if (id === null) return;
    this.menuFor = null;
    for (const menu of this.node.querySelectorAll(".scard__menu")) menu.remove();
    for (const opener of this.node.querySelectorAll('[data-testid="idea-menu"][aria-expanded="true"]')) {
      opener.setAttribute("aria-expanded", "false");
      opener.removeAttribute("aria-controls");
    }
    if (focusButton) this.focus(`menu:${id}`);
  }

  /** Give the focus to the control with this data-focus-key, unless it is disabled. */
  focus(key) {
    const node = this.node.querySelector(`[data-focus-key="${key}"]`);
    if (node && !node.disabled) node.focus();
  }

  // --- commands ---------------------------------------------------------------------------------

  async groupSelected(clusterId) {
    if (!this.selection.size || clusterId === 0) return;
    const payload = { idea_ids: [...this.selection.ids] };
    if (clusterId) payload.cluster_id = clusterId;
    const data = await this.commands.send("group_ideas", payload);
    if (!data) return;
    this.announce(t("grouped"));
    this.clearSelection();
  }

  async mergeSelected() {
    if (this.selection.size !== 2) return;
    const [intoId, ideaId] = this.selection.ids;
    const data = await this.commands.send("merge_ideas", { idea_id: ideaId, into_id: intoId });
    if (!data) return;
    this.clearSelection();
    this.toast.show(t("ideas_merged"), { undo: () => this.commands.send("restore_idea", { idea_id: ideaId }) });
  }

  async deleteIdea(idea) {
    const cards = [...this.node.querySelectorAll('[data-testid="idea-card"]')].map((card) => Number(card.dataset.ideaId));
    const at = cards.indexOf(idea.id);
    const neighbour = cards[at + 1] ?? cards[at - 1];
    const data = await this.commands.send("delete_idea", { idea_id: idea.id });
    if (!data) return;
    this.toast.show(t("idea_deleted", { text: this.label(idea) }), { undo: () => this.commands.send("restore_idea", { idea_id: idea.id }) });
    // The card is gone: the focus goes on to the next card's menu button.
    if (neighbour !== undefined) requestAnimationFrame(() => this.focus(`menu:${neighbour}`));
  }

  async saveEdit() {
    if (!this.editing) return;
    const idea = this.ideaById(this.editing.id);
    const text = this.editing.draft.trim();
    if (idea && (!text || text.length > MAX_IDEA)) {
      this.toast.show(t("idea_invalid"), { kind: "error" });
      return;
    }
    if (!idea || text === idea.text) {
      this.stopEdit();
      return;
    }
    const data = await this.commands.send("update_idea", { idea_id: idea.id, text });
    if (data) this.stopEdit();
  }

  /** Put an idea right after `afterId` (null: first) in `clusterId` (null: loose) and, with
   * columns, in `categoryId`; leaves or joins a cluster first when needed. */
  async placeIdea(idea, { afterId, clusterId, categoryId }) {
    if (clusterId !== this.clusterOf(idea)) {
      const joined = clusterId === null
        ? await this.commands.send("ungroup_idea", { idea_id: idea.id })
        : await this.commands.send("group_ideas", { idea_ids: [idea.id], cluster_id: clusterId });
      if (!joined) return false;
    }
    const move = { idea_id: idea.id, after_id: afterId };
    if (this.usesColumns() && categoryId !== undefined && categoryId !== this.categoryOf(idea)) move.category_id = categoryId;
    return Boolean(await this.commands.send("move_idea", move));
  }

  /** Group `dragged` with `target`: into the target's cluster, or a new cluster of the two. */
  async groupWith(dragged, target) {
    const targetCluster = this.clusterOf(target);
    if (targetCluster !== null && this.clusterOf(dragged) === targetCluster) return;
    const payload = targetCluster !== null
      ? { idea_ids: [dragged.id], cluster_id: targetCluster }
      : { idea_ids: [target.id, dragged.id] };
    if (await this.commands.send("group_ideas", payload)) this.announce(t("grouped"));
  }

  async joinCluster(idea, clusterId) {
    if (await this.commands.send("group_ideas", { idea_ids: [idea.id], cluster_id: clusterId })) this.announce(t("grouped"));
  }

  /** Several ideas at once (dragged together): into `clusterId`, or a new cluster of them. */
  async groupIds(ideaIds, clusterId) {
    const payload = clusterId === null ? { idea_ids: ideaIds } : { idea_ids: ideaIds, cluster_id: clusterId };
    if (!(await this.commands.send("group_ideas", payload))) return;
    this.announce(t("grouped"));
    this.clearSelection();
  }

  async ungroup(idea) {
    if (await this.commands.send("ungroup_idea", { idea_id: idea.id })) this.announce(t("ungrouped"));
  }

  /** Move an idea one place up (-1) or down (1) in its list. */
  async nudge(idea, delta) {
    const list = this.siblings(idea);
    const index = list.findIndex((other) => other.id === idea.id);
    const target = index + delta;
    if (index < 0 || target < 0 || target >= list.length) return;
    const rest = list.filter((other) => other.id !== idea.id);
    const afterId = target === 0 ? null : rest[target - 1].id;
    if (!(await this.commands.send("move_idea", { idea_id: idea.id, after_id: afterId }))) return;
    this.announce(t(delta < 0 ? "moved_up" : "moved_down"));
    requestAnimationFrame(() => this.focus(`menu:${idea.id}`));
  }

  async moveToCategory(idea, categoryId) {
    const lane = this.state.unclustered().filter((other) => this.categoryOf(other) === categoryId && other.id !== idea.id);
    const afterId = lane.length ? lane[lane.length - 1].id : null;
    if (await this.placeIdea(idea, { afterId, clusterId: null, categoryId })) this.announce(t("moved_to_column"));
  }

  async dissolve(cluster) {
    for (const idea of cluster.ideas) {
      if (!(await this.commands.send("ungroup_idea", { idea_id: idea.id }))) return;
    }
    this.announce(t("cluster_dissolved"));
  }

  async saveClusterTitle(cluster) {
    if (!this.titleDrafts.has(cluster.id)) return;
    const value = this.titleDrafts.get(cluster.id).trim();
    const known = this.state.clustersById.get(cluster.id);
    if (!known || value === (known.title || "")) {
      this.titleDrafts.delete(cluster.id);
      return;
    }
    if (!(await this.commands.send("rename_cluster", { cluster_id: cluster.id, title: value }))) return;
    this.titleDrafts.delete(cluster.id);
    this.announce(t("cluster_renamed"));
  }

  // --- drawing ----------------------------------------------------------------------------------

  label(idea) {
    return snippet(ideaText(idea), LABEL_QUOTE);
  }

  render() {
    this.selection.keepOnly(new Set(this.state.ideas().map((idea) => idea.id)));
    keepFocus(this.node, () => this.renderBoard());
    this.renderSelection();
    if (!GROWS) for (const title of this.node.querySelectorAll(".cluster__title")) fitHeight(title);
    if (this.menuFor !== null) this.placeMenu();
  }

  placeMenu() {
    place(this.node.querySelector(".scard__menu"), this.node.querySelector('[data-testid="idea-menu"][aria-expanded="true"]'));
  }

  renderBoard() {
    const ideas = this.state.ideas();
    const mode = this.order();
    const columns = this.usesColumns();
    this.node.dataset.order = mode;
    this.node.classList.toggle("sb-board--columns", columns);
    for (const option of document.querySelectorAll(".sb-order__option")) {
      option.setAttribute("aria-pressed", option.dataset.order === mode ? "true" : "false");
      if (option.dataset.order === "votes") option.hidden = !this.showVotes();
    }
    $("#board-hint").textContent = { board: t("board_hint"), newest: t("board_hint_newest"), votes: t("board_hint_votes") }[mode];
    const count = $("#idea-total");
    count.textContent = plural("ideas", ideas.length);
    count.dataset.count = String(ideas.length);
    const empty = $("#board-empty");
    empty.classList.remove("empty--loading");
    empty.dataset.state = "empty";
    empty.textContent = t("board_empty_locked");
    empty.hidden = ideas.length > 0 || columns;
    this.node.hidden = ideas.length === 0 && !columns;
    this.node.replaceChildren(...this.lanes().map((lane) => this.lane(lane, mode)));
  }

  /** With columns, ideas without one come first (an inbox), and only while there are any. */
  lanes() {
    if (!this.usesColumns()) return [{ id: undefined, title: null }];
    const unsorted = this.state.unclustered().some((idea) => this.categoryOf(idea) === null)
      || this.state.clusters().some((cluster) => this.categoryOf(cluster) === null);
    const columns = this.state.workshop.categories.map((c) => ({ id: c.id, title: c.title }));
    return unsorted ? [{ id: null, title: t("no_column") }, ...columns] : columns;
  }

  lane(lane, mode) {
    const all = lane.id === undefined;
    const inLane = (item) => all || this.categoryOf(item) === lane.id;
    let clusters = this.state.clusters().filter(inLane);
    let loose = this.state.unclustered().filter(inLane);
    if (mode === "newest") loose = [...loose].sort((a, b) => b.id - a.id);
    if (mode === "votes") {
      loose = [...loose].sort(byVotes);
      clusters = [...clusters].sort(byVotes).map((cluster) => ({ ...cluster, ideas: [...cluster.ideas].sort(byVotes) }));
    }
    const count = loose.length + clusters.reduce((sum, c) => sum + c.ideas.length, 0);
    const node = el("section", {
      class: `lane${all ? " lane--all" : ""}`,
      "data-testid": "lane",
      "data-drop": all ? null : "lane",
      dataset: { categoryId: all || lane.id === null ? "" : String(lane.id) },
      "aria-label": all ? t("board_label") : lane.title,
    });
    if (!all) {
      node.append(el("header", { class: "lane__head" },
        el("h3", { class: "lane__title", text: lane.title, "data-testid": "lane-title" }),
        el("span", { class: "pill", text: String(count) })));
    }
    const categoryId = all ? undefined : lane.id;
    // The piles first, where they stay while the ideas below are sorted onto them.
    if (clusters.length) node.append(el("div", { class: "lane__clusters" }, clusters.map((cluster) => this.cluster(cluster, mode, categoryId))));
    if (all && clusters.length && loose.length) {
      node.append(el("h3", { class: "sb-loose-title", "data-testid": "loose-title" },
        t("loose_ideas"), el("span", { class: "pill", text: String(loose.length) })));
    }
    node.append(this.ideaList(loose, { mode, clusterId: null, categoryId, testid: "loose-ideas", className: "lane__ideas" }));
    if (!all && count === 0) node.append(el("p", { class: "lane__empty", text: t("column_empty") }));
    return node;
  }

  /** A list of idea cards with drop lines between them (in board order only). */
  ideaList(ideas, { mode, clusterId, categoryId, testid, className }) {
    const list = el("ol", { class: `sb-ideas ${className}`, "data-testid": testid });
    const zones = mode === "board";
    const zone = (afterId) => el("li", {
      class: "dropline",
      "data-drop": "between",
      "data-testid": "drop-between",
      "aria-hidden": "true",
      dataset: {
        afterId: afterId === null ? "" : String(afterId),
        clusterId: clusterId === null ? "" : String(clusterId),
        categoryId: categoryId === undefined || categoryId === null ? "" : String(categoryId),
      },
    });
    if (zones && ideas.length === 0 && clusterId === null && categoryId === undefined && this.state.clusters().length) {
      // Nothing loose any more: one area to drop an idea out of its cluster.
      const alone = zone(null);
      alone.classList.add("dropline--alone");
      alone.textContent = t("drop_loose");
      list.classList.add("sb-ideas--alone");
      list.append(alone);
      return list;
    }
    if (zones) list.append(zone(null));
    ideas.forEach((idea, index) => {
      list.append(this.card(idea, { index, total: ideas.length, mode }));
      if (zones) list.append(zone(idea.id));
    });
    return list;
  }

  cluster(cluster, mode, categoryId) {
    const titleId = `cluster-title-${cluster.id}`;
    // A textarea as wide as the pile that grows with its title: nothing of it is ever cut.
    const title = el("textarea", {
      id: titleId,
      class: "cluster__title",
      rows: 1,
      maxlength: 120,
      spellcheck: "true",
      placeholder: t("cluster_untitled"),
      "data-testid": "cluster-title",
      "data-focus-key": `cluster-title:${cluster.id}`,
    });
    title.value = this.titleDrafts.has(cluster.id) ? this.titleDrafts.get(cluster.id) : cluster.title || "";
    title.addEventListener("input", () => {
      this.titleDrafts.set(cluster.id, title.value);
      if (!GROWS) fitHeight(title);
    });
    title.addEventListener("change", () => this.saveClusterTitle(cluster));
    title.addEventListener("keydown", (key) => {
      if (key.key === "Enter") {
        key.preventDefault();
        this.saveClusterTitle(cluster);
      } else if (key.key === "Escape") {
        this.titleDrafts.delete(cluster.id);
        title.value = cluster.title || "";
      }
    });
    const votes = this.showVotes() ? el("span", { class: "votes", "data-testid": "cluster-votes", text: String(cluster.votes ?? 0), "aria-label": plural("dots", cluster.votes ?? 0) }) : null;
    const dissolve = button(t("dissolve"), "cluster-dissolve", () => this.dissolve(cluster), {
      kind: "ghost",
      label: `${t("dissolve")}: ${clusterName(cluster)}`,
      focusKey: `dissolve:${cluster.id}`,
    });
    return el("section", {
      class: "cluster",
      "data-testid": "cluster",
      "data-drop": "cluster",
      dataset: { clusterId: String(cluster.id), title: cluster.title || "" },
      "aria-label": clusterName(cluster),
    },
    el("header", { class: "cluster__head" },
      el("label", { class: "visually-hidden", for: titleId, text: t("cluster_title_label") }),
      title,
      el("div", { class: "cluster__meta" },
        votes,
        el("span", { class: "cluster__count", text: plural("cluster_ideas", cluster.ideas.length) }),
        dissolve)),
    // A cluster keeps its own order while collecting (newest first is for the loose ideas).
    this.ideaList(cluster.ideas, { mode: mode === "newest" ? "board" : mode, clusterId: cluster.id, categoryId, testid: "cluster-ideas", className: "cluster__ideas" }));
  }

  card(idea, { index, total, mode }) {
    const mine = this.isMine(idea);
    const clusterId = this.clusterOf(idea);
    const selected = this.selection.has(idea.id);
    const editing = Boolean(this.editing && this.editing.id === idea.id);
    const node = el("li", {
      class: `idea scard${mine ? " idea--mine" : ""}${idea.hidden ? " scard--private" : ""}${selected ? " is-selected" : ""}`,
      "data-testid": "idea-card",
      "data-drop": "idea",
      draggable: editing ? null : "true",
      dataset: {
        ideaId: String(idea.id),
        mine: mine ? "true" : "false",
        tone: ideaTone(idea),
        clusterId: clusterId === null ? "" : String(clusterId),
        categoryId: this.categoryOf(idea) === null ? "" : String(this.categoryOf(idea)),
      },
    });
    const select = el("input", {
      type: "checkbox",
      class: "scard__select",
      "data-testid": "idea-select",
      "data-focus-key": `select:${idea.id}`,
      "aria-label": t("select_idea", { text: this.label(idea) }),
    });
    select.checked = selected;
    select.addEventListener("change", () => this.select(idea.id, select.checked));
    node.dataset.selected = selected ? "true" : "false";
    const menuOpen = this.menuFor === idea.id && !editing;
    node.append(el("div", { class: "scard__top" },
      select,
      idea.hidden ? el("span", { class: "scard__flag", text: t("private_idea"), "data-testid": "idea-private" }) : null,
      this.showVotes() ? el("span", { class: "votes", "data-testid": "idea-votes", text: String(idea.votes ?? 0), "aria-label": plural("dots", idea.votes ?? 0) }) : null,
      editing ? null : menuButton({
        label: t("idea_actions", { text: this.label(idea) }),
        open: menuOpen,
        menuId: `idea-menu-${idea.id}`,
        focusKey: `menu:${idea.id}`,
        onOpen: (at) => this.openMenu(idea, at),
        onClose: () => this.closeMenu(true),
      })));
    if (editing) {
      node.append(this.editForm(idea));
      return node;
    }
    node.append(
      el("p", { class: "idea__text", text: ideaText(idea), "data-testid": "idea-card-text" }),
      el("p", { class: "idea__meta" },
        el("span", { class: idea.author ? "idea__author" : "idea__author idea__author--anon", text: authorName(idea), "data-testid": "idea-author" }),
        idea.created_at ? el("time", { class: "idea__time", datetime: idea.created_at, text: formatTime(idea.created_at) }) : null,
        mine ? el("span", { class: "idea__mine", text: t("you"), "data-testid": "idea-mine" }) : null));
    if (menuOpen) {
      node.append(menuList({
        id: `idea-menu-${idea.id}`,
        label: t("idea_actions", { text: this.label(idea) }),
        items: this.menuItems(idea, { index, total, mode, clusterId }),
        onClose: (focusButton) => this.closeMenu(focusButton),
      }));
    }
    return node;
  }

  /** What the card's menu offers: only what would change something. */
  menuItems(idea, { index, total, mode, clusterId }) {
    const item = (key, text, testid, run, extra = {}) => ({ text, testid, run, focusKey: `menu-item:${idea.id}:${key}`, ...extra });
    const items = [item("edit", t("edit"), "idea-edit", () => this.startEdit(idea))];
    if (mode === "board" && index > 0) items.push(item("up", t("menu_up"), "idea-up", () => this.nudge(idea, -1)));
    if (mode === "board" && index < total - 1) items.push(item("down", t("menu_down"), "idea-down", () => this.nudge(idea, 1)));
    if (clusterId !== null) items.push(item("ungroup", t("ungroup"), "idea-ungroup", () => this.ungroup(idea)));
    if (this.usesColumns()) {
      const current = this.categoryOf(idea);
      const columns = [...this.state.workshop.categories.map((c) => ({ id: c.id, title: c.title })), { id: null, title: t("no_column") }];
      for (const column of columns.filter((c) => c.id !== current)) {
        items.push(item(`column-${column.id ?? "none"}`, t("to_column", { title: column.title }), "idea-category",
          () => this.moveToCategory(idea, column.id), { dataset: { categoryId: column.id === null ? "" : String(column.id) } }));
      }
    }
    items.push(item("delete", t("delete"), "idea-delete", () => this.deleteIdea(idea), { danger: true }));
    return items;
  }

  editForm(idea) {
    const field = el("textarea", {
      class: "input textarea scard__edit",
      rows: 3,
      maxlength: MAX_IDEA,
      "aria-label": t("edit_idea_label"),
      "data-testid": "idea-edit-text",
      "data-focus-key": `edit:${idea.id}`,
    });
    field.value = this.editing.draft;
    field.addEventListener("input", () => {
      this.editing.draft = field.value;
    });
    field.addEventListener("keydown", (key) => {
      if (key.key === "Enter" && (key.ctrlKey || key.metaKey)) {
        key.preventDefault();
        this.saveEdit();
      } else if (key.key === "Escape") {
        this.stopEdit();
      }
    });
    return el("div", { class: "scard__editor" },
      field,
      el("div", { class: "scard__tools scard__tools--shown" },
        button(t("save"), "idea-edit-save", () => this.saveEdit(), { kind: "primary", focusKey: `edit-save:${idea.id}` }),
        button(t("cancel"), "idea-edit-cancel", () => this.stopEdit(), { kind: "ghost", focusKey: `edit-cancel:${idea.id}` })));
  }

  renderSelection() {
    const bar = $("#selection-bar");
    const ids = this.selection.ids;
    bar.hidden = ids.length === 0;
    if (bar.hidden) return;
    $("#selection-count").textContent = plural("selected", ids.length);
    const clusters = this.state.clusters();
    const pick = $("#selection-cluster");
    const previous = pick.value;
    pick.replaceChildren(...clusters.map((cluster) => el("option", { value: String(cluster.id), text: clusterName(cluster) })));
    if (clusters.some((cluster) => String(cluster.id) === previous)) pick.value = previous;
    pick.closest(".sb-selection__join").hidden = clusters.length === 0;
    const merge = $("#merge-selected");
    merge.disabled = ids.length !== 2;
    const keep = ids.length === 2 ? this.ideaById(ids[0]) : null;
    merge.textContent = ids.length === 2 ? t("merge_into", { text: snippet(keep ? keep.text : "", MERGE_QUOTE) }) : t("merge_two");
  }
}

/** Where `field-sizing: content` is missing: a textarea as tall as its text. */
function fitHeight(field) {
  field.style.height = "auto";
  field.style.height = `${field.scrollHeight}px`;
}
