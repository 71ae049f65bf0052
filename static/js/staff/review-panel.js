// The review step on the staff board: the series' earlier open actions with every verdict and
// comment as they come in (the staff see them even while they are secret), and "reveal" while
// they are secret to everyone else.
//
// data-testid: review-panel (data-revealed), review-status, reveal-reviews, review-list,
//   review-card (data-action-id), review-results, review-comments, review-given

import { $, el, plural, t } from "../common.js";
import { reviewFacts, verdictBars } from "../phone-steps.js";

export class ReviewPanel {
  /** ctx: commands (StaffCommands), state (BoardState), announce(text). */
  constructor({ commands, state, announce }) {
    Object.assign(this, { commands, state, announce });
    this.panel = $("#review-panel");
    $("#reveal-reviews").addEventListener("click", () => this.reveal());
  }

  async reveal() {
    const data = await this.commands.send("reveal_reviews", {}, $("#review-feedback"));
    if (data) this.announce(t("reviews_revealed"));
  }

  render() {
    const workshop = this.state.workshop;
    this.panel.hidden = workshop.step !== "review";
    if (this.panel.hidden) return;
    const settings = workshop.settings || {};
    const revealed = Boolean(settings.reviews_revealed || this.state.review.revealed);
    const secret = Boolean(settings.votes_secret) && !revealed;
    $("#review-status").textContent = secret ? t("reviews_secret_note") : revealed ? t("reviews_revealed_note") : t("reviews_open_note");
    this.panel.dataset.revealed = revealed ? "true" : "false";
    $("#reveal-reviews").hidden = !secret;
    const actions = this.state.reviewActions();
    $("#review-list").replaceChildren(...actions.map((action) => this.card(action)));
    $("#review-empty").hidden = actions.length > 0;
  }

  card(action) {
    return el("li", { class: "review-card", "data-testid": "review-card", dataset: { actionId: String(action.id) } },
      el("h3", { class: "review-card__title", text: action.title }),
      ...reviewFacts(action),
      el("p", { class: "muted sb-small", "data-testid": "review-given", text: plural("verdicts_given", action.given || 0) }),
      action.review ? verdictBars(action.review) : null,
      (action.comments || []).length ? el("ul", { class: "review-comments", "data-testid": "review-comments" },
        action.comments.map((c) => el("li", { text: `„${c.comment}“ (${t("verdict_" + c.verdict)})` }))) : null);
  }
}
