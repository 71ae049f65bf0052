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
// The board follows the workshop's steps (collect → cluster → vote → act → closed) as the
// server announces them: a BoardState (board-state.js) holds what arrived, and the step views
// (phone-steps.js) render it. The phone also joins the event's plenary and shows it in a
// "Plenary" tab while it is open.
//
// The step views and their styles, the outbox and the Socket.IO client are needed only from the
// board on: they apply after the first screen is drawn (the page fetches them at low priority),
// so that on slow venue Wi-Fi the name field comes up without waiting for them.
//
// data-testid (stable, for the browser tests; the step views list theirs in phone-steps.js):
//   step-loading, step-name, step-workshops, step-board     the page's steps (one visible)
//   event-name, event-date                                   event heading on the name step
//   name-form, join-name, join-submit, join-error            joining with a name
//   workshop-list, workshop-choice (data-workshop-id, aria-current on the open one)
//   board-title, board-question, workshop-switch             board header
//   board-tabs, tab-workshop, tab-plenary (aria-pressed), workshop-panel, plenary-panel
//   board-locked                                             shown while the workshop is paused
//   board-closed                                             shown once the workshop is closed
//   private-note                                             private writing is on
//   view-collect, view-cluster, view-vote, view-act          the step's view (one visible)
//   idea-form, idea-text, idea-anonymous, idea-category, idea-counter, idea-submit,
//   idea-feedback (data-state = success | error)             posting
//   idea-count (data-count), board-empty, idea-list,
//   idea-card (data-idea-id, data-mine), idea-card-text, idea-author, idea-mine
//   outbox-list, outbox-item (data-op-id, data-state), outbox-item-text, outbox-item-state,
//   outbox-item-error, outbox-edit, outbox-remove (see outbox.js)
//   connection-status (data-state = info | warning | error | success | ok,
//                      data-waiting = ideas in the outbox that wait to be sent)
//   announcer (aria-live text of ideas and messages arriving live), alert-announcer
//   signed-in-as, leave-event                                footer
//   lang-switch, lang-de, lang-en                            language links

import {
  $, api, ApiError, coalesced, connect, el, emit, loadScript, loadStylesheet, showOnly, statusBanner, store, t,
  watchConnection,
} from "./common.js";
import { BoardState } from "./board-state.js";
import { Composer, WorkshopFeed, composerNodes } from "./feed.js";

const STEPS = ["step-loading", "step-name", "step-workshops", "step-board"];
const MAX_OWN = 1000;
const SEND_TIMEOUT_MS = 10000;
const RETRY_LOAD_MS = [1000, 2000, 5000, 10000, 30000]; // waits between tries to fetch the board's code

const app = $("#app");
const CODE = app.dataset.code;
const JOIN_KEY = app.dataset.joinKey || null; // the join link's key: such a join is never slowed down
const KEY = `pinnwand:participant:${CODE}`;
const banner = statusBanner($("#status"));

let session = store.get(KEY);
let socket = null;
let feed = null;
let entering = null; // settles once the socket is made and the step views are here
let viewsReady = null; // settles once the step views are here
let own = new Set();
let members = new Set(); // workshops this participant has joined (the server remembers that)
let outbox = null;
let outboxList = null;
let connection = "connecting"; // as watchConnection reports it
let board = new BoardState();
let postingClosed = false; // locked, or not in the collect step: new ideas wait in the outbox
let activeTab = "workshop";
let createTakesCategory = true; // until the server refuses create_idea's "category_id"
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
    const body = JOIN_KEY ? { code: CODE, name, key: JOIN_KEY } : { code: CODE, name };
    const joined = await api("/api/v1/join", { method: "POST", body });
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
    enterEvent({ justJoined: true });
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
        on: { click: () => pick(workshop.id) },
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

function announce(text) {
  $("#announcer").textContent = text;
}

/** Send a board event of the open workshop; refused at once while offline (nothing queues). */
function sendToWorkshop(name, fields) {
  if (!socket || !socket.connected || !session) return Promise.reject(new ApiError("network", t("offline")));
  return emit(socket, name, { workshop_id: session.workshop_id, ...fields });
}

function sendToEvent(name, fields) {
  if (!socket || !socket.connected || !session) return Promise.reject(new ApiError("network", t("offline")));
  return emit(socket, name, { event_id: session.event_id, ...fields });
}

// The outbox (outbox.js) and the step views (phone-steps.js), once they are here (loadSocketCode,
// loadViewCode).
let Outbox, OutboxList, outboxCount, outboxText;
let toast, stepBanner, timer, messageBanner, collect, clusterView, voteView, actView, plenary;
let errorText, stepWords;
const viewContext = {
  state: () => board,
  send: sendToWorkshop,
  isMine: (idea) => board.isMine(idea) || own.has(idea.id),
  participantId: () => (session ? session.participant_id : null),
  toast: null,
};

function createViews(steps) {
  ({ errorText, stepWords } = steps);
  toast = new steps.Toast($("#toast"));
  viewContext.toast = toast;
  stepBanner = new steps.StepBanner($("#step-banner"));
  timer = new steps.TimerView({
    root: $("#timer"), time: $("#timer-time"), label: $("#timer-label"), ended: $("#timer-ended"), sound: $("#timer-sound"),
  }, { announce: (text) => { $("#alert-announcer").textContent = text; } });
  messageBanner = new steps.MessageBanner({
    root: $("#message-banner"), text: $("#message-text"), from: $("#message-from"), dismiss: $("#message-dismiss"),
  });
  collect = new steps.CollectView({
    list: $("#idea-list"),
    empty: $("#board-empty"),
    count: $("#idea-total"),
    privateNote: $("#private-note"),
    categoryField: $("#idea-category-field"),
    categorySelect: $("#idea-category"),
    textarea: $("#idea-text"),
  }, viewContext);
  clusterView = new steps.ClusterView($("#view-cluster-body"), viewContext);
  voteView = new steps.VoteView($("#view-vote-body"), viewContext);
  actView = new steps.ActView({ list: $("#action-list"), empty: $("#actions-empty") }, viewContext);
  plenary = new steps.PlenaryView({ root: $("#plenary-list"), hint: $("#plenary-hint"), remaining: $("#plenary-remaining") }, {
    send: sendToEvent,
    toast,
  });
}

/** `load(attempt)` run once, again after a failed try (a later call starts a new try). */
function loadOnce(load) {
  let pending = null;
  let attempt = 0;
  return () => {
    if (!pending) {
      pending = load(attempt).catch((error) => {
        pending = null;
        throw error;
      });
      attempt += 1;
    }
    return pending;
  };
}

/** A module of the board's code; a failed fetch may stay failed under its URL, so a new try
 * asks under a new one. */
function importBoardModule(name, attempt) {
  return attempt === 0 ? import(`./${name}.js`) : import(`./${name}.js?try=${attempt}`);
}

/** What the socket needs: the Socket.IO client and the outbox. */
const loadSocketCode = loadOnce((attempt) => Promise.all([
  window.io ? null : loadScript(app.dataset.socketClient),
  importBoardModule("outbox", attempt),
]).then(([, outboxModule]) => {
  ({ Outbox, OutboxList, outboxCount, outboxText } = outboxModule);
}));

/** What the board shows: the step views and their styles. */
const loadViewCode = loadOnce((attempt) => Promise.all([
  importBoardModule("phone-steps", attempt),
  document.querySelector(`link[rel="stylesheet"][href="${app.dataset.boardStyles}"]`) ? null : loadStylesheet(app.dataset.boardStyles),
]).then(([steps]) => {
  if (!collect) createViews(steps);
}));

/** Resolves once `load` succeeded, trying again (with the banner saying so) while the network
 * fails. */
async function loadedForSure(load) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await load();
      if (attempt > 0) banner.hide();
      return;
    } catch {
      banner.show("error", t("network_error"));
      await new Promise((resolve) => setTimeout(resolve, RETRY_LOAD_MS[Math.min(attempt, RETRY_LOAD_MS.length - 1)]));
    }
  }
}

const VIEWS = { collect: "view-collect", cluster: "view-cluster", vote: "view-vote", act: "view-act", closed: "view-act" };

/** New ideas are taken only while the workshop collects and is not locked. */
function postingClosedNow() {
  const workshop = board.workshop;
  return Boolean(workshop) && (Boolean(workshop.locked) || workshop.step !== "collect");
}

/** Otherwise the composer is disabled and waiting ideas stay in the outbox. */
function setPostingClosed(closed) {
  composer.setLocked(closed);
  if (closed === postingClosed) return;
  postingClosed = closed;
  if (outbox && session && session.workshop_id) outbox.setLocked(session.workshop_id, closed);
}

const renderSoon = coalesced(() => renderBoard());

/** Draw the board from the state: header, step, timer, message, the step's view. */
function renderBoard() {
  const workshop = board.workshop;
  if (!workshop || !collect) return;
  const step = workshop.step;
  showHeader(workshop);
  stepBanner.render(board);
  timer.render(board);
  messageBanner.render(board);
  $("#locked-note").hidden = !workshop.locked || step === "closed";
  $("#closed-note").hidden = step !== "closed";
  setPostingClosed(postingClosedNow());
  const visible = VIEWS[step] || "view-collect";
  showOnly(Object.values(VIEWS), visible);
  if (visible !== "view-cluster") document.body.classList.remove("has-bottom-bar");
  if (visible === "view-collect") collect.render(board);
  else if (visible === "view-cluster") clusterView.render(board);
  else if (visible === "view-vote") voteView.render(board);
  else actView.render(board);
  renderTabs();
}

function openBoard(workshopId) {
  if (session.workshop_id !== workshopId || !feed.workshopId) {
    session.workshop_id = workshopId;
    save();
    board = new BoardState();
    timer.stop();
    collect.reset(workshopId);
    clusterView.reset();
    voteView.reset();
    actView.reset();
    collect.loading();
    messageBanner.setKey(`pinnwand:message-seen:${CODE}:${workshopId}`);
    $("#step-banner").hidden = true;
    setPostingClosed(false);
    composer.clearFeedback();
    composer.textarea.value = "";
    feed.open(workshopId);
  }
  showHeader(currentWorkshop());
  composer.setDraftKey(`pinnwand:draft:${CODE}:${workshopId}`);
  if (outboxList) outboxList.show(workshopId);
  outboxChanged();
  showTab(activeTab);
  showOnly(STEPS, "step-board");
  window.scrollTo(0, 0);
}

function onSnapshot(data) {
  const workshop = data.workshop;
  const known = currentWorkshop();
  if (known) Object.assign(known, { title: workshop.title, question: workshop.question });
  board = new BoardState();
  board.load(data);
  for (const id of board.me.ideas) own.add(id);
  renderBoard();
}

function onChange(name, payload) {
  const stepBefore = board.workshop ? board.workshop.step : null;
  board.apply(name, payload);
  if (name === "idea_created") {
    const idea = payload.idea;
    collect.markNew(idea.id);
    if (!viewContext.isMine(idea) && idea.text !== null && idea.text !== undefined) {
      announce(idea.author ? t("new_idea_by", { author: idea.author, text: idea.text }) : t("new_idea", { text: idea.text }));
    }
  } else if (name === "message_posted") {
    announce(t("message_announce", { text: payload.message.text }));
  } else if (name === "step_changed" && payload.step !== stepBefore) {
    const words = stepWords(board.workshop);
    announce(`${words.title}: ${words.hint}`);
    if (activeTab === "workshop") window.scrollTo(0, 0);
  } else if (name === "workshop_updated") {
    const known = currentWorkshop();
    if (known) Object.assign(known, { title: payload.workshop.title, question: payload.workshop.question });
    save();
  }
  // The outbox learns at once whether ideas may go (the rest is drawn once per batch).
  if (name === "workshop_locked" || name === "step_changed") setPostingClosed(postingClosedNow());
  renderSoon();
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
  if (outbox) outbox.joined(workshopId, { locked: postingClosedNow() });
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

// ---------------------------------------------------------------- plenary

/** The tabs appear while the event's plenary is open. */
function renderTabs() {
  const open = plenary.isOpen;
  $("#board-tabs").hidden = !open;
  if (!open && activeTab !== "workshop") showTab("workshop");
}

function showTab(name) {
  activeTab = plenary.isOpen ? name : "workshop";
  const onPlenary = activeTab === "plenary";
  $("#workshop-panel").hidden = onPlenary;
  $("#plenary-panel").hidden = !onPlenary;
  $("#tab-workshop").setAttribute("aria-pressed", onPlenary ? "false" : "true");
  $("#tab-plenary").setAttribute("aria-pressed", onPlenary ? "true" : "false");
}

/** Whenever the plenary opens, the phone turns to it (the room is meant to look there now). */
function plenaryArrived(wasOpen) {
  renderTabs();
  if (plenary.isOpen && !wasOpen) {
    showTab("plenary");
    announce(t("plenary_opened"));
  }
}

async function joinPlenary(mySocket) {
  await viewsReady;
  if (!session || socket !== mySocket) return;
  try {
    const wasOpen = plenary.isOpen;
    const data = await emit(mySocket, "join_plenary", { event_id: session.event_id });
    if (socket !== mySocket) return;
    plenary.load(data);
    plenaryArrived(wasOpen);
  } catch {
    /* no plenary on this server, or offline: tried again on the next connection */
  }
}

function onPlenaryChanged(payload) {
  // Before the views are here, joinPlenary (which waits for them) reads the whole plenary.
  if (!plenary || !session || !payload || payload.event_id !== session.event_id || !payload.plenary) return;
  const wasOpen = plenary.isOpen;
  if (plenary.update({ ...payload.plenary, seq: payload.plenary.seq ?? payload.seq })) plenaryArrived(wasOpen);
}

$("#tab-workshop").addEventListener("click", () => showTab("workshop"));
$("#tab-plenary").addEventListener("click", () => showTab("plenary"));

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
  const shown = idea.workshop_id === session.workshop_id && feed.workshopId === idea.workshop_id && feed.seq !== null;
  if (shown) {
    board.me.ideas.add(idea.id);
    // The broadcast normally came first; if not, the ack shows the card (the broadcast with
    // the same seq then finds it there).
    if (!board.ideasById.has(idea.id) && typeof data.seq === "number" && data.seq > feed.seq) board.putIdea(idea);
    renderSoon();
  }
  fileIntoCategory(item, idea);
  if (item.workshop_id === session.workshop_id) composer.say("success", idea.hidden ? t("idea_sent_private") : t("idea_sent"));
}

// -- categories of waiting ideas: the outbox keeps text and op_id; the category chosen when
// the idea was sent is kept beside it (by op_id) until the server has the idea.

function categoryKey() {
  return `pinnwand:idea-category:${session.event_id}:${session.participant_id}`;
}

function wantedCategories() {
  return (session && store.get(categoryKey())) || {};
}

function rememberCategory(opId, categoryId) {
  const wanted = wantedCategories();
  if (categoryId) wanted[opId] = categoryId;
  else delete wanted[opId];
  store.set(categoryKey(), wanted);
}

/** create_idea with the chosen category; a server whose create_idea takes no "category_id"
 * gets the plain idea (and the category follows with update_idea, see fileIntoCategory). */
async function sendIdea(mySocket, item) {
  const payload = { workshop_id: item.workshop_id, op_id: item.op_id, text: item.text, anonymous: item.anonymous };
  const category = wantedCategories()[item.op_id];
  if (category && createTakesCategory) {
    try {
      return await emit(mySocket, "create_idea", { ...payload, category_id: category }, SEND_TIMEOUT_MS);
    } catch (error) {
      if (!(error.code === "invalid" && error.fields && "category_id" in error.fields)) throw error;
      createTakesCategory = false;
    }
  }
  return emit(mySocket, "create_idea", payload, SEND_TIMEOUT_MS);
}

/** The idea is stored: put it into the chosen category if it is not there yet. */
function fileIntoCategory(item, idea) {
  const category = wantedCategories()[item.op_id];
  if (!category) return;
  rememberCategory(item.op_id, null);
  if (idea.category_id === category || !socket) return;
  emit(socket, "update_idea", { workshop_id: idea.workshop_id, idea_id: idea.id, category_id: category })
    .catch((error) => toast && toast.show("error", errorText(error)));
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
  if (collect) collect.setExtra(shown);
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
  feed = null;
  // The outbox stays in localStorage (its key names this participant): nothing typed is lost.
  outbox = null;
  outboxList = null;
  $("#outbox-list").replaceChildren();
  $("#outbox-list").hidden = true;
  if (collect) {
    collect.setExtra(0);
    timer.stop();
    plenary.load({ plenary: null });
    renderTabs();
  }
  store.remove(KEY);
  session = null;
  bannerShows = null;
  banner.hide();
  showName(t("session_expired"));
}

const composer = new Composer(composerNodes(), {
  draftKey: null,
  // "Send" hands the idea to the outbox (stored before the field is emptied).
  queue: ({ text, anonymous }) => {
    const category = collect.chosenCategory();
    const item = outbox.add({ workshopId: session.workshop_id, text, anonymous });
    if (category) rememberCategory(item.op_id, category);
    if (isOnline()) composer.clearFeedback();
    else composer.say("info", outboxText("outbox_queued"));
  },
});

/** Open the event for the participant in `session`: the workshop list at once (a returning
 * participant's open board once its code is here), the socket as soon as the board's code is
 * here. Right after joining, the list from the join answer is current: no second fetch. */
function enterEvent({ justJoined = false } = {}) {
  own = new Set(session.own || []);
  members = new Set(session.members || []);
  $("#signed-in-as").textContent = t("signed_in_as", { name: session.name });
  $("#phone-footer").hidden = false;
  const mine = session;
  const resume = Boolean(session.workshop_id && currentWorkshop());
  if (!resume) showWorkshops();
  // The socket connects as soon as its own code is here, while the step views may still load.
  viewsReady = loadedForSure(loadViewCode);
  const connecting = loadedForSure(loadSocketCode).then(() => {
    if (session !== mine) return; // left or expired meanwhile
    connectBoard();
    if (!justJoined) refreshWorkshops();
  });
  entering = Promise.all([connecting, viewsReady]).then(() => {
    if (session === mine && resume) openBoard(session.workshop_id);
  });
}

/** Open a workshop's board; while the board's code is still on its way, "Loading" shows. */
function pick(workshopId) {
  if (feed && collect) {
    openBoard(workshopId);
    return;
  }
  showOnly(STEPS, "step-loading");
  const mine = session;
  entering.then(() => {
    if (session === mine) openBoard(workshopId);
  });
}

/** The socket, the outbox that sends through it, and the feed of the open workshop. */
function connectBoard() {
  const mySocket = connect(session.token);
  socket = mySocket;
  const connected = () => socket === mySocket && mySocket.connected;
  outbox = new Outbox(`pinnwand:outbox:${session.event_id}:${session.participant_id}`, {
    send: (item) => sendIdea(mySocket, item),
    // The open workshop once it is joined on this connection; others the participant joined
    // before (the server remembers membership) as soon as the socket is connected.
    canSend: (workshopId) => connected() && (workshopId === feed.workshopId ? feed.joinedId === workshopId : members.has(workshopId)),
    isConnected: connected,
    knownLocked: (workshopId) => feed.workshopId === workshopId && feed.joinedId === workshopId && postingClosedNow(),
    onAcked,
    onChange: outboxChanged,
  });
  outboxList = new OutboxList($("#outbox-list"), outbox, { author: () => (session ? session.name : ""), isOnline });
  mySocket.on("disconnect", () => {
    if (outbox) outbox.interrupt();
  });
  mySocket.on("connect", () => {
    joinPlenary(mySocket);
    if (!outbox) return;
    outbox.flush();
    joinForWaitingIdeas(mySocket);
  });
  mySocket.on("plenary_changed", onPlenaryChanged);
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
}

$("#switch-workshop").addEventListener("click", () => showWorkshops());

$("#leave-event").addEventListener("click", () => {
  const token = session && session.token;
  if (token) api("/api/v1/auth/logout", { method: "POST", token }).catch(() => {});
  expired();
  $("#join-name-error").hidden = true;
  $("#join-name").value = "";
});

if (session && session.token) {
  enterEvent();
} else {
  showName();
  // Run while the name is typed; enterEvent tries again after a failure.
  loadSocketCode().catch(() => {});
  loadViewCode().catch(() => {});
}
