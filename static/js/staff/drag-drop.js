// Clustering on a laptop by drag and drop, on the staff board (IdeaBoard), like paper on a
// wall: drop an idea ONTO another idea or a cluster to group it (group_ideas); on the line
// BETWEEN two cards to reorder (move_idea with after_id); with columns, into another column to
// move it there. Several selected ideas are dragged together by any one of them; they can be
// dropped onto an idea or a cluster (grouped at once).
//
// Drop targets carry data-drop = idea | cluster | between | lane; a target is highlighted (with
// a word on what dropping does) only when dropping there would change something. The dragged
// cards stay in place, dashed, as the placeholder of where they come from. Near the top or the
// bottom of the window the page scrolls by itself, faster the closer the pointer is to the
// edge. The board is not redrawn during a drag (its nodes would vanish under the pointer):
// `dragging` tells the page to wait.

import { el, plural, t } from "../common.js";

const EDGE = 90; // px from the window's top or bottom edge where the page starts to scroll
const MAX_STEP = 36; // px per frame at the very edge

export class DragAndDrop {
  /** board: the IdeaBoard; onEnd(): the drag is over (the page may draw what waited). */
  constructor(board, { onEnd }) {
    this.board = board;
    this.node = board.node;
    this.onEnd = onEnd;
    this.draggedId = null; // the idea being dragged
    this.group = []; // every idea dragged with it (the selection), itself included
    this.highlighted = null;
    this.pointerY = null;
    this.scrolling = null;
    this.node.addEventListener("dragstart", (event) => this.start(event));
    this.node.addEventListener("dragover", (event) => this.over(event));
    this.node.addEventListener("dragleave", (event) => this.leave(event));
    this.node.addEventListener("drop", (event) => this.drop(event));
    this.node.addEventListener("dragend", () => this.end());
    // The pointer's height, also over the rest of the page, for scrolling at the edges.
    document.addEventListener("dragover", (event) => {
      if (this.dragging) this.pointerY = event.clientY;
    });
  }

  get dragging() {
    return this.draggedId !== null;
  }

  start(event) {
    const card = event.target instanceof Element ? event.target.closest('[data-testid="idea-card"]') : null;
    if (!card || !this.node.contains(card)) return;
    this.draggedId = Number(card.dataset.ideaId);
    const selection = this.board.selection;
    this.group = selection.has(this.draggedId) && selection.size > 1 ? [...selection.ids] : [this.draggedId];
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", `pinnwand-idea:${this.group.join(",")}`);
    for (const id of this.group) {
      for (const dragged of this.node.querySelectorAll(`[data-testid="idea-card"][data-idea-id="${id}"]`)) dragged.classList.add("is-dragging");
    }
    if (this.group.length > 1) this.showCount(event);
    this.node.classList.add("is-dragging");
    this.pointerY = event.clientY;
    this.scrollWhileDragging();
  }

  /** Several ideas: the drag image says how many. */
  showCount(event) {
    const badge = el("div", { class: "drag-count", text: plural("ideas", this.group.length) });
    document.body.append(badge);
    event.dataTransfer.setDragImage(badge, 16, 16);
    requestAnimationFrame(() => badge.remove());
  }

  over(event) {
    if (!this.dragging) return;
    this.pointerY = event.clientY;
    const target = this.targetOf(event.target);
    const intent = this.intent(target);
    if (!intent) {
      this.highlight(null);
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    this.highlight(target, intent);
  }

  leave(event) {
    const lit = this.highlighted;
    if (lit && event.target === lit && !lit.contains(event.relatedTarget)) this.highlight(null);
  }

  drop(event) {
    if (!this.dragging) return;
    event.preventDefault();
    const intent = this.intent(this.targetOf(event.target));
    this.end();
    if (intent) this.perform(intent);
  }

  end() {
    this.highlight(null);
    for (const card of this.node.querySelectorAll(".is-dragging")) card.classList.remove("is-dragging");
    this.node.classList.remove("is-dragging");
    const was = this.dragging;
    this.draggedId = null;
    this.group = [];
    this.pointerY = null;
    if (this.scrolling !== null) cancelAnimationFrame(this.scrolling);
    this.scrolling = null;
    if (was) this.onEnd();
  }

  /** Scroll the page while the pointer is near the window's top or bottom edge. */
  scrollWhileDragging() {
    const step = () => {
      if (!this.dragging) return;
      const y = this.pointerY;
      if (y !== null) {
        const height = window.innerHeight;
        if (y < EDGE) window.scrollBy(0, -Math.ceil(MAX_STEP * (EDGE - y) / EDGE));
        else if (y > height - EDGE) window.scrollBy(0, Math.ceil(MAX_STEP * (y - (height - EDGE)) / EDGE));
      }
      this.scrolling = requestAnimationFrame(step);
    };
    this.scrolling = requestAnimationFrame(step);
  }

  targetOf(node) {
    const target = node instanceof Element ? node.closest("[data-drop]") : null;
    return target && this.node.contains(target) ? target : null;
  }

  highlight(target, intent = null) {
    if (this.highlighted && this.highlighted !== target) {
      this.highlighted.classList.remove("is-drop-target");
      delete this.highlighted.dataset.dropHint;
    }
    this.highlighted = target;
    if (!target) return;
    target.classList.add("is-drop-target");
    const hint = { group: t("drop_to_group"), join: t("drop_to_cluster"), column: t("drop_to_column") }[intent.kind];
    if (hint) target.dataset.dropHint = hint;
  }

  /** What dropping the dragged idea(s) on `target` would do, or null when nothing would change. */
  intent(target) {
    const board = this.board;
    const dragged = this.dragging && target ? board.ideaById(this.draggedId) : null;
    if (!dragged) return null;
    if (this.group.length > 1) return this.groupIntent(target);
    const kind = target.dataset.drop;
    const number = (value) => (value ? Number(value) : null);
    if (kind === "idea") {
      const other = board.ideaById(Number(target.dataset.ideaId));
      if (!other || other.id === dragged.id) return null;
      if (board.clusterOf(other) !== null && board.clusterOf(other) === board.clusterOf(dragged)) return null;
      return { kind: "group", dragged, other };
    }
    if (kind === "cluster") {
      const clusterId = Number(target.dataset.clusterId);
      return board.clusterOf(dragged) === clusterId ? null : { kind: "join", dragged, clusterId };
    }
    if (kind === "between") {
      const afterId = number(target.dataset.afterId);
      const clusterId = number(target.dataset.clusterId);
      const categoryId = board.usesColumns() ? number(target.dataset.categoryId) : undefined;
      if (this.alreadyThere(dragged, target, { afterId, clusterId, categoryId })) return null;
      return { kind: "place", dragged, afterId, clusterId, categoryId };
    }
    if (kind === "lane") {
      const categoryId = number(target.dataset.categoryId);
      if (board.categoryOf(dragged) === categoryId && board.clusterOf(dragged) === null) return null;
      return { kind: "column", dragged, categoryId };
    }
    return null;
  }

  /** Several ideas together: onto an idea (a new cluster with it, or into its cluster) or onto
   * a cluster; nowhere else. */
  groupIntent(target) {
    const board = this.board;
    const kind = target.dataset.drop;
    let clusterId = null;
    let partner = [];
    if (kind === "idea") {
      const other = board.ideaById(Number(target.dataset.ideaId));
      if (!other || this.group.includes(other.id)) return null;
      clusterId = board.clusterOf(other);
      if (clusterId === null) partner = [other.id];
    } else if (kind === "cluster") {
      clusterId = Number(target.dataset.clusterId);
    } else {
      return null;
    }
    const moving = this.group.filter((id) => clusterId === null || board.clusterOf(board.ideaById(id)) !== clusterId);
    if (!moving.length) return null;
    return { kind: clusterId === null ? "group" : "join", many: [...partner, ...moving], clusterId };
  }

  /** Whether the line `target` is right before or after the dragged card in its own list. */
  alreadyThere(dragged, target, { afterId, clusterId, categoryId }) {
    const board = this.board;
    const sameList = board.clusterOf(dragged) === clusterId && (categoryId === undefined || board.categoryOf(dragged) === categoryId);
    if (!sameList) return false;
    const cards = [...target.parentElement.querySelectorAll(':scope > [data-testid="idea-card"]')].map((card) => Number(card.dataset.ideaId));
    const at = cards.indexOf(dragged.id);
    const before = at > 0 ? cards[at - 1] : null;
    return afterId === dragged.id || (at >= 0 && afterId === before);
  }

  async perform(intent) {
    const board = this.board;
    if (intent.many) await board.groupIds(intent.many, intent.clusterId);
    else if (intent.kind === "group") await board.groupWith(intent.dragged, intent.other);
    else if (intent.kind === "join") await board.joinCluster(intent.dragged, intent.clusterId);
    else if (intent.kind === "place") {
      if (await board.placeIdea(intent.dragged, intent)) board.announce(t("moved"));
    } else if (intent.kind === "column") await board.moveToCategory(intent.dragged, intent.categoryId);
  }
}
