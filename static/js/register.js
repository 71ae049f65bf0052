// The register of a series, /moderator/series/<id>: every action agreed at any of its forums,
// filtered by status and forum, searched, sorted (the server does all three); per action a
// status update with a note, personal links for the owner and contributors (URL, QR code,
// revoking), and the register as Excel or CSV.
//
// Everything goes through the JSON API with the moderator's token (moderator-auth.js); the
// page's strings come from the "page-i18n" data block (app/ui_text/series.py).
//
// data-testid: register-page, series-title, series-events, register-filters, register-search,
//   register-status, register-event, register-sort, register-xlsx, register-csv,
//   register-feedback, register-count, register-list, register-item (data-action-id,
//   data-status), register-item-title, register-item-status, register-item-latest,
//   register-update-form, register-update-status, register-update-note, register-update-save,
//   register-update-feedback, register-link-form, register-link-name, register-link-create,
//   register-link-box, register-link-url, register-link-qr, register-link-copy,
//   register-links, register-link (data-link-id), register-link-revoke, register-link-email,
//   register-review (data-verdicts), register-review-comments,
//   register-organisations, organisations-list, organisation (data-name), organisation-owns,
//   organisation-contributes

import { $, LANG, el, formatDate, readJson, statusBanner, textsFrom } from "./common.js";
import { modApi, requireAuth, setupTopbar } from "./moderator-auth.js";
import { copyText } from "./ui/clipboard.js";
import { download } from "./ui/download.js";

const SERIES_ID = Number($("#app").dataset.seriesId);
const STATUSES = ["planned", "running", "done", "dropped"];
// This page's strings (its "page-i18n" block): msg(key, vars) with {placeholders} filled in.
const { t: msg, plural: countOf } = textsFrom(readJson("page-i18n") || {});
const banner = statusBanner($("#status"));
const auth = requireAuth();
const form = $("#register-filters");
let loadRun = 0;

function say(node, kind, text) {
  node.className = `feedback feedback--${kind}`;
  node.textContent = text;
}

function formatMoment(iso) {
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toLocaleDateString(LANG, { day: "numeric", month: "short", year: "numeric" }) : "";
}

function query() {
  const params = new URLSearchParams();
  for (const name of ["q", "status", "event_id", "sort"]) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  return params.toString();
}

// ------------------------------------------------------------------ one action

function statusBadge(status) {
  return el("span", { class: `status-badge status-badge--${status}`, text: msg(`status_${status}`), "data-testid": "register-item-status" });
}

function latestLine(action) {
  const latest = action.updates[action.updates.length - 1];
  if (!latest) return el("p", { class: "muted", text: msg("no_updates"), "data-testid": "register-item-latest" });
  return el("p", { class: "register-item__latest", "data-testid": "register-item-latest", text: msg("latest", { date: formatMoment(latest.at), note: latest.note || msg(`status_${latest.status}`) }) });
}

function updateForm(action, item) {
  const select = el("select", { class: "input input--compact", name: "status", "aria-label": msg("update"), "data-testid": "register-update-status" },
    STATUSES.map((status) => el("option", { value: status, text: msg(`status_${status}`), selected: status === action.status })));
  const note = el("input", { class: "input input--compact", name: "note", maxlength: "1000", placeholder: msg("note"), "aria-label": msg("note"), "data-testid": "register-update-note" });
  const feedback = el("span", { class: "feedback", role: "status", "data-testid": "register-update-feedback" });
  const formNode = el("form", { class: "register-inline", "data-testid": "register-update-form" },
    select, note, el("button", { class: "button button--secondary button--small", type: "submit", text: msg("save_update"), "data-testid": "register-update-save" }), feedback);
  formNode.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await modApi(`/api/v1/actions/${action.id}/updates`, { method: "POST", body: { status: select.value, note: note.value.trim() || null } });
      say(feedback, "success", msg("saved"));
      item.dataset.status = select.value;
      load();
    } catch (error) {
      say(feedback, "error", msg("save_failed", { message: error.message }));
    }
  });
  return formNode;
}

function linkBox(answer) {
  const name = answer.name;
  return el("div", { class: "link-box register-link-box", "data-testid": "register-link-box" },
    el("p", { text: name ? msg("link_ready", { name }) : msg("link_ready_nameless") }),
    el("img", { class: "qr", src: answer.qr, alt: "", width: "160", height: "160", "data-testid": "register-link-qr" }),
    el("p", { class: "join-link join-link--small" }, el("a", { href: answer.url, "data-testid": "register-link-url", text: answer.url, rel: "noreferrer" })),
    el("button", { class: "button button--ghost button--small", type: "button", text: msg("copy"), "data-testid": "register-link-copy", on: { click: () => copyText(answer.url) } }));
}

function linksList(action, links, holder) {
  if (!links.length) return null;
  return el("div", { class: "register-links" },
    el("p", { class: "muted", text: msg("links") }),
    el("ul", { "data-testid": "register-links" }, links.map((link) => el("li", { "data-testid": "register-link", dataset: { linkId: String(link.id) } },
      el("span", { text: `${link.name || "—"} · ${formatMoment(link.created_at)}` }),
      link.revoked ? el("span", { class: "muted", text: ` (${msg("revoked")})` })
        : el("button", { class: "button button--ghost button--tiny", type: "button", text: msg("revoke"), "data-testid": "register-link-revoke", on: { click: async () => {
          await modApi(`/api/v1/actions/${action.id}/update-links/${link.id}`, { method: "DELETE" });
          showLinks(action, holder);
        } } })))));
}

async function showLinks(action, holder, fresh = null) {
  const answer = await modApi(`/api/v1/actions/${action.id}/update-links`);
  holder.replaceChildren(...[fresh ? linkBox(fresh) : null, linksList(action, answer.links, holder)].filter(Boolean));
}

function linkForm(action) {
  const name = el("input", { class: "input input--compact", name: "name", maxlength: "80", placeholder: msg("link_for"), "aria-label": msg("link_for"), "data-testid": "register-link-name" });
  const email = el("input", { class: "input input--compact", name: "email", type: "email", maxlength: "254", placeholder: msg("link_email"), "aria-label": msg("link_email"), "data-testid": "register-link-email" });
  const holder = el("div", { class: "register-link-holder" });
  const formNode = el("form", { class: "register-inline", "data-testid": "register-link-form" },
    name, email, el("button", { class: "button button--secondary button--small", type: "submit", text: msg("create_link"), "data-testid": "register-link-create" }));
  formNode.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await modApi(`/api/v1/actions/${action.id}/update-link`, { method: "POST", body: { name: name.value.trim() || null, email: email.value.trim() || null } });
    name.value = "";
    email.value = "";
    await showLinks(action, holder, answer);
  });
  return el("details", { class: "register-item__links" },
    el("summary", { text: msg("personal_link") }), formNode, holder);
}

/** The verdicts of the later forums' review step (counts, then the comments, no names). */
function reviewLine(action) {
  const review = action.review || {};
  const total = ["worked", "partly", "not", "unsure"].reduce((sum, key) => sum + (review[key] || 0), 0);
  if (!total) return null;
  const comments = action.review_comments || [];
  return el("div", { class: "register-item__review", "data-testid": "register-review", dataset: { verdicts: String(total) } },
    el("p", { text: msg("review_counts", { worked: review.worked, partly: review.partly, not: review.not, unsure: review.unsure }) }),
    comments.length ? el("ul", { class: "register-item__comments", "data-testid": "register-review-comments" },
      comments.map((c) => el("li", { text: `„${c.comment}“ (${msg("verdict_" + c.verdict)})` }))) : null);
}

function actionItem(action) {
  const facts = [
    msg("from_event", { event: action.event.title, workshop: action.workshop.title }),
    action.owner && action.owner_organisation && action.owner !== action.owner_organisation
      ? msg("owner_of", { owner: action.owner, organisation: action.owner_organisation })
      : (action.owner || action.owner_organisation) ? msg("owner", { owner: action.owner || action.owner_organisation }) : null,
    action.due ? msg("due", { date: formatDate(action.due) }) : null,
  ].filter(Boolean).join(" · ");
  const names = action.contributors.map((c) => {
    const who = c.organisation ? `${c.name}, ${c.organisation}` : c.name;
    return c.brings ? `${who} (${c.brings})` : who;
  }).join("; ");
  const item = el("li", { class: "card register-item", "data-testid": "register-item", dataset: { actionId: String(action.id), status: action.status } },
    el("div", { class: "register-item__head" },
      el("h2", { class: "register-item__title", text: action.title, "data-testid": "register-item-title" }),
      statusBadge(action.status)),
    el("p", { class: "muted register-item__facts", text: facts }),
    action.what ? el("p", { class: "register-item__what", text: action.what }) : null,
    names ? el("p", { class: "register-item__people", text: msg("contributors", { names }) }) : null,
    latestLine(action),
    reviewLine(action));
  item.append(updateForm(action, item), linkForm(action));
  return item;
}

// ------------------------------------------------------------------ member contributions

function organisationCard(organisation) {
  const roles = (role) => organisation.actions.filter((a) => a.role === role);
  const list = (role, testid) => {
    const actions = roles(role);
    return el("div", { class: "register-member__part", "data-testid": testid },
      el("h4", { class: "register-member__label", text: `${msg(role === "owner" ? "owns" : "contributes")} (${actions.length})` }),
      actions.length ? el("ul", {}, actions.map((a) => el("li", {},
        el("span", { text: a.title }),
        el("span", { class: "muted", text: ` · ${a.event} · ${msg("status_" + a.status)}${a.brings ? " · " + a.brings : ""}` }))))
        : el("p", { class: "muted", text: "–" }));
  };
  return el("article", { class: "register-member", "data-testid": "organisation", dataset: { name: organisation.name } },
    el("h3", { class: "register-member__name", text: organisation.name }),
    list("owner", "organisation-owns"), list("contributor", "organisation-contributes"));
}

async function loadOrganisations() {
  const answer = await modApi(`/api/v1/series/${SERIES_ID}/organisations`);
  $("#organisations").replaceChildren(...(answer.organisations.length
    ? answer.organisations.map(organisationCard)
    : [el("p", { class: "muted", text: msg("organisations_empty") })]));
}

// ------------------------------------------------------------------ the page

async function loadSeries() {
  const series = await modApi(`/api/v1/series/${SERIES_ID}`);
  $("#series-title").textContent = series.title;
  document.title = `${series.title} · ${document.title}`;
  $("#series-events").textContent = series.events.length
    ? series.events.map((e) => [e.title, e.date ? formatDate(e.date) : null].filter(Boolean).join(", ")).join(" · ")
    : msg("no_events");
  const select = form.elements.event_id;
  for (const event of series.events) select.append(el("option", { value: String(event.id), text: event.title }));
}

async function load() {
  const run = ++loadRun;
  const list = $("#register-list");
  list.setAttribute("aria-busy", "true");
  try {
    const answer = await modApi(`/api/v1/series/${SERIES_ID}/actions?${query()}`);
    if (run !== loadRun) return;
    list.replaceChildren(...answer.actions.map(actionItem));
    loadOrganisations().catch((error) => say($("#register-feedback"), "error", msg("load_failed", { message: error.message })));
    $("#register-count").textContent = answer.actions.length ? countOf("count", answer.actions.length) : msg("no_actions");
    say($("#register-feedback"), "info", "");
  } catch (error) {
    if (run === loadRun) say($("#register-feedback"), "error", msg("load_failed", { message: error.message }));
  } finally {
    if (run === loadRun) list.setAttribute("aria-busy", "false");
  }
}

let searchTimer = null;
form.addEventListener("input", (event) => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(load, event.target.name === "q" ? 250 : 0);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});
for (const button of form.querySelectorAll("[data-format]")) {
  button.addEventListener("click", async () => {
    const fmt = button.dataset.format;
    try {
      await download(`/api/v1/series/${SERIES_ID}/actions.${fmt}?${query()}`, { token: auth.token, fallbackName: `register.${fmt}` });
    } catch (error) {
      say($("#register-feedback"), "error", msg("export_failed", { message: error.message }));
    }
  });
}

if (auth) {
  setupTopbar(auth);
  loadSeries().then(load).catch((error) => {
    banner.show("error", msg("load_failed", { message: error.message }));
  });
}
