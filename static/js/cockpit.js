// /moderator/events/<id>/cockpit: every workshop of the event live on one screen.
//
// Sends `watch_event` on every (re)connect and keeps the cards current from
// `workshop_stats`; a workshop it does not know yet (added meanwhile) triggers a new
// `watch_event`. Lock/unlock with `lock_workshop`. Each card also follows its workshop's
// board (`join_workshop`, seq-ordered like every board) to show the newest ideas and live
// title/question changes.
//
// data-testid:
//   cockpit-event-title, cockpit-totals, cockpit-total-ideas, cockpit-total-connected,
//   cockpit-join, join-code, join-qr, event-editor-link
//   cockpit-grid, cockpit-empty,
//   cockpit-card (data-workshop-id, data-locked), cockpit-title, cockpit-question,
//   cockpit-state, cockpit-participants, cockpit-ideas, cockpit-connected,
//   cockpit-latest (newest ideas: cockpit-latest-idea, data-idea-id), cockpit-latest-empty,
//   cockpit-last-activity, lock-toggle (aria-pressed = locked), cockpit-open-board,
//   cockpit-projector, cockpit-projector-link (box with projector-url, projector-copy,
//   projector-open)
//   moderator-name, logout, connection-status, lang-switch

import { $, connect, el, emit, formatDate, formatNumber, formatRelative, statusBanner, t, watchConnection } from "./common.js";
import { WorkshopFeed } from "./feed.js";
import { clearAuth, modApi, requireAuth, setupTopbar, toLogin } from "./moderator-auth.js";
import { errorText, showProjectorLink } from "./moderator-ui.js";

const auth = requireAuth();
const EVENT_ID = Number($("#app").dataset.eventId);
const banner = statusBanner($("#status"));
const template = $("#cockpit-card-template");
const cards = new Map(); // workshop id → {node, data}
const REFRESH_MS = 60000;
const TICK_MS = 20000;
const LATEST = 3;
let socket = null;

const part = (card, id) => card.node.querySelector(`[data-testid="${id}"]`);

function setFigure(card, id, value) {
  const node = part(card, id);
  const text = formatNumber(value || 0);
  if (node.textContent !== text) {
    if (node.textContent) {
      node.classList.remove("bump");
      void node.offsetWidth; // restart the animation
      node.classList.add("bump");
    }
    node.textContent = text;
  }
}

function render(card) {
  const data = card.data;
  card.node.dataset.locked = data.locked ? "true" : "false";
  card.node.classList.toggle("wcard--locked", Boolean(data.locked));
  part(card, "cockpit-title").textContent = data.title;
  part(card, "cockpit-question").textContent = data.question || "";
  const state = part(card, "cockpit-state");
  state.textContent = data.locked ? t("locked") : t("open");
  state.className = `badge ${data.locked ? "badge--locked" : "badge--open"}`;
  setFigure(card, "cockpit-participants", data.participants);
  setFigure(card, "cockpit-ideas", data.ideas);
  setFigure(card, "cockpit-connected", data.connected);
  part(card, "cockpit-connected").classList.toggle("is-live", data.connected > 0);
  const time = part(card, "cockpit-last-activity");
  time.textContent = formatRelative(data.last_activity);
  if (data.last_activity) time.setAttribute("datetime", data.last_activity);
  const toggle = part(card, "lock-toggle");
  toggle.textContent = data.locked ? t("unlock") : t("lock");
  toggle.setAttribute("aria-pressed", data.locked ? "true" : "false");
  toggle.className = `button button--small ${data.locked ? "button--primary" : "button--secondary"}`;
  toggle.setAttribute("aria-label", `${data.locked ? t("unlock") : t("lock")}: ${data.title}`);
}

function makeCard(data) {
  const node = template.content.firstElementChild.cloneNode(true);
  node.dataset.workshopId = String(data.id);
  const card = { node, data, feed: null, ideas: new Map() };
  const board = part(card, "cockpit-open-board");
  board.href = `/moderator/workshops/${data.id}`;
  part(card, "lock-toggle").addEventListener("click", () => toggleLock(card));
  part(card, "cockpit-projector").addEventListener("click", () => showProjectorLink(part(card, "cockpit-projector-link"), card.data.id));
  return card;
}

function renderLatest(card, freshId = null) {
  const newest = [...card.ideas.values()].sort((a, b) => b.id - a.id).slice(0, LATEST);
  const list = part(card, "cockpit-latest");
  if (newest.length === 0) {
    list.replaceChildren(el("li", { class: "latest__empty", text: t("board_empty_locked"), "data-testid": "cockpit-latest-empty" }));
    return;
  }
  list.replaceChildren(...newest.map((idea) => el("li", { class: `latest__item${idea.id === freshId ? " latest__item--new" : ""}`, "data-testid": "cockpit-latest-idea", dataset: { ideaId: String(idea.id) } },
    el("span", { class: "latest__text", text: idea.hidden ? t("hidden_idea") : idea.text }),
    el("span", { class: "latest__author", text: idea.author || t("anonymous") }))));
}

/** Follow the card's workshop board for its newest ideas and title changes. */
function follow(card) {
  if (card.feed) return;
  card.ideas = new Map();
  card.feed = new WorkshopFeed(socket, {
    onSnapshot(data) {
      card.ideas = new Map(data.ideas.map((idea) => [idea.id, idea]));
      renderLatest(card);
    },
    onChange(name, payload) {
      if (name === "idea_created") {
        card.ideas.set(payload.idea.id, payload.idea);
        renderLatest(card, payload.idea.id);
      } else if (name === "workshop_updated") {
        Object.assign(card.data, { title: payload.workshop.title, question: payload.workshop.question });
        render(card);
      } else if (name === "workshop_locked") {
        card.data.locked = payload.locked;
        render(card);
      }
    },
    onError() {
      /* the figures still come from workshop_stats */
    },
  });
  card.feed.open(card.data.id);
}

function showError(card, text) {
  const error = card.node.querySelector(".wcard__error");
  error.textContent = text;
  error.hidden = !text;
}

async function toggleLock(card) {
  const toggle = part(card, "lock-toggle");
  toggle.disabled = true;
  showError(card, "");
  try {
    const data = await emit(socket, "lock_workshop", { workshop_id: card.data.id, locked: !card.data.locked });
    card.data.locked = data.locked;
    render(card);
  } catch (error) {
    showError(card, t("lock_failed", { message: errorText(error) }));
  } finally {
    toggle.disabled = false;
  }
}

function totals() {
  let ideas = 0;
  let connected = 0;
  for (const { data } of cards.values()) {
    ideas += data.ideas || 0;
    connected += data.connected || 0;
  }
  $("#total-workshops").textContent = formatNumber(cards.size);
  $("#total-ideas").textContent = formatNumber(ideas);
  $("#total-connected").textContent = formatNumber(connected);
  const empty = $("#cockpit-empty");
  empty.textContent = t("no_workshops");
  empty.hidden = cards.size > 0;
}

async function watch() {
  try {
    const data = await emit(socket, "watch_event", { event_id: EVENT_ID });
    const grid = $("#cockpit-grid");
    const seen = new Set();
    data.workshops.forEach((workshop, index) => {
      seen.add(workshop.id);
      let card = cards.get(workshop.id);
      if (card) card.data = { ...card.data, ...workshop };
      else cards.set(workshop.id, (card = makeCard(workshop)));
      render(card);
      follow(card);
      // Keep the server's order; move a card only when needed (moving drops focus).
      if (grid.children[index] !== card.node) grid.insertBefore(card.node, grid.children[index] || null);
    });
    for (const [id, card] of cards) {
      if (!seen.has(id)) {
        if (card.feed) card.feed.leave();
        card.node.remove();
        cards.delete(id);
      }
    }
    totals();
  } catch (error) {
    banner.show("error", errorText(error));
  }
}

function onStats(stats) {
  if (!stats || stats.event_id !== EVENT_ID) return;
  const card = cards.get(stats.workshop_id);
  if (!card) {
    watch();
    return;
  }
  const { participants, ideas, connected, last_activity: lastActivity, locked } = stats;
  Object.assign(card.data, { participants, ideas, connected, last_activity: lastActivity, locked });
  render(card);
  totals();
}

async function loadEvent() {
  try {
    const event = await modApi(`/api/v1/events/${EVENT_ID}`);
    document.title = `${t("open_cockpit")}: ${event.title} · Pinnwand`;
    $("#event-title").textContent = event.title;
    $("#event-meta").textContent = [event.date ? formatDate(event.date) : null, event.location].filter(Boolean).join(" · ");
    $("#join-code").textContent = event.join_code;
    $("#join-url").textContent = event.join_url.replace(/^https?:\/\//, "");
    const qr = $("#join-qr");
    qr.src = `/join/${encodeURIComponent(event.join_code)}/qr.svg`;
    qr.alt = t("qr_alt", { url: event.join_url });
    qr.hidden = false;
  } catch (error) {
    banner.show("error", errorText(error));
  }
}

if (auth) {
  setupTopbar(auth);
  loadEvent();
  socket = connect(auth.token);
  socket.on("workshop_stats", onStats);
  watchConnection(socket, banner, {
    onConnect: watch,
    onRefused: () => {
      clearAuth();
      toLogin();
    },
  });
  setInterval(() => {
    for (const card of cards.values()) {
      part(card, "cockpit-last-activity").textContent = formatRelative(card.data.last_activity);
    }
  }, TICK_MS);
  setInterval(() => {
    if (socket.connected) watch();
  }, REFRESH_MS);
}
