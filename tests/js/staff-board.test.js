import "./support/page.js";

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { place } from "../../static/js/staff/card-menu.js";
import { DragAndDrop } from "../../static/js/staff/drag-drop.js";

// The staff board's logic that needs no real page: what a drop would do (drag-drop.js) and
// where an open card menu goes (card-menu.js). The browser tests drive the real thing.

document.addEventListener = () => {};

/** A board of ideas 1–5: 1 and 2 in cluster 10, the rest loose; no columns. */
function boardOf({ selected = [] } = {}) {
  const ideas = new Map([1, 2, 3, 4, 5].map((id) => [id, { id, cluster_id: id <= 2 ? 10 : null }]));
  return {
    node: new EventTarget(),
    selection: { ids: selected, has: (id) => selected.includes(id), size: selected.length },
    ideaById: (id) => ideas.get(id) || null,
    clusterOf: (idea) => (idea ? idea.cluster_id : null),
    usesColumns: () => false,
    categoryOf: () => null,
  };
}

function dragging(board, id, group = [id]) {
  const drag = new DragAndDrop(board, { onEnd: () => {} });
  drag.draggedId = id;
  drag.group = group;
  return drag;
}

const onIdea = (id) => ({ dataset: { drop: "idea", ideaId: String(id) } });
const onCluster = (id) => ({ dataset: { drop: "cluster", clusterId: String(id) } });
const onLine = { dataset: { drop: "between", afterId: "", clusterId: "", categoryId: "" }, parentElement: { querySelectorAll: () => [] } };

describe("dropping one idea", () => {
  test("onto a loose idea makes a cluster of the two; onto a cluster mate changes nothing", () => {
    const drag = dragging(boardOf(), 3);
    assert.equal(drag.intent(onIdea(4)).kind, "group");
    assert.equal(dragging(boardOf(), 1).intent(onIdea(2)), null);
    assert.equal(drag.intent(onIdea(3)), null); // onto itself
  });

  test("onto a cluster joins it, unless it is in it already", () => {
    assert.deepEqual(dragging(boardOf(), 3).intent(onCluster(10)).clusterId, 10);
    assert.equal(dragging(boardOf(), 2).intent(onCluster(10)), null);
  });
});

describe("dropping several selected ideas", () => {
  test("onto a loose idea: one new cluster of it and all of them", () => {
    const intent = dragging(boardOf({ selected: [4, 5] }), 5, [4, 5]).intent(onIdea(3));
    assert.deepEqual(intent, { kind: "group", many: [3, 4, 5], clusterId: null });
  });

  test("onto a cluster or one of its ideas: those not in it yet join it", () => {
    const board = boardOf({ selected: [2, 4, 5] });
    assert.deepEqual(dragging(board, 4, [2, 4, 5]).intent(onCluster(10)), { kind: "join", many: [4, 5], clusterId: 10 });
    assert.deepEqual(dragging(board, 4, [2, 4, 5]).intent(onIdea(1)), { kind: "join", many: [4, 5], clusterId: 10 });
  });

  test("onto one of themselves, onto a line, or when all are there already: nothing", () => {
    assert.equal(dragging(boardOf(), 4, [4, 5]).intent(onIdea(5)), null);
    assert.equal(dragging(boardOf(), 4, [4, 5]).intent(onLine), null);
    assert.equal(dragging(boardOf(), 1, [1, 2]).intent(onCluster(10)), null);
  });
});

describe("the open card menu", () => {
  const menu = (width, height) => ({ isConnected: true, offsetWidth: width, offsetHeight: height, style: {} });
  const button = (box) => ({ getBoundingClientRect: () => box });

  test("goes below its button, right-aligned with it", () => {
    Object.assign(window, { innerWidth: 1440, innerHeight: 900 });
    const open = menu(200, 150);
    place(open, button({ top: 100, bottom: 130, left: 500, right: 536 }));
    assert.deepEqual(open.style, { top: "134px", left: "336px" });
  });

  test("goes above when there is no room below, and never out of the window", () => {
    Object.assign(window, { innerWidth: 1440, innerHeight: 900 });
    const open = menu(200, 150);
    place(open, button({ top: 820, bottom: 850, left: 20, right: 56 }));
    assert.deepEqual(open.style, { top: "666px", left: "8px" });
  });
});
