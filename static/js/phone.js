// The participant's phone page, /join/<CODE>: give a name → pick a workshop → live board.
//
// The identity (token, participant, chosen workshop, joined workshops, own idea ids) is kept in
// localStorage under "pinnwand:participant:<CODE>", so a reload or a lost tab keeps it. The
// typed idea is kept as a draft per workshop; "send" moves it into the outbox at once
// (outbox.js: localStorage "pinnwand:outbox:<event id>:<participant id>"), which sends it with
// its op_id as soon as the socket is connected and the workshop joined, and again after every
// reconnect or reload until the server acknowledged it. The banner says when the phone is
// offline and how many ideas wait.
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
//   outbox-list, outbox-item (data-op-id, data-state), outbox-item-text, outbox-item-state,
//   outbox-item-error, outbox-edit, outbox-remove (see outbox.js)
//   connection-status (data-state = info | warning | error | success | ok,
//                      data-waiting = ideas in the outbox that wait to be sent)
//   announcer (aria-live text of ideas arriving live)
//   signed-in-as, leave-event                                footer
//   lang-switch, lang-de, lang-en                            language links

import { $, api, connect, el, emit, showOnly, statusBanner, store, t, watchConnection } from "./common.js";
import { Composer, IdeaList, WorkshopFeed } from "./feed.js";
import { Outbox, OutboxList, outboxCount, outboxText } from "./outbox.js";

const STEPS = ["step-loading", "step-name", "step-workshops", "step-board"];
const MAX_OWN = 1000;
const SEND_TIMEOUT_MS = 10000;

const app = $("#app");
const CODE = app.dataset.code;
const KEY = `pinnwand:participant:${CODE}`;
const banner = statusBanner($("#status"));

let session = store.get(KEY);
let socket = null;
let feed = null;
let own = new Set();
let members = new Set(); // workshops this participant has joined (the server remembers that)
let outbox = null;
let outboxList = null;
let connection = "connecting"; // as watchConnection reports it
let boardLocked = false;
let bannerShows = null; // what the banner shows now, so it changes only on a real change

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
  boardLocked = locked;
  $("#locked-note").hidden = !locked;
  composer.setLocked(locked);
  list.setLocked(locked);
  if (outbox && session && session.workshop_id) outbox.setLocked(session.workshop_id, locked);
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
  if (outboxList) outboxList.show(workshopId);
  outboxChanged();
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

/** The feed joined the open workshop on this connection and applied what it missed: its
 * waiting ideas may go now. */
function onJoined(workshopId) {
  if (!session) return;
  if (!members.has(workshopId)) {
    members.add(workshopId);
    session.members = [...members];
    save();
  }
  if (outbox) outbox.joined(workshopId, { locked: boardLocked });
}

function onFeedError(error) {
  if (error.code === "forbidden" || error.code === "not_found") {
    feed.leave();
    session.workshop_id = null;
    save();
    showWorkshops(t("pick_failed"));
    return;
  }
  bannerShows = "error";
  banner.show("error", error.code === "timeout" ? t("timeout") : t("server_error"));
}

// ---------------------------------------------------------------- outbox and banner

function isOnline() {
  return connection === "online" || connection === "reconnected";
}

/** The server acknowledged a waiting idea: it is on the board (once: by idea id). */
function onAcked(item, data) {
  if (!session || !data || !data.idea) return;
  own.add(data.idea.id);
  session.own = [...own].slice(-MAX_OWN);
  save();
  const idea = data.idea;
  if (idea.workshop_id === session.workshop_id && feed.workshopId === idea.workshop_id && feed.seq !== null) list.add(idea);
  if (item.workshop_id === session.workshop_id) composer.say("success", t("idea_sent"));
}

/**
 * Ideas may wait for a workshop this participant never joined (picked while offline, then
 * switched away): join it once (then leave its room) so the server lets them in.
 */
async function joinForWaitingIdeas(mySocket) {
  const waiting = new Set(outbox.items.filter((item) => !item.error).map((item) => item.workshop_id));
  for (const workshopId of waiting) {
    if (members.has(workshopId) || workshopId === feed.workshopId) continue;
    if (!(session.workshops || []).some((w) => w.id === workshopId)) continue;
    try {
      await emit(mySocket, "join_workshop", { workshop_id: workshopId });
      emit(mySocket, "leave_workshop", { workshop_id: workshopId }).catch(() => {});
      if (socket !== mySocket || !session) return;
      members.add(workshopId);
      session.members = [...members];
      save();
      if (outbox) outbox.flush();
    } catch {
      /* offline again, or not allowed: the ideas wait until that board is opened */
    }
  }
}

function outboxChanged(event = null) {
  const shown = outboxList ? outboxList.render() : 0;
  list.setExtra(shown);
  renderStatus(event);
}

/**
 * The banner: offline (with the number of waiting ideas), sending, waiting for a paused
 * board, all sent, connected again — or nothing.
 */
function renderStatus(event = null) {
  const summary = outbox ? outbox.summary() : { waiting: 0, allLocked: false };
  const n = summary.waiting;
  const node = $("#status");
  node.dataset.waiting = String(n);
  let key;
  let show;
  if (connection === "offline" && n > 0) {
    key = `offline:${n}`;
    show = () => banner.show("warning", outboxCount("outbox_offline", n), { detail: outboxText("outbox_offline_hint") });
  } else if (connection === "connecting" && n === 0) {
    key = "connecting";
    show = () => banner.show("info", t("connecting"), { spinner: true });
  } else if (connection === "offline") {
    key = "offline";
    show = () => banner.show("warning", t("offline"), { spinner: true });
  } else if (n > 0 && summary.allLocked) {
    key = `locked:${n}`;
    show = () => banner.show("info", outboxCount("outbox_locked", n), { detail: outboxText("outbox_locked_hint") });
  } else if (n > 0 && (summary.paused || event === "reconnected" || connection === "connecting"
                        || /^(offline:|sending:|locked:)/.test(bannerShows || ""))) {
    // Ideas that waited (offline, a reload, a retry): say that they are on their way. A quick
    // send while online needs no banner: the card and the form's feedback say enough.
    key = `sending:${n}`;
    show = () => banner.show("info", outboxCount("outbox_count_sending", n), { spinner: true });
  } else if (n > 0) {
    return;
  } else if (bannerShows && /^(offline:|sending:|locked:)/.test(bannerShows)) {
    key = "done";
    show = () => banner.show("success", outboxText("outbox_all_sent"));
  } else if (event === "reconnected") {
    key = "done";
    show = () => banner.show("success", t("reconnected"));
  } else if (bannerShows === "done") {
    return; // the success message hides itself
  } else {
    key = "none";
    show = () => banner.hide();
  }
  if (key === bannerShows && event === null) return;
  bannerShows = key;
  show();
}

// ---------------------------------------------------------------- session

function expired() {
  if (socket) socket.disconnect();
  socket = null;
  if (feed) feed.leave();
  // The outbox stays in localStorage (its key names this participant): nothing typed is lost.
  outbox = null;
  outboxList = null;
  $("#outbox-list").replaceChildren();
  $("#outbox-list").hidden = true;
  list.setExtra(0);
  store.remove(KEY);
  session = null;
  bannerShows = null;
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
  // "Send" hands the idea to the outbox (stored before the field is emptied).
  queue: ({ text, anonymous }) => {
    outbox.add({ workshopId: session.workshop_id, text, anonymous });
    if (isOnline()) composer.clearFeedback();
    else composer.say("info", outboxText("outbox_queued"));
  },
});

function enterEvent() {
  own = new Set(session.own || []);
  members = new Set(session.members || []);
  $("#signed-in-as").textContent = t("signed_in_as", { name: session.name });
  $("#phone-footer").hidden = false;
  const mySocket = connect(session.token);
  socket = mySocket;
  const connected = () => socket === mySocket && mySocket.connected;
  outbox = new Outbox(`pinnwand:outbox:${session.event_id}:${session.participant_id}`, {
    send: (item) => emit(mySocket, "create_idea", { workshop_id: item.workshop_id, op_id: item.op_id, text: item.text, anonymous: item.anonymous }, SEND_TIMEOUT_MS),
    // The open workshop once it is joined on this connection; others the participant joined
    // before (the server remembers membership) as soon as the socket is connected.
    canSend: (workshopId) => connected() && (workshopId === feed.workshopId ? feed.joinedId === workshopId : members.has(workshopId)),
    isConnected: connected,
    knownLocked: (workshopId) => feed.workshopId === workshopId && feed.joinedId === workshopId && boardLocked,
    onAcked,
    onChange: outboxChanged,
  });
  outboxList = new OutboxList($("#outbox-list"), outbox, { author: () => (session ? session.name : ""), isOnline });
  mySocket.on("disconnect", () => {
    if (outbox) outbox.interrupt();
  });
  mySocket.on("connect", () => {
    if (!outbox) return;
    outbox.flush();
    joinForWaitingIdeas(mySocket);
  });
  watchConnection(mySocket, banner, {
    onRefused: expired,
    render: (state) => {
      connection = state;
      // "Saved on your phone – waiting for the connection" is over once it is back.
      if (isOnline() && composer.feedback.dataset.state === "info") composer.clearFeedback();
      outboxChanged(state === "reconnected" ? state : null);
    },
  });
  feed = new WorkshopFeed(mySocket, { onSnapshot, onChange, onError: onFeedError, onJoined });
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
