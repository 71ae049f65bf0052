// /moderator/events/<id>: the event's details, agenda (keynote talks), parallel workshops,
// how participants join (code, link, QR) and the results report downloads.
//
// data-testid:
//   event-heading, back-to-events, cockpit-link
//   event-form, event-title, event-date, event-location, event-description, event-save,
//   event-feedback
//   agenda-list, agenda-empty, agenda-item (data-item-id), agenda-item-title, agenda-edit,
//   agenda-delete, agenda-edit-form, agenda-edit-start, agenda-edit-title, agenda-edit-speaker,
//   agenda-edit-organisation, agenda-save, agenda-cancel
//   agenda-add-form, agenda-add-start, agenda-add-title, agenda-add-speaker,
//   agenda-add-organisation, agenda-add
//   workshop-rows, workshops-empty, workshop-row (data-workshop-id), workshop-row-title,
//   workshop-row-question, workshop-row-counts, workshop-edit, workshop-edit-form,
//   workshop-edit-title, workshop-edit-question, workshop-save, workshop-cancel,
//   workshop-open-board, workshop-projector-link, projector-url, projector-copy, projector-open
//   workshop-row-template, workshop-row-categories, workshop-edit-columns-note
//   workshop-add-form, workshop-add-title, workshop-add-question, workshop-add,
//   workshop-add-template, workshop-template-free, workshop-template-categories,
//   workshop-template-hmw, workshop-add-categories, workshop-category-title,
//   workshop-category-remove, workshop-add-category
//   join-code, join-qr, join-link, copy-join-link (joining controls: joining.js)
//   report-pdf, report-docx, report-xlsx, report-csv, report-md, report-json
//   event-series-form, event-series, event-series-save, event-series-feedback, event-register
//   (series-choice.js)
//   moderator-name, logout, connection-status, lang-switch

import { $, LANG, el, plural, statusBanner, t } from "./common.js";
import { setupJoining } from "./joining.js";
import { modApi, requireAuth, setupTopbar } from "./moderator-auth.js";
import { showProjectorLink } from "./moderator-ui.js";
import { setupSeriesChoice } from "./series-choice.js";
import { copyText } from "./ui/clipboard.js";
import { confirmDialog } from "./ui/dialog.js";
import { download } from "./ui/download.js";
import { moderatorErrorText } from "./ui/errors.js";

const auth = requireAuth();
const EVENT_ID = Number($("#app").dataset.eventId);
const banner = statusBanner($("#status"));
let event = null;

function say(node, kind, text) {
  node.className = `feedback feedback--${kind}`;
  node.textContent = text;
  if (kind === "success") {
    setTimeout(() => {
      if (node.textContent === text) node.textContent = "";
    }, 3000);
  }
}

/** Mark the inputs of a form named in an `invalid` error's fields. */
function markFields(form, error) {
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const name of Object.keys((error && error.fields) || {})) {
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) input.setAttribute("aria-invalid", "true");
  }
}

function optional(value) {
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
}

// ------------------------------------------------------------------ details and join panel

function showEvent() {
  document.title = `${event.title} · Pinnwand`;
  $("#crumb-title").textContent = event.title;
  $("#page-title").textContent = event.title;
  $("#event-title").value = event.title;
  $("#event-date").value = event.date || "";
  $("#event-location").value = event.location || "";
  $("#event-description").value = event.description || "";
  showJoinPanel();
}

/** Code, link and QR code (the link's key shows in the QR code and the copied link only). */
function showJoinPanel() {
  $("#join-code").textContent = event.join_code;
  const link = $("#join-link");
  link.href = event.join_url;
  link.textContent = event.join_url.replace(/^https?:\/\//, "").replace(/\?.*$/, "");
  const qr = $("#join-qr");
  qr.src = `/join/${encodeURIComponent(event.join_code)}/qr.svg`;
  qr.alt = t("qr_alt", { url: event.join_url });
  qr.hidden = false;
}

$("#details-form").addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const form = submit.currentTarget;
  const feedback = $("#details-feedback");
  const title = $("#event-title").value.trim();
  if (!title) {
    $("#event-title").setAttribute("aria-invalid", "true");
    say(feedback, "error", t("field_required"));
    return;
  }
  say(feedback, "info", t("saving"));
  try {
    event = await modApi(`/api/v1/events/${EVENT_ID}`, {
      method: "PATCH",
      body: {
        title,
        date: $("#event-date").value || null,
        location: optional($("#event-location").value),
        description: optional($("#event-description").value),
      },
    });
    markFields(form, null);
    showEvent();
    say(feedback, "success", t("saved"));
  } catch (error) {
    markFields(form, error);
    say(feedback, "error", t("save_failed", { message: moderatorErrorText(error) }));
  }
});

$("#copy-join-link").addEventListener("click", async (click) => {
  const button = click.currentTarget;
  const label = button.textContent;
  button.textContent = (await copyText(event.join_url)) ? t("copied") : t("copy_failed");
  setTimeout(() => {
    button.textContent = label;
  }, 2500);
});

// ------------------------------------------------------------------ agenda

function talkFields(prefix, talk = {}) {
  const field = (name, label, attrs) => {
    const id = `${prefix}-${name}-${talk.id || "new"}`;
    return el("div", { class: "field" },
      el("label", { class: "field__label", for: id, text: label }),
      el("input", { id, class: "input", name: attrs.name, ...attrs, "data-testid": `${prefix}-${name}` }));
  };
  return el("div", { class: "field-grid field-grid--agenda" },
    field("start", t("starts_at"), { name: "starts_at", type: "time", value: talk.starts_at || "" }),
    field("title", t("talk_title"), { name: "title", type: "text", required: true, maxlength: 200, value: talk.title || "" }),
    field("speaker", t("speaker"), { name: "speaker", type: "text", maxlength: 120, value: talk.speaker || "" }),
    field("organisation", t("organisation"), { name: "organisation", type: "text", maxlength: 200, value: talk.organisation || "" }));
}

function talkBody(form) {
  const value = (name) => form.querySelector(`[name="${name}"]`).value;
  return {
    title: value("title").trim(),
    starts_at: value("starts_at") || null,
    speaker: optional(value("speaker")),
    organisation: optional(value("organisation")),
  };
}

function talkRow(talk) {
  const row = el("li", { class: "row", "data-testid": "agenda-item", dataset: { itemId: String(talk.id) } });
  const view = () => {
    const who = [talk.speaker, talk.organisation].filter(Boolean).join(", ");
    row.replaceChildren(
      el("span", { class: "row__time mono", text: talk.starts_at || "–" }),
      el("div", { class: "row__main" },
        el("p", { class: "row__title", text: talk.title, "data-testid": "agenda-item-title" }),
        who ? el("p", { class: "row__sub", text: who }) : null),
      el("div", { class: "row__actions" },
        el("button", { type: "button", class: "button button--ghost button--small", text: t("edit"), "data-testid": "agenda-edit", "aria-label": `${t("edit")}: ${talk.title}`, on: { click: edit } }),
        el("button", { type: "button", class: "button button--danger-ghost button--small", text: t("delete"), "data-testid": "agenda-delete", "aria-label": `${t("delete")}: ${talk.title}`, on: { click: remove } })));
  };
  const edit = () => {
    const feedback = el("span", { class: "feedback", role: "status" });
    const form = el("form", { class: "row__form", novalidate: true, "data-testid": "agenda-edit-form" },
      talkFields("agenda-edit", talk),
      el("div", { class: "form-actions" },
        el("button", { type: "submit", class: "button button--primary button--small", text: t("save"), "data-testid": "agenda-save" }),
        el("button", { type: "button", class: "button button--ghost button--small", text: t("cancel"), "data-testid": "agenda-cancel", on: { click: view } }),
        feedback));
    form.addEventListener("submit", async (submit) => {
      submit.preventDefault();
      const body = talkBody(form);
      if (!body.title) {
        say(feedback, "error", t("field_required"));
        return;
      }
      try {
        talk = await modApi(`/api/v1/events/${EVENT_ID}/agenda/${talk.id}`, { method: "PATCH", body });
        view();
      } catch (error) {
        markFields(form, error);
        say(feedback, "error", t("save_failed", { message: moderatorErrorText(error) }));
      }
    });
    row.replaceChildren(form);
    form.querySelector('[name="title"]').focus();
  };
  const remove = async () => {
    const asked = { title: t("delete"), text: t("delete_talk_confirm", { title: talk.title }), confirm: t("delete"), cancel: t("cancel"), danger: true };
    if (!(await confirmDialog(asked))) return;
    try {
      await modApi(`/api/v1/events/${EVENT_ID}/agenda/${talk.id}`, { method: "DELETE" });
      await loadAgenda();
    } catch (error) {
      banner.show("error", moderatorErrorText(error));
    }
  };
  view();
  return row;
}

function showAgenda(agenda) {
  const sorted = [...agenda].sort((a, b) => (a.starts_at || "99:99").localeCompare(b.starts_at || "99:99") || a.position - b.position);
  $("#agenda-list").replaceChildren(...sorted.map(talkRow));
  const empty = $("#agenda-empty");
  empty.textContent = t("no_agenda");
  empty.hidden = agenda.length > 0;
}

async function loadAgenda() {
  const data = await modApi(`/api/v1/events/${EVENT_ID}/agenda`);
  showAgenda(data.agenda);
}

$("#agenda-add-form").addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const form = submit.currentTarget;
  const feedback = $("#agenda-feedback");
  const body = talkBody(form);
  if (!body.title) {
    $("#agenda-add-title").setAttribute("aria-invalid", "true");
    say(feedback, "error", t("field_required"));
    $("#agenda-add-title").focus();
    return;
  }
  for (const [name, value] of Object.entries(body)) if (value === null) delete body[name];
  try {
    await modApi(`/api/v1/events/${EVENT_ID}/agenda`, { method: "POST", body });
    form.reset();
    markFields(form, null);
    await loadAgenda();
    say(feedback, "success", t("saved"));
    $("#agenda-add-start").focus();
  } catch (error) {
    markFields(form, error);
    say(feedback, "error", t("save_failed", { message: moderatorErrorText(error) }));
  }
});

// ------------------------------------------------------------------ workshops

function workshopRow(workshop) {
  const row = el("li", { class: "row row--workshop", "data-testid": "workshop-row", dataset: { workshopId: String(workshop.id) } });
  const linkBox = el("div", { class: "link-box", hidden: true, "data-testid": "workshop-projector-box" });
  const view = () => {
    row.replaceChildren(
      el("div", { class: "row__main" },
        el("p", { class: "row__title", text: workshop.title, "data-testid": "workshop-row-title" }),
        el("p", { class: "row__question", text: workshop.question || "", "data-testid": "workshop-row-question" }),
        templateLine(workshop),
        el("p", { class: "row__sub", "data-testid": "workshop-row-counts" },
          `${plural("participants", workshop.participants || 0)} · ${plural("ideas", workshop.ideas || 0)}`,
          workshop.locked ? el("span", { class: "badge badge--locked", text: t("locked") }) : null)),
      el("div", { class: "row__actions" },
        el("button", { type: "button", class: "button button--ghost button--small", text: t("edit"), "aria-label": `${t("edit")}: ${workshop.title}`, "data-testid": "workshop-edit", on: { click: edit } }),
        el("a", { class: "button button--ghost button--small", href: `/moderator/workshops/${workshop.id}`, text: t("open_board"), "data-testid": "workshop-open-board" }),
        el("button", { type: "button", class: "button button--ghost button--small", text: t("projector_link"), "data-testid": "workshop-projector-link", on: { click: () => showProjectorLink(linkBox, workshop.id) } })),
      linkBox);
  };
  const edit = () => {
    const feedback = el("span", { class: "feedback", role: "status" });
    const titleId = `workshop-edit-title-${workshop.id}`;
    const questionId = `workshop-edit-question-${workshop.id}`;
    const question = el("textarea", { id: questionId, class: "input textarea", name: "question", rows: 2, maxlength: 1000, "data-testid": "workshop-edit-question" });
    question.value = workshop.question || "";
    const form = el("form", { class: "row__form", novalidate: true, "data-testid": "workshop-edit-form" },
      el("div", { class: "field" },
        el("label", { class: "field__label", for: titleId, text: t("workshop_title") }),
        el("input", { id: titleId, class: "input", name: "title", type: "text", required: true, maxlength: 200, value: workshop.title, "data-testid": "workshop-edit-title" })),
      el("div", { class: "field" },
        el("label", { class: "field__label", for: questionId, text: t("workshop_question") }),
        question),
      workshop.template === "categories"
        ? el("p", { class: "field__hint", text: t("columns_on_board"), "data-testid": "workshop-edit-columns-note" })
        : null,
      el("div", { class: "form-actions" },
        el("button", { type: "submit", class: "button button--primary button--small", text: t("save"), "data-testid": "workshop-save" }),
        el("button", { type: "button", class: "button button--ghost button--small", text: t("cancel"), "data-testid": "workshop-cancel", on: { click: view } }),
        feedback));
    form.addEventListener("submit", async (submit) => {
      submit.preventDefault();
      const title = form.querySelector('[name="title"]').value.trim();
      if (!title) {
        say(feedback, "error", t("field_required"));
        return;
      }
      try {
        const updated = await modApi(`/api/v1/workshops/${workshop.id}`, { method: "PATCH", body: { title, question: question.value.trim() } });
        workshop = { ...workshop, ...updated };
        view();
      } catch (error) {
        markFields(form, error);
        say(feedback, "error", t("save_failed", { message: moderatorErrorText(error) }));
      }
    });
    row.replaceChildren(form);
    form.querySelector('[name="title"]').focus();
  };
  view();
  return row;
}

/** The workshop's method and, for columns, their titles. */
function templateLine(workshop) {
  const template = workshop.template || "free";
  const categories = template === "categories" ? (workshop.categories || []).map((c) => c.title) : [];
  return el("p", { class: "row__sub row__template" },
    el("span", { class: "badge badge--template", text: t(`template_${template}`), "data-testid": "workshop-row-template", dataset: { template } }),
    categories.length ? el("span", { class: "row__categories", text: categories.join(" · "), "data-testid": "workshop-row-categories" }) : null);
}

function showWorkshops(workshops) {
  $("#workshop-rows").replaceChildren(...workshops.map(workshopRow));
  const empty = $("#workshops-empty");
  empty.textContent = t("no_workshops");
  empty.hidden = workshops.length > 0;
}

$("#workshop-add-form").addEventListener("submit", async (submit) => {
  submit.preventDefault();
  const form = submit.currentTarget;
  const feedback = $("#workshop-feedback");
  const title = $("#workshop-add-title").value.trim();
  if (!title) {
    $("#workshop-add-title").setAttribute("aria-invalid", "true");
    say(feedback, "error", t("field_required"));
    $("#workshop-add-title").focus();
    return;
  }
  const body = { title, question: $("#workshop-add-question").value.trim() };
  // "free" is the server's default: sent only when another method is chosen.
  if (chosenTemplate() !== "free") body.template = chosenTemplate();
  if (body.template === "categories") {
    const categories = categoryTitles();
    if (categories.some((category) => category.length > 120)) {
      say(feedback, "error", t("category_invalid"));
      return;
    }
    if (categories.length) body.categories = categories;
  }
  try {
    await modApi(`/api/v1/events/${EVENT_ID}/workshops`, { method: "POST", body });
    form.reset();
    resetCategoryRows();
    showTemplateFields();
    markFields(form, null);
    const data = await modApi(`/api/v1/events/${EVENT_ID}/workshops`);
    showWorkshops(data.workshops);
    say(feedback, "success", t("saved"));
    $("#workshop-add-title").focus();
  } catch (error) {
    markFields(form, error);
    say(feedback, "error", t("save_failed", { message: moderatorErrorText(error) }));
  }
});

// ------------------------------------------------------------------ a new workshop's method

const CATEGORY_LIMIT = 12;
const EXAMPLE_ROWS = 3;

function chosenTemplate() {
  const checked = document.querySelector('#workshop-add-form input[name="template"]:checked');
  return checked ? checked.value : "free";
}

/** The typed column titles, empty ones left out. */
function categoryTitles() {
  return [...document.querySelectorAll('[data-testid="workshop-category-title"]')].map((input) => input.value.trim()).filter(Boolean);
}

function categoryRow(value = "") {
  const list = $("#workshop-add-categories");
  const index = list.children.length + 1;
  const id = `workshop-category-${index}-${Date.now()}`;
  const input = el("input", { id, class: "input input--compact", type: "text", maxlength: 120, "data-testid": "workshop-category-title", "aria-describedby": "workshop-add-categories-hint" });
  input.value = value;
  const label = el("label", { class: "category-editor__label", for: id, text: t("category_label", { n: index }) });
  const row = el("li", { class: "category-editor__row" }, label, input);
  row.append(el("button", {
    type: "button",
    class: "button button--ghost button--small",
    text: "✕",
    "aria-label": t("category_remove", { n: index }),
    "data-testid": "workshop-category-remove",
    on: {
      click: () => {
        row.remove();
        renumberCategoryRows();
        $("#workshop-add-category").focus();
      },
    },
  }));
  return row;
}

function renumberCategoryRows() {
  [...$("#workshop-add-categories").children].forEach((row, i) => {
    row.querySelector("label").textContent = t("category_label", { n: i + 1 });
    row.querySelector("button").setAttribute("aria-label", t("category_remove", { n: i + 1 }));
  });
  $("#workshop-add-category").disabled = $("#workshop-add-categories").children.length >= CATEGORY_LIMIT;
}

function resetCategoryRows() {
  const list = $("#workshop-add-categories");
  list.replaceChildren();
  for (let i = 0; i < EXAMPLE_ROWS; i += 1) list.append(categoryRow());
  renumberCategoryRows();
}

function showTemplateFields() {
  $("#workshop-add-categories-box").hidden = chosenTemplate() !== "categories";
}

$("#workshop-add-category").addEventListener("click", () => {
  const list = $("#workshop-add-categories");
  if (list.children.length >= CATEGORY_LIMIT) return;
  const row = categoryRow();
  list.append(row);
  renumberCategoryRows();
  row.querySelector("input").focus();
});

for (const radio of document.querySelectorAll('#workshop-add-form input[name="template"]')) {
  radio.addEventListener("change", showTemplateFields);
}
resetCategoryRows();
showTemplateFields();

// ------------------------------------------------------------------ report downloads

$("#report-buttons").addEventListener("click", async (click) => {
  const button = click.target.closest("button[data-format]");
  if (!button) return;
  const feedback = $("#report-feedback");
  say(feedback, "info", t("report_loading"));
  button.disabled = true;
  try {
    const format = button.dataset.format;
    await download(`/api/v1/events/${EVENT_ID}/report.${format}?lang=${LANG}`, { token: auth.token, fallbackName: `report.${format}` });
    feedback.textContent = "";
  } catch (error) {
    say(feedback, "error", t("report_failed", { message: moderatorErrorText(error) }));
  } finally {
    button.disabled = false;
  }
});

// ------------------------------------------------------------------ start

async function load() {
  try {
    event = await modApi(`/api/v1/events/${EVENT_ID}`);
    showEvent();
    setupJoining(EVENT_ID, { ...event.joining, join_code: event.join_code, join_url: event.join_url }, (joining) => {
      Object.assign(event, { join_code: joining.join_code, join_url: joining.join_url });
      showJoinPanel();
    });
    showAgenda(event.agenda);
    showWorkshops(event.workshops);
    $("#editor").hidden = false;
    await setupSeriesChoice(EVENT_ID, event.series_id);
  } catch (error) {
    banner.show("error", moderatorErrorText(error));
  }
}

if (auth) {
  setupTopbar(auth);
  load();
}
