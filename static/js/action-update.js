// The phone page of a personal link, /actions/<id>/update#token=…: one action of the
// register, its status and its notes so far; the owner or a contributor sets the status and
// adds a note (and a link). The token can do nothing else (the server refuses it everywhere
// but GET /api/v1/actions/<id> and POST /api/v1/actions/<id>/updates).
//
// data-testid: update-page, update-error, update-event, update-title, update-facts,
//   update-form, update-statuses, update-status-<status>, update-note, update-link,
//   update-submit, update-feedback, update-log, update-entry (data-status)

import { $, LANG, api, el, formatDate, readJson, showOnly, textsFrom } from "./common.js";
import { followTokenLink, tokenFromUrl } from "./ui/link-token.js";

const ACTION_ID = Number($("#app").dataset.actionId);
const STEPS = ["update-loading", "update-error", "update-action"];
// This page's strings (its "page-i18n" block): msg(key, vars) with {placeholders} filled in.
const { t: msg } = textsFrom(readJson("page-i18n") || {});
const form = $("#update-form");
const token = tokenFromUrl();

function feedback(kind, text) {
  const node = $("#update-feedback");
  node.className = `feedback feedback--${kind}`;
  node.textContent = text;
  node.hidden = !text;
}

function showError(text) {
  $("#update-error-text").textContent = text;
  showOnly(STEPS, "update-error");
}

function formatMoment(iso) {
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toLocaleString(LANG, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }) : "";
}

function logEntry(update) {
  return el("li", { class: "update-log__entry", "data-testid": "update-entry", dataset: { status: update.status } },
    el("p", { class: "update-log__head" },
      el("span", { class: `status-badge status-badge--${update.status}`, text: msg(`status_${update.status}`) }),
      el("span", { class: "muted", text: ` ${formatMoment(update.at)}${update.by ? " · " + update.by : ""}` })),
    update.note ? el("p", { class: "update-log__note", text: update.note }) : null,
    update.link ? el("p", { class: "update-log__link" }, el("a", { href: update.link, text: update.link, rel: "noreferrer noopener", target: "_blank" })) : null);
}

function show(action) {
  $("#update-event").textContent = [action.event.title, action.event.date ? formatDate(action.event.date) : null].filter(Boolean).join(" · ");
  $("#update-title").textContent = action.title;
  $("#update-facts").textContent = [action.owner ? msg("owner", { owner: action.owner }) : null, action.due ? msg("due", { date: formatDate(action.due) }) : null].filter(Boolean).join(" · ");
  $("#update-what").textContent = action.what || "";
  for (const input of form.elements.status) input.checked = input.value === action.status;
  const log = $("#update-log");
  log.replaceChildren(...[...action.updates].reverse().map(logEntry));
  if (!action.updates.length) log.append(el("li", { class: "muted", text: msg("no_updates") }));
  showOnly(STEPS, "update-action");
}

function refused(error) {
  return error && (error.code === "unauthorized" || error.code === "forbidden" || error.code === "not_found");
}

async function load() {
  if (!token) return showError(msg("link_incomplete"));
  try {
    show(await api(`/api/v1/actions/${ACTION_ID}`, { token }));
  } catch (error) {
    showError(refused(error) ? msg("link_invalid") : error.message);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const note = form.elements.note.value.trim();
  const link = form.elements.link.value.trim();
  if (note.length > 1000) return feedback("error", msg("note_too_long"));
  const button = $('[data-testid="update-submit"]');
  button.disabled = true;
  feedback("info", msg("sending"));
  try {
    await api(`/api/v1/actions/${ACTION_ID}/updates`, { method: "POST", token, body: { status: form.elements.status.value, note: note || null, link: link || null } });
    form.elements.note.value = "";
    form.elements.link.value = "";
    await load();
    feedback("success", msg("sent"));
  } catch (error) {
    if (refused(error)) return showError(msg("link_invalid"));
    feedback("error", msg("send_failed", { message: error.message }));
  } finally {
    button.disabled = false;
  }
});

followTokenLink();
load();
