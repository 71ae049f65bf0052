// /projector/<workshop id>#token=<viewer token>: the large read-only board for a projector.
//
// Runs unattended on a venue PC: the viewer token comes from the URL fragment (never sent to
// the server in a request line or referrer) and is remembered in localStorage for reloads.
// Shows what the room may see, step by step, from a BoardState (board-state.js):
//   collect → the ideas newest first (hidden ones as blank notes, counted as "written
//             privately");
//   cluster → the clusters with their ideas;
//   vote    → "Voting in progress" until the totals may be shown, then the results by votes;
//   act     → the actions with owner, due date and who is in; closed → the same, with thanks.
// Every card is whole on the screen (ui/wall.js): the cards get smaller as the board fills, long
// texts a size smaller still and then clamped; when even the smallest readable size does not
// hold them all, the wall shows them page by page, turning every 15 s (→/← or PageDown/PageUp
// turn by hand), with "page 2 of 3" below. Step, countdown and the latest broadcast message are
// always on top; a message from an earlier step fades, a withdrawn one goes. Asks the browser
// to keep the screen awake.
//
// data-testid:
//   projector-event, board-title, board-question, join-qr, join-url, join-code,
//   step-banner (data-step), timer (data-state), timer-time, timer-ended, message-banner,
//   message-text, board-closed, board-locked, connection-status, projector-error,
//   projector-collect: idea-count (data-count), hidden-count (data-count), board-empty,
//     idea-list, idea-card (data-idea-id, data-hidden), idea-card-text, idea-author
//   projector-clusters-view: projector-clusters, projector-cluster (data-cluster-id),
//     projector-cluster-title, projector-cluster-idea (data-idea-id), clusters-empty
//   projector-vote-view: voting-in-progress, projector-results, projector-result
//     (data-votes), projector-result-title
//   projector-act-view: projector-actions, projector-action (data-action-id), actions-empty
//   wall-pages (data-page, data-pages: 1-based), on every card data-page (0-based)
//   lang-switch

import {
  $, api, coalesced, connect, el, formatDate, KeyedList, plural, statusBanner, store, t, watchConnection,
} from "./common.js";
import { BoardState } from "./board-state.js";
import { WorkshopFeed } from "./feed.js";
import { MessageBanner, StepBanner, TimerView } from "./phone-board.js";
import { reviewFacts, verdictBars } from "./phone-steps.js";
import { authorName, clusterName, ideaText, ideaTone, isWithheld, newIdeaAnnouncement } from "./ui/board-text.js";
import { followTokenLink, tokenFromUrl } from "./ui/link-token.js";
import { Pager, Wall } from "./ui/wall.js";

const WORKSHOP_ID = Number($("#app").dataset.workshopId);
const KEY = `pinnwand:viewer:${WORKSHOP_ID}`;
const banner = statusBanner($("#status"));
const listNode = $("#idea-list");
const INFO_RETRY_MS = 10000;
const LONG_QUESTION = 140;
const NEW_IDEA_MS = 2500;
const MAX_RESULTS = 12;
const POINTER_REST_MS = 3000;
const VIEWS = { review: "board-review", collect: "board-collect", cluster: "board-cluster", vote: "board-vote", act: "board-act", closed: "board-act" };

const board = new BoardState(); // the workshop as the room may see it
const fresh = new Set(); // ideas that arrived live: they pop in once

followTokenLink();

function fail(text) {
  const error = $("#projector-error");
  error.textContent = text;
  error.hidden = false;
  for (const id of Object.values(VIEWS)) $(`#${id}`).hidden = true;
  banner.hide();
}

const stepBanner = new StepBanner($("#step-banner"));
const timer = new TimerView({ root: $("#timer"), time: $("#timer-time"), label: $("#timer-label"), ended: $("#timer-ended") }, {
  announce: (text) => { $("#alert-announcer").textContent = text; },
});
const MESSAGE_SHOWN_MS = 10 * 60 * 1000;
const messageBanner = new MessageBanner({ root: $("#message-banner"), text: $("#message-text"), from: $("#message-from") }, {
  maxAgeMs: MESSAGE_SHOWN_MS,
});
// A message leaves the screen after a while, also when nothing else changes.
setInterval(() => {
  if (board.workshop && !$("#message-banner").hidden) {
    messageBanner.render(board);
    queueFit();
  }
}, 30000);

// ---------------------------------------------------------------- the wall and its pages

const PAGE_MS = 15000;
const LONG_IDEA = 140; // characters: a longer idea starts a size smaller
const LONG_NAME = 12; // characters: a longer author's name gets a line of its own
// The smallest idea type, read from the back of a room: 1.7vh, 18 px at 1080p (app.css,
// `--idea-min`); the wall pages rather than go below it.
const MIN_IDEA_TYPE = "min";
// Columns at least this share of the screen's width wide, per density: the smaller the type,
// the more columns (six of 18 px type at 1920×1080).
const IDEA_COLUMN = { xl: 0.26, l: 0.2, m: 0.17, s: 0.155, xs: 0.145, xxs: 0.135, [MIN_IDEA_TYPE]: 0.125 };
const CLUSTER_COLUMN = IDEA_COLUMN;
const ACTION_COLUMNS = { xl: 2, l: 2, m: 3, s: 4 };
const DENSITIES = ["xl", "l", "m", "s"];
const IDEA_DENSITIES = [...DENSITIES, "xs", "xxs", MIN_IDEA_TYPE];

const columnsOfWidth = (share) => (density, width) => Math.floor(width / (window.innerWidth * share[density]));

/** A cluster taller than the wall goes on in pieces, each at the top of a column of its own,
 * titled again and marked as continued (never cut off in the middle of a column). */
function splitCluster(card, height) {
  let piece = card;
  while (piece.offsetHeight > height) {
    const ideas = [...piece.querySelectorAll(".pj-cluster__idea")];
    if (ideas.length < 2) return;
    const top = piece.getBoundingClientRect().top;
    const room = height - parseFloat(getComputedStyle(piece).paddingBottom);
    const keep = Math.max(1, ideas.filter((idea) => idea.getBoundingClientRect().bottom - top <= room).length);
    if (keep >= ideas.length) return;
    const next = piece.cloneNode(true);
    next.dataset.freshColumn = "true";
    next.classList.add("is-continued");
    const title = next.querySelector(".pj-cluster__title");
    if (!title.querySelector(".pj-cluster__continued")) {
      title.append(el("span", { class: "pj-cluster__continued", text: ` (${t("cluster_continued")})` }));
    }
    ideas.slice(keep).forEach((idea) => idea.remove());
    [...next.querySelectorAll(".pj-cluster__idea")].slice(0, keep).forEach((idea) => idea.remove());
    piece.after(next);
    piece = next;
  }
}

// German hyphenation for words wider than their card (static/vendor/hyphen, classic scripts).
const hyphenate = window.createHyphenator && window.hyphenationPatternsDe1996
  ? window.createHyphenator(window.hyphenationPatternsDe1996, { minWordLength: 6 }) : null;
const fitting = { densities: DENSITIES, hyphenate };

const walls = {
  collect: new Wall(listNode, {
    ...fitting, densities: IDEA_DENSITIES, columns: columnsOfWidth(IDEA_COLUMN), texts: ".idea__text", squeeze: 1,
  }),
  cluster: new Wall($("#cluster-list"), {
    ...fitting, densities: IDEA_DENSITIES, columns: columnsOfWidth(CLUSTER_COLUMN), texts: ".pj-cluster__title, .pj-cluster__idea", split: splitCluster,
  }),
  vote: new Wall($("#result-list"), { ...fitting, columns: () => 1, texts: ".pj-result__title" }),
  act: new Wall($("#action-list"), { ...fitting, columns: (density) => ACTION_COLUMNS[density], texts: ".pj-action__title, .pj-action__what" }),
  review: new Wall($("#review-list"), { ...fitting, columns: (density) => ACTION_COLUMNS[density], texts: ".pj-action__title" }),
};

function currentWall() {
  const step = board.workshop ? board.workshop.step : "collect";
  if (step === "cluster") return walls.cluster;
  if (step === "vote") return walls.vote;
  if (step === "act" || step === "closed") return walls.act;
  if (step === "review") return walls.review;
  return walls.collect;
}

const pager = new Pager($("#wall-pages"), {
  text: (page, pages) => t("wall_page", { n: page, total: pages }),
  intervalMs: PAGE_MS,
  onTurn: (page) => {
    const wall = currentWall();
    wall.show(page);
    wall.list.classList.remove("is-turning");
    void wall.list.offsetWidth; // start the fade anew
    wall.list.classList.add("is-turning");
  },
});

/** Lay the step's cards out on the screen, once per frame however often it is asked. */
const queueFit = coalesced(() => {
  const wall = currentWall();
  if (wall === walls.cluster) renderClusters(); // whole clusters again: the wall splits anew
  pager.set(wall.layout());
  wall.show(pager.page);
}, requestAnimationFrame);
window.addEventListener("resize", queueFit);
// The wall's room changes also without a change of the board: "Time is up!" appears by the
// clock, a message leaves, the fonts arrive.
const resizes = new ResizeObserver(queueFit);
for (const wall of Object.values(walls)) resizes.observe(wall.list);
if (document.fonts) document.fonts.ready.then(queueFit);

document.addEventListener("keydown", (event) => {
  if (event.key === "ArrowRight" || event.key === "PageDown") pager.turn(1, true);
  else if (event.key === "ArrowLeft" || event.key === "PageUp") pager.turn(-1, true);
});

// ---------------------------------------------------------------- the board by step

function showWorkshop(workshop) {
  $("#board-title").textContent = workshop.title;
  const question = $("#board-question");
  question.textContent = workshop.question || workshop.title;
  question.classList.toggle("projector__question--long", question.textContent.length > LONG_QUESTION);
  document.title = `${workshop.title} · Pinnwand`;
}

function ideaCard(idea) {
  const hidden = isWithheld(idea);
  const long = !hidden && idea.text.length > LONG_IDEA;
  const longName = !hidden && authorName(idea).length > LONG_NAME;
  const node = el("li", {
    class: `idea${hidden ? " idea--placeholder" : ""}${long ? " idea--long" : ""}${longName ? " idea--long-name" : ""}`,
    "data-testid": "idea-card",
    dataset: { ideaId: String(idea.id), hidden: hidden ? "true" : "false", tone: ideaTone(idea) },
  },
  // The author first: on a dense wall a name beside the text's first line (app.css).
  hidden ? null : el("p", { class: "idea__meta" },
    el("span", { class: idea.author ? "idea__author" : "idea__author idea__author--anon", text: authorName(idea), "data-testid": "idea-author" })),
  hidden
    ? el("p", { class: "idea__text" }, el("span", { class: "visually-hidden", text: t("idea_hidden_placeholder") }))
    : el("p", { class: "idea__text", text: idea.text, "data-testid": "idea-card-text" }));
  if (fresh.has(idea.id)) {
    fresh.delete(idea.id);
    node.classList.add("idea--new");
    setTimeout(() => node.classList.remove("idea--new"), NEW_IDEA_MS);
  }
  return node;
}

const cards = new KeyedList(listNode);

function renderCollect() {
  const ideas = board.ideas().sort((a, b) => b.id - a.id);
  cards.update(ideas.map((idea) => ({
    key: idea.id,
    signature: JSON.stringify([idea.text, idea.author, idea.hidden]),
    build: () => ideaCard(idea),
  })));
  const n = ideas.length;
  const count = $("#projector-ideas-title");
  count.textContent = plural("ideas", n);
  count.dataset.count = String(n);
  const hidden = ideas.filter(isWithheld).length;
  const hiddenNode = $("#hidden-count");
  hiddenNode.hidden = hidden === 0;
  hiddenNode.textContent = hidden ? plural("hidden_count", hidden) : "";
  hiddenNode.dataset.count = String(hidden);
  const empty = $("#board-empty");
  empty.textContent = board.workshop.locked ? t("board_empty_locked") : t("projector_empty");
  empty.hidden = n > 0;
  listNode.hidden = n === 0;
}

/** The clusters with all their ideas, loose ideas last (the wall pages what does not fit). */
function renderClusters() {
  const clusters = board.clusters();
  const loose = board.unclustered();
  const groups = [
    ...clusters.map((cluster) => ({ id: cluster.id, title: clusterName(cluster), ideas: cluster.ideas })),
    ...(loose.length && clusters.length ? [{ id: "loose", title: t("cluster_loose"), ideas: loose, loose: true }] : []),
  ];
  $("#cluster-list").replaceChildren(...groups.map((group) => el("li", {
    class: `pj-cluster${group.loose ? " pj-cluster--loose" : ""}`, "data-testid": "projector-cluster",
    dataset: { clusterId: String(group.id), size: String(group.ideas.length) },
  },
  el("h2", { class: "pj-cluster__title", text: group.title, "data-testid": "projector-cluster-title" }),
  el("ul", { class: "pj-cluster__ideas" },
    group.ideas.map((idea) => el("li", {
      class: `pj-cluster__idea${isWithheld(idea) ? " is-hidden" : ""}`, "data-testid": "projector-cluster-idea",
      dataset: { ideaId: String(idea.id) },
      text: ideaText(idea, t("idea_hidden_placeholder")),
    }))))));
  const empty = $("#clusters-empty");
  empty.textContent = t("clusters_empty");
  empty.hidden = clusters.length > 0;
  $("#cluster-list").hidden = clusters.length === 0;
}

function renderVote() {
  const show = board.votesVisible();
  $("#voting").hidden = show;
  const list = $("#result-list");
  list.hidden = !show;
  if (!show) {
    list.replaceChildren();
    return;
  }
  const ranked = board.ranked().slice(0, MAX_RESULTS);
  const top = Math.max(1, ...ranked.map((entry) => entry.votes));
  list.replaceChildren(...ranked.map((entry, index) => {
    const title = entry.kind === "cluster" ? clusterName(entry.item) : ideaText(entry.item, t("idea_hidden_placeholder"));
    const bar = el("span", { class: "pj-result__bar", "aria-hidden": "true" });
    bar.dataset.share = String(Math.round((entry.votes / top) * 20) * 5); // 0, 5, … 100 (CSS)
    return el("li", { class: `pj-result${index < 3 && entry.votes > 0 ? " pj-result--top" : ""}`, "data-testid": "projector-result", dataset: { votes: String(entry.votes) } },
      el("span", { class: "pj-result__rank", text: String(index + 1) }),
      el("span", { class: "pj-result__title", text: title, "data-testid": "projector-result-title" }),
      el("span", { class: "pj-result__track", "aria-hidden": "true" }, bar),
      el("span", { class: "pj-result__votes", text: plural("votes_total", entry.votes) }));
  }));
}

function renderActions() {
  const actions = board.actions();
  $("#action-list").replaceChildren(...actions.map((action) => {
    const people = action.contributors || [];
    return el("li", { class: "pj-action", "data-testid": "projector-action", dataset: { actionId: String(action.id) } },
      el("h2", { class: "pj-action__title", text: action.title }),
      action.what ? el("p", { class: "pj-action__what", text: action.what }) : null,
      action.owner || action.due ? el("p", { class: "pj-action__facts" },
        action.owner ? el("span", {}, el("strong", { text: `${t("action_owner")}: ` }), action.owner) : null,
        action.due ? el("span", {}, el("strong", { text: `${t("action_due")}: ` }), formatDate(action.due)) : null) : null,
      el("p", { class: "pj-action__people" },
        el("strong", { text: people.length ? plural("people_in", people.length) : t("nobody_in_yet") }),
        people.length ? " " + people.map((p) => (p.brings ? `${p.name} (${p.brings})` : p.name)).join(", ") : null));
  }));
  const empty = $("#actions-empty");
  empty.textContent = t("actions_empty");
  empty.hidden = actions.length > 0;
}

/** The review step: the earlier forums' open actions, their verdicts as bars as they come in
 * (or, while secret, how many came in). */
function renderReview() {
  const actions = board.reviewActions();
  const visible = board.reviewsVisible();
  $("#review-secret").hidden = visible || actions.length === 0;
  $("#review-list").replaceChildren(...actions.map((action) => el("li", {
    class: "pj-action pj-review", "data-testid": "projector-review", dataset: { actionId: String(action.id) },
  },
  el("h2", { class: "pj-action__title", text: action.title }),
  ...reviewFacts(action),
  visible && action.review ? verdictBars(action.review, "projector-review")
    : el("p", { class: "pj-action__people", "data-testid": "projector-review-given", text: plural("verdicts_given", action.given || 0) }))));
  const empty = $("#review-empty");
  empty.textContent = t("review_nothing");
  empty.hidden = actions.length > 0;
}

function renderBoard() {
  const workshop = board.workshop;
  if (!workshop) return;
  const step = workshop.step;
  showWorkshop(workshop);
  stepBanner.render(board);
  timer.render(board);
  messageBanner.render(board);
  $("#board-state").hidden = !workshop.locked || step === "closed";
  document.body.classList.toggle("is-locked", Boolean(workshop.locked));
  document.body.dataset.step = step;
  $("#closed-note").hidden = step !== "closed";
  const visible = VIEWS[step] || "board-collect";
  for (const id of Object.values(VIEWS)) $(`#${id}`).hidden = id !== visible;
  $("#idea-counts").hidden = visible !== "board-collect";
  if (visible === "board-collect") renderCollect();
  else if (visible === "board-cluster") renderClusters();
  else if (visible === "board-vote") renderVote();
  else if (visible === "board-review") renderReview();
  else renderActions();
  compactWhenFilled();
  queueFit();
}

/** Once the step shows cards, the join column slims down and gives the wall its room. */
function compactWhenFilled() {
  const list = currentWall().list;
  $("#app").classList.toggle("is-compact", !list.hidden && list.children.length > 0);
}

const renderSoon = coalesced(() => renderBoard());

function loading() {
  const empty = $("#board-empty");
  empty.textContent = t("connecting");
  empty.hidden = false;
  listNode.hidden = true;
}

// ---------------------------------------------------------------- the venue PC

async function keepAwake() {
  try {
    if ("wakeLock" in navigator) await navigator.wakeLock.request("screen");
  } catch {
    /* not allowed here (plain http): the venue PC's power settings decide */
  }
}
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") keepAwake();
});

/** Hide the mouse pointer when it rests, so nothing sits on the projected board. */
function hideRestingPointer() {
  let resting = null;
  document.addEventListener("mousemove", () => {
    document.body.classList.remove("is-idle");
    clearTimeout(resting);
    resting = setTimeout(() => document.body.classList.add("is-idle"), POINTER_REST_MS);
  });
}
hideRestingPointer();

/** The join link without scheme and key (the key is in the QR code), broken, when it must
 * be, only before its path: "pinnwand.example.org" / "/join/ABC123". */
function showJoinUrl(url) {
  const short = url.replace(/^https?:\/\//, "").replace(/\?.*$/, "");
  const slash = short.indexOf("/");
  const parts = slash > 0 ? [short.slice(0, slash), short.slice(slash)] : [short];
  const spans = parts.map((part) => el("span", { text: part }));
  $("#join-url").replaceChildren(...spans.flatMap((span, i) => (i ? [document.createElement("wbr"), span] : [span])));
}

/** Event title, join code, link and QR (GET /projector/<id>/info); retried while offline.
 * Resolves false when the link is no longer valid. */
async function showJoinInfo(token) {
  try {
    const info = await api(`/projector/${WORKSHOP_ID}/info`, { token });
    $("#event-title").textContent = info.event.title;
    showWorkshop(info.workshop);
    $("#join-code").textContent = info.event.join_code;
    showJoinUrl(info.event.join_url);
    const qr = $("#join-qr");
    qr.src = `/join/${encodeURIComponent(info.event.join_code)}/qr.svg`;
    qr.alt = t("qr_alt", { url: info.event.join_url });
    $("#join-box").hidden = false;
    return true;
  } catch (error) {
    if (error.code === "unauthorized" || error.code === "forbidden" || error.code === "not_found") {
      store.remove(KEY);
      fail(t("link_invalid"));
      return false;
    }
    // Offline at start: the board connects on its own; the join box follows when it can.
    setTimeout(() => showJoinInfo(token), INFO_RETRY_MS);
    return true;
  }
}

function announceIdea(idea) {
  const words = newIdeaAnnouncement(idea);
  if (words) $("#announcer").textContent = words;
}

async function start() {
  const token = tokenFromUrl() || store.get(KEY);
  if (!token) {
    fail(t("link_incomplete"));
    return;
  }
  store.set(KEY, token);
  loading();
  if (!(await showJoinInfo(token))) return;
  const socket = connect(token);
  watchConnection(socket, banner, {
    onRefused: () => {
      store.remove(KEY);
      fail(t("link_invalid"));
    },
  });
  const feed = new WorkshopFeed(socket, {
    onSnapshot(data) {
      board.load(data);
      renderBoard();
    },
    onChange(name, payload) {
      board.apply(name, payload);
      if (name === "idea_created") {
        fresh.add(payload.idea.id);
        announceIdea(payload.idea);
      }
      renderSoon();
    },
    onError(error) {
      if (error.code === "forbidden" || error.code === "not_found") fail(t("link_invalid"));
    },
  });
  feed.open(WORKSHOP_ID);
  keepAwake();
}

start();
