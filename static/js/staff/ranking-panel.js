// The vote results (from the vote step on): clusters and loose ideas by dots, the total, and
// "reveal" while the votes are secret.
//
// data-testid: ranking-panel (data-revealed), ranking-status, reveal-votes, ranking-list,
//   ranking-item (data-kind, data-id, data-votes), ranking-votes

import { $, el, plural, t } from "../common.js";
import { clusterName, ideaText } from "../ui/board-text.js";

const SHOWN_FROM = ["vote", "act", "closed"];

export class RankingPanel {
  /** ctx: commands (StaffCommands), state (BoardState), announce(text). */
  constructor({ commands, state, announce }) {
    Object.assign(this, { commands, state, announce });
    this.panel = $("#ranking-panel");
    $("#reveal-votes").addEventListener("click", () => this.reveal());
  }

  async reveal() {
    const data = await this.commands.send("reveal_votes", {}, $("#ranking-feedback"));
    if (data) this.announce(t("votes_revealed"));
  }

  render() {
    this.panel.hidden = !SHOWN_FROM.includes(this.state.workshop.step);
    if (this.panel.hidden) return;
    const settings = this.state.workshop.settings || {};
    const secret = settings.votes_secret && !settings.votes_revealed;
    $("#ranking-status").textContent = secret ? t("votes_secret_note") : settings.votes_revealed ? t("votes_revealed_note") : t("votes_open_note");
    this.panel.dataset.revealed = settings.votes_revealed ? "true" : "false";
    $("#reveal-votes").hidden = !secret;
    const ranked = this.state.ranked();
    $("#ranking-total").textContent = plural("dots", ranked.reduce((sum, entry) => sum + (entry.votes || 0), 0));
    $("#ranking-list").replaceChildren(...ranked.map((entry, index) => this.entry(entry, index + 1)));
    $("#ranking-empty").hidden = ranked.length > 0;
  }

  entry({ kind, item, votes }, place) {
    const cluster = kind === "cluster";
    return el("li", { class: "sb-rank", "data-testid": "ranking-item", dataset: { kind, id: String(item.id), votes: String(votes) } },
      el("span", { class: "sb-rank__place", text: String(place), "aria-hidden": "true" }),
      el("span", { class: "sb-rank__name" },
        cluster ? el("span", { class: "sb-rank__kind", text: plural("cluster_ideas", item.ideas.length) }) : null,
        el("span", { text: cluster ? clusterName(item) : ideaText(item) })),
      el("span", { class: "sb-rank__votes", "data-testid": "ranking-votes", text: plural("dots", votes) }));
  }
}
