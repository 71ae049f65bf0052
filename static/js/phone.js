// The participant's phone page, /join/<CODE>: give a name → pick a workshop → live board.
//
// The identity (token, participant, chosen workshop, own idea ids) is kept in localStorage
// under "pinnwand:participant:<CODE>", so a reload or a lost tab keeps it. The typed idea is
// kept as a draft per workshop until the server acknowledged it.
//
// data-testid (stable, for the browser tests):
//   step-loading, step-name, step-workshops, step-board     the page's steps (one visible)
//   event-name, event-date                                   event heading on the name step
//   name-form, join-name, join-submit, join-error            joining with a name
//   workshop-list, workshop-choice (data-workshop-id, aria-current on the open one)
//   board-title, board-question, workshop-switch             board header
//   board-locked                                             shown while the workshop is paused
//   idea-form, idea-text, idea-anonymous, idea-counter, idea-submit,
//   idea-feedback (data-state = success | error)             posting
//   idea-count (data-count), board-empty, idea-list,
//   idea-card (data-idea-id, data-mine), idea-card-text, idea-author, idea-mine
//   connection-status (data-state = info | warning | error | success | ok)
//   announcer (aria-live text of ideas arriving live)
//   signed-in-as, leave-event                                footer
//   lang-switch, lang-de, lang-en                            language links

import { $, api, connect, el, emit, showOnly, statusBanner, store, t, watchConnection } from "./common.js";
import { Composer, IdeaList, WorkshopFeed } from "./feed.js";

const STEPS = ["step-loading", "step-name", "step-workshops", "step-board"];
const MAX_OWN = 1000;

const app = $("#app");
const CODE = app.dataset.code;
const KEY = `pinnwand:participant:${CODE}`;
const banner = statusBanner($("#status"));

let session = store.get(KEY);
let socket = null;
let feed = null;
let own = new Set();

function save() {
  store.set(KEY, session);
}

function currentWorkshop() {
  return (session.workshops || []).find((w) => w.id === session.workshop_id) || null;
}

// ---------------------------------------------------------------- step 1: the name

function showName(message = "") {
  showOnly(STEPS, "step-name");
  $("#phone-footer").hidden = true;
  const error = $("#join-name-error");
  error.textContent = message;
  error.hidden = !message;
  $("#join-name").toggleAttribute("aria-invalid", Boolean(message));
}

$("#name-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("#join-name");
  const name = input.value.trim();
  if (name.length < 1 || name.length > 40) {
    showName(t("name_invalid"));
    input.focus();
    return;
  }
  const button = $('[data-testid="join-submit"]');
  button.disabled = true;
  try {
    const joined = await api("/api/v1/join", { method: "POST", body: { code: CODE, name } });
    session = {
      token: joined.token,
      participant_id: joined.participant_id,
      event_id: joined.event_id,
      name,
      workshops: joined.workshops,
      workshop_id: null,
      own: [],
    };
    save();
    enterEvent();
  } catch (error) {
    const messages = { not_found: t("code_unknown"), invalid: t("name_invalid"), network: t("network_error") };
    showName(messages[error.code] || t("server_error"));
  } finally {
    button.disabled = false;
  }
});

// ---------------------------------------------------------------- step 2: the workshop

function showWorkshops(message = "") {
  const listNode = $("#workshop-list");
  listNode.replaceChildren(...(session.workshops || []).map((workshop) => {
    const current = workshop.id === session.workshop_id;
    return el("li", {},
      el("button", {
        type: "button",
        class: `choice${current ? " choice--current" : ""}`,
        "data-testid": "workshop-choice",
        "aria-current": current ? "true" : null,
        dataset: { workshopId: String(workshop.id) },
        on: { click: () => openBoard(workshop.id) },
      },
      el("span", { class: "choice__title", text: workshop.title }),
      workshop.question ? el("span", { class: "choice__question", text: workshop.question }) : null,
      el("span", { class: "choice__arrow", "aria-hidden": "true", text: "→" })));
  }));
  const error = $("#pick-error");
  error.textContent = message;
  error.hidden = !message;
  showOnly(STEPS, "step-workshops");
  window.scrollTo(0, 0);
}

async function refreshWorkshops() {
  try {
    const data = await api(`/api/v1/events/${session.event_id}/workshops`, { token: session.token });
    session.workshops = data.workshops.map(({ id, title, question }) => ({ id, title, question }));
    save();
    if (!$("#step-workshops").hidden) showWorkshops();
    if (session.workshop_id && !currentWorkshop()) showWorkshops(t("pick_failed"));
    else if (!$("#step-board").hidden) showHeader(currentWorkshop());
  } catch (error) {
    if (error.code === "unauthorized") expired();
  }
}

// ---------------------------------------------------------------- step 3: the board

function showHeader(workshop) {
  if (!workshop) return;
  $("#board-title").textContent = workshop.title;
  $("#board-question").textContent = workshop.question || workshop.title;
  document.title = `${workshop.title} · Pinnwand`;
}

function setLocked(locked) {
  $("#locked-note").hidden = !locked;
  composer.setLocked(locked);
  list.setLocked(locked);
}

function openBoard(workshopId) {
  if (session.workshop_id !== workshopId || !feed.workshopId) {
    session.workshop_id = workshopId;
    save();
    list.loading();
    setLocked(false);
    composer.clearFeedback();
    composer.textarea.value = "";
    feed.open(workshopId);
  }
  showHeader(currentWorkshop());
  composer.setDraftKey(`pinnwand:draft:${CODE}:${workshopId}`);
  showOnly(STEPS, "step-board");
  window.scrollTo(0, 0);
}

function onSnapshot(data) {
  const workshop = data.workshop;
  const known = currentWorkshop();
  if (known) Object.assign(known, { title: workshop.title, question: workshop.question });
  showHeader(workshop);
  setLocked(Boolean(workshop.locked));
  list.reset(data.ideas);
}

function onChange(name, payload) {
  if (name === "idea_created") list.add(payload.idea, { live: true });
  else if (name === "workshop_locked") setLocked(Boolean(payload.locked));
  else if (name === "workshop_updated") {
    const known = currentWorkshop();
    if (known) Object.assign(known, { title: payload.workshop.title, question: payload.workshop.question });
    save();
    showHeader(payload.workshop);
  }
}

function onFeedError(error) {
  if (error.code === "forbidden" || error.code === "not_found") {
    feed.leave();
    session.workshop_id = null;
    save();
    showWorkshops(t("pick_failed"));
    return;
  }
  banner.show("error", error.code === "timeout" ? t("timeout") : t("server_error"));
}

// ---------------------------------------------------------------- session

function expired() {
  if (socket) socket.disconnect();
  socket = null;
  if (feed) feed.leave();
  store.remove(KEY);
  session = null;
  banner.hide();
  showName(t("session_expired"));
}

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
  draftKey: null,
  isOnline: () => Boolean(socket && socket.connected),
  send: ({ text, anonymous, opId }) => emit(socket, "create_idea", { workshop_id: session.workshop_id, op_id: opId, text, anonymous }),
  onSent: (data) => {
    own.add(data.idea.id);
    session.own = [...own].slice(-MAX_OWN);
    save();
    list.add(data.idea);
  },
});

function enterEvent() {
  own = new Set(session.own || []);
  $("#signed-in-as").textContent = t("signed_in_as", { name: session.name });
  $("#phone-footer").hidden = false;
  socket = connect(session.token);
  watchConnection(socket, banner, { onRefused: expired });
  feed = new WorkshopFeed(socket, { onSnapshot, onChange, onError: onFeedError });
  refreshWorkshops();
  if (session.workshop_id && currentWorkshop()) openBoard(session.workshop_id);
  else showWorkshops();
}

$("#switch-workshop").addEventListener("click", () => showWorkshops());

$("#leave-event").addEventListener("click", () => {
  const token = session && session.token;
  if (token) api("/api/v1/auth/logout", { method: "POST", token }).catch(() => {});
  expired();
  $("#join-name-error").hidden = true;
  $("#join-name").value = "";
});

if (session && session.token) enterEvent();
else showName();
