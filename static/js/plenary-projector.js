// /plenary/<event id>#token=<plenary viewer token>: the event's plenary on the venue PC.
//
// Read-only and unattended, like a workshop's projector: the token comes from the URL fragment
// (remembered in localStorage for reloads), the socket sends `join_plenary` on every
// (re)connect and keeps the newest plenary it has seen (every `plenary_changed` carries all
// of it). Shows what the room sees: the items while the plenary is open (by votes once there
// are any, with their place), else "starts soon"; the join code and QR; no staff controls.
// The cards fill the screen whole and page when they must (ui/plenary-wall.js).
// data-testid: see the template.

import { $, api, connect, el, emit, formatNumber, plural, statusBanner, store, t, watchConnection } from "./common.js";
import { followTokenLink, tokenFromUrl } from "./ui/link-token.js";
import { byVotes, shownItems } from "./ui/plenary-order.js";
import { PlenaryWall } from "./ui/plenary-wall.js";

const EVENT_ID = Number($("#app").dataset.eventId);
const KEY = `pinnwand:plenary-viewer:${EVENT_ID}`;
const banner = statusBanner($("#status"));
const list = $("#plenary-items");
let plenary = null; // the newest plenary seen (highest seq)
const wall = new PlenaryWall(list, $("#wall-pages")); // every card whole, page after page

followTokenLink();

function fail(text) {
  const error = $("#projector-error");
  error.textContent = text;
  error.hidden = false;
  list.hidden = true;
  banner.hide();
}

function card(item, rank, showVotes) {
  const lines = item.kind === "cluster" && item.text ? item.text.split("\n").filter(Boolean) : [];
  return el("li", { class: "pcard", "data-testid": "plenary-item", dataset: { itemId: String(item.id), kind: item.kind, votes: String(item.votes) } },
    el("article", { class: "pcard__inner" },
      el("header", { class: "pcard__head" },
        showVotes && item.votes > 0 ? el("span", {
          class: "pcard__rank", "data-testid": "plenary-item-rank", text: formatNumber(rank), "aria-label": t("plenary_rank", { n: formatNumber(rank) }),
        }) : null,
        el("span", { class: "pcard__workshop", "data-testid": "plenary-item-workshop", text: item.workshop }),
        item.kind === "cluster" ? el("span", { class: "pcard__kind", "data-testid": "plenary-item-kind", text: t("plenary_cluster") }) : null,
        showVotes ? el("span", { class: "pcard__votes", "data-testid": "plenary-item-votes", text: plural("plenary_votes", item.votes) }) : null),
      el("h2", { class: "pcard__title", "data-testid": "plenary-item-title", text: item.kind === "cluster" ? item.title : item.text || item.title }),
      lines.length ? el("ul", { class: "pcard__ideas", "data-testid": "plenary-item-ideas" },
        lines.map((line) => el("li", { class: "pcard__idea", text: line }))) : null));
}

function render() {
  const items = shownItems(plenary);
  const showVotes = byVotes(plenary);
  list.replaceChildren(...items.map((item) => card(item, 1 + items.filter((other) => other.votes > item.votes).length, showVotes)));
  list.dataset.order = showVotes ? "votes" : "brought";
  $("#plenary-waiting").hidden = plenary.open;
  const empty = $("#plenary-empty");
  empty.textContent = t("plenary_empty_presenting");
  empty.hidden = !plenary.open || items.length > 0;
  const total = $("#plenary-total");
  const dots = items.reduce((sum, item) => sum + item.votes, 0);
  total.textContent = [plural("plenary_items", items.length), ...(showVotes ? [plural("plenary_total", dots)] : [])].join(" · ");
  total.hidden = items.length === 0;
  list.hidden = items.length === 0;
  wall.fit();
}

/** Take a plenary from an ack or a broadcast unless an equal or newer one is shown. */
function accept(next) {
  if (!next || next.event_id !== EVENT_ID) return;
  if (plenary && next.seq < plenary.seq) return;
  plenary = next;
  render();
}

async function showJoinInfo(token) {
  try {
    const info = await api(`/plenary/${EVENT_ID}/info`, { token });
    document.title = `${t("plenary_title", { title: info.event.title })} · Pinnwand`;
    $("#event-title").textContent = info.event.title;
    $("#join-code").textContent = info.event.join_code;
    $("#join-url").textContent = info.event.join_url.replace(/^https?:\/\//, "").replace(/\?.*$/, "");
    const qr = $("#join-qr");
    qr.src = `/join/${encodeURIComponent(info.event.join_code)}/qr.svg`;
    qr.alt = t("qr_alt", { url: info.event.join_url });
    $("#join-box").hidden = false;
    return true;
  } catch (error) {
    if (["unauthorized", "forbidden", "not_found"].includes(error.code)) {
      store.remove(KEY);
      fail(t("link_invalid"));
      return false;
    }
    setTimeout(() => showJoinInfo(token), 10000);
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
  if (!(await showJoinInfo(token))) return;
  const socket = connect(token);
  socket.on("plenary_changed", (payload) => accept(payload && payload.plenary));
  watchConnection(socket, banner, {
    onConnect: async () => {
      try {
        const data = await emit(socket, "join_plenary", { event_id: EVENT_ID });
        plenary = null; // the server's answer after a reconnect is authoritative
        accept(data.plenary);
      } catch (error) {
        if (error.code === "forbidden" || error.code === "not_found") fail(t("link_invalid"));
      }
    },
    onRefused: () => {
      store.remove(KEY);
      fail(t("link_invalid"));
    },
  });
}

start();
