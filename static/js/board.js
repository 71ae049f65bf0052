// The staff board of one workshop, in two modes (data-mode on #app):
//   /moderator/workshops/<id>      a moderator, signed in like every moderator page;
//   /host/<id>#token=<host token>  a host: the token comes from the URL fragment (never sent
//                                  in a request line or referrer) and is kept in localStorage.
//
// The board follows the workshop with WorkshopFeed (feed.js) into a BoardState
// (board-state.js) and renders everything from that state; staff commands go out over the
// socket and their effect comes back as numbered broadcasts. The side panels (timer, message,
// settings, columns, presence, trash, ranking, actions) live in board-staff.js.
//
// Clustering on a laptop: drag an idea ONTO another idea or a cluster to group it
// (group_ideas); drop it on the line BETWEEN two cards to reorder (move_idea with after_id);
// in the "categories" template, dropping into another column moves it there. The same is
// possible without a mouse: select ideas (checkboxes) and use the selection bar, or the
// buttons on each card (move up/down, column, ungroup).
//
// data-testid (besides those of board-staff.js):
//   cockpit-link, host-mode, host-name, board-error, board-title, board-question,
//   step-switcher, step-button (data-step, aria-pressed), board-state, lock-toggle
//   (aria-pressed), projector-link, projector-link-box, board-locked,
//   idea-form, idea-text, idea-anonymous, idea-counter, idea-submit, idea-feedback,
//   idea-count (data-count), order-newest, order-board, order-votes, board-hint, board-empty,
//   selection-bar, selection-count, group-selected, selection-cluster, add-to-cluster,
//   merge-selected, clear-selection,
//   idea-list (the board: data-order), lane (data-category-id), lane-title,
//   cluster (data-cluster-id, data-title: the stored title), cluster-title, cluster-votes, cluster-dissolve,
//   drop-between (data-after-id, data-cluster-id, data-category-id),
//   idea-card (data-idea-id, data-mine, data-cluster-id, data-category-id),
//   idea-card-text, idea-author, idea-votes, idea-private, idea-select, idea-edit,
//   idea-edit-text, idea-edit-save, idea-edit-cancel, idea-delete, idea-up, idea-down,
//   idea-ungroup, idea-category, connection-status, announcer, lang-switch

import { $, api, coalesced, connect, el, emit, formatTime, keepFragmentOnLanguageLinks, plural, statusBanner, store, t, watchConnection } from "./common.js";
import { BoardState } from "./board-state.js";
import { Composer, WorkshopFeed, composerNodes } from "./feed.js";
import { clearAuth, requireAuth, setupTopbar, toLogin } from "./moderator-auth.js";
import { errorText, showProjectorLink } from "./moderator-ui.js";
import { STEPS, StaffTools, Toast, button, clusterName, snippet, spokenClock, stepLabel, staffErrorText } from "./board-staff.js";

const APP = $("#app");
const WORKSHOP_ID = Number(APP.dataset.workshopId);
const HOST = APP.dataset.mode === "host";
const HOST_KEY = `pinnwand:host:${WORKSHOP_ID}`;
const OWN_KEY = `pinnwand:${HOST ? "host" : "moderator"}-own:${WORKSHOP_ID}`;
const TICK_MS = 250;
const banner = statusBanner($("#status"));
const boardNode = $("#idea-list");
const state = new BoardState();
const toast = new Toast($("#toast"));
const own = new Set(store.get(OWN_KEY) || []);

let socket = null;
let staff = null;
let ready = false; // a snapshot has arrived
let chosenOrder = null; // "newest" | "board" once the user picked one
let drag = null; // {id} while an idea is dragged
let renderWaiting = false; // a render skipped during a drag
let editing = null; // {id, draft} while an idea's text is edited
const selected = []; // selected idea ids, in the order they were picked
const titleDrafts = new Map(); // cluster id → title being typed
let lastTimerState = null;

// ------------------------------------------------------------------------------ helpers

function announce(text) {
  const node = $("#announcer");
  node.textContent = "";
  // A fresh text node, so the same sentence twice is read twice.
  requestAnimationFrame(() => {
    node.textContent = text;
  });
}

async function command(name, payload) {
  try {
    return await emit(socket, name, { workshop_id: WORKSHOP_ID, ...payload });
  } catch (error) {
    toast.show(staffErrorText(error), null, "error");
    return null;
  }
}

function fail(text) {
  const error = $("#board-error");
  error.textContent = text;
  error.hidden = false;
  $("#board-app").hidden = true;
  banner.hide();
}

function ideaById(id) {
  return state.ideasById.get(id) || null;
}

function liveClusterIds() {
  return new Set(state.clusters().map((cluster) => cluster.id));
}

/** The cluster an idea really belongs to (null when none, or its cluster is gone). */
function clusterOf(idea) {
  return idea && idea.cluster_id != null && liveClusterIds().has(idea.cluster_id) ? idea.cluster_id : null;
}

function usesColumns() {
  return Boolean(state.workshop && state.workshop.template === "categories");
}

/** The column an idea is shown in (null: "Without column"). */
function categoryOf(item) {
  const known = new Set(((state.workshop && state.workshop.categories) || []).map((c) => c.id));
  return item && item.category_id != null && known.has(item.category_id) ? item.category_id : null;
}

/** How the board is sorted: "newest" (while collecting), "board" (its own order, which can
 * be changed) or "votes" (once the votes are revealed); the user's choice wins. */
function order() {
  const votes = showVotes();
  if (chosenOrder && (chosenOrder !== "votes" || votes)) return chosenOrder;
  const workshop = state.workshop;
  if (workshop && workshop.step === "collect") return "newest";
  if (votes && workshop.settings && workshop.settings.votes_revealed) return "votes";
  return "board";
}

const byVotes = (a, b) => (b.votes ?? 0) - (a.votes ?? 0) || (a.position ?? 0) - (b.position ?? 0) || a.id - b.id;

function ideaLabel(idea) {
  return snippet(idea.text ?? t("hidden_idea"), 50);
}

// ------------------------------------------------------------------------------ head: steps, lock

function showWorkshop(workshop) {
  $("#board-title").textContent = workshop.title;
  $("#board-question").textContent = workshop.question || workshop.title;
  document.title = `${workshop.title} · Pinnwand`;
  if (!HOST && workshop.event_id) $("#cockpit-crumb").href = `/moderator/events/${workshop.event_id}/cockpit`;
}

function renderHead() {
  const workshop = state.workshop;
  showWorkshop(workshop);
  for (const stepButton of document.querySelectorAll('[data-testid="step-button"]')) {
    const current = stepButton.dataset.step === workshop.step;
    stepButton.disabled = false;
    stepButton.setAttribute("aria-pressed", current ? "true" : "false");
    if (current) stepButton.setAttribute("aria-current", "step");
    else stepButton.removeAttribute("aria-current");
    const index = STEPS.indexOf(stepButton.dataset.step);
    stepButton.classList.toggle("is-done", index < STEPS.indexOf(workshop.step));
  }
  const locked = Boolean(workshop.locked);
  $("#locked-note").hidden = !locked;
  composer.setLocked(locked);
  const badge = $("#board-state");
  badge.textContent = locked ? t("locked") : t("open");
  badge.className = `badge ${locked ? "badge--locked" : "badge--open"}`;
  const toggle = $("#lock-toggle");
  toggle.disabled = false;
  toggle.textContent = locked ? t("unlock") : t("lock");
  toggle.setAttribute("aria-pressed", locked ? "true" : "false");
  toggle.className = `button button--small ${locked ? "button--primary" : "button--secondary"}`;
  document.body.dataset.step = workshop.step;
}

for (const stepButton of document.querySelectorAll('[data-testid="step-button"]')) {
  stepButton.addEventListener("click", async () => {
    if (!state.workshop || stepButton.dataset.step === state.workshop.step) return;
    const data = await command("set_step", { step: stepButton.dataset.step });
    if (data) announce(t("step_now", { step: stepLabel(data.step) }));
  });
}

$("#lock-toggle").addEventListener("click", async () => {
  const toggle = $("#lock-toggle");
  toggle.disabled = true;
  try {
    await emit(socket, "lock_workshop", { workshop_id: WORKSHOP_ID, locked: !state.workshop.locked });
  } catch (error) {
    toast.show(t("lock_failed", { message: staffErrorText(error) }), null, "error");
  } finally {
    toggle.disabled = false;
  }
});

const projectorButton = $("#projector-button");
if (projectorButton) projectorButton.addEventListener("click", () => showProjectorLink($("#projector-link-box"), WORKSHOP_ID));

for (const option of document.querySelectorAll(".sb-order__option")) {
  option.addEventListener("click", () => {
    chosenOrder = option.dataset.order;
    render();
  });
}

// ------------------------------------------------------------------------------ composer

const composer = new Composer(composerNodes(), {
  draftKey: `pinnwand:draft:${HOST ? "host" : "moderator"}:${WORKSHOP_ID}`,
  isOnline: () => Boolean(socket && socket.connected),
  send: ({ text, anonymous, opId }) => emit(socket, "create_idea", { workshop_id: WORKSHOP_ID, op_id: opId, text, anonymous }),
  onSent: (data) => {
    own.add(data.idea.id);
    store.set(OWN_KEY, [...own].slice(-1000));
    scheduleRender();
  },
});

// ------------------------------------------------------------------------------ selection

function toggleSelected(id, on) {
  const index = selected.indexOf(id);
  if (on && index < 0) selected.push(id);
  if (!on && index >= 0) selected.splice(index, 1);
  renderSelection();
  for (const card of boardNode.querySelectorAll(`[data-testid="idea-card"][data-idea-id="${id}"]`)) card.classList.toggle("is-selected", on);
}

function pruneSelection() {
  const onBoard = new Set(state.ideas().map((idea) => idea.id));
  for (let i = selected.length - 1; i >= 0; i -= 1) if (!onBoard.has(selected[i])) selected.splice(i, 1);
}

function clearSelection() {
  selected.splice(0, selected.length);
  render();
}

function renderSelection() {
  const bar = $("#selection-bar");
  bar.hidden = selected.length === 0;
  if (bar.hidden) return;
  $("#selection-count").textContent = plural("selected", selected.length);
  const clusters = state.clusters();
  const pick = $("#selection-cluster");
  const previous = pick.value;
  pick.replaceChildren(...clusters.map((cluster) => el("option", { value: String(cluster.id), text: clusterName(cluster) })));
  if (clusters.some((cluster) => String(cluster.id) === previous)) pick.value = previous;
  $("#selection-cluster").closest(".sb-selection__join").hidden = clusters.length === 0;
  $("#merge-selected").disabled = selected.length !== 2;
  if (selected.length === 2) {
    const keep = ideaById(selected[0]);
    $("#merge-selected").textContent = t("merge_into", { text: snippet(keep ? keep.text : "", 30) });
  } else {
    $("#merge-selected").textContent = t("merge_two");
  }
}

$("#group-selected").addEventListener("click", async () => {
  if (!selected.length) return;
  const data = await command("group_ideas", { idea_ids: [...selected] });
  if (data) {
    announce(t("grouped"));
    clearSelection();
  }
});

$("#add-to-cluster").addEventListener("click", async () => {
  const clusterId = Number($("#selection-cluster").value);
  if (!selected.length || !clusterId) return;
  const data = await command("group_ideas", { idea_ids: [...selected], cluster_id: clusterId });
  if (data) {
    announce(t("grouped"));
    clearSelection();
  }
});

$("#merge-selected").addEventListener("click", async () => {
  if (selected.length !== 2) return;
  const [intoId, ideaId] = selected;
  const data = await command("merge_ideas", { idea_id: ideaId, into_id: intoId });
  if (data) {
    clearSelection();
    toast.show(t("ideas_merged"), () => command("restore_idea", { idea_id: ideaId }));
  }
});

$("#clear-selection").addEventListener("click", clearSelection);

// ------------------------------------------------------------------------------ idea commands

async function deleteIdea(idea) {
  const data = await command("delete_idea", { idea_id: idea.id });
  if (data) toast.show(t("idea_deleted", { text: ideaLabel(idea) }), () => command("restore_idea", { idea_id: idea.id }));
}

async function saveEdit() {
  if (!editing) return;
  const idea = ideaById(editing.id);
  const text = editing.draft.trim();
  if (!idea) {
    editing = null;
    render();
    return;
  }
  if (!text || text.length > 500) {
    toast.show(t("idea_invalid"), null, "error");
    return;
  }
  if (text === idea.text) {
    editing = null;
    render();
    return;
  }
  const data = await command("update_idea", { idea_id: idea.id, text });
  if (data) {
    editing = null;
    render();
    const card = boardNode.querySelector(`[data-testid="idea-edit"][data-key="edit-button:${idea.id}"]`);
    if (card) card.focus();
  }
}

/** Put an idea right after `afterId` (null: first) in `clusterId` (null: loose) and, with
 * columns, in `categoryId`; leaves or joins a cluster first when needed. */
async function placeIdea(idea, { afterId, clusterId, categoryId }) {
  const current = clusterOf(idea);
  if (clusterId !== current) {
    const joined = clusterId === null
      ? await command("ungroup_idea", { idea_id: idea.id })
      : await command("group_ideas", { idea_ids: [idea.id], cluster_id: clusterId });
    if (!joined) return false;
  }
  const move = { idea_id: idea.id, after_id: afterId };
  if (usesColumns() && categoryId !== undefined && categoryId !== categoryOf(idea)) move.category_id = categoryId;
  const data = await command("move_idea", move);
  return Boolean(data);
}

/** Group `dragged` with `target`: into the target's cluster, or a new cluster of the two. */
async function groupWith(dragged, target) {
  const targetCluster = clusterOf(target);
  if (targetCluster !== null && clusterOf(dragged) === targetCluster) return;
  const payload = targetCluster !== null
    ? { idea_ids: [dragged.id], cluster_id: targetCluster }
    : { idea_ids: [target.id, dragged.id] };
  const data = await command("group_ideas", payload);
  if (data) announce(t("grouped"));
}

/** The ideas shown in the same list as `idea`, in board order. */
function siblings(idea) {
  const cluster = clusterOf(idea);
  if (cluster !== null) return state.ideas().filter((other) => clusterOf(other) === cluster);
  return state.unclustered().filter((other) => !usesColumns() || categoryOf(other) === categoryOf(idea));
}

async function nudge(idea, delta) {
  const list = siblings(idea);
  const index = list.findIndex((other) => other.id === idea.id);
  const target = index + delta;
  if (index < 0 || target < 0 || target >= list.length) return;
  const rest = list.filter((other) => other.id !== idea.id);
  const afterId = target === 0 ? null : rest[target - 1].id;
  const data = await command("move_idea", { idea_id: idea.id, after_id: afterId });
  if (data) {
    announce(t(delta < 0 ? "moved_up" : "moved_down"));
    requestAnimationFrame(() => {
      const again = boardNode.querySelector(`[data-key="${delta < 0 ? "up" : "down"}:${idea.id}"]`);
      if (again && !again.disabled) again.focus();
    });
  }
}

async function moveToCategory(idea, categoryId) {
  const lane = state.unclustered().filter((other) => categoryOf(other) === categoryId && other.id !== idea.id);
  const afterId = lane.length ? lane[lane.length - 1].id : null;
  const placed = await placeIdea(idea, { afterId, clusterId: null, categoryId });
  if (placed) announce(t("moved_to_column"));
}

// ------------------------------------------------------------------------------ rendering

const scheduleRender = coalesced(() => render(), requestAnimationFrame);

/** Remember what has the focus (by data-key) so a re-render can give it back. */
function captureFocus() {
  const active = document.activeElement;
  if (!active || !boardNode.contains(active) || !active.dataset.key) return null;
  const kept = { key: active.dataset.key };
  if (typeof active.selectionStart === "number") {
    kept.start = active.selectionStart;
    kept.end = active.selectionEnd;
  }
  return kept;
}

function restoreFocus(kept) {
  if (!kept) return;
  const node = boardNode.querySelector(`[data-key="${CSS.escape(kept.key)}"]`);
  if (!node) return;
  node.focus({ preventScroll: true });
  if (kept.start !== undefined && typeof node.setSelectionRange === "function") {
    try {
      node.setSelectionRange(kept.start, kept.end);
    } catch {
      /* not a text field */
    }
  }
}

function render() {
  if (!ready || !state.workshop) return;
  if (drag) {
    renderWaiting = true;
    return;
  }
  pruneSelection();
  renderHead();
  staff.render();
  renderBoard();
  renderSelection();
}

function renderBoard() {
  const kept = captureFocus();
  const ideas = state.ideas();
  const mode = order();
  boardNode.dataset.order = mode;
  boardNode.classList.toggle("sb-board--columns", usesColumns());
  for (const option of document.querySelectorAll(".sb-order__option")) {
    option.setAttribute("aria-pressed", option.dataset.order === mode ? "true" : "false");
    if (option.dataset.order === "votes") option.hidden = !showVotes();
  }
  $("#board-hint").textContent = { board: t("board_hint"), newest: t("board_hint_newest"), votes: t("board_hint_votes") }[mode];

  const count = $("#idea-total");
  count.textContent = plural("ideas", ideas.length);
  count.dataset.count = String(ideas.length);
  const empty = $("#board-empty");
  empty.classList.remove("empty--loading");
  empty.dataset.state = "empty";
  empty.textContent = t("board_empty_locked");
  empty.hidden = ideas.length > 0 || usesColumns();
  boardNode.hidden = ideas.length === 0 && !usesColumns();

  // With columns, ideas without one come first (an inbox), and only while there are any.
  const unsorted = usesColumns() && (state.unclustered().some((idea) => categoryOf(idea) === null)
    || state.clusters().some((cluster) => categoryOf(cluster) === null));
  const lanes = usesColumns()
    ? [...(unsorted ? [{ id: null, title: t("no_column") }] : []), ...state.workshop.categories.map((c) => ({ id: c.id, title: c.title }))]
    : [{ id: undefined, title: null }];
  boardNode.replaceChildren(...lanes.map((lane) => laneNode(lane, mode)));
  restoreFocus(kept);
}

function laneNode(lane, mode) {
  const all = lane.id === undefined;
  const inLane = (item) => all || categoryOf(item) === lane.id;
  let clusters = state.clusters().filter(inLane);
  let loose = state.unclustered().filter(inLane);
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
  node.append(ideaList(loose, { mode, clusterId: null, categoryId, testid: "loose-ideas", className: "lane__ideas" }));
  if (!all && count === 0) node.append(el("p", { class: "lane__empty", text: t("column_empty") }));
  if (clusters.length) node.append(el("div", { class: "lane__clusters" }, clusters.map((cluster) => clusterNode(cluster, mode, categoryId))));
  return node;
}

/** A list of idea cards with drop lines between them (in board order only). */
function ideaList(ideas, { mode, clusterId, categoryId, testid, className }) {
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
  if (zones && ideas.length === 0 && clusterId === null && categoryId === undefined && state.clusters().length) {
    // Nothing loose any more: one area to drop an idea out of its cluster.
    const alone = zone(null);
    alone.classList.add("dropline--alone");
    alone.textContent = t("drop_loose");
    list.append(alone);
    return list;
  }
  if (zones) list.append(zone(null));
  ideas.forEach((idea, index) => {
    list.append(ideaCard(idea, { index, total: ideas.length, mode }));
    if (zones) list.append(zone(idea.id));
  });
  return list;
}

function clusterNode(cluster, mode, categoryId) {
  const titleId = `cluster-title-${cluster.id}`;
  const title = el("input", {
    id: titleId,
    class: "cluster__title",
    type: "text",
    maxlength: 120,
    placeholder: t("cluster_untitled"),
    "data-testid": "cluster-title",
    "data-key": `cluster-title:${cluster.id}`,
  });
  title.value = titleDrafts.has(cluster.id) ? titleDrafts.get(cluster.id) : cluster.title || "";
  title.addEventListener("input", () => titleDrafts.set(cluster.id, title.value));
  const save = async () => {
    if (!titleDrafts.has(cluster.id)) return;
    const value = titleDrafts.get(cluster.id).trim();
    const known = state.clustersById.get(cluster.id);
    if (!known || value === (known.title || "")) {
      titleDrafts.delete(cluster.id);
      return;
    }
    const data = await command("rename_cluster", { cluster_id: cluster.id, title: value });
    if (data) {
      titleDrafts.delete(cluster.id);
      announce(t("cluster_renamed"));
    }
  };
  title.addEventListener("change", save);
  title.addEventListener("keydown", (key) => {
    if (key.key === "Enter") {
      key.preventDefault();
      save();
    } else if (key.key === "Escape") {
      titleDrafts.delete(cluster.id);
      title.value = cluster.title || "";
    }
  });
  const votes = showVotes() ? el("span", { class: "votes", "data-testid": "cluster-votes", text: String(cluster.votes ?? 0), "aria-label": plural("dots", cluster.votes ?? 0) }) : null;
  const dissolve = button(t("dissolve"), "cluster-dissolve", () => dissolveCluster(cluster), {
    kind: "ghost",
    label: `${t("dissolve")}: ${clusterName(cluster)}`,
    key: `dissolve:${cluster.id}`,
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
    votes,
    el("span", { class: "cluster__count", text: plural("cluster_ideas", cluster.ideas.length) }),
    dissolve),
  // A cluster keeps its own order while collecting (newest first is for the loose ideas).
  ideaList(cluster.ideas, { mode: mode === "newest" ? "board" : mode, clusterId: cluster.id, categoryId, testid: "cluster-ideas", className: "cluster__ideas" }));
}

async function dissolveCluster(cluster) {
  for (const idea of cluster.ideas) {
    const data = await command("ungroup_idea", { idea_id: idea.id });
    if (!data) return;
  }
  announce(t("cluster_dissolved"));
}

function showVotes() {
  const step = state.workshop.step;
  return ["vote", "act", "closed"].includes(step);
}

function ideaCard(idea, { index, total, mode }) {
  const mine = own.has(idea.id) || state.isMine(idea);
  const clusterId = clusterOf(idea);
  const isSelected = selected.includes(idea.id);
  const text = idea.text ?? t("hidden_idea");
  const node = el("li", {
    class: `idea scard${mine ? " idea--mine" : ""}${idea.hidden ? " scard--private" : ""}${isSelected ? " is-selected" : ""}`,
    "data-testid": "idea-card",
    "data-drop": "idea",
    draggable: editing && editing.id === idea.id ? null : "true",
    dataset: {
      ideaId: String(idea.id),
      mine: mine ? "true" : "false",
      tone: String((idea.id % 4) + 1),
      clusterId: clusterId === null ? "" : String(clusterId),
      categoryId: categoryOf(idea) === null ? "" : String(categoryOf(idea)),
    },
  });
  const select = el("input", {
    type: "checkbox",
    class: "scard__select",
    "data-testid": "idea-select",
    "data-key": `select:${idea.id}`,
    "aria-label": t("select_idea", { text: ideaLabel(idea) }),
  });
  select.checked = isSelected;
  select.addEventListener("change", () => toggleSelected(idea.id, select.checked));
  const top = el("div", { class: "scard__top" },
    select,
    idea.hidden ? el("span", { class: "scard__flag", text: t("private_idea"), "data-testid": "idea-private" }) : null,
    showVotes() ? el("span", { class: "votes", "data-testid": "idea-votes", text: String(idea.votes ?? 0), "aria-label": plural("dots", idea.votes ?? 0) }) : null);
  node.append(top);

  if (editing && editing.id === idea.id) {
    node.append(editForm(idea));
    return node;
  }
  node.append(
    el("p", { class: "idea__text", text, "data-testid": "idea-card-text" }),
    el("p", { class: "idea__meta" },
      el("span", { class: idea.author ? "idea__author" : "idea__author idea__author--anon", text: idea.author || t("anonymous"), "data-testid": "idea-author" }),
      idea.created_at ? el("time", { class: "idea__time", datetime: idea.created_at, text: formatTime(idea.created_at) }) : null,
      mine ? el("span", { class: "idea__mine", text: t("you"), "data-testid": "idea-mine" }) : null),
    cardTools(idea, { index, total, mode, clusterId }));
  return node;
}

function cardTools(idea, { index, total, mode, clusterId }) {
  const label = ideaLabel(idea);
  const tools = el("div", { class: "scard__tools" },
    iconButton("✎", "idea-edit", () => {
      editing = { id: idea.id, draft: idea.text || "" };
      render();
      const field = boardNode.querySelector(`[data-key="edit:${idea.id}"]`);
      if (field) field.focus();
    }, { label: `${t("edit")}: ${label}`, key: `edit-button:${idea.id}` }));
  if (mode === "board") {
    tools.append(
      iconButton("↑", "idea-up", () => nudge(idea, -1), { label: t("move_up", { text: label }), key: `up:${idea.id}`, disabled: index === 0 }),
      iconButton("↓", "idea-down", () => nudge(idea, 1), { label: t("move_down", { text: label }), key: `down:${idea.id}`, disabled: index === total - 1 }));
  }
  if (clusterId !== null) {
    tools.append(button(t("ungroup"), "idea-ungroup", async () => {
      const data = await command("ungroup_idea", { idea_id: idea.id });
      if (data) announce(t("ungrouped"));
    }, { kind: "ghost", label: `${t("ungroup")}: ${label}`, key: `ungroup:${idea.id}` }));
  }
  if (usesColumns()) {
    const pick = el("select", { class: "input input--compact scard__column", "data-testid": "idea-category", "data-key": `column:${idea.id}`, "aria-label": t("column_of", { text: label }) },
      state.workshop.categories.map((c) => el("option", { value: String(c.id), text: c.title })),
      el("option", { value: "", text: t("no_column") }));
    pick.value = categoryOf(idea) === null ? "" : String(categoryOf(idea));
    pick.addEventListener("change", () => moveToCategory(idea, pick.value ? Number(pick.value) : null));
    tools.append(pick);
  }
  tools.append(iconButton("✕", "idea-delete", () => deleteIdea(idea), { kind: "danger-ghost", label: `${t("delete")}: ${label}`, key: `delete:${idea.id}` }));
  return tools;
}

/** A small button showing a symbol; its name (label) is read out and shown as a tooltip. */
function iconButton(symbol, testid, onClick, { label, key, kind = "ghost", disabled = false }) {
  const node = button(symbol, testid, onClick, { kind, label, key, disabled });
  node.classList.add("button--icon");
  node.title = label;
  return node;
}

function editForm(idea) {
  const field = el("textarea", {
    class: "input textarea scard__edit",
    rows: 3,
    maxlength: 500,
    "aria-label": t("edit_idea_label"),
    "data-testid": "idea-edit-text",
    "data-key": `edit:${idea.id}`,
  });
  field.value = editing.draft;
  field.addEventListener("input", () => {
    editing.draft = field.value;
  });
  field.addEventListener("keydown", (key) => {
    if (key.key === "Enter" && (key.ctrlKey || key.metaKey)) {
      key.preventDefault();
      saveEdit();
    } else if (key.key === "Escape") {
      editing = null;
      render();
    }
  });
  return el("div", { class: "scard__editor" },
    field,
    el("div", { class: "scard__tools scard__tools--shown" },
      button(t("save"), "idea-edit-save", saveEdit, { kind: "primary", key: `edit-save:${idea.id}` }),
      button(t("cancel"), "idea-edit-cancel", () => {
        editing = null;
        render();
      }, { kind: "ghost", key: `edit-cancel:${idea.id}` })));
}

// ------------------------------------------------------------------------------ drag and drop

function dropTarget(node) {
  const target = node instanceof Element ? node.closest("[data-drop]") : null;
  return target && boardNode.contains(target) ? target : null;
}

/** What dropping the dragged idea on `target` would do, or null when nothing would change. */
function dropIntent(target) {
  if (!drag || !target) return null;
  const dragged = ideaById(drag.id);
  if (!dragged) return null;
  const kind = target.dataset.drop;
  if (kind === "idea") {
    const other = ideaById(Number(target.dataset.ideaId));
    if (!other || other.id === dragged.id) return null;
    if (clusterOf(other) !== null && clusterOf(other) === clusterOf(dragged)) return null;
    return { kind: "group", dragged, other };
  }
  if (kind === "cluster") {
    const clusterId = Number(target.dataset.clusterId);
    if (clusterOf(dragged) === clusterId) return null;
    return { kind: "join", dragged, clusterId };
  }
  if (kind === "between") {
    const afterId = target.dataset.afterId ? Number(target.dataset.afterId) : null;
    const clusterId = target.dataset.clusterId ? Number(target.dataset.clusterId) : null;
    const categoryId = usesColumns() ? (target.dataset.categoryId ? Number(target.dataset.categoryId) : null) : undefined;
    const list = target.parentElement;
    const cards = [...list.querySelectorAll(':scope > [data-testid="idea-card"]')].map((card) => Number(card.dataset.ideaId));
    const sameList = clusterOf(dragged) === clusterId && (categoryId === undefined || categoryOf(dragged) === categoryId);
    if (sameList) {
      const at = cards.indexOf(dragged.id);
      const before = at > 0 ? cards[at - 1] : null;
      if (afterId === dragged.id || (at >= 0 && afterId === before)) return null; // already there
    }
    return { kind: "place", dragged, afterId, clusterId, categoryId };
  }
  if (kind === "lane") {
    const categoryId = target.dataset.categoryId ? Number(target.dataset.categoryId) : null;
    if (categoryOf(dragged) === categoryId && clusterOf(dragged) === null) return null;
    return { kind: "column", dragged, categoryId };
  }
  return null;
}

let highlighted = null;
function highlight(target) {
  if (highlighted === target) return;
  if (highlighted) highlighted.classList.remove("is-drop-target");
  highlighted = target;
  if (target) target.classList.add("is-drop-target");
}

boardNode.addEventListener("dragstart", (start) => {
  const card = start.target instanceof Element ? start.target.closest('[data-testid="idea-card"]') : null;
  if (!card || !boardNode.contains(card)) return;
  drag = { id: Number(card.dataset.ideaId) };
  start.dataTransfer.effectAllowed = "move";
  start.dataTransfer.setData("text/plain", `pinnwand-idea:${drag.id}`);
  card.classList.add("is-dragging");
  boardNode.classList.add("is-dragging");
});

boardNode.addEventListener("dragover", (over) => {
  if (!drag) return;
  const target = dropTarget(over.target);
  const intent = dropIntent(target);
  if (!intent) {
    highlight(null);
    return;
  }
  over.preventDefault();
  over.dataTransfer.dropEffect = "move";
  highlight(target);
});

boardNode.addEventListener("dragleave", (leave) => {
  if (highlighted && leave.target === highlighted && !highlighted.contains(leave.relatedTarget)) highlight(null);
});

boardNode.addEventListener("drop", (dropped) => {
  if (!drag) return;
  dropped.preventDefault();
  const intent = dropIntent(dropTarget(dropped.target));
  endDrag();
  if (intent) perform(intent);
});

boardNode.addEventListener("dragend", endDrag);

function endDrag() {
  highlight(null);
  for (const card of boardNode.querySelectorAll(".is-dragging")) card.classList.remove("is-dragging");
  boardNode.classList.remove("is-dragging");
  drag = null;
  if (renderWaiting) {
    renderWaiting = false;
    scheduleRender();
  }
}

async function perform(intent) {
  if (intent.kind === "group") await groupWith(intent.dragged, intent.other);
  else if (intent.kind === "join") {
    const data = await command("group_ideas", { idea_ids: [intent.dragged.id], cluster_id: intent.clusterId });
    if (data) announce(t("grouped"));
  } else if (intent.kind === "place") {
    const placed = await placeIdea(intent.dragged, intent);
    if (placed) announce(t("moved"));
  } else if (intent.kind === "column") {
    await moveToCategory(intent.dragged, intent.categoryId);
  }
}

// ------------------------------------------------------------------------------ live changes

function onChange(name, payload) {
  const before = state.workshop ? { step: state.workshop.step, locked: state.workshop.locked } : null;
  state.apply(name, payload);
  if (name === "idea_created") {
    const idea = payload.idea;
    if (!own.has(idea.id) && idea.text) {
      announce(idea.author ? t("new_idea_by", { author: idea.author, text: idea.text }) : t("new_idea", { text: idea.text }));
    }
  } else if (name === "step_changed" && before && before.step !== payload.step) {
    chosenOrder = null;
    announce(t("step_now", { step: stepLabel(payload.step) }));
  } else if (name === "message_posted") {
    announce(t("message_posted_live", { text: payload.message.text }));
  } else if (name === "timer_changed") {
    announceTimer(payload.timer);
  }
  if (editing && !ideaById(editing.id)) editing = null;
  scheduleRender();
}

function announceTimer(timer) {
  if (!timer || timer.state === lastTimerState) return;
  lastTimerState = timer.state;
  if (timer.state === "running") announce(t("timer_started_live", { time: spokenClock(timer.remaining) }));
  else if (timer.state === "ended") announce(t("timer_ended"));
  else if (timer.state === "paused") announce(t("timer_paused"));
}

setInterval(() => {
  if (ready && staff) staff.tickTimer();
}, TICK_MS);

// ------------------------------------------------------------------------------ start

function tokenFromUrl() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  return params.get("token");
}

async function hostToken() {
  const token = tokenFromUrl() || store.get(HOST_KEY);
  if (!token) {
    fail(t("host_link_incomplete"));
    return null;
  }
  try {
    const me = await api("/api/v1/auth/me", { token });
    if (me.kind !== "host" || me.workshop_id !== WORKSHOP_ID) {
      fail(t("host_link_other"));
      return null;
    }
    $("#host-name").textContent = me.name || "";
    $("#host-bar").hidden = false;
    store.set(HOST_KEY, token);
  } catch (error) {
    if (error.code === "unauthorized" || error.code === "forbidden") {
      store.remove(HOST_KEY);
      fail(t("host_link_invalid"));
      return null;
    }
    // Offline at start: the socket connects on its own once the network is back.
  }
  return token;
}

function moderatorToken() {
  const auth = requireAuth();
  if (!auth) return null;
  setupTopbar(auth);
  return auth.token;
}

async function start() {
  keepFragmentOnLanguageLinks();
  const empty = $("#board-empty");
  empty.hidden = false;
  empty.textContent = t("connecting");
  empty.classList.add("empty--loading");
  const token = HOST ? await hostToken() : moderatorToken();
  if (!token) return;
  socket = connect(token);
  staff = new StaffTools({ socket, workshopId: WORKSHOP_ID, state, announce, toast });
  watchConnection(socket, banner, {
    onRefused: () => {
      if (HOST) {
        store.remove(HOST_KEY);
        fail(t("host_link_invalid"));
      } else {
        clearAuth();
        toLogin();
      }
    },
  });
  socket.on("presence", (payload) => {
    if (payload && payload.workshop_id === WORKSHOP_ID) staff.setPresence(payload.people || []);
  });
  const feed = new WorkshopFeed(socket, {
    onSnapshot(data) {
      state.load(data);
      ready = true;
      lastTimerState = state.workshop.timer ? state.workshop.timer.state : null;
      if (editing && !ideaById(editing.id)) editing = null;
      render();
    },
    onChange,
    onJoined() {
      staff.loadPresence();
    },
    onError(error) {
      if (error.code === "forbidden" || error.code === "not_found") {
        fail(HOST ? t("host_link_other") : errorText(error));
      } else {
        banner.show("error", errorText(error));
      }
    },
  });
  feed.open(WORKSHOP_ID);
}

// A new host link pasted into the same tab changes only the fragment: start over with it.
if (HOST) window.addEventListener("hashchange", () => location.reload());
start();
