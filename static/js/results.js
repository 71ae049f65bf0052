// The moderators' results page, /moderator/events/<id>/results: the report previewed exactly
// as the PDF prints it, downloads in every format, the names it shows and the anonymity review
// (edited idea texts), publishing and withdrawing the read-only results page, sending the
// results by mail (preview, test mail, progress per recipient), the contact addresses
// participants left, the next forums' contacts, and data protection (retention, purge,
// deleting the event).
//
// Everything goes through the JSON API with the moderator's token (moderator-auth.js); the
// page's strings come from the "page-i18n" data block (app/reports/pages.py).
//
// data-testid: results-page, report-preview (aria-busy while loading), report-options,
//   report-lang-de, report-lang-en, report-authors, report-contributors, download-<format>,
//   download-feedback, report-organiser, report-time-zone, report-page-size, publication-state, publication-url, publication-qr, publish,
//   copy-publication, withdraw, publish-feedback, review-names, review-filter, review-list,
//   review-item (data-idea-id, data-redacted), review-edit, review-restore, review-text,
//   review-save, mail-card, mail-state, mail-form, mail-subject, mail-note, mail-pdf,
//   mail-preview, mail-test, mail-send, mail-preview-box, mail-feedback, mailings, mailing
//   (data-state), mailing-progress, delivery (data-state), contacts-summary, contacts-csv,
//   forums-card, forums-summary, forums-rows, forum-contact, forum-delete, forums-csv,
//   retention-days, retention-state, purge-now, delete-event, privacy-feedback

import { $, LANG, el, readJson, statusBanner, textsFrom } from "./common.js";
import { modApi, requireAuth, setupTopbar } from "./moderator-auth.js";
import { copyText } from "./ui/clipboard.js";
import { confirmDialog } from "./ui/dialog.js";
import { download } from "./ui/download.js";

const EVENT_ID = Number($("#app").dataset.eventId);
// This page's strings (its "page-i18n" block): msg(key, vars) with {placeholders} filled in.
const { t: msg } = textsFrom(readJson("page-i18n") || {});
const banner = statusBanner($("#status"));
const auth = requireAuth();
const options = { lang: LANG === "en" ? "en" : "de", authors: false, contributors: false };
let event = null;
let publication = { published: false };
let ideas = [];


/** Ask in the page's own dialog before `button`'s action; the button's words are the dialog's
 * title and its "yes". Resolves whether the moderator confirmed. */
function ask(button, text, more = {}) {
  const label = button.textContent.trim();
  return confirmDialog({ title: label, text, confirm: label, cancel: msg("cancel"), ...more });
}

function say(node, kind, text) {
  node.className = `feedback feedback--${kind}`;
  node.textContent = text;
}

function query() {
  return `lang=${options.lang}&authors=${options.authors ? 1 : 0}&contributors=${options.contributors ? 1 : 0}`;
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
  options.contributors = form.elements.contributors.checked;
  markStale();
  loadPreview();
  loadReview().catch((error) => banner.show("error", error.message));
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

function showSettings(settings) {
  $("#organiser").value = settings.organiser || "";
  $("#time-zone").value = settings.time_zone || "";
  $("#page-size").value = settings.page_size || "A4";
}

async function loadSettings() {
  showSettings(await modApi(`/api/v1/events/${EVENT_ID}/report-settings`));
}

$("#settings-form").addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const feedback = $("#settings-feedback");
  const body = { organiser: $("#organiser").value.trim() || null, time_zone: $("#time-zone").value.trim() || null, page_size: $("#page-size").value };
  try {
    showSettings(await modApi(`/api/v1/events/${EVENT_ID}/report-settings`, { method: "PATCH", body }));
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
      names: publication.authors || publication.contributors ? msg("names_shown") : msg("names_hidden"),
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

$("#publish").addEventListener("click", async (click) => {
  if (!(await ask(click.currentTarget, msg("publish_confirm")))) return;
  const feedback = $("#publish-feedback");
  try {
    publication = await modApi(`/api/v1/events/${EVENT_ID}/publication`, { method: "PUT", body: { authors: options.authors, contributors: options.contributors, lang: options.lang } });
    showPublication();
    $("#publication-stale").hidden = true;
    say(feedback, "success", msg("published"));
    loadMail();
  } catch (error) {
    say(feedback, "error", msg("save_failed", { message: error.message }));
  }
});

$("#withdraw").addEventListener("click", async (click) => {
  if (!(await ask(click.currentTarget, msg("withdraw_confirm"), { danger: true }))) return;
  const feedback = $("#publish-feedback");
  try {
    await modApi(`/api/v1/events/${EVENT_ID}/publication`, { method: "DELETE" });
    publication = await modApi(`/api/v1/events/${EVENT_ID}/publication`);
    showPublication();
    say(feedback, "success", msg("withdrawn"));
    loadMail();
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

/** Exactly the names the report shows with the chosen options, each with its role. */
function showReviewNames() {
  const node = $("#review-names");
  const shown = reviewNames.map((entry) => `${entry.name} (${msg("role_" + entry.role)})`);
  node.textContent = shown.length ? msg("names_list", { names: shown.join(", ") }) : msg("names_none");
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
  const review = await modApi(`/api/v1/events/${EVENT_ID}/review?${query()}`);
  ideas = review.ideas;
  reviewNames = review.names;
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

// ------------------------------------------------------------------ sending the results

const POLL_MS = 2000;
let mailInfo = null;
let polling = null;

function draft() {
  const form = $("#mail-form");
  return {
    lang: options.lang,
    subject: form.elements.subject.value.trim() || null,
    note: form.elements.note.value.trim() || null,
    attach_pdf: form.elements.attach_pdf.checked,
  };
}

function showMailState() {
  const state = $("#mail-state");
  const form = $("#mail-form");
  if (!mailInfo.mail.configured) {
    state.textContent = msg("mail_off");
    form.hidden = true;
    return;
  }
  form.hidden = false;
  const ready = mailInfo.published;
  for (const id of ["#mail-preview", "#mail-test", "#mail-send"]) $(id).disabled = !ready;
  $("#mail-send").disabled = !ready || mailInfo.recipients === 0;
  state.textContent = ready ? msg("mail_recipients", { n: mailInfo.recipients }) : msg("mail_publish_first");
}

function deliveryRow(delivery) {
  return el("tr", { class: `delivery delivery--${delivery.state}`, "data-testid": "delivery", dataset: { state: delivery.state } },
    el("td", { text: delivery.email || "–" }),
    el("td", { text: msg(`delivery_${delivery.state}`) }),
    el("td", { text: delivery.error || "" }));
}

function mailingItem(mailing) {
  const handled = mailing.sent + mailing.failed;
  const head = msg(mailing.kind === "test" ? "mailing_test" : "mailing_results", { date: formatDay(mailing.created_at) });
  const summary = msg("mailing_progress", { sent: mailing.sent, failed: mailing.failed, total: mailing.recipients });
  const item = el("li", { class: "mailing", "data-testid": "mailing", dataset: { mailingId: mailing.id, state: mailing.state } },
    el("span", { class: "mailing__head", text: `${head} · ${msg("mailing_" + mailing.state)}` }),
    el("progress", { max: String(Math.max(mailing.recipients, 1)), value: String(handled), "data-testid": "mailing-progress", "aria-label": summary }),
    el("span", { class: "results-note", text: summary }));
  if (mailing.deliveries) {
    item.append(el("details", { open: mailing.state !== "done" || mailing.failed > 0 },
      el("summary", { text: msg("mailing_recipients") }),
      el("table", { class: "deliveries" },
        el("thead", {}, el("tr", {}, el("th", { text: msg("delivery_email") }), el("th", { text: msg("delivery_state") }), el("th", { text: msg("delivery_error") }))),
        el("tbody", {}, mailing.deliveries.map(deliveryRow)))));
  }
  return item;
}

const mailings = new Map();

function showMailings() {
  const list = [...mailings.values()].sort((a, b) => b.id - a.id);
  $("#mailings").replaceChildren(...list.map(mailingItem));
}

async function pollMailings() {
  polling = null;
  const open = [...mailings.values()].filter((mailing) => mailing.state !== "done");
  for (const mailing of open) {
    try {
      mailings.set(mailing.id, await modApi(`/api/v1/mailings/${mailing.id}`));
    } catch (error) {
      banner.show("error", error.message);
    }
  }
  showMailings();
  schedulePoll();
}

function schedulePoll() {
  if (!polling && [...mailings.values()].some((mailing) => mailing.state !== "done")) polling = setTimeout(pollMailings, POLL_MS);
}

async function loadMail() {
  mailInfo = await modApi(`/api/v1/events/${EVENT_ID}/mailings`);
  showMailState();
  for (const mailing of mailInfo.mailings) {
    const known = mailings.get(mailing.id);
    mailings.set(mailing.id, known && known.state === mailing.state ? known : mailing);
  }
  const latest = mailInfo.mailings[0];
  if (latest && !(mailings.get(latest.id) || {}).deliveries) mailings.set(latest.id, await modApi(`/api/v1/mailings/${latest.id}`));
  showMailings();
  schedulePoll();
}

async function sendMailing(kind, button) {
  const feedback = $("#mail-feedback");
  button.disabled = true;
  say(feedback, "info", msg("mail_queueing"));
  try {
    const mailing = await modApi(`/api/v1/events/${EVENT_ID}/mailings`, { method: "POST", body: { kind, ...draft() } });
    mailings.set(mailing.id, mailing);
    showMailings();
    schedulePoll();
    say(feedback, "success", kind === "test" ? msg("mail_test_queued") : msg("mail_queued", { n: mailing.recipients }));
  } catch (error) {
    say(feedback, "error", msg("save_failed", { message: error.message }));
  } finally {
    button.disabled = false;
  }
}

$("#mail-preview").addEventListener("click", async () => {
  const feedback = $("#mail-feedback");
  try {
    const preview = await modApi(`/api/v1/events/${EVENT_ID}/mailings/preview`, { method: "POST", body: { lang: options.lang, subject: draft().subject, note: draft().note } });
    $("#mail-preview-subject").textContent = preview.subject;
    $("#mail-preview-text").textContent = preview.text;
    $("#mail-preview-box").hidden = false;
    say(feedback, "info", "");
  } catch (error) {
    say(feedback, "error", msg("preview_failed", { message: error.message }));
  }
});

$("#mail-test").addEventListener("click", (click) => sendMailing("test", click.currentTarget));

$("#mail-send").addEventListener("click", async (click) => {
  const button = click.currentTarget;
  if (!(await ask(button, msg("mail_confirm", { n: mailInfo ? mailInfo.recipients : 0 })))) return;
  sendMailing("results", button);
});

// ------------------------------------------------------------------ the next forums

async function loadForums() {
  const { subscribers } = await modApi(`/api/v1/events/${EVENT_ID}/subscribers`);
  const confirmed = subscribers.filter((entry) => entry.confirmed);
  $("#forums-summary").textContent = confirmed.length || subscribers.length
    ? msg("forums_count", { n: confirmed.length, waiting: subscribers.length - confirmed.length })
    : msg("forums_none");
  $("#forums-table").hidden = !subscribers.length;
  $("#forums-rows").replaceChildren(...subscribers.map((entry) => el("tr", { "data-testid": "forum-contact", dataset: { confirmed: String(entry.confirmed) } },
    el("td", { text: entry.name }),
    el("td", { text: entry.email }),
    el("td", { text: entry.organisation || "" }),
    el("td", { text: entry.confirmed ? formatDay(entry.confirmed_at) : msg("forums_waiting") }),
    el("td", {}, el("button", { class: "button button--danger-ghost button--small", type: "button", "data-testid": "forum-delete", text: msg("forums_delete"), "aria-label": msg("forums_delete_who", { name: entry.name }), on: { click: () => deleteForumContact(entry) } })))));
}

async function deleteForumContact(entry) {
  const asked = { title: msg("forums_delete_who", { name: entry.name }), text: msg("forums_delete_confirm", { name: entry.name }), confirm: msg("forums_delete"), cancel: msg("cancel"), danger: true };
  if (!(await confirmDialog(asked))) return;
  try {
    await modApi(`/api/v1/subscribers/${entry.id}`, { method: "DELETE" });
    await loadForums();
  } catch (error) {
    say($("#forums-feedback"), "error", msg("save_failed", { message: error.message }));
  }
}

$("#forums-csv").addEventListener("click", (click) => {
  download(`/exports/events/${EVENT_ID}/subscribers.csv`, "next-forums.csv", $("#forums-feedback"), click.currentTarget);
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

$("#purge-now").addEventListener("click", async (click) => {
  if (!(await ask(click.currentTarget, msg("purge_confirm"), { danger: true }))) return;
  const feedback = $("#privacy-feedback");
  try {
    showPrivacy(await modApi(`/api/v1/events/${EVENT_ID}/privacy/purge`, { method: "POST" }));
    say(feedback, "success", msg("purged"));
    await Promise.all([loadReview(), loadContacts(), loadMail()]);
    loadPreview();
  } catch (error) {
    say(feedback, "error", msg("save_failed", { message: error.message }));
  }
});

$("#delete-event").addEventListener("click", async (click) => {
  const title = event ? event.title : "";
  // The event's title typed into the dialog, or nothing is deleted.
  const typed = { label: msg("delete_type"), expected: title };
  if (!(await ask(click.currentTarget, msg("delete_confirm", { title }), { danger: true, typed }))) return;
  const feedback = $("#privacy-feedback");
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
  form.elements.contributors.checked = options.contributors;
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
  const results = await Promise.allSettled([loadSettings(), loadReview(), loadContacts(), loadPrivacy(), loadMail(), loadForums()]);
  const failed = results.find((result) => result.status === "rejected");
  if (failed) banner.show("error", failed.reason.message);
}

start();
