// The "Series" card of the event editor: which series the event belongs to (its actions then
// join that series' register), the way to that register, and "Next forum in this series"
// (a new event in the series that takes over what is ticked).
//
// data-testid: event-series-form, event-series, event-series-save, event-series-feedback,
//   event-register, next-forum, next-forum-form, next-forum-title, next-forum-date,
//   next-forum-agenda, next-forum-workshops, next-forum-settings, next-forum-moderators,
//   next-forum-invite, next-forum-create, next-forum-feedback

import { $, el, t } from "./common.js";
import { modApi } from "./moderator-auth.js";
import { moderatorErrorText } from "./ui/errors.js";

function showRegisterLink(seriesId) {
  const link = $("#event-register");
  link.hidden = !seriesId;
  $("#next-forum").hidden = !seriesId;
  if (seriesId) link.href = `/moderator/series/${seriesId}`;
}

function setupNextForum(eventId) {
  const form = $("#next-forum-form");
  const feedback = $("#next-forum-feedback");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const title = form.elements.title.value.trim();
    if (!title) {
      feedback.className = "feedback feedback--error";
      feedback.textContent = t("field_required");
      form.elements.title.focus();
      return;
    }
    const copy = Object.fromEntries(["agenda", "workshops", "settings", "moderators"].map((name) => [name, form.elements[name].checked]));
    const body = { title, copy, invite: form.elements.invite.checked };
    if (form.elements.date.value) body.date = form.elements.date.value;
    try {
      const created = await modApi(`/api/v1/events/${eventId}/next-forum`, { method: "POST", body });
      location.assign(`/moderator/events/${created.id}`);
    } catch (error) {
      feedback.className = "feedback feedback--error";
      feedback.textContent = t("save_failed", { message: moderatorErrorText(error) });
    }
  });
}

/** Fill the card for event `eventId`, now in series `seriesId` (or none). */
export async function setupSeriesChoice(eventId, seriesId) {
  const select = $("#event-series");
  const feedback = $("#event-series-feedback");
  const { series } = await modApi("/api/v1/series");
  select.append(...series.map((s) => el("option", { value: String(s.id), text: s.title, selected: s.id === seriesId })));
  showRegisterLink(seriesId);
  setupNextForum(eventId);
  $("#event-series-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = select.value ? Number(select.value) : null;
    try {
      const saved = await modApi(`/api/v1/events/${eventId}`, { method: "PATCH", body: { series_id: chosen } });
      showRegisterLink(saved.series_id);
      feedback.className = "feedback feedback--success";
      feedback.textContent = t("saved");
    } catch (error) {
      feedback.className = "feedback feedback--error";
      feedback.textContent = t("save_failed", { message: moderatorErrorText(error) });
    }
  });
}
