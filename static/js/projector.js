// /projector/<workshop id>#token=<viewer token>: the large read-only board for a projector.
//
// Runs unattended on a venue PC: the viewer token comes from the URL fragment (never sent to
// the server in a request line or referrer) and is remembered in localStorage for reloads.
// Newest ideas first; the cards get smaller as the board fills, and what does not fit is
// summed up as "+ N earlier ideas". Asks the browser to keep the screen awake.
//
// data-testid:
//   projector-event, board-title, board-question, join-qr, join-url, join-code,
//   idea-count (data-count), board-locked, connection-status (data-state), board-empty,
//   projector-error, idea-list, idea-card (data-idea-id), idea-card-text, idea-author,
//   more-ideas, lang-switch

import { $, api, connect, keepFragmentOnLanguageLinks, plural, statusBanner, store, t, watchConnection } from "./common.js";
import { IdeaList, WorkshopFeed } from "./feed.js";

const WORKSHOP_ID = Number($("#app").dataset.workshopId);
const KEY = `pinnwand:viewer:${WORKSHOP_ID}`;
const banner = statusBanner($("#status"));
const listNode = $("#idea-list");
const INFO_RETRY_MS = 10000;
const LONG_QUESTION = 140;

keepFragmentOnLanguageLinks();
// A new link pasted into the same tab changes only the fragment: start over with its token.
window.addEventListener("hashchange", () => location.reload());

function tokenFromUrl() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  return params.get("token");
}

function fail(text) {
  const error = $("#projector-error");
  error.textContent = text;
  error.hidden = false;
  $("#board-empty").hidden = true;
  banner.hide();
}

const list = new IdeaList(listNode, {
  empty: $("#board-empty"),
  count: $("#projector-ideas-title"),
  announcer: $("#announcer"),
  emptyKey: "projector_empty",
});

const DENSITIES = ["xl", "l", "m", "s"];

function clippedCards() {
  const bottom = listNode.getBoundingClientRect().bottom + 1;
  return [...listNode.children].filter((card) => card.getBoundingClientRect().bottom > bottom);
}

/** The largest card size at which every idea fits; at the smallest, hide (the oldest) cards
 * that still do not fit and count them as "+ N earlier ideas". */
function fit() {
  for (const card of listNode.children) card.classList.remove("is-clipped");
  let clipped = [];
  for (const density of DENSITIES) {
    listNode.dataset.density = density;
    clipped = clippedCards();
    if (clipped.length === 0) break;
  }
  for (const card of clipped) card.classList.add("is-clipped");
  const more = $("#more-ideas");
  more.textContent = clipped.length ? plural("more_ideas", clipped.length) : "";
  more.hidden = clipped.length === 0;
}

let fitQueued = false;
function queueFit() {
  if (fitQueued) return;
  fitQueued = true;
  requestAnimationFrame(() => {
    fitQueued = false;
    fit();
  });
}
window.addEventListener("resize", queueFit);

function showWorkshop(workshop) {
  $("#board-title").textContent = workshop.title;
  const question = $("#board-question");
  question.textContent = workshop.question || workshop.title;
  question.classList.toggle("projector__question--long", question.textContent.length > LONG_QUESTION);
  document.title = `${workshop.title} · Pinnwand`;
}

function setLocked(locked) {
  $("#board-state").hidden = !locked;
  document.body.classList.toggle("is-locked", locked);
  list.setLocked(locked);
}

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

// Hide the mouse pointer when it rests, so nothing sits on the projected board.
let idle = null;
document.addEventListener("mousemove", () => {
  document.body.classList.remove("is-idle");
  clearTimeout(idle);
  idle = setTimeout(() => document.body.classList.add("is-idle"), 3000);
});

/** Event title, join code, link and QR (GET /projector/<id>/info); retried while offline.
 * Resolves false when the link is no longer valid. */
async function showJoinInfo(token) {
  try {
    const info = await api(`/projector/${WORKSHOP_ID}/info`, { token });
    $("#event-title").textContent = info.event.title;
    showWorkshop(info.workshop);
    $("#join-code").textContent = info.event.join_code;
    $("#join-url").textContent = info.event.join_url.replace(/^https?:\/\//, "");
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

async function start() {
  const token = tokenFromUrl() || store.get(KEY);
  if (!token) {
    fail(t("link_incomplete"));
    return;
  }
  store.set(KEY, token);
  list.loading();
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
      showWorkshop(data.workshop);
      setLocked(Boolean(data.workshop.locked));
      list.reset(data.ideas);
      queueFit();
    },
    onChange(name, payload) {
      if (name === "idea_created") list.add(payload.idea, { live: true });
      else if (name === "workshop_locked") setLocked(Boolean(payload.locked));
      else if (name === "workshop_updated") showWorkshop(payload.workshop);
      queueFit();
    },
    onError(error) {
      if (error.code === "forbidden" || error.code === "not_found") fail(t("link_invalid"));
    },
  });
  feed.open(WORKSHOP_ID);
  keepAwake();
}

start();
