// Pieces shared by the moderator pages: the link boxes (projector, host).
//
// data-testid (inside the box): projector-url (read-only field with the link),
//   projector-copy, projector-open

import { LANG, el, t } from "./common.js";
import { modApi } from "./moderator-auth.js";
import { copyText } from "./ui/clipboard.js";
import { moderatorErrorText } from "./ui/errors.js";

/**
 * Create a link (`request()` resolves to the API's `{url, …}`) and show it in `box`: a
 * read-only field, "copy" and "open". The link carries ?lang= of this page. `parts(link)`
 * gives the field's label, the sentence above it, the open button's text and the testid
 * prefix (`<prefix>-url`, `<prefix>-copy`, `<prefix>-open`).
 */
export async function showLinkBox(box, request, parts, fieldClass = "input input--mono") {
  box.hidden = false;
  box.replaceChildren(el("p", { class: "muted", text: t("saving") }));
  try {
    const link = await request();
    const { label, ready, open, testid } = parts(link);
    const [base, fragment] = link.url.split("#");
    const url = `${base}${base.includes("?") ? "&" : "?"}lang=${LANG}#${fragment}`;
    const field = el("input", { class: fieldClass, type: "text", readonly: true, value: url, "aria-label": label, "data-testid": `${testid}-url` });
    field.addEventListener("focus", () => field.select());
    const copy = el("button", { type: "button", class: "button button--secondary button--small", text: t("copy"), "data-testid": `${testid}-copy` });
    copy.addEventListener("click", async () => {
      copy.textContent = (await copyText(url)) ? t("copied") : t("copy_failed");
      if (copy.textContent !== t("copied")) field.select();
      setTimeout(() => {
        copy.textContent = t("copy");
      }, 2500);
    });
    box.replaceChildren(
      el("p", { class: "link-box__label", text: ready }),
      field,
      el("div", { class: "link-box__actions" },
        copy,
        el("a", { class: "button button--primary button--small", href: url, target: "_blank", rel: "noopener", text: open, "data-testid": `${testid}-open` })));
  } catch (error) {
    box.replaceChildren(el("p", { class: "feedback feedback--error", role: "alert", text: moderatorErrorText(error) }));
  }
}

/** A workshop's projector link (POST /api/v1/workshops/{id}/viewer-link) in `box`. */
export function showProjectorLink(box, workshopId) {
  return showLinkBox(box, () => modApi(`/api/v1/workshops/${workshopId}/viewer-link`, { method: "POST" }), () => ({
    label: t("projector_link"), ready: t("projector_link_ready"), open: t("open_projector"), testid: "projector",
  }));
}

/** The plenary's projector link (POST /api/v1/events/{id}/plenary/viewer-link) in `box`. */
export function showPlenaryProjectorLink(box, eventId) {
  return showLinkBox(box, () => modApi(`/api/v1/events/${eventId}/plenary/viewer-link`, { method: "POST" }), () => ({
    label: t("projector_link"), ready: t("plenary_projector_hint"), open: t("open_projector"), testid: "projector",
  }));
}
