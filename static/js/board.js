// The staff board of one workshop, in two modes (data-mode on #app):
//   /moderator/workshops/<id>      a moderator, signed in like every moderator page;
//   /host/<id>#token=<host token>  a host: the token comes from the URL fragment (never sent
//                                  in a request line or referrer) and is kept in localStorage.
//
// The board follows the workshop with WorkshopFeed (feed.js) into a BoardState
// (board-state.js) and draws everything from that state; staff commands go out over the
// socket (staff/commands.js) and their effect comes back as numbered broadcasts. This file is
// the page: sign-in, the head (steps, lock, projector link), the composer, live changes and
// announcements. The ideas are drawn by staff/idea-board.js (drag and drop:
// staff/drag-drop.js; the same is possible without a mouse: select ideas with their
// checkboxes and use the selection bar, or the buttons on each card), the side panels by
// staff/*-panel.js (timer, message, settings, columns, presence, trash, ranking, actions).
//
// data-testid (besides those of staff/*.js):
//   cockpit-link, host-mode, host-name, board-error, board-title, board-question,
//   step-switcher, step-button (data-step, aria-pressed), board-state, lock-toggle
//   (aria-pressed), projector-link, projector-link-box, board-locked,
//   idea-form, idea-text, idea-anonymous, idea-counter, idea-submit, idea-feedback,
//   toast, connection-status, announcer, lang-switch

import { $, api, ApiError, coalesced, connect, errorText, newOpId, statusBanner, store, t, Toast, watchConnection } from "./common.js";
import { BoardState, STEPS } from "./board-state.js";
import { Composer, WorkshopFeed, composerNodes } from "./feed.js";
import { clearAuth, requireAuth, setupTopbar, toLogin } from "./moderator-auth.js";
import { showProjectorLink } from "./moderator-ui.js";
import { ActionsPanel } from "./staff/actions-panel.js";
import { CategoriesPanel } from "./staff/categories-panel.js";
import { StaffCommands } from "./staff/commands.js";
import { DragAndDrop } from "./staff/drag-drop.js";
import { IdeaBoard } from "./staff/idea-board.js";
import { MessagePanel } from "./staff/message-panel.js";
import { PresencePanel } from "./staff/presence-panel.js";
import { RankingPanel } from "./staff/ranking-panel.js";
import { SeriesPanel } from "./staff/series-panel.js";
import { ReviewPanel } from "./staff/review-panel.js";
import { SettingsPanel } from "./staff/settings-panel.js";
import { TimerPanel } from "./staff/timer-panel.js";
import { TrashPanel } from "./staff/trash-panel.js";
import { newIdeaAnnouncement, stepLabel } from "./ui/board-text.js";
import { spokenClock } from "./ui/clock.js";
import { moderatorErrorText, staffErrorText } from "./ui/errors.js";
import { followTokenLink, tokenFromUrl } from "./ui/link-token.js";

const APP = $("#app");
const WORKSHOP_ID = Number(APP.dataset.workshopId);
const HOST = APP.dataset.mode === "host";
const HOST_KEY = `pinnwand:host:${WORKSHOP_ID}`;
const OWN_KEY = `pinnwand:${HOST ? "host" : "moderator"}-own:${WORKSHOP_ID}`;
const MAX_OWN = 1000;
const TICK_MS = 250;
const NOTE_MS = 4000;

const banner = statusBanner($("#status"));
const state = new BoardState();
const toast = new Toast($("#toast"), { closable: true, noteMs: NOTE_MS, undoClass: "button button--secondary button--small toast__undo" });
const commands = new StaffCommands(null, WORKSHOP_ID, toast); // its socket comes in start()
const own = new Set(store.get(OWN_KEY) || []); // ideas this person posted here

// ------------------------------------------------------------------------------ drawing

/** The page draws itself from the state: at once, or once per frame for live changes, and
 * never during a drag (the cards would vanish under the pointer): it waits until the drop. */
const painter = {
  waiting: false,
  now() {
    if (!state.workshop) return;
    if (dragAndDrop.dragging) {
      this.waiting = true;
      return;
    }
    renderHead();
    for (const panel of panels) panel.render();
    board.render();
  },
  soon: coalesced(() => painter.now(), requestAnimationFrame),
  resume() {
    if (this.waiting) {
      this.waiting = false;
      this.soon();
    }
  },
};

function announce(text) {
  const node = $("#announcer");
  node.textContent = "";
  // A fresh text node, so the same sentence twice is read twice.
  requestAnimationFrame(() => {
    node.textContent = text;
  });
}

const context = { commands, state, announce, toast };
const board = new IdeaBoard($("#idea-list"), {
  ...context,
  isMine: (idea) => own.has(idea.id) || state.isMine(idea),
  redraw: () => painter.now(),
});
const dragAndDrop = new DragAndDrop(board, { onEnd: () => painter.resume() });
const timerPanel = new TimerPanel(context);
const presencePanel = new PresencePanel(context);
/** The side panels drawn from the state after every change. */
const panels = [
  timerPanel, new MessagePanel(context), new SettingsPanel(context), new CategoriesPanel(context),
  new TrashPanel(context), new RankingPanel(context), new ActionsPanel(context),
  new SeriesPanel(context, !HOST),
  new ReviewPanel(context),
];

// ------------------------------------------------------------------------------ head: steps, lock

function showWorkshop(workshop) {
  $("#board-title").textContent = workshop.title;
  $("#board-question").textContent = workshop.question || workshop.title;
  document.title = `${workshop.title} · Pinnwand`;
  if (!HOST && workshop.event_id) $("#cockpit-crumb").href = `/moderator/events/${workshop.event_id}/cockpit`;
}

function renderSteps(step) {
  for (const stepButton of document.querySelectorAll('[data-testid="step-button"]')) {
    const current = stepButton.dataset.step === step;
    stepButton.disabled = false;
    stepButton.setAttribute("aria-pressed", current ? "true" : "false");
    if (current) stepButton.setAttribute("aria-current", "step");
    else stepButton.removeAttribute("aria-current");
    const review = stepButton.dataset.step === "review";
    stepButton.classList.toggle("is-done", !review && STEPS.indexOf(stepButton.dataset.step) < STEPS.indexOf(step));
    // Review (before collect) is offered only at a later forum of a series.
    if (stepButton.dataset.step === "review") stepButton.hidden = !state.review.available && step !== "review";
  }
  document.body.dataset.step = step;
}

function renderLock(locked) {
  $("#locked-note").hidden = !locked;
  composer.setLocked(locked);
  const badge = $("#board-state");
  badge.textContent = locked ? t("locked") : t("open");
  badge.className = `badge ${locked ? "badge--locked" : "badge--open"}`;
  const toggle = $("#lock-toggle");
  toggle.disabled = false;
  toggle.textContent = locked ? t("unlock") : t("lock");
  toggle.setAttribute("aria-pressed", locked ? "true" : "false");
  toggle.className = `button button--small ${locked ? "button--primary" : "button--secondary"}`;
}

function renderHead() {
  const workshop = state.workshop;
  showWorkshop(workshop);
  renderSteps(workshop.step);
  renderLock(Boolean(workshop.locked));
}

for (const stepButton of document.querySelectorAll('[data-testid="step-button"]')) {
  stepButton.addEventListener("click", async () => {
    if (!state.workshop || stepButton.dataset.step === state.workshop.step) return;
    const data = await commands.send("set_step", { step: stepButton.dataset.step });
    if (data) announce(t("step_now", { step: stepLabel(data.step) }));
  });
}

$("#lock-toggle").addEventListener("click", async () => {
  const toggle = $("#lock-toggle");
  toggle.disabled = true;
  try {
    await commands.request("lock_workshop", { locked: !state.workshop.locked });
  } catch (error) {
    toast.show(t("lock_failed", { message: staffErrorText(error) }), { kind: "error" });
  } finally {
    toggle.disabled = false;
  }
});

const projectorButton = $("#projector-button");
if (projectorButton) projectorButton.addEventListener("click", () => showProjectorLink($("#projector-link-box"), WORKSHOP_ID));

// ------------------------------------------------------------------------------ composer

/** The idea the staff composer sends, with the op_id it keeps until that exact idea is
 * acknowledged (a retry after a lost ack stores it once). */
const unsent = { idea: null };

/** Why an idea was not taken (the composer keeps its text in the field). */
function ideaError(error) {
  return errorText(error, {
    locked: t("idea_locked"),
    rate_limited: t("idea_too_fast"),
    invalid: t("idea_invalid"),
    network: t("idea_offline"),
    other: t("idea_failed"),
  });
}

/** create_idea straight away; resolves once it is stored, rejects (saying why) otherwise. */
async function sendIdea({ text, anonymous }) {
  const known = unsent.idea;
  if (!known || known.text !== text || known.anonymous !== anonymous) unsent.idea = { text, anonymous, opId: newOpId() };
  try {
    if (!commands.socket || !commands.socket.connected) throw new ApiError("network", t("idea_offline"));
    const data = await commands.request("create_idea", { op_id: unsent.idea.opId, text, anonymous });
    unsent.idea = null;
    own.add(data.idea.id);
    store.set(OWN_KEY, [...own].slice(-MAX_OWN));
    composer.say("success", t("idea_sent"));
    painter.soon();
  } catch (error) {
    composer.say("error", ideaError(error));
    throw error;
  }
}

const composer = new Composer(composerNodes(), {
  draftKey: `pinnwand:draft:${HOST ? "host" : "moderator"}:${WORKSHOP_ID}`,
  onIdea: sendIdea,
});

// ------------------------------------------------------------------------------ live changes

/** Tells screen readers when the countdown starts, pauses or ends (once per change). */
const timerNews = {
  last: null,
  seen(timer) {
    this.last = timer ? timer.state : null;
  },
  announce(timer) {
    if (!timer || timer.state === this.last) return;
    this.seen(timer);
    if (timer.state === "running") announce(t("timer_started_live", { time: spokenClock(timer.remaining) }));
    else if (timer.state === "ended") announce(t("timer_ended"));
    else if (timer.state === "paused") announce(t("timer_paused"));
  },
};

function onSnapshot(data) {
  state.load(data);
  timerNews.seen(state.workshop.timer);
  board.dropStaleEdit();
  painter.now();
}

function onChange(name, payload) {
  const stepBefore = state.workshop ? state.workshop.step : null;
  state.apply(name, payload);
  if (name === "idea_created") {
    const words = newIdeaAnnouncement(payload.idea);
    if (words && !own.has(payload.idea.id)) announce(words);
  } else if (name === "step_changed" && stepBefore !== null && stepBefore !== payload.step) {
    board.stepChanged();
    announce(t("step_now", { step: stepLabel(payload.step) }));
  } else if (name === "message_posted") {
    announce(t("message_posted_live", { text: payload.message.text }));
  } else if (name === "timer_changed") {
    timerNews.announce(payload.timer);
  }
  board.dropStaleEdit();
  painter.soon();
}

setInterval(() => {
  if (state.workshop) timerPanel.tick();
}, TICK_MS);

// ------------------------------------------------------------------------------ start

function fail(text) {
  const error = $("#board-error");
  error.textContent = text;
  error.hidden = false;
  $("#board-app").hidden = true;
  banner.hide();
}

async function hostToken() {
  const token = tokenFromUrl() || store.get(HOST_KEY);
  if (!token) {
    fail(t("host_link_incomplete"));
    return null;
  }
  try {
    const me = await api("/api/v1/auth/me", { token });
    if (me.kind !== "host" || me.workshop_id !== WORKSHOP_ID) {
      fail(t("host_link_other"));
      return null;
    }
    $("#host-name").textContent = me.name || "";
    $("#host-bar").hidden = false;
    store.set(HOST_KEY, token);
  } catch (error) {
    if (error.code === "unauthorized" || error.code === "forbidden") {
      store.remove(HOST_KEY);
      fail(t("host_link_invalid"));
      return null;
    }
    // Offline at start: the socket connects on its own once the network is back.
  }
  return token;
}

function moderatorToken() {
  const auth = requireAuth();
  if (!auth) return null;
  setupTopbar(auth);
  return auth.token;
}

function refused() {
  if (HOST) {
    store.remove(HOST_KEY);
    fail(t("host_link_invalid"));
  } else {
    clearAuth();
    toLogin();
  }
}

function onFeedError(error) {
  if (error.code === "forbidden" || error.code === "not_found") fail(HOST ? t("host_link_other") : moderatorErrorText(error));
  else banner.show("error", moderatorErrorText(error));
}

async function start() {
  const empty = $("#board-empty");
  empty.hidden = false;
  empty.textContent = t("connecting");
  empty.classList.add("empty--loading");
  const token = HOST ? await hostToken() : moderatorToken();
  if (!token) return;
  const socket = connect(token);
  commands.socket = socket;
  watchConnection(socket, banner, { onRefused: refused });
  socket.on("presence", (payload) => {
    if (payload && payload.workshop_id === WORKSHOP_ID) presencePanel.show(payload.people || []);
  });
  const feed = new WorkshopFeed(socket, { onSnapshot, onChange, onJoined: () => presencePanel.load(), onError: onFeedError });
  feed.open(WORKSHOP_ID);
}

if (HOST) followTokenLink();
start();
