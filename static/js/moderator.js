// /moderator: sign in, then the moderator's events and a form for a new one.
//
// data-testid:
//   login, login-form, login-email, login-password, login-submit, login-error
//   dashboard, event-list, events-empty,
//   event-item (data-event-id), event-item-title, event-item-code, event-edit, event-cockpit
//   new-event-form, new-event-title, new-event-date, new-event-location,
//   new-event-description, new-event-series, new-event-submit
//   series-card, series-list, series-item (data-series-id), new-series-form,
//   new-series-title, new-series-submit
//   moderator-name, logout, connection-status, lang-switch

import { $, api, el, errorText, formatDate, plural, showOnly, statusBanner, t } from "./common.js";
import { clearAuth, getAuth, modApi, setAuth, setupTopbar } from "./moderator-auth.js";

const banner = statusBanner($("#status"));
const VIEWS = ["login", "dashboard"];

function nextUrl() {
  const next = new URLSearchParams(location.search).get("next") || "";
  return next.startsWith("/") && !next.startsWith("//") ? next : null;
}

function showLogin(message = "") {
  $("#moderator-bar").hidden = true;
  showOnly(VIEWS, "login");
  const error = $("#login-error");
  error.textContent = message;
  error.hidden = !message;
}

$("#login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const email = $("#login-email").value.trim();
  const password = $("#login-password").value;
  if (!email || !password) {
    showLogin(t("field_required"));
    return;
  }
  const button = $('[data-testid="login-submit"]');
  button.disabled = true;
  try {
    const answer = await api("/api/v1/auth/token", { method: "POST", body: { email, password } });
    setAuth(answer);
    $("#login-password").value = "";
    const next = nextUrl();
    if (next) location.assign(next);
    else showDashboard();
  } catch (error) {
    showLogin(errorText(error, {
      unauthorized: t("login_failed"), invalid: t("login_failed"), rate_limited: t("login_limited"), unavailable: t("login_busy"), network: t("network_error"), other: t("server_error"),
    }));
  } finally {
    button.disabled = false;
  }
});

function eventItem(event) {
  const meta = [event.date ? formatDate(event.date) : t("no_date"), event.location].filter(Boolean).join(" · ");
  return el("li", { class: "event-item", "data-testid": "event-item", dataset: { eventId: String(event.id) } },
    el("div", { class: "event-item__main" },
      el("h2", { class: "event-item__title" },
        el("a", { href: `/moderator/events/${event.id}`, text: event.title, "data-testid": "event-item-title" })),
      el("p", { class: "event-item__meta", text: meta }),
      el("p", { class: "event-item__meta" },
        el("span", { text: `${t("code")}: ` }),
        el("strong", { class: "mono", text: event.join_code, "data-testid": "event-item-code" }),
        ` · ${plural("workshop_count", event.workshops.length)}`)),
    el("div", { class: "event-item__actions" },
      el("a", { class: "button button--secondary button--small", href: `/moderator/events/${event.id}`, text: t("open_editor"), "data-testid": "event-edit" }),
      el("a", { class: "button button--primary button--small", href: `/moderator/events/${event.id}/cockpit`, text: t("open_cockpit"), "data-testid": "event-cockpit" })));
}

async function showDashboard() {
  const auth = getAuth();
  if (!auth) {
    showLogin();
    return;
  }
  const next = nextUrl();
  if (next) {
    location.assign(next);
    return;
  }
  setupTopbar(auth, { onLogout: () => showLogin() });
  showOnly(VIEWS, "dashboard");
  try {
    const data = await api("/api/v1/events", { token: auth.token });
    banner.hide();
    $("#event-list").replaceChildren(...data.events.map(eventItem));
    const empty = $("#events-empty");
    empty.textContent = t("no_events");
    empty.hidden = data.events.length > 0;
    await showSeries(auth);
  } catch (error) {
    if (error.code === "unauthorized") {
      clearAuth();
      showLogin(t("session_expired"));
    } else {
      banner.show("error", errorText(error, { network: t("network_error"), other: t("server_error") }));
    }
  }
}

function seriesItem(series) {
  return el("li", { class: "series-item", "data-testid": "series-item", dataset: { seriesId: String(series.id) } },
    el("a", { href: `/moderator/series/${series.id}`, text: series.title }),
    el("span", { class: "muted", text: ` · ${plural("forum_count", series.events.length)}` }));
}

async function showSeries(auth) {
  const { series } = await api("/api/v1/series", { token: auth.token });
  $("#series-list").replaceChildren(...series.map(seriesItem));
  const select = $("#new-event-series");
  select.replaceChildren(select.options[0], ...series.map((s) => el("option", { value: String(s.id), text: s.title })));
}

$("#new-series-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("#new-series-title");
  const error = $("#new-series-error");
  error.hidden = true;
  if (!input.value.trim()) {
    error.textContent = t("field_required");
    error.hidden = false;
    input.focus();
    return;
  }
  try {
    const created = await modApi("/api/v1/series", { method: "POST", body: { title: input.value.trim() } });
    location.assign(`/moderator/series/${created.id}`);
  } catch (failure) {
    error.textContent = t("save_failed", { message: failure.message });
    error.hidden = false;
  }
});

$("#new-event-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const title = $("#new-event-title-input").value.trim();
  const error = $("#new-event-error");
  if (!title) {
    error.textContent = t("field_required");
    error.hidden = false;
    $("#new-event-title-input").focus();
    return;
  }
  const body = { title, workshops: [] };
  const date = $("#new-event-date").value;
  const location_ = $("#new-event-location").value.trim();
  const description = $("#new-event-description").value.trim();
  if (date) body.date = date;
  if (location_) body.location = location_;
  if (description) body.description = description;
  const seriesId = $("#new-event-series").value;
  if (seriesId) body.series_id = Number(seriesId);
  const button = $('[data-testid="new-event-submit"]');
  button.disabled = true;
  try {
    const created = await modApi("/api/v1/events", { method: "POST", body });
    location.assign(`/moderator/events/${created.id}`);
  } catch (failure) {
    error.textContent = t("save_failed", { message: failure.message });
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
});

showDashboard();
