// Clustering on a laptop by drag and drop, on the staff board (IdeaBoard): drop an idea ONTO
// another idea or a cluster to group it (group_ideas); on the line BETWEEN two cards to
// reorder (move_idea with after_id); with columns, into another column to move it there.
// Drop targets carry data-drop = idea | cluster | between | lane; a target is highlighted
// only when dropping there would change something. The board is not redrawn during a drag
// (its nodes would vanish under the pointer): `dragging` tells the page to wait.

import { t } from "../common.js";

export class DragAndDrop {
  /** board: the IdeaBoard; onEnd(): the drag is over (the page may draw what waited). */
  constructor(board, { onEnd }) {
    this.board = board;
    this.node = board.node;
    this.onEnd = onEnd;
    this.draggedId = null; // the idea being dragged
    this.highlighted = null;
    this.node.addEventListener("dragstart", (event) => this.start(event));
    this.node.addEventListener("dragover", (event) => this.over(event));
    this.node.addEventListener("dragleave", (event) => this.leave(event));
    this.node.addEventListener("drop", (event) => this.drop(event));
    this.node.addEventListener("dragend", () => this.end());
  }

  get dragging() {
    return this.draggedId !== null;
  }

  start(event) {
    const card = event.target instanceof Element ? event.target.closest('[data-testid="idea-card"]') : null;
    if (!card || !this.node.contains(card)) return;
    this.draggedId = Number(card.dataset.ideaId);
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", `pinnwand-idea:${this.draggedId}`);
    card.classList.add("is-dragging");
    this.node.classList.add("is-dragging");
  }

  over(event) {
    if (!this.dragging) return;
    const target = this.targetOf(event.target);
    if (!this.intent(target)) {
      this.highlight(null);
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    this.highlight(target);
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
    if (was) this.onEnd();
  }

  targetOf(node) {
    const target = node instanceof Element ? node.closest("[data-drop]") : null;
    return target && this.node.contains(target) ? target : null;
  }

  highlight(target) {
    if (this.highlighted === target) return;
    if (this.highlighted) this.highlighted.classList.remove("is-drop-target");
    this.highlighted = target;
    if (target) target.classList.add("is-drop-target");
  }

  /** What dropping the dragged idea on `target` would do, or null when nothing would change. */
  intent(target) {
    const board = this.board;
    const dragged = this.dragging && target ? board.ideaById(this.draggedId) : null;
    if (!dragged) return null;
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
    if (intent.kind === "group") await board.groupWith(intent.dragged, intent.other);
    else if (intent.kind === "join") await board.joinCluster(intent.dragged, intent.clusterId);
    else if (intent.kind === "place") {
      if (await board.placeIdea(intent.dragged, intent)) board.announce(t("moved"));
    } else if (intent.kind === "column") await board.moveToCategory(intent.dragged, intent.categoryId);
  }
}
