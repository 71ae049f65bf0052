// /moderator/workshops/<id>: the moderator's live board of one workshop: read, post,
// pause/open, and create the projector link.
//
// data-testid:
//   cockpit-link, board-title, board-question, board-state, lock-toggle (aria-pressed),
//   projector-link, projector-link-box (with projector-url, projector-copy, projector-open),
//   board-locked, idea-form, idea-text, idea-anonymous, idea-counter, idea-submit,
//   idea-feedback (data-state), idea-count (data-count), board-empty, idea-list,
//   idea-card (data-idea-id, data-mine), idea-card-text, idea-author, idea-mine
//   moderator-name, logout, connection-status, lang-switch

import { $, connect, emit, statusBanner, store, t, watchConnection } from "./common.js";
import { clearAuth, requireAuth, setupTopbar, toLogin } from "./moderator-auth.js";
import { errorText, showProjectorLink } from "./moderator-ui.js";
import { Composer, IdeaList, WorkshopFeed } from "./feed.js";

const auth = requireAuth();
const WORKSHOP_ID = Number($("#app").dataset.workshopId);
const OWN_KEY = `pinnwand:moderator-own:${WORKSHOP_ID}`;
const banner = statusBanner($("#status"));
const own = new Set(store.get(OWN_KEY) || []);
let socket = null;
let locked = false;

const list = new IdeaList($("#idea-list"), {
  empty: $("#board-empty"),
  count: $("#idea-total"),
  announcer: $("#announcer"),
  isMine: (idea) => own.has(idea.id),
});

const composer = new Composer({
  form: $("#idea-form"),
  textarea: $("#idea-text"),
  anonymous: $("#idea-anonymous"),
  counter: $("#idea-counter"),
  feedback: $("#idea-feedback"),
  fieldset: $("#idea-fieldset"),
}, {
  draftKey: `pinnwand:draft:moderator:${WORKSHOP_ID}`,
  isOnline: () => Boolean(socket && socket.connected),
  send: ({ text, anonymous, opId }) => emit(socket, "create_idea", { workshop_id: WORKSHOP_ID, op_id: opId, text, anonymous }),
  onSent: (data) => {
    own.add(data.idea.id);
    store.set(OWN_KEY, [...own].slice(-1000));
    list.add(data.idea);
  },
});

function showWorkshop(workshop) {
  $("#board-title").textContent = workshop.title;
  $("#board-question").textContent = workshop.question || workshop.title;
  document.title = `${workshop.title} · Pinnwand`;
  if (workshop.event_id) $("#cockpit-crumb").href = `/moderator/events/${workshop.event_id}/cockpit`;
}

function setLocked(value) {
  locked = value;
  $("#locked-note").hidden = !locked;
  composer.setLocked(locked);
  list.setLocked(locked);
  const state = $("#board-state");
  state.textContent = locked ? t("locked") : t("open");
  state.className = `badge ${locked ? "badge--locked" : "badge--open"}`;
  const toggle = $("#lock-toggle");
  toggle.disabled = false;
  toggle.textContent = locked ? t("unlock") : t("lock");
  toggle.setAttribute("aria-pressed", locked ? "true" : "false");
  toggle.className = `button button--small ${locked ? "button--primary" : "button--secondary"}`;
}

$("#lock-toggle").addEventListener("click", async () => {
  const toggle = $("#lock-toggle");
  toggle.disabled = true;
  try {
    const data = await emit(socket, "lock_workshop", { workshop_id: WORKSHOP_ID, locked: !locked });
    setLocked(data.locked);
  } catch (error) {
    banner.show("error", t("lock_failed", { message: errorText(error) }));
    toggle.disabled = false;
  }
});

$("#projector-button").addEventListener("click", () => showProjectorLink($("#projector-link-box"), WORKSHOP_ID));

if (auth) {
  setupTopbar(auth);
  list.loading();
  socket = connect(auth.token);
  watchConnection(socket, banner, {
    onRefused: () => {
      clearAuth();
      toLogin();
    },
  });
  const feed = new WorkshopFeed(socket, {
    onSnapshot(data) {
      showWorkshop(data.workshop);
      setLocked(Boolean(data.workshop.locked));
      list.reset(data.ideas);
    },
    onChange(name, payload) {
      if (name === "idea_created") list.add(payload.idea, { live: true });
      else if (name === "workshop_locked") setLocked(Boolean(payload.locked));
      else if (name === "workshop_updated") showWorkshop(payload.workshop);
    },
    onError(error) {
      banner.show("error", errorText(error));
    },
  });
  feed.open(WORKSHOP_ID);
}
