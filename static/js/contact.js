// "Stay in touch", /join/<CODE>/contact: a participant leaves an e-mail address with explicit
// consent, sees what is stored, and can withdraw (which deletes it).
//
// The participant's token is the one the phone page keeps in localStorage under
// "pinnwand:participant:<CODE>". The consent sentences come from the page
// (<script type="application/json" id="contact-data">), rendered by the same server function
// that writes the stored text; the page's own strings come from the "page-i18n" block.
//
// data-testid: contact-page, contact-missing, contact-form, contact-email, contact-results,
//   contact-follow-up, consent-text, contact-submit, contact-feedback, contact-stored,
//   stored-email, contact-withdraw, back-to-board

import { $, api, readJson, showOnly, store, textsFrom } from "./common.js";

const STEPS = ["contact-loading", "contact-missing", "contact-form-step", "contact-stored"];
const CODE = $("#app").dataset.code;
const KEY = `pinnwand:participant:${CODE}`;
// This page's strings (its "page-i18n" block): msg(key, vars) with {placeholders} filled in.
const { t: msg } = textsFrom(readJson("page-i18n") || {});
const data = readJson("contact-data") || { consent: {}, lang: "de" };
const form = $("#contact-form");


function token() {
  const session = store.get(KEY);
  return session && session.token ? session.token : null;
}

function feedback(kind, text) {
  const node = $("#contact-feedback");
  node.className = `feedback feedback--${kind}`;
  node.textContent = text;
  node.hidden = !text;
}

function fieldError(id, text) {
  const node = document.getElementById(id);
  node.textContent = text;
  node.hidden = !text;
}

function purposes() {
  return { send_results: form.elements.send_results.checked, follow_up: form.elements.follow_up.checked };
}

function updateConsent() {
  const chosen = purposes();
  const key = chosen.send_results && chosen.follow_up ? "both" : chosen.send_results ? "send_results" : chosen.follow_up ? "follow_up" : null;
  const node = $("#consent-text");
  node.textContent = key ? data.consent[key] : "";
  node.hidden = !key;
  if (key) fieldError("contact-purpose-error", "");
}

function showMissing(text) {
  if (text) $("#contact-missing-text").textContent = text;
  showOnly(STEPS, "contact-missing");
}

function showForm() {
  showOnly(STEPS, "contact-form-step");
  updateConsent();
}

function showStored(contact) {
  $("#stored-email").textContent = contact.email;
  const chosen = [];
  if (contact.send_results) chosen.push(msg("purpose_results"));
  if (contact.follow_up) chosen.push(msg("purpose_follow_up"));
  $("#stored-purposes").textContent = chosen.join(" · ");
  $("#stored-consent").textContent = contact.consent_text;
  const when = new Date(contact.consented_at);
  $("#stored-when").textContent = msg("consented_at", { date: Number.isNaN(when.getTime()) ? contact.consented_at : when.toLocaleString(data.lang) });
  showOnly(STEPS, "contact-stored");
}

function expired(error) {
  return error && (error.code === "unauthorized" || error.code === "forbidden");
}

async function load() {
  if (!token()) return showMissing();
  try {
    const answer = await api("/api/v1/contact", { token: token() });
    if (answer.contact) showStored(answer.contact);
    else showForm();
  } catch (error) {
    if (expired(error)) return showMissing(msg("session_expired"));
    showForm();
    feedback("error", msg("save_failed", { message: error.message }));
  }
}

form.addEventListener("change", updateConsent);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const email = form.elements.email.value.trim();
  const chosen = purposes();
  fieldError("contact-email-error", "");
  fieldError("contact-purpose-error", "");
  let invalid = false;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email)) {
    fieldError("contact-email-error", msg("email_invalid"));
    invalid = true;
  }
  if (!chosen.send_results && !chosen.follow_up) {
    fieldError("contact-purpose-error", msg("purpose_missing"));
    invalid = true;
  }
  if (invalid) return;
  const button = $('[data-testid="contact-submit"]');
  button.disabled = true;
  feedback("info", msg("saving"));
  try {
    const answer = await api("/api/v1/contact", { method: "PUT", token: token(), body: { email, ...chosen, lang: data.lang } });
    feedback("success", "");
    showStored(answer.contact);
    $("#status").className = "status status--success";
    $("#status").textContent = msg("saved");
    $("#status").hidden = false;
  } catch (error) {
    if (expired(error)) return showMissing(msg("session_expired"));
    if (error.fields && error.fields.email) fieldError("contact-email-error", msg("email_invalid"));
    feedback("error", msg("save_failed", { message: error.message }));
  } finally {
    button.disabled = false;
  }
});

$("#contact-withdraw").addEventListener("click", async () => {
  const button = $("#contact-withdraw");
  button.disabled = true;
  $("#status").hidden = true;
  try {
    await api("/api/v1/contact", { method: "DELETE", token: token() });
    form.reset();
    showForm();
    feedback("success", msg("withdrawn"));
  } catch (error) {
    if (expired(error)) return showMissing(msg("session_expired"));
    $("#status").className = "status status--error";
    $("#status").textContent = msg("withdraw_failed", { message: error.message });
    $("#status").hidden = false;
  } finally {
    button.disabled = false;
  }
});

load();
