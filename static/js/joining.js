// The event page's joining controls (/moderator/events/<id>): whether new participants may
// join now (close, open again) and a new code and link for the event (the old ones stop
// working for newcomers at once; who joined stays in).
//
// data-testid: joining-state (data-open = "true" | "false"), joining-toggle, joining-new-code,
//   joining-confirm, joining-confirm-yes, joining-confirm-no, joining-feedback

import { $, LANG, t } from "./common.js";
import { modApi } from "./moderator-auth.js";
import { moderatorErrorText } from "./ui/errors.js";

const moment = new Intl.DateTimeFormat(LANG, { dateStyle: "medium", timeStyle: "short" });

function stateText(joining) {
  const date = moment.format(new Date(joining.closes_at));
  if (joining.open) return t("joining_open_until", { date });
  return joining.closed_at ? t("joining_closed") : t("joining_expired", { date });
}

/**
 * Show how participants join `eventId` now (`joining`: the API's joining state, with
 * `join_code` and `join_url`) and wire the buttons; `changed(joining)` gets every new state
 * (also a new code, so the page can show the new code, link and QR code).
 */
export function setupJoining(eventId, joining, changed) {
  let current = joining;
  const stateNode = $("#joining-state");
  const toggle = $("#joining-toggle");
  const feedback = $("#joining-feedback");
  const show = () => {
    stateNode.textContent = stateText(current);
    stateNode.dataset.open = String(current.open);
    toggle.textContent = current.open ? t("joining_close") : t("joining_reopen");
  };
  const act = async (request) => {
    feedback.textContent = t("saving");
    try {
      current = await request();
      feedback.textContent = "";
      show();
      changed(current);
    } catch (error) {
      feedback.textContent = t("joining_failed", { message: moderatorErrorText(error) });
    }
  };
  toggle.addEventListener("click", () => act(() => modApi(`/api/v1/events/${eventId}/joining`, { method: "PATCH", body: { open: !current.open } })));
  const confirmBox = $("#joining-confirm");
  $("#joining-new-code").addEventListener("click", () => {
    confirmBox.hidden = false;
    $("#joining-confirm-no").focus();
  });
  $("#joining-confirm-no").addEventListener("click", () => {
    confirmBox.hidden = true;
    $("#joining-new-code").focus();
  });
  $("#joining-confirm-yes").addEventListener("click", () => {
    confirmBox.hidden = true;
    act(() => modApi(`/api/v1/events/${eventId}/joining/new-code`, { method: "POST" }));
  });
  show();
}
