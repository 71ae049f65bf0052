// How the board's items read on screen, the same on every screen.
//
// Withheld texts: while a workshop writes privately, the server withholds the texts (and
// authors) of others' ideas from participants and projectors ("text": null, "hidden": true);
// they never reach the browser. Whether a text is there is asked with isWithheld (from
// board-state.js, which needs it too), what stands in its place comes from ideaText.

import { isWithheld } from "../board-state.js";
import { el, errorText, t } from "../common.js";

export { isWithheld };

const SNIPPET = 60;

/** The idea's text, or `placeholder` where it was withheld ("Hidden for now" unless told). */
export function ideaText(idea, placeholder = t("hidden_idea")) {
  return isWithheld(idea) ? placeholder : idea.text;
}

/** What a screen reader says when someone else's idea arrives live; null for a withheld one
 * (nothing to say). */
export function newIdeaAnnouncement(idea) {
  if (isWithheld(idea)) return null;
  return idea.author ? t("new_idea_by", { author: idea.author, text: idea.text }) : t("new_idea", { text: idea.text });
}

/** The author as shown on a card ("Anonymous" without one). */
export function authorName(item) {
  return item.author || t("anonymous");
}

/** A cluster's title, or "Untitled cluster". */
export function clusterName(cluster) {
  return (cluster.title || "").trim() || t("cluster_untitled");
}

/** A short quote of a text for labels ("Mentoring durch erfah…"). */
export function snippet(text, length = SNIPPET) {
  const value = String(text ?? "").replace(/\s+/g, " ").trim();
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}

/** An idea's note colour (1–4): stable, so notes keep their colour as new ones arrive. */
export function ideaTone(idea) {
  return String((idea.id % 4) + 1);
}

/** The translated name of a step ("collect" → "Sammeln"). */
export function stepLabel(step) {
  return t(`step_${step}`);
}

/** A participant's refused or unanswered action in the phone's step views. */
export function actionError(error) {
  return errorText(error, {
    locked: t("steps_error_locked"),
    timeout: t("steps_error_offline"),
    network: t("steps_error_offline"),
    forbidden: t("steps_error_forbidden"),
    not_found: t("steps_error_gone"),
    rate_limited: t("idea_too_fast"),
    other: t("steps_error_failed"),
  });
}

/** A button's visible text plus, for screen readers, what it acts on ("Edit: <idea>"). */
export function labelled(text, context) {
  return [text, el("span", { class: "visually-hidden", text: `: ${context}` })];
}
