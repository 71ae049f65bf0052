// /moderator/events/<id>/cockpit: every workshop of the event live on one screen, and the
// controls that drive them.
//
// Sends `watch_event` on every (re)connect and keeps the figures current from
// `workshop_stats`; a workshop it does not know yet (added meanwhile) triggers a new
// `watch_event`. Each card also follows its workshop's board (`join_workshop`, seq-ordered
// into a BoardState) for its step, lock, countdown and newest ideas, and its presence list
// (`get_presence` + `presence`). Per workshop: step, lock, timer, board, projector and host
// links; for all workshops at once: step, timer and message (`{"event_id"}` commands).
// Moving workshops back a step (act → vote …), for all or for one, asks first in the page's
// dialog (ui/dialog.js), naming each workshop it would move back; without a "yes" nothing
// is sent.
//
// data-testid:
//   cockpit-event-title, cockpit-totals, cockpit-total-ideas, cockpit-total-connected,
//   cockpit-join, join-code, join-qr, event-editor-link, plenary-link
//   cockpit-all, all-step-select, all-step-apply, all-timer-minutes, all-timer-start,
//   all-timer-pause, all-timer-resume, all-timer-reset, all-message-text, all-message-send,
//   all-feedback (data-state)
//   cockpit-grid, cockpit-empty,
//   cockpit-card (data-workshop-id, data-locked, data-step), cockpit-title, cockpit-question,
//   cockpit-step, cockpit-state, cockpit-timer (data-state), cockpit-timer-clock,
//   cockpit-timer-note, cockpit-participants, cockpit-ideas, cockpit-connected,
//   cockpit-people (cockpit-person), cockpit-latest (cockpit-latest-idea, data-idea-id),
//   cockpit-latest-empty, cockpit-last-activity, cockpit-step-select, cockpit-next-step,
//   cockpit-timer-minutes, cockpit-timer-start, cockpit-timer-toggle, cockpit-timer-reset,
//   lock-toggle (aria-pressed = locked), cockpit-open-board, cockpit-projector,
//   cockpit-projector-link (box with projector-url, projector-copy, projector-open),
//   cockpit-host (aria-expanded), cockpit-host-form, cockpit-host-name, cockpit-host-create,
//   cockpit-host-link (box with host-url, host-copy, host-open)
//   moderator-name, logout, connection-status, lang-switch
//   the dialog's: confirm-dialog (confirm-dialog-item: "workshop: from → to"),
//   confirm-dialog-ok, confirm-dialog-cancel

import { $, connect, el, emit, formatClock, formatDate, formatNumber, plural, statusBanner, t, watchConnection } from "./common.js";
import { BoardState, STEPS } from "./board-state.js";
import { WorkshopFeed } from "./feed.js";
import { clearAuth, modApi, requireAuth, setupTopbar, toLogin } from "./moderator-auth.js";
import { showLinkBox, showProjectorLink } from "./moderator-ui.js";
import { authorName, ideaText, snippet, stepLabel } from "./ui/board-text.js";
import { formatRelative, minutesToSeconds, showStaffCountdown } from "./ui/clock.js";
import { confirmDialog } from "./ui/dialog.js";
import { moderatorErrorText, staffErrorText } from "./ui/errors.js";

const auth = requireAuth();
const EVENT_ID = Number($("#app").dataset.eventId);
const banner = statusBanner($("#status"));
const template = $("#cockpit-card-template");
const cards = new Map(); // workshop id → card
const REFRESH_MS = 60000;
const TICK_MS = 20000;
const CLOCK_MS = 500;
const LATEST = 3;
const socket = auth ? connect(auth.token) : null; // null: sent to the sign-in page

const part = (card, id) => card.node.querySelector(`[data-testid="${id}"]`);
const role = (card, name) => card.node.querySelector(`[data-role="${name}"]`);

function announce(text) {
  $("#announcer").textContent = text;
}

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

/** The card's workshop as last known: the board's state once joined, else watch_event's. */
function workshopOf(card) {
  return card.state.workshop || null;
}

function stepOf(card) {
  const workshop = workshopOf(card);
  return (workshop && workshop.step) || card.data.step || "collect";
}

function render(card) {
  const data = card.data;
  const workshop = workshopOf(card);
  const locked = workshop ? Boolean(workshop.locked) : Boolean(data.locked);
  const step = stepOf(card);
  card.node.dataset.locked = locked ? "true" : "false";
  card.node.dataset.step = step;
  card.node.classList.toggle("wcard--locked", locked);
  part(card, "cockpit-title").textContent = data.title;
  part(card, "cockpit-question").textContent = data.question || "";
  const state = part(card, "cockpit-state");
  state.textContent = locked ? t("locked") : t("open");
  state.className = `badge ${locked ? "badge--locked" : "badge--open"}`;
  const stepBadge = part(card, "cockpit-step");
  // Review (before collect, only at a later forum of a series) has no number.
  stepBadge.textContent = STEPS.includes(step) ? t("step_badge", { n: STEPS.indexOf(step) + 1, step: stepLabel(step) }) : stepLabel(step);
  stepBadge.dataset.step = step;
  setFigure(card, "cockpit-participants", data.participants);
  setFigure(card, "cockpit-ideas", data.ideas);
  setFigure(card, "cockpit-connected", data.connected);
  part(card, "cockpit-connected").classList.toggle("is-live", data.connected > 0);
  const time = part(card, "cockpit-last-activity");
  time.textContent = formatRelative(data.last_activity);
  if (data.last_activity) time.setAttribute("datetime", data.last_activity);
  const toggle = part(card, "lock-toggle");
  toggle.textContent = locked ? t("unlock") : t("lock");
  toggle.setAttribute("aria-pressed", locked ? "true" : "false");
  toggle.className = `button button--small ${locked ? "button--primary" : "button--secondary"}`;
  toggle.setAttribute("aria-label", `${locked ? t("unlock") : t("lock")}: ${data.title}`);
  const select = part(card, "cockpit-step-select");
  const reviewable = Boolean(card.state.review && card.state.review.available);
  select.querySelector('option[value="review"]').hidden = !reviewable && step !== "review";
  const allReview = document.querySelector('#all-step-select option[value="review"]');
  if (allReview && reviewable) allReview.hidden = false;
  if (document.activeElement !== select) select.value = step;
  const next = part(card, "cockpit-next-step");
  const nextStep = STEPS[STEPS.indexOf(step) + 1];
  next.disabled = !nextStep;
  next.textContent = nextStep ? t("next_step", { step: stepLabel(nextStep) }) : t("last_step");
  next.setAttribute("aria-label", nextStep ? `${t("next_step", { step: stepLabel(nextStep) })}: ${data.title}` : t("last_step"));
  renderTimer(card);
  renderPeople(card);
}

function renderTimer(card) {
  const workshop = workshopOf(card);
  const timer = (workshop && workshop.timer) || { state: "idle" };
  showStaffCountdown({ box: part(card, "cockpit-timer"), clock: part(card, "cockpit-timer-clock"), note: part(card, "cockpit-timer-note") },
    timer, card.state.timerRemaining());
  const toggle = part(card, "cockpit-timer-toggle");
  toggle.disabled = !["running", "paused"].includes(timer.state);
  const label = timer.state === "paused" ? t("timer_resume") : t("timer_pause");
  if (toggle.textContent !== label) toggle.textContent = label;
  toggle.dataset.command = timer.state === "paused" ? "resume" : "pause";
  part(card, "cockpit-timer-reset").disabled = timer.state === "idle";
}

function renderPeople(card) {
  const list = part(card, "cockpit-people");
  const people = [...card.people].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  if (people.length === 0) {
    list.replaceChildren(el("li", { class: "wcard__nobody", text: t("nobody_here") }));
    return;
  }
  list.replaceChildren(...people.map((person) => el("li", { class: "wcard__name", "data-testid": "cockpit-person", text: person.name || t("anonymous") })));
}

function showError(card, text) {
  const error = card.node.querySelector(".wcard__error");
  error.textContent = text;
  error.hidden = !text;
}

/** Send a staff command for one workshop; a refusal is shown on its card. */
async function commandFor(card, name, payload) {
  showError(card, "");
  try {
    return await emit(socket, name, { workshop_id: card.data.id, ...payload });
  } catch (error) {
    showError(card, staffErrorText(error));
    return null;
  }
}

function makeCard(data) {
  const node = template.content.firstElementChild.cloneNode(true);
  node.dataset.workshopId = String(data.id);
  const card = { node, data, feed: null, ideas: new Map(), state: new BoardState(), people: [] };
  const id = data.id;
  // Labels need ids unique on the page.
  const stepSelect = part(card, "cockpit-step-select");
  stepSelect.id = `step-select-${id}`;
  role(card, "step-label").htmlFor = stepSelect.id;
  const minutes = part(card, "cockpit-timer-minutes");
  minutes.id = `timer-minutes-${id}`;
  role(card, "timer-label").htmlFor = minutes.id;
  const hostName = part(card, "cockpit-host-name");
  hostName.id = `host-name-${id}`;
  role(card, "host-name-label").htmlFor = hostName.id;

  part(card, "cockpit-open-board").href = `/moderator/workshops/${id}`;
  part(card, "lock-toggle").addEventListener("click", () => toggleLock(card));
  part(card, "cockpit-projector").addEventListener("click", () => showProjectorLink(part(card, "cockpit-projector-link"), card.data.id));
  stepSelect.addEventListener("change", () => setStep(card, stepSelect.value));
  part(card, "cockpit-next-step").addEventListener("click", () => {
    const next = STEPS[STEPS.indexOf(stepOf(card)) + 1];
    if (next) setStep(card, next);
  });
  role(card, "timer-form").addEventListener("submit", (submit) => {
    submit.preventDefault();
    const seconds = minutesToSeconds(minutes.value);
    if (seconds === null) {
      minutes.setAttribute("aria-invalid", "true");
      showError(card, t("timer_minutes_invalid"));
      return;
    }
    minutes.removeAttribute("aria-invalid");
    commandFor(card, "set_timer", { command: "start", seconds });
  });
  part(card, "cockpit-timer-toggle").addEventListener("click", (click) => {
    commandFor(card, "set_timer", { command: click.currentTarget.dataset.command || "pause" });
  });
  part(card, "cockpit-timer-reset").addEventListener("click", () => commandFor(card, "set_timer", { command: "reset" }));
  const hostButton = part(card, "cockpit-host");
  const hostForm = part(card, "cockpit-host-form");
  hostButton.addEventListener("click", () => {
    hostForm.hidden = !hostForm.hidden;
    hostButton.setAttribute("aria-expanded", hostForm.hidden ? "false" : "true");
    if (!hostForm.hidden) hostName.focus();
  });
  hostForm.addEventListener("submit", (submit) => {
    submit.preventDefault();
    createHostLink(card);
  });
  return card;
}

/** The cards whose workshop `step` would move back (act → vote …). */
function movedBack(someCards, step) {
  return someCards.filter((card) => STEPS.indexOf(stepOf(card)) > STEPS.indexOf(step));
}

/** Whether the moderator agrees to move these workshops back to `step`: asked in the page's
 * dialog naming each of them; true at once when none would move back. */
function agreeToMoveBack(backCards, step) {
  if (!backCards.length) return Promise.resolve(true);
  return confirmDialog({
    title: plural("back_title", backCards.length),
    text: t("back_text", { step: stepLabel(step) }),
    items: backCards.map((card) => t("back_item", { title: card.data.title, from: stepLabel(stepOf(card)), to: stepLabel(step) })),
    confirm: t("back_confirm"),
    cancel: t("cancel"),
  });
}

async function setStep(card, step) {
  if (step === stepOf(card)) return;
  if (!(await agreeToMoveBack(movedBack([card], step), step))) {
    part(card, "cockpit-step-select").value = stepOf(card);
    return;
  }
  const data = await commandFor(card, "set_step", { step });
  if (data) announce(t("step_set_for", { title: card.data.title, step: stepLabel(data.step) }));
  render(card);
}

async function toggleLock(card) {
  const toggle = part(card, "lock-toggle");
  toggle.disabled = true;
  showError(card, "");
  const workshop = workshopOf(card);
  const locked = workshop ? Boolean(workshop.locked) : Boolean(card.data.locked);
  try {
    const data = await emit(socket, "lock_workshop", { workshop_id: card.data.id, locked: !locked });
    card.data.locked = data.locked;
    if (card.state.workshop && card.state.seq < data.seq) card.state.workshop = { ...card.state.workshop, locked: data.locked };
    render(card);
  } catch (error) {
    showError(card, t("lock_failed", { message: staffErrorText(error) }));
  } finally {
    toggle.disabled = false;
  }
}

async function createHostLink(card) {
  const nameField = part(card, "cockpit-host-name");
  const box = part(card, "cockpit-host-link");
  const name = nameField.value.trim();
  if (!name || name.length > 80) {
    nameField.setAttribute("aria-invalid", "true");
    box.hidden = false;
    box.replaceChildren(el("p", { class: "feedback feedback--error", role: "alert", text: t("host_name_invalid") }));
    nameField.focus();
    return;
  }
  nameField.removeAttribute("aria-invalid");
  await showLinkBox(box, () => modApi(`/api/v1/workshops/${card.data.id}/host-link`, { method: "POST", body: { name } }), (link) => ({
    label: t("host_link_for", { name: link.name }), ready: t("host_link_ready", { name: link.name }), open: t("open_host_board"), testid: "host",
  }), "input input--mono input--compact");
}

function renderLatest(card, freshId = null) {
  const newest = card.state.ideas().sort((a, b) => b.id - a.id).slice(0, LATEST);
  const list = part(card, "cockpit-latest");
  if (newest.length === 0) {
    list.replaceChildren(el("li", { class: "latest__empty", text: t("board_empty_locked"), "data-testid": "cockpit-latest-empty" }));
    return;
  }
  list.replaceChildren(...newest.map((idea) => el("li", { class: `latest__item${idea.id === freshId ? " latest__item--new" : ""}`, "data-testid": "cockpit-latest-idea", dataset: { ideaId: String(idea.id) } },
    el("span", { class: "latest__text", text: ideaText(idea) }),
    el("span", { class: "latest__author", text: authorName(idea) }))));
}

/** Follow the card's workshop board: its state (step, lock, timer), newest ideas, people. */
function follow(card) {
  if (card.feed) return;
  card.feed = new WorkshopFeed(socket, {
    onSnapshot(data) {
      card.state.load(data);
      Object.assign(card.data, { title: data.workshop.title, question: data.workshop.question, step: data.workshop.step, locked: data.workshop.locked });
      renderLatest(card);
      render(card);
    },
    onChange(name, payload) {
      card.state.apply(name, payload);
      if (name === "idea_created") renderLatest(card, payload.idea.id);
      else if (["idea_deleted", "idea_restored", "ideas_merged", "idea_updated", "ideas_revealed"].includes(name)) renderLatest(card);
      if (name === "workshop_updated") Object.assign(card.data, { title: payload.workshop.title, question: payload.workshop.question });
      if (name === "workshop_locked") card.data.locked = payload.locked;
      if (name === "step_changed") card.data.step = payload.step;
      render(card);
    },
    onJoined() {
      loadPresence(card);
    },
    onError() {
      /* the figures still come from workshop_stats */
    },
  });
  card.feed.open(card.data.id);
}

async function loadPresence(card) {
  try {
    const data = await emit(socket, "get_presence", { workshop_id: card.data.id });
    card.people = data.people || [];
    renderPeople(card);
  } catch {
    /* not available: presence events fill the list */
  }
}

function onPresence(payload) {
  if (!payload) return;
  const card = cards.get(payload.workshop_id);
  if (!card) return;
  card.people = payload.people || [];
  renderPeople(card);
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
    banner.show("error", moderatorErrorText(error));
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
  Object.assign(card.data, { participants, ideas, connected, last_activity: lastActivity });
  if (typeof locked === "boolean" && !card.state.workshop) card.data.locked = locked;
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
    $("#join-url").textContent = event.join_url.replace(/^https?:\/\//, "").replace(/\?.*$/, ""); // the key is in the QR code
    const qr = $("#join-qr");
    qr.src = `/join/${encodeURIComponent(event.join_code)}/qr.svg`;
    qr.alt = t("qr_alt", { url: event.join_url });
    qr.hidden = false;
  } catch (error) {
    banner.show("error", moderatorErrorText(error));
  }
}

// ------------------------------------------------------------------------------ all workshops

function sayAll(kind, text) {
  const node = $("#all-feedback");
  node.className = `feedback feedback--${kind}`;
  node.dataset.state = kind;
  node.textContent = text;
  node.hidden = !text;
}

/** Send a command to every workshop of the event (`{"event_id"}`); resolves the ack data. */
async function commandAll(name, payload) {
  sayAll("info", t("saving"));
  try {
    const data = await emit(socket, name, { event_id: EVENT_ID, ...payload });
    return data;
  } catch (error) {
    sayAll("error", staffErrorText(error));
    return null;
  }
}

$("#all-step-form").addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const step = $("#all-step-select").value;
  if (!(await agreeToMoveBack(movedBack([...cards.values()], step), step))) {
    sayAll("info", t("nothing_changed"));
    return;
  }
  const data = await commandAll("set_step", { step });
  if (data) sayAll("success", t("step_set_all", { step: stepLabel(step), n: (data.workshops || []).length }));
});

$("#all-timer-form").addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const minutes = $("#all-timer-minutes");
  const seconds = minutesToSeconds(minutes.value);
  if (seconds === null) {
    minutes.setAttribute("aria-invalid", "true");
    sayAll("error", t("timer_minutes_invalid"));
    minutes.focus();
    return;
  }
  minutes.removeAttribute("aria-invalid");
  const data = await commandAll("set_timer", { command: "start", seconds });
  if (data) sayAll("success", t("timer_started_all", { time: formatClock(seconds, { pad: true }) }));
});

for (const [id, commandName, key] of [["#all-timer-pause", "pause", "timer_paused_all"], ["#all-timer-resume", "resume", "timer_resumed_all"], ["#all-timer-reset", "reset", "timer_reset_all"]]) {
  $(id).addEventListener("click", async () => {
    const data = await commandAll("set_timer", { command: commandName });
    if (data) sayAll("success", t(key));
  });
}

$("#all-message-form").addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const field = $("#all-message-text");
  const text = field.value.trim();
  if (!text || text.length > 200) {
    field.setAttribute("aria-invalid", "true");
    sayAll("error", t("message_invalid"));
    field.focus();
    return;
  }
  field.removeAttribute("aria-invalid");
  const data = await commandAll("send_message", { text });
  if (data) {
    field.value = "";
    sayAll("success", t("message_sent_all", { text: snippet(text, 60) }));
  }
});

// ------------------------------------------------------------------------------ start

if (auth) {
  setupTopbar(auth);
  loadEvent();
  socket.on("workshop_stats", onStats);
  socket.on("presence", onPresence);
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
    for (const card of cards.values()) renderTimer(card);
  }, CLOCK_MS);
  setInterval(() => {
    if (socket.connected) watch();
  }, REFRESH_MS);
}

