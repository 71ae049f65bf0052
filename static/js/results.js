// The moderators' results page, /moderator/events/<id>/results: the report previewed exactly
// as the PDF prints it, downloads in every format, the anonymity review (names on or off,
// edited idea texts), publishing and withdrawing the read-only results page, the contact
// addresses participants left, and data protection (retention, purge, deleting the event).
//
// Everything goes through the JSON API with the moderator's token (moderator-auth.js); the
// page's strings come from the "page-i18n" data block (app/reports/pages.py).
//
// data-testid: results-page, report-preview (aria-busy while loading), report-options,
//   report-lang-de, report-lang-en, report-authors, download-<format>, download-feedback,
//   report-organiser, publication-state, publication-url, publication-qr, publish,
//   copy-publication, withdraw, publish-feedback, review-names, review-filter, review-list,
//   review-item (data-idea-id, data-redacted), review-edit, review-restore, review-text,
//   review-save, contacts-summary, contacts-csv, retention-days, retention-state, purge-now,
//   delete-event, privacy-feedback

import { $, LANG, el, readJson, statusBanner, textsFrom } from "./common.js";
import { modApi, requireAuth, setupTopbar } from "./moderator-auth.js";
import { copyText } from "./ui/clipboard.js";
import { download } from "./ui/download.js";

const EVENT_ID = Number($("#app").dataset.eventId);
// This page's strings (its "page-i18n" block): msg(key, vars) with {placeholders} filled in.
const { t: msg } = textsFrom(readJson("page-i18n") || {});
const banner = statusBanner($("#status"));
const auth = requireAuth();
const options = { lang: LANG === "en" ? "en" : "de", authors: false };
let event = null;
let publication = { published: false };
let ideas = [];


function say(node, kind, text) {
  node.className = `feedback feedback--${kind}`;
  node.textContent = text;
}

function query() {
  return `lang=${options.lang}&authors=${options.authors ? 1 : 0}`;
}

function formatDay(iso) {
  if (!iso) return "";
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(LANG, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

// ------------------------------------------------------------------ preview

let previewRun = 0;

async function loadPreview() {
  const run = ++previewRun;
  const box = $("#preview");
  box.setAttribute("aria-busy", "true");
  try {
    const answer = await modApi(`/api/v1/events/${EVENT_ID}/report/preview?${query()}`);
    if (run !== previewRun) return;
    // Server-rendered and escaped; parsed inertly (no script runs from a parsed document).
    const parsed = new DOMParser().parseFromString(answer.html, "text/html");
    box.replaceChildren(...Array.from(parsed.body.childNodes, (node) => document.adoptNode(node)));
  } catch (error) {
    if (run !== previewRun) return;
    box.replaceChildren(el("p", { class: "results-preview__empty", text: msg("preview_failed", { message: error.message }) }));
  } finally {
    if (run === previewRun) box.setAttribute("aria-busy", "false");
  }
}

$("#options").addEventListener("change", () => {
  const form = $("#options");
  options.lang = form.elements.lang.value || options.lang;
  options.authors = form.elements.authors.checked;
  showReviewNames();
  markStale();
  loadPreview();
});

// ------------------------------------------------------------------ downloads

/** Save a file of this event (see ui/download.js), saying how it went in `feedback`. */
async function save(url, fallbackName, feedback, button) {
  say(feedback, "info", msg("download_loading"));
  button.disabled = true;
  try {
    await download(url, { token: auth.token, fallbackName });
    say(feedback, "success", "");
  } catch (error) {
    say(feedback, "error", msg("download_failed", { message: error.message }));
  } finally {
    button.disabled = false;
  }
}

$("#downloads").addEventListener("click", (click) => {
  const button = click.target.closest("button[data-format]");
  if (!button) return;
  const fmt = button.dataset.format;
  save(`/api/v1/events/${EVENT_ID}/report.${fmt}?${query()}`, `report.${fmt}`, $("#download-feedback"), button);
});

// ------------------------------------------------------------------ report settings

async function loadSettings() {
  const settings = await modApi(`/api/v1/events/${EVENT_ID}/report-settings`);
  $("#organiser").value = settings.organiser || "";
}

$("#settings-form").addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const feedback = $("#settings-feedback");
  try {
    await modApi(`/api/v1/events/${EVENT_ID}/report-settings`, { method: "PATCH", body: { organiser: $("#organiser").value.trim() || null } });
    say(feedback, "success", msg("saved"));
    markStale();
    loadPreview();
  } catch (error) {
    say(feedback, "error", msg("save_failed", { message: error.message }));
  }
});

// ------------------------------------------------------------------ publishing

function showPublication() {
  const state = $("#publication-state");
  const published = publication.published;
  $("#publication-link").hidden = !published;
  $("#copy-link").hidden = !published;
  $("#withdraw").hidden = !published;
  $("#publish").textContent = published ? msg("republish") : msg("publish");
  if (published) {
    state.textContent = msg("published_since", {
      date: formatDay(publication.published_at),
      lang: msg(`lang_${publication.lang}`),
      names: publication.authors ? msg("names_shown") : msg("names_hidden"),
    });
    $("#publication-url").href = publication.url;
    $("#publication-url").textContent = publication.url;
    $("#publication-qr").src = publication.qr_url;
    $("#publication-qr").alt = publication.url;
  } else {
    state.textContent = publication.withdrawn_at ? msg("withdrawn") : msg("not_published");
    $("#publication-stale").hidden = true;
  }
}

function markStale() {
  const stale = $("#publication-stale");
  stale.textContent = msg("republish_hint");
  stale.hidden = !publication.published;
}

$("#publish").addEventListener("click", async () => {
  if (!window.confirm(msg("publish_confirm"))) return;
  const feedback = $("#publish-feedback");
  try {
    publication = await modApi(`/api/v1/events/${EVENT_ID}/publication`, { method: "PUT", body: { authors: options.authors, lang: options.lang } });
    showPublication();
    $("#publication-stale").hidden = true;
    say(feedback, "success", msg("published"));
  } catch (error) {
    say(feedback, "error", msg("save_failed", { message: error.message }));
  }
});

$("#withdraw").addEventListener("click", async () => {
  if (!window.confirm(msg("withdraw_confirm"))) return;
  const feedback = $("#publish-feedback");
  try {
    await modApi(`/api/v1/events/${EVENT_ID}/publication`, { method: "DELETE" });
    publication = await modApi(`/api/v1/events/${EVENT_ID}/publication`);
    showPublication();
    say(feedback, "success", msg("withdrawn"));
  } catch (error) {
    say(feedback, "error", msg("save_failed", { message: error.message }));
  }
});

$("#copy-link").addEventListener("click", async () => {
  const copied = await copyText(publication.url || "");
  say($("#publish-feedback"), copied ? "success" : "error", copied ? msg("copied") : msg("copy_failed"));
});

// ------------------------------------------------------------------ anonymity review

let reviewNames = [];

function showReviewNames() {
  const node = $("#review-names");
  if (!options.authors) {
    node.textContent = msg("names_none");
    return;
  }
  node.textContent = reviewNames.length ? msg("names_list", { names: reviewNames.join(", ") }) : msg("names_none");
}

function reviewItem(idea) {
  const redacted = idea.redaction !== null && idea.redaction !== undefined;
  const meta = [idea.workshop, idea.author || msg("anonymous"), `${idea.votes} ★`].join(" · ");
  const item = el("li", { class: "review-item", "data-testid": "review-item", dataset: { ideaId: idea.id, redacted: redacted ? "true" : "false" } },
    el("span", { class: "review-item__meta", text: meta }),
    el("span", { class: `review-item__text${redacted ? " review-item__text--struck" : ""}`, text: idea.text }),
    redacted ? el("span", { class: "review-item__shown", text: idea.redaction, title: msg("redacted") }) : null,
    el("span", { class: "review-item__actions" },
      el("button", { class: "button button--ghost button--small", type: "button", text: msg("redact"), "data-testid": "review-edit", on: { click: () => editItem(item, idea) } }),
      redacted ? el("button", { class: "button button--ghost button--small", type: "button", text: msg("restore"), "data-testid": "review-restore", on: { click: () => restore(idea) } }) : null));
  return item;
}

function editItem(item, idea) {
  const field = el("textarea", { class: "input textarea", rows: 3, maxlength: 500, "aria-label": msg("redaction_hint"), "data-testid": "review-text" });
  field.value = idea.redaction ?? idea.text;
  const save = el("button", { class: "button button--primary button--small", type: "button", text: msg("save"), "data-testid": "review-save" });
  const cancel = el("button", { class: "button button--ghost button--small", type: "button", text: msg("cancel") });
  const error = el("p", { class: "feedback feedback--error" });
  save.addEventListener("click", async () => {
    const text = field.value.trim();
    if (!text) return field.focus();
    save.disabled = true;
    try {
      const answer = await modApi(`/api/v1/ideas/${idea.id}/redaction`, { method: "PUT", body: { text } });
      idea.redaction = answer.text;
      item.replaceWith(reviewItem(idea));
      markStale();
      loadPreview();
    } catch (failure) {
      save.disabled = false;
      error.textContent = msg("save_failed", { message: failure.message });
    }
  });
  cancel.addEventListener("click", () => item.replaceWith(reviewItem(idea)));
  item.replaceChildren(el("span", { class: "review-item__meta", text: msg("redaction_hint") }), el("span", { class: "review-item__text", text: idea.text }), field,
    el("span", { class: "review-item__actions" }, save, cancel), error);
  field.focus();
}

async function restore(idea) {
  try {
    await modApi(`/api/v1/ideas/${idea.id}/redaction`, { method: "DELETE" });
    idea.redaction = null;
    renderReview();
    markStale();
    loadPreview();
  } catch (error) {
    banner.show("error", msg("save_failed", { message: error.message }));
  }
}

function renderReview() {
  const needle = $("#review-filter").value.trim().toLocaleLowerCase();
  const shown = needle ? ideas.filter((idea) => `${idea.text} ${idea.redaction || ""} ${idea.author || ""} ${idea.workshop}`.toLocaleLowerCase().includes(needle)) : ideas;
  const list = $("#review-list");
  list.replaceChildren(...shown.map(reviewItem));
  if (!ideas.length) list.replaceChildren(el("li", { class: "review-item", text: msg("no_ideas") }));
  $("#review-count").textContent = msg("filter_count", { shown: shown.length, total: ideas.length });
}

$("#review-filter").addEventListener("input", renderReview);

async function loadReview() {
  const review = await modApi(`/api/v1/events/${EVENT_ID}/review`);
  ideas = review.ideas;
  reviewNames = review.authors;
  publication = review.publication;
  showReviewNames();
  renderReview();
  showPublication();
}

// ------------------------------------------------------------------ contacts

async function loadContacts() {
  const { contacts } = await modApi(`/api/v1/events/${EVENT_ID}/contacts`);
  $("#contacts-summary").textContent = contacts.length ? msg("contacts_count", { n: contacts.length }) : msg("contacts_none");
  $("#contacts-table").hidden = !contacts.length;
  $("#contacts-rows").replaceChildren(...contacts.map((contact) => el("tr", {},
    el("td", { text: contact.email }),
    el("td", { text: [contact.send_results ? msg("purpose_results") : null, contact.follow_up ? msg("purpose_follow_up") : null].filter(Boolean).join(", ") }),
    el("td", { text: formatDay(contact.consented_at) }))));
}

$("#contacts-csv").addEventListener("click", (click) => {
  save(`/exports/events/${EVENT_ID}/contacts.csv`, "contacts.csv", $("#contacts-feedback"), click.currentTarget);
});

// ------------------------------------------------------------------ data protection

function showPrivacy(privacy) {
  $("#retention-days").value = privacy.retention_days ?? "";
  const parts = [];
  if (privacy.personal_data_purged_at) parts.push(msg("purged_at", { date: formatDay(privacy.personal_data_purged_at) }));
  parts.push(privacy.purge_due_on ? msg("retention_due", { date: formatDay(privacy.purge_due_on) }) : msg("retention_off"));
  $("#retention-state").textContent = parts.join(" ");
}

async function loadPrivacy() {
  showPrivacy(await modApi(`/api/v1/events/${EVENT_ID}/privacy`));
}

$("#retention-form").addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const raw = $("#retention-days").value.trim();
  const feedback = $("#privacy-feedback");
  try {
    showPrivacy(await modApi(`/api/v1/events/${EVENT_ID}/privacy`, { method: "PATCH", body: { retention_days: raw === "" ? null : Number(raw) } }));
    say(feedback, "success", msg("saved"));
  } catch (error) {
    say(feedback, "error", msg("save_failed", { message: error.message }));
  }
});

$("#purge-now").addEventListener("click", async () => {
  if (!window.confirm(msg("purge_confirm"))) return;
  const feedback = $("#privacy-feedback");
  try {
    showPrivacy(await modApi(`/api/v1/events/${EVENT_ID}/privacy/purge`, { method: "POST" }));
    say(feedback, "success", msg("purged"));
    await Promise.all([loadReview(), loadContacts()]);
    loadPreview();
  } catch (error) {
    say(feedback, "error", msg("save_failed", { message: error.message }));
  }
});

$("#delete-event").addEventListener("click", async () => {
  const title = event ? event.title : "";
  if (!window.confirm(msg("delete_confirm", { title }))) return;
  const typed = window.prompt(msg("delete_type"), "");
  const feedback = $("#privacy-feedback");
  if (typed === null) return;
  if (typed.trim() !== title.trim()) {
    say(feedback, "error", msg("delete_mismatch"));
    return;
  }
  try {
    await modApi(`/api/v1/events/${EVENT_ID}`, { method: "DELETE" });
    say(feedback, "success", msg("deleted"));
    location.assign("/moderator");
  } catch (error) {
    say(feedback, "error", msg("save_failed", { message: error.message }));
  }
});

// ------------------------------------------------------------------ start

async function start() {
  if (!auth) return;
  setupTopbar(auth);
  const form = $("#options");
  form.elements.lang.value = options.lang;
  form.elements.authors.checked = options.authors;
  try {
    event = await modApi(`/api/v1/events/${EVENT_ID}`);
    $("#page-title").textContent = event.title;
    $("#crumb-event").textContent = event.title;
    document.title = `${event.title} · Pinnwand`;
  } catch (error) {
    banner.show("error", error.code === "forbidden" || error.code === "not_found" ? msg("not_found") : error.message);
    $("#preview").setAttribute("aria-busy", "false");
    return;
  }
  loadPreview();
  const results = await Promise.allSettled([loadSettings(), loadReview(), loadContacts(), loadPrivacy()]);
  const failed = results.find((result) => result.status === "rejected");
  if (failed) banner.show("error", failed.reason.message);
}

start();
