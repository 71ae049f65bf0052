// The participant's phone page, /join/<CODE>: give a name → pick a workshop → live board.
//
// The participant (token, chosen workshop, joined workshops, own idea ids) is kept in
// localStorage, so a reload or a lost tab keeps them. The typed idea is kept as a draft per
// workshop; "send" moves it into the outbox at once (outbox.js), which sends it with its op_id
// as soon as the socket is connected and the workshop joined, and again after every reconnect
// or reload until the server acknowledged it. The banner says when the phone is offline and
// how many ideas wait.
//
// The board follows the workshop's steps (collect → cluster → vote → act → closed) as the
// server announces them: a BoardState (board-state.js) holds what arrived, and the step views
// render it. The phone also joins the event's plenary and shows it in a "Plenary" tab while it
// is open.
//
// The step views, the outbox and the Socket.IO client are needed only from the board on: they
// apply after the first screen is drawn, so that on slow venue Wi-Fi the name field comes up
// without waiting for them. The board's first views (phone-board.js: step banner, timer,
// message, collect; their styles are in the page) are asked for once the name is sent; the
// other steps' views and the plenary (phone-steps.js, css/step-views.css) once the board is up,
// so that they do not hold up the first idea. They import only modules this page has already
// loaded: a module that failed to load stays failed under its URL, and only the board's own
// modules are fetched again (under a new URL) after a failure.
//
// The page's state lives in a few objects: `me` (the participant), `board` (the open board and
// how it is shown), `live` (the socket, the feed and the outbox, while connected), `views` (the
// step views, once their code is here). data-testid: see app/templates/pages/join.html.

import {
  $, api, apiAnswer, ApiError, coalesced, connect, el, emit, errorText, loadScript, loadStylesheet, showOnly, statusBanner,
  store, t,
  Toast, watchConnection,
} from "./common.js";
import { BoardState } from "./board-state.js";
import { Composer, WorkshopFeed, composerNodes } from "./feed.js";
import { newIdeaAnnouncement } from "./ui/board-text.js";

const SCREENS = ["step-loading", "step-name", "step-workshops", "step-board"];
const VIEWS = { review: "view-review", collect: "view-collect", cluster: "view-cluster", vote: "view-vote", act: "view-act", closed: "view-act" };
const STEP_VIEWS = ["cluster", "vote", "act", "review"]; // phone-steps.js, with the plenary
const MAX_OWN = 1000;
const SEND_TIMEOUT_MS = 10000;
const RETRY_LOAD_MS = [1000, 2000, 5000, 10000, 30000]; // waits between tries to fetch the board's code

const app = $("#app");
const CODE = app.dataset.code;
const JOIN_KEY = app.dataset.joinKey || null; // the join link's key: such a join is never slowed down
const banner = statusBanner($("#status"));

// ---------------------------------------------------------------- the participant

/** The participant on this phone, kept in localStorage ("pinnwand:participant:<CODE>"):
 * `data` is {token, participant_id, event_id, name, workshops, workshop_id (the open board),
 * own (ids of own ideas), members (workshops joined)}, or null before joining. A new `data`
 * object per joining: code that waited compares it to see whether the participant changed. */
class Participant {
  constructor(key) {
    this.key = key;
    this.data = store.get(key);
    this.load();
  }

  /** `own` and `members` (workshops joined; the server remembers that) as sets. */
  load() {
    this.own = new Set((this.data && this.data.own) || []);
    this.members = new Set((this.data && this.data.members) || []);
  }

  /** Joined the event with `name` (POST /api/v1/join's answer). */
  begin(joined, name) {
    this.data = {
      token: joined.token, participant_id: joined.participant_id, event_id: joined.event_id, name,
      workshops: joined.workshops, workshop_id: null, own: [], members: [],
    };
    this.load();
    this.save();
  }

  save() {
    store.set(this.key, this.data);
  }

  forget() {
    store.remove(this.key);
    this.data = null;
    this.load();
  }

  /** The workshop whose board is open (as listed), or null. */
  workshop() {
    return (this.data.workshops || []).find((w) => w.id === this.data.workshop_id) || null;
  }

  open(workshopId) {
    this.data.workshop_id = workshopId;
    this.save();
  }

  addOwn(ideaId) {
    this.own.add(ideaId);
    this.data.own = [...this.own].slice(-MAX_OWN);
    this.save();
  }

  joined(workshopId) {
    if (this.members.has(workshopId)) return;
    this.members.add(workshopId);
    this.data.members = [...this.members];
    this.save();
  }

  /** A workshop's title and question changed (snapshot or broadcast). */
  rename(workshopId, { title, question }) {
    const known = (this.data.workshops || []).find((w) => w.id === workshopId);
    if (known) Object.assign(known, { title, question });
    this.save();
  }
}

const me = new Participant(`pinnwand:participant:${CODE}`);

// ---------------------------------------------------------------- step 1: the name

function showName(message = "") {
  showOnly(SCREENS, "step-name");
  $("#phone-footer").hidden = true;
  const error = $("#join-name-error");
  error.textContent = message;
  error.hidden = !message;
  $("#join-name").toggleAttribute("aria-invalid", Boolean(message));
}

/** Join the event with `name`; `sent` is the join request if the page's first script
 * (phone-start.js) already sent it, else it is sent here. */
async function joinEvent(name, sent = null) {
  if (name.length < 1 || name.length > 40) {
    showName(t("name_invalid"));
    $("#join-name").focus();
    return;
  }
  const button = $('[data-testid="join-submit"]');
  button.disabled = true;
  try {
    const body = JOIN_KEY ? { code: CODE, name, key: JOIN_KEY } : { code: CODE, name };
    const joined = await (sent ? apiAnswer(sent) : api("/api/v1/join", { method: "POST", body }));
    me.begin(joined, name);
    enterEvent({ justJoined: true });
  } catch (error) {
    showName(errorText(error, { not_found: t("code_unknown"), invalid: t("name_invalid"), network: t("network_error"), other: t("server_error") }));
  } finally {
    button.disabled = false;
  }
}

// From now on this script takes the name form (phone-start.js hands over).
window.pinnwandPhone = true;
$("#name-form").addEventListener("submit", (event) => {
  event.preventDefault();
  joinEvent($("#join-name").value.trim());
});

// ---------------------------------------------------------------- step 2: the workshop

function showWorkshops(message = "") {
  $("#workshop-list").replaceChildren(...(me.data.workshops || []).map((workshop) => {
    const current = workshop.id === me.data.workshop_id;
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
  showOnly(SCREENS, "step-workshops");
  window.scrollTo(0, 0);
}

async function refreshWorkshops() {
  try {
    const data = await api(`/api/v1/events/${me.data.event_id}/workshops`, { token: me.data.token });
    me.data.workshops = data.workshops.map(({ id, title, question }) => ({ id, title, question }));
    me.save();
    if (!$("#step-workshops").hidden) showWorkshops();
    if (me.data.workshop_id && !me.workshop()) showWorkshops(t("pick_failed"));
    else if (!$("#step-board").hidden) showHeader(me.workshop());
  } catch (error) {
    if (error.code === "unauthorized") expired();
  }
}

// ---------------------------------------------------------------- the board's code

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

/** The board's code, once it is here: `outbox` (outbox.js), `first` (phone-board.js: the views
 * a board needs first) and `steps` (phone-steps.js: the other steps' views and the plenary). */
const code = {
  outbox: null,
  first: null,
  steps: null,
  /** What the socket needs: the Socket.IO client (in the page; fetched only if it failed
   * there) and the outbox. */
  loadSocket: loadOnce((attempt) => Promise.all([
    window.io ? null : loadScript(app.dataset.socketClient),
    importBoardModule("outbox", attempt),
  ]).then(([, outbox]) => {
    code.outbox = outbox;
  })),
  /** What the board shows first: step banner, timer, message, collect (their styles are in
   * the page). */
  loadViews: loadOnce((attempt) => importBoardModule("phone-board", attempt).then((first) => {
    code.first = first;
    if (!views) views = createViews(first);
  })),
  /** The other steps' styles, right after the board's own (they build on them). */
  loadStepStyles: loadOnce(() => loadStylesheet(app.dataset.stepStyles, { after: $("#board-styles") })),
  /** The other steps' views and the plenary, with their styles. */
  loadStepViews: loadOnce((attempt) => code.loadViews().then(() => Promise.all([
    importBoardModule("phone-steps", attempt),
    code.loadStepStyles(),
  ])).then(([steps]) => {
    code.steps = steps;
    addStepViews(steps);
  })),
};

/** Whether the open board is in a step whose view is in phone-steps.js. */
function boardNeedsStepViews() {
  const workshop = board.state.workshop;
  return Boolean(workshop) && (VIEWS[workshop.step] || "view-collect") !== "view-collect";
}

/** Settles once the other steps' views are here (asked for once, tried until they are). */
let stepViewsHere = null;

function stepViews() {
  if (!stepViewsHere) {
    stepViewsHere = loadedForSure(code.loadStepViews, { waitedFor: boardNeedsStepViews }).then(() => {
      if (board.state.workshop) renderSoon(); // the open board may be in one of their steps
    });
  }
  return stepViewsHere;
}

/** Resolves once `load` succeeded, trying again while the network fails; the banner says so
 * while `waitedFor()` tells that the page waits for it (by default, always). */
async function loadedForSure(load, { waitedFor = () => true } = {}) {
  let said = false;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await load();
      if (said) banner.hide();
      return;
    } catch {
      said = waitedFor();
      if (said) banner.show("error", t("network_error"));
      await new Promise((resolve) => setTimeout(resolve, RETRY_LOAD_MS[Math.min(attempt, RETRY_LOAD_MS.length - 1)]));
    }
  }
}

// ---------------------------------------------------------------- step 3: the board

/** The open board: what the server sent (a BoardState) and how the page shows it. */
const board = {
  state: new BoardState(),
  shown: null, // the workshop the step views were last set up for
  postingClosed: false, // locked, or not in the collect step: new ideas wait in the outbox
  tab: "workshop", // or "plenary"
};

/** The step views and what they share, made once phone-board.js is here; the other steps'
 * views and the plenary join them once phone-steps.js is (addStepViews). */
let views = null;

function createViews(first) {
  const toast = new Toast($("#toast"));
  const context = {
    state: () => board.state,
    send: sendToWorkshop,
    isMine,
    participantId: () => (me.data ? me.data.participant_id : null),
    toast,
  };
  return {
    toast,
    context,
    step: new first.StepBanner($("#step-banner")),
    timer: new first.TimerView({
      root: $("#timer"), time: $("#timer-time"), label: $("#timer-label"), ended: $("#timer-ended"), sound: $("#timer-sound"),
    }, { announce: (text) => { $("#alert-announcer").textContent = text; } }),
    message: new first.MessageBanner({
      root: $("#message-banner"), text: $("#message-text"), from: $("#message-from"), dismiss: $("#message-dismiss"),
    }),
    collect: new first.CollectView({
      list: $("#idea-list"),
      empty: $("#board-empty"),
      count: $("#idea-total"),
      privateNote: $("#private-note"),
      categoryField: $("#idea-category-field"),
      categorySelect: $("#idea-category"),
      textarea: $("#idea-text"),
    }, context),
    cluster: null,
    vote: null,
    act: null,
    review: null,
    plenary: null,
  };
}

/** The other steps' views and the plenary join the board's first views; the plenary is joined
 * on the open connection. */
function addStepViews(steps) {
  const context = views.context;
  Object.assign(views, {
    cluster: new steps.ClusterView($("#view-cluster-body"), context),
    vote: new steps.VoteView($("#view-vote-body"), context),
    act: new steps.ActView({ list: $("#action-list"), empty: $("#actions-empty") }, context),
    review: new steps.ReviewView($("#view-review-body"), context),
    plenary: new steps.PlenaryView({ root: $("#plenary-list"), hint: $("#plenary-hint"), remaining: $("#plenary-remaining") }, {
      send: sendToEvent,
      toast: views.toast,
    }),
  });
  if (live && live.socket.connected) joinPlenary(live);
}

/** Whether the event's plenary is open (false until its view is here). */
function plenaryOpen() {
  return Boolean(views && views.plenary) && views.plenary.isOpen;
}

function isMine(idea) {
  return board.state.isMine(idea) || me.own.has(idea.id);
}

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
  if (!live || !live.socket.connected || !me.data) return Promise.reject(new ApiError("network", t("offline")));
  return emit(live.socket, name, { workshop_id: me.data.workshop_id, ...fields });
}

function sendToEvent(name, fields) {
  if (!live || !live.socket.connected || !me.data) return Promise.reject(new ApiError("network", t("offline")));
  return emit(live.socket, name, { event_id: me.data.event_id, ...fields });
}

/** New ideas are taken only while the workshop collects and is not locked. */
function postingClosedNow() {
  const workshop = board.state.workshop;
  return Boolean(workshop) && (Boolean(workshop.locked) || workshop.step !== "collect");
}

/** Otherwise the composer is disabled and waiting ideas stay in the outbox. */
function setPostingClosed(closed) {
  composer.setLocked(closed);
  if (closed === board.postingClosed) return;
  board.postingClosed = closed;
  if (live && me.data && me.data.workshop_id) live.outbox.setLocked(me.data.workshop_id, closed);
}

const renderSoon = coalesced(() => renderBoard());

/** Draw the board from the state: header, step, timer, message, the step's view. */
function renderBoard() {
  const workshop = board.state.workshop;
  if (!workshop || !views) return;
  const step = workshop.step;
  showHeader(workshop);
  views.step.render(board.state);
  views.timer.render(board.state);
  views.message.render(board.state);
  $("#locked-note").hidden = !workshop.locked || step === "closed";
  $("#closed-note").hidden = step !== "closed";
  setPostingClosed(postingClosedNow());
  const visible = VIEWS[step] || "view-collect";
  showOnly(Object.values(VIEWS), visible);
  if (visible !== "view-cluster") document.body.classList.remove("has-bottom-bar");
  const view = {
    "view-collect": views.collect, "view-cluster": views.cluster, "view-vote": views.vote, "view-review": views.review, "view-act": views.act,
  }[visible];
  if (view) view.render(board.state); // (else drawn once the other steps' views are here)
  renderTabs();
  stepViews(); // asked for once a board is drawn: after it may take its first idea
}

/** Follow the workshop's feed: join it and read its snapshot. Needs the socket, not the step
 * views (the snapshot may come before them). True when it is a new board. */
function followWorkshop(workshopId) {
  if (me.data.workshop_id === workshopId && live.feed.workshopId) return false;
  me.open(workshopId);
  board.state = new BoardState();
  live.feed.open(workshopId);
  return true;
}

/** The step views start over for the board of `workshopId`. */
function resetViews(workshopId) {
  board.shown = workshopId;
  views.timer.stop();
  views.collect.reset(workshopId);
  for (const name of STEP_VIEWS) if (views[name]) views[name].reset();
  views.collect.loading();
  views.message.setKey(`pinnwand:message-seen:${CODE}:${workshopId}`);
  $("#step-banner").hidden = true;
  setPostingClosed(false);
  composer.clearFeedback();
  composer.textarea.value = "";
}

function openBoard(workshopId) {
  if (followWorkshop(workshopId) || board.shown !== workshopId) {
    resetViews(workshopId);
    if (board.state.workshop) renderBoard(); // the snapshot came before the views
  }
  showHeader(me.workshop());
  composer.setDraftKey(`pinnwand:draft:${CODE}:${workshopId}`);
  live.outboxList.show(workshopId);
  outboxChanged();
  showTab(board.tab);
  showOnly(SCREENS, "step-board");
  window.scrollTo(0, 0);
}

function onSnapshot(data) {
  me.rename(data.workshop.id, data.workshop);
  board.state = new BoardState();
  board.state.load(data);
  for (const id of board.state.me.ideas) me.own.add(id);
  renderBoard();
}

function onChange(name, payload) {
  const state = board.state;
  const stepBefore = state.step();
  state.apply(name, payload);
  if (name === "workshop_updated") me.rename(payload.workshop_id, payload.workshop);
  if (!views) return; // drawn once the step views are here (openBoard)
  if (name === "idea_created") {
    views.collect.markNew(payload.idea.id);
    const words = newIdeaAnnouncement(payload.idea);
    if (words && !isMine(payload.idea)) announce(words);
  } else if (name === "message_posted") {
    announce(t("message_announce", { text: payload.message.text }));
  } else if (name === "step_changed" && payload.step !== stepBefore) {
    const words = code.first.stepWords(state.workshop);
    announce(`${words.title}: ${words.hint}`);
    // Back to collecting: the room works on the workshop again, not on the plenary.
    if (payload.step === "collect" && board.tab !== "workshop") showTab("workshop");
    if (board.tab === "workshop") window.scrollTo(0, 0);
  }
  // The outbox learns at once whether ideas may go (the rest is drawn once per batch).
  if (name === "workshop_locked" || name === "step_changed") setPostingClosed(postingClosedNow());
  renderSoon();
}

/** The feed joined the open workshop on this connection and applied what it missed: its
 * waiting ideas may go now. */
function onJoined(workshopId) {
  if (!me.data) return;
  me.joined(workshopId);
  if (live) live.outbox.joined(workshopId, { locked: postingClosedNow() });
}

function onFeedError(error) {
  if (error.code === "forbidden" || error.code === "not_found") {
    live.feed.leave();
    me.open(null);
    showWorkshops(t("pick_failed"));
    return;
  }
  bannerShows.key = "error";
  banner.show("error", errorText(error, { timeout: t("timeout"), other: t("server_error") }));
}

// ---------------------------------------------------------------- plenary

/** The tabs appear while the event's plenary is open. */
function renderTabs() {
  const open = plenaryOpen();
  $("#board-tabs").hidden = !open;
  if (!open && board.tab !== "workshop") showTab("workshop");
}

function showTab(name) {
  board.tab = plenaryOpen() ? name : "workshop";
  const onPlenary = board.tab === "plenary";
  $("#workshop-panel").hidden = onPlenary;
  $("#plenary-panel").hidden = !onPlenary;
  $("#tab-workshop").setAttribute("aria-pressed", onPlenary ? "false" : "true");
  $("#tab-plenary").setAttribute("aria-pressed", onPlenary ? "true" : "false");
}

/** Whenever the plenary opens, the phone turns to it (the room is meant to look there now). */
function plenaryArrived(wasOpen) {
  renderTabs();
  if (views.plenary.isOpen && !wasOpen) {
    showTab("plenary");
    announce(t("plenary_opened"));
  }
}

async function joinPlenary(connection) {
  if (!views || !views.plenary) return; // joined once its view is here (addStepViews)
  if (!me.data || live !== connection) return;
  try {
    const wasOpen = views.plenary.isOpen;
    const data = await emit(connection.socket, "join_plenary", { event_id: me.data.event_id });
    if (live !== connection) return;
    views.plenary.load(data);
    plenaryArrived(wasOpen);
  } catch {
    /* no plenary on this server, or offline: tried again on the next connection */
  }
}

function onPlenaryChanged(payload) {
  // Before its view is here, joinPlenary (once it is) reads the whole plenary.
  if (!views || !views.plenary || !me.data || !payload || payload.event_id !== me.data.event_id || !payload.plenary) return;
  const wasOpen = views.plenary.isOpen;
  if (views.plenary.update({ ...payload.plenary, seq: payload.plenary.seq ?? payload.seq })) plenaryArrived(wasOpen);
}

$("#tab-workshop").addEventListener("click", () => showTab("workshop"));
$("#tab-plenary").addEventListener("click", () => showTab("plenary"));

// ---------------------------------------------------------------- outbox and banner

/** What the banner shows now (the key of outbox.js outboxBanner's answer), so it changes
 * only on a real change. */
const bannerShows = { key: null };

function isOnline() {
  return Boolean(live) && (live.state === "online" || live.state === "reconnected");
}

/** The server acknowledged a waiting idea: it is on the board (once: by idea id). */
function onAcked(item, data) {
  if (!me.data || !data || !data.idea) return;
  const idea = data.idea;
  me.addOwn(idea.id);
  const feed = live && live.feed;
  if (feed && idea.workshop_id === me.data.workshop_id && feed.workshopId === idea.workshop_id && feed.seq !== null) {
    board.state.me.ideas.add(idea.id);
    // The broadcast normally came first; if not, the ack shows the card (the broadcast with
    // the same seq then finds it there).
    if (!board.state.ideasById.has(idea.id) && typeof data.seq === "number" && data.seq > feed.seq) board.state.putIdea(idea);
    renderSoon();
  }
  if (item.workshop_id === me.data.workshop_id) composer.say("success", idea.hidden ? t("idea_sent_private") : t("idea_sent"));
}

/**
 * Ideas may wait for a workshop this participant never joined (picked while offline, then
 * switched away): join it once (then leave its room) so the server lets them in.
 */
async function joinForWaitingIdeas(connection) {
  const { socket, outbox, feed } = connection;
  const waiting = new Set(outbox.items.filter((item) => !item.error).map((item) => item.workshop_id));
  for (const workshopId of waiting) {
    if (me.members.has(workshopId) || workshopId === feed.workshopId) continue;
    if (!(me.data.workshops || []).some((w) => w.id === workshopId)) continue;
    try {
      await emit(socket, "join_workshop", { workshop_id: workshopId });
      emit(socket, "leave_workshop", { workshop_id: workshopId }).catch(() => {});
      if (live !== connection || !me.data) return;
      me.joined(workshopId);
      outbox.flush();
    } catch {
      /* offline again, or not allowed: the ideas wait until that board is opened */
    }
  }
}

function outboxChanged(event = null) {
  const shown = live ? live.outboxList.render() : 0;
  if (views) views.collect.setExtra(shown);
  renderStatus(event);
}

/** The banner: offline (with the number of waiting ideas), sending, waiting for a paused
 * board, all sent, connected again — or nothing (outbox.js outboxBanner decides). */
function renderStatus(event = null) {
  if (!live) return;
  const summary = live.outbox.summary();
  $("#status").dataset.waiting = String(summary.waiting);
  const next = code.outbox.outboxBanner({ connection: live.state, summary, event, showing: bannerShows.key });
  if (!next) return;
  bannerShows.key = next.key;
  if (next.kind === "hide") banner.hide();
  else banner.show(next.kind, next.text, { spinner: next.spinner, detail: next.detail });
}

// ---------------------------------------------------------------- the connection

/** The socket, the outbox that sends through it and the feed of the open workshop; `state`
 * is the connection as watchConnection reports it. Gone when the session ends. */
let live = null;

/** Open the connection for the participant (the socket's and the outbox's code are here). */
function connectBoard() {
  const { Outbox, OutboxList, createIdeaPayload } = code.outbox;
  const socket = connect(me.data.token, { transport: takeEarlyTransport() });
  const connection = { socket, state: "connecting", feed: null, outbox: null, outboxList: null };
  live = connection;
  const connected = () => live === connection && socket.connected;
  connection.outbox = new Outbox(`pinnwand:outbox:${me.data.event_id}:${me.data.participant_id}`, {
    send: (item) => emit(socket, "create_idea", createIdeaPayload(item), SEND_TIMEOUT_MS),
    // The open workshop once it is joined on this connection; others the participant joined
    // before (the server remembers membership) as soon as the socket is connected.
    canSend: (workshopId) => connected() && (workshopId === connection.feed.workshopId ? connection.feed.joinedId === workshopId : me.members.has(workshopId)),
    isConnected: connected,
    knownLocked: (workshopId) => connection.feed.workshopId === workshopId && connection.feed.joinedId === workshopId && postingClosedNow(),
    onAcked,
    onChange: outboxChanged,
  });
  connection.outboxList = new OutboxList($("#outbox-list"), connection.outbox, { author: () => (me.data ? me.data.name : ""), isOnline });
  socket.on("disconnect", () => connection.outbox.interrupt());
  socket.on("connect", () => {
    joinPlenary(connection);
    connection.outbox.flush();
    joinForWaitingIdeas(connection);
  });
  socket.on("plenary_changed", onPlenaryChanged);
  watchConnection(socket, banner, {
    onRefused: expired,
    render: (state) => {
      connection.state = state;
      // "Saved on your phone – waiting for the connection" is over once it is back.
      if (isOnline() && composer.feedback.dataset.state === "info") composer.clearFeedback();
      outboxChanged(state === "reconnected" ? state : null);
    },
  });
  connection.feed = new WorkshopFeed(socket, { onSnapshot, onChange, onError: onFeedError, onJoined });
}

/** The transport the page opened before the participant joined (phone-start.js), for one
 * connection only (null when there is none). */
function takeEarlyTransport() {
  const transport = window.pinnwandTransport || null;
  window.pinnwandTransport = null;
  return transport;
}

// ---------------------------------------------------------------- session

function expired() {
  if (live) {
    live.socket.disconnect();
    live.feed.leave();
  }
  // The outbox stays in localStorage (its key names this participant): nothing typed is lost.
  live = null;
  $("#outbox-list").replaceChildren();
  $("#outbox-list").hidden = true;
  if (views) {
    views.collect.setExtra(0);
    views.timer.stop();
    if (views.plenary) views.plenary.load({ plenary: null });
    renderTabs();
  }
  me.forget();
  bannerShows.key = null;
  banner.hide();
  showName(t("session_expired"));
}

const composer = new Composer(composerNodes(), {
  draftKey: null,
  // "Send" hands the idea to the outbox (stored before the field is emptied).
  onIdea: ({ text, anonymous }) => {
    live.outbox.add({ workshopId: me.data.workshop_id, text, anonymous, categoryId: views.collect.chosenCategory() });
    if (isOnline()) composer.clearFeedback();
    else composer.say("info", code.outbox.outboxText("outbox_queued"));
  },
});

/** For the participant who entered last: `socket` settles once the socket is made, `views`
 * once the step views are here, `all` once both are. */
let entering = null;

/** Open the event for the participant: the workshop list at once (a returning participant's
 * open board once its code is here), the socket as soon as the board's code is here. Right
 * after joining, the list from the join answer is current: no second fetch. */
function enterEvent({ justJoined = false } = {}) {
  $("#signed-in-as").textContent = t("signed_in_as", { name: me.data.name });
  $("#phone-footer").hidden = false;
  const mine = me.data;
  const resume = Boolean(mine.workshop_id && me.workshop());
  if (!resume) showWorkshops();
  // The socket connects as soon as its own code is here, while the step views may still load.
  const viewsHere = loadedForSure(code.loadViews);
  const connecting = loadedForSure(code.loadSocket).then(() => {
    if (me.data !== mine) return; // left or expired meanwhile
    connectBoard();
    if (resume) followWorkshop(mine.workshop_id);
    if (!justJoined) refreshWorkshops();
  });
  entering = {
    socket: connecting,
    views: viewsHere,
    all: Promise.all([connecting, viewsHere]).then(() => {
      if (me.data === mine && resume && mine.workshop_id) openBoard(mine.workshop_id);
    }),
  };
}

/** Open a workshop's board; while the board's code is still on its way, "Loading" shows. */
function pick(workshopId) {
  if (live && views) {
    openBoard(workshopId);
    return;
  }
  showOnly(SCREENS, "step-loading");
  const mine = me.data;
  // The snapshot is asked for as soon as the socket is made; the board shows once the step
  // views are here too.
  entering.socket.then(() => {
    if (me.data === mine && live) followWorkshop(workshopId);
  });
  entering.all.then(() => {
    // (Unless the feed refused that workshop meanwhile: then the list shows why.)
    if (me.data === mine && mine.workshop_id === workshopId) openBoard(workshopId);
  });
}

$("#switch-workshop").addEventListener("click", () => showWorkshops());

$("#leave-event").addEventListener("click", () => {
  const token = me.data && me.data.token;
  if (token) api("/api/v1/auth/logout", { method: "POST", token }).catch(() => {});
  expired();
  $("#join-name-error").hidden = true;
  $("#join-name").value = "";
});

if (me.data && me.data.token) {
  enterEvent();
} else {
  // A name sent before this script was here (phone-start.js) is joined with now.
  const early = window.pinnwandEarlyJoin;
  window.pinnwandEarlyJoin = null;
  if (early) joinEvent(early.name, early.response);
  else showName();
  // Run while the name is typed; enterEvent tries again after a failure.
  code.loadSocket().catch(() => {});
  code.loadViews().catch(() => {});
}
