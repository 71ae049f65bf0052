// /moderator/events/<id>/plenary: the event's plenary on the projector, run from the
// moderator's laptop.
//
// Sends `join_plenary` on every (re)connect and keeps the newest plenary it has seen (the
// highest `seq`, from acks and `plenary_changed`); every broadcast carries the whole plenary.
// The items are large cards: in the order they were brought, or by votes (with their place)
// while voting and once dots have been placed. Controls: bring the top 3 of every workshop
// (`plenary_pull_top`), open/close and start/stop voting and the dots per person
// (`configure_plenary`), remove an item (`plenary_remove`, click twice). "Hide controls"
// leaves only the cards for the projector (Escape or "Show controls" brings them back): then
// they fill the screen whole and page when they must, as on the venue PC (ui/plenary-wall.js).
//
// data-testid:
//   plenary-event-title, plenary-state (data-state: closed | open | voting), plenary-total,
//   plenary-join, join-code, cockpit-link,
//   plenary-controls, plenary-pull-top, plenary-open-toggle (aria-pressed = open),
//   plenary-voting-toggle (aria-pressed = voting), plenary-vote-budget, plenary-hide-controls,
//   plenary-show-controls, plenary-feedback (data-kind: success | error),
//   plenary-empty, plenary-items (data-density, data-order: votes | brought),
//   plenary-item (data-item-id, data-kind, data-votes), plenary-item-rank,
//   plenary-item-workshop, plenary-item-kind, plenary-item-votes, plenary-item-title,
//   plenary-item-ideas, plenary-item-remove (data-armed), plenary-projector-link (creates the
//   venue PC's link: plenary-projector-link-box with projector-url, projector-copy, projector-open)
//   wall-pages (while presenting: data-page, data-pages, 1-based),
//   moderator-name, logout, connection-status, lang-switch

import { $, connect, el, emit, formatNumber, plural, statusBanner, t, watchConnection } from "./common.js";
import { clearAuth, modApi, requireAuth, setupTopbar, toLogin } from "./moderator-auth.js";
import { showPlenaryProjectorLink } from "./moderator-ui.js";
import { moderatorErrorText } from "./ui/errors.js";
import { byVotes, density, shownItems } from "./ui/plenary-order.js";
import { PlenaryWall } from "./ui/plenary-wall.js";

const auth = requireAuth();
const EVENT_ID = Number($("#app").dataset.eventId);
const PULL_TOP = 3;
const CONFIRM_MS = 4000;
const banner = statusBanner($("#status"));
const template = $("#plenary-item-template");
const list = $("#plenary-items");
const controls = {
  pullTop: $("#pull-top"),
  open: $("#toggle-open"),
  voting: $("#toggle-voting"),
  budget: $("#vote-budget"),
};
const cards = new Map(); // item id → card node
const socket = auth ? connect(auth.token) : null; // null: sent to the sign-in page
let plenary = null; // the newest plenary seen (highest seq)
const presenting = () => document.body.classList.contains("is-presenting");
// While presenting, the cards are a wall like the venue PC's: whole, page after page.
const wall = new PlenaryWall(list, $("#wall-pages"), { active: presenting });

const part = (node, id) => node.querySelector(`[data-testid="${id}"]`);

// ------------------------------------------------------------------------------ state

/** Take a plenary from an ack or a broadcast unless an equal or newer one is shown. */
function accept(next) {
  if (!next || next.event_id !== EVENT_ID) return;
  if (plenary && next.seq < plenary.seq) return;
  plenary = next;
  render();
}

// ------------------------------------------------------------------------------ rendering

function renderHead() {
  const state = $("#plenary-state");
  if (plenary.voting) {
    state.dataset.state = "voting";
    state.textContent = plural("plenary_state_voting", plenary.vote_budget);
  } else {
    state.dataset.state = plenary.open ? "open" : "closed";
    state.textContent = plenary.open ? t("plenary_state_open") : t("plenary_state_closed");
  }
  const total = $("#plenary-total");
  const dots = plenary.items.reduce((sum, item) => sum + item.votes, 0);
  const parts = [plural("plenary_items", plenary.items.length)];
  if (byVotes(plenary)) parts.push(plural("plenary_total", dots));
  total.textContent = parts.join(" · ");
  total.hidden = plenary.items.length === 0;
}

function renderControls() {
  controls.pullTop.textContent = t("plenary_pull_top", { n: formatNumber(PULL_TOP) });
  controls.open.textContent = plenary.open ? t("plenary_close") : t("plenary_open");
  controls.open.setAttribute("aria-pressed", plenary.open ? "true" : "false");
  controls.voting.textContent = plenary.voting ? t("plenary_stop_voting") : t("plenary_start_voting");
  controls.voting.setAttribute("aria-pressed", plenary.voting ? "true" : "false");
  controls.voting.className = `button ${plenary.voting ? "button--primary" : "button--secondary"}`;
  controls.budget.value = String(plenary.vote_budget);
}

function makeCard(item) {
  const node = template.content.firstElementChild.cloneNode(true);
  node.dataset.itemId = String(item.id);
  const remove = part(node, "plenary-item-remove");
  remove.textContent = t("plenary_remove");
  remove.addEventListener("click", () => removeItem(node, remove));
  cards.set(item.id, node);
  return node;
}

function renderCard(node, item, rank, showVotes) {
  node.dataset.kind = item.kind;
  node.dataset.votes = String(item.votes);
  part(node, "plenary-item-workshop").textContent = item.workshop;
  const kind = part(node, "plenary-item-kind");
  kind.textContent = t("plenary_cluster");
  kind.hidden = item.kind !== "cluster";
  const place = part(node, "plenary-item-rank");
  place.textContent = formatNumber(rank);
  place.setAttribute("aria-label", t("plenary_rank", { n: formatNumber(rank) }));
  place.hidden = !showVotes || item.votes === 0;
  const votes = part(node, "plenary-item-votes");
  votes.textContent = plural("plenary_votes", item.votes);
  votes.hidden = !showVotes;
  // An idea is shown whole; a cluster by its title with its ideas below.
  const lines = item.kind === "cluster" && item.text ? item.text.split("\n").filter(Boolean) : [];
  part(node, "plenary-item-title").textContent = item.kind === "cluster" ? item.title : item.text || item.title;
  const ideas = part(node, "plenary-item-ideas");
  ideas.replaceChildren(...lines.map((line) => el("li", { class: "pcard__idea", text: line })));
  ideas.hidden = lines.length === 0;
}

function renderItems() {
  const items = shownItems(plenary);
  const showVotes = byVotes(plenary);
  const seen = new Set();
  items.forEach((item, index) => {
    seen.add(item.id);
    const node = cards.get(item.id) || makeCard(item);
    const rank = 1 + items.filter((other) => other.votes > item.votes).length;
    renderCard(node, item, rank, showVotes);
    // Move a card only when needed (moving drops focus).
    if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
  });
  for (const [id, node] of cards) {
    if (!seen.has(id)) {
      node.remove();
      cards.delete(id);
    }
  }
  if (!presenting()) list.dataset.density = density(items.length); // presenting: the wall's
  list.dataset.order = showVotes ? "votes" : "brought";
  const empty = $("#plenary-empty");
  empty.textContent = presenting() ? t("plenary_empty_presenting") : t("plenary_empty");
  empty.hidden = items.length > 0;
  list.hidden = items.length === 0;
  wall.fit();
}

function render() {
  renderHead();
  renderControls();
  renderItems();
}

// ------------------------------------------------------------------------------ commands

function feedback(kind, text) {
  const node = $("#controls-feedback");
  node.textContent = text;
  node.className = `plenary-controls__feedback feedback feedback--${kind}`;
  node.dataset.kind = kind;
  node.hidden = !text;
}

function enableControls(enabled) {
  for (const control of Object.values(controls)) control.disabled = !enabled;
  for (const node of cards.values()) part(node, "plenary-item-remove").disabled = !enabled;
}

/** Send a moderator's command; shows the answered plenary, or the error next to the controls. */
async function command(name, payload, control) {
  feedback("info", "");
  if (control) control.disabled = true;
  try {
    const data = await emit(socket, name, { event_id: EVENT_ID, ...payload });
    accept(data.plenary);
    return data.plenary;
  } catch (error) {
    feedback("error", t("plenary_failed", { message: moderatorErrorText(error) }));
    return null;
  } finally {
    if (control) control.disabled = !socket.connected;
  }
}

async function pullTop() {
  const before = plenary ? plenary.items.length : 0;
  const after = await command("plenary_pull_top", { per_workshop: PULL_TOP }, controls.pullTop);
  if (!after) return;
  const added = after.items.length - before;
  feedback("success", added > 0 ? plural("plenary_added", added) : t("plenary_added_none"));
}

function removeItem(node, button) {
  if (button.dataset.armed !== "true") {
    button.dataset.armed = "true";
    button.textContent = t("plenary_remove_confirm");
    clearTimeout(Number(button.dataset.timer));
    button.dataset.timer = String(setTimeout(() => {
      button.dataset.armed = "false";
      button.textContent = t("plenary_remove");
    }, CONFIRM_MS));
    return;
  }
  clearTimeout(Number(button.dataset.timer));
  button.dataset.armed = "false";
  button.textContent = t("plenary_remove");
  command("plenary_remove", { item_id: Number(node.dataset.itemId) }, button);
}

async function join() {
  try {
    const data = await emit(socket, "join_plenary", { event_id: EVENT_ID });
    plenary = null; // the server's answer after a reconnect is authoritative
    accept(data.plenary);
    enableControls(true);
  } catch (error) {
    banner.show("error", moderatorErrorText(error));
  }
}

// ------------------------------------------------------------------------------ presenting

function present(on) {
  document.body.classList.toggle("is-presenting", on);
  $("#show-controls").hidden = !on;
  if (plenary) renderItems();
  wall.fit();
  (on ? $("#show-controls") : $("#hide-controls")).focus();
}

function setupPresenting() {
  $("#hide-controls").textContent = t("plenary_hide_controls");
  $("#show-controls").textContent = t("plenary_show_controls");
  $("#hide-controls").addEventListener("click", () => present(true));
  $("#show-controls").addEventListener("click", () => present(false));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && document.body.classList.contains("is-presenting")) present(false);
  });
}

// ------------------------------------------------------------------------------ start

async function loadEvent() {
  try {
    const event = await modApi(`/api/v1/events/${EVENT_ID}`);
    document.title = `${t("plenary_title", { title: event.title })} · Pinnwand`;
    $("#event-title").textContent = event.title;
    $("#join-code").textContent = event.join_code;
    $("#join-url").textContent = event.join_url.replace(/^https?:\/\//, "").replace(/\?.*$/, ""); // the key is in the QR code
    const qr = $("#join-qr");
    qr.src = `/join/${encodeURIComponent(event.join_code)}/qr.svg`;
    qr.alt = t("qr_alt", { url: event.join_url });
    $("#join-box").hidden = false;
  } catch (error) {
    banner.show("error", moderatorErrorText(error));
  }
}

if (auth) {
  setupTopbar(auth);
  setupPresenting();
  controls.pullTop.textContent = t("plenary_pull_top", { n: formatNumber(PULL_TOP) });
  controls.pullTop.addEventListener("click", pullTop);
  controls.open.addEventListener("click", () => command("configure_plenary", { open: !plenary.open }, controls.open));
  controls.voting.addEventListener("click", () => command("configure_plenary", { voting: !plenary.voting }, controls.voting));
  controls.budget.addEventListener("change", () => command("configure_plenary", { vote_budget: Number(controls.budget.value) }, controls.budget));
  $("#projector-link").addEventListener("click", () => showPlenaryProjectorLink($("#projector-link-box"), EVENT_ID));
  loadEvent();
  socket.on("plenary_changed", (payload) => accept(payload && payload.plenary));
  socket.on("disconnect", () => enableControls(false));
  watchConnection(socket, banner, {
    onConnect: join,
    onRefused: () => {
      clearAuth();
      toLogin();
    },
  });
}
