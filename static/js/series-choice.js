// The "Series" card of the event editor: which series the event belongs to (its actions then
// join that series' register), and the way to that register.
//
// data-testid: event-series-form, event-series, event-series-save, event-series-feedback,
//   event-register

import { $, el, t } from "./common.js";
import { modApi } from "./moderator-auth.js";
import { moderatorErrorText } from "./ui/errors.js";

function showRegisterLink(seriesId) {
  const link = $("#event-register");
  link.hidden = !seriesId;
  if (seriesId) link.href = `/moderator/series/${seriesId}`;
}

/** Fill the card for event `eventId`, now in series `seriesId` (or none). */
export async function setupSeriesChoice(eventId, seriesId) {
  const select = $("#event-series");
  const feedback = $("#event-series-feedback");
  const { series } = await modApi("/api/v1/series");
  select.append(...series.map((s) => el("option", { value: String(s.id), text: s.title, selected: s.id === seriesId })));
  showRegisterLink(seriesId);
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
